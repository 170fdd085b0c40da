package mock_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// sceneSessionID returns a session that visited a scene version of project 4460.
func sceneSessionID(t testing.TB, ts *httptest.Server, versionID int) string {
	t.Helper()
	res := do(t, ts, request{method: "POST", path: "/v0/datasets/sessions/paginatedListQueries", auth: keyReadWrite,
		body: fmt.Sprintf(`{"page":0,"limit":5,"sessionType":"scene","entityFilters":{"projectId":4460,"versionId":%d}}`, versionID)})
	rows, _ := res.json(t)["results"].([]any)
	if len(rows) == 0 {
		t.Fatalf("no session on version %d: %s", versionID, res.body)
	}
	return rows[0].(map[string]any)["sessionId"].(string)
}

func TestJSONRequests(t *testing.T) {
	ts := newTestServer(t)
	sid := sceneSessionID(t, ts, 7012)
	project := "/v0/projects/4460/sessions/" + sid + "/jsonRequests"
	version := "/v0/versions/7012/sessions/" + sid + "/jsonRequests"
	for _, tt := range []struct{ jsonType, keys string }{
		{"GAZE", "gaze"}, {"FIXATION", "fixations"}, {"EVENTS", "events"}, {"DYNAMICS", "dynamics,dynamics.manifest"},
		{"SENSORS", "sensors"}, {"BOUNDARY", "boundary"}, {"ALL", "boundary,dynamics,dynamics.manifest,events,fixations,gaze,sensors"},
	} {
		for _, path := range []string{project, version} {
			res := do(t, ts, request{method: "POST", path: path, auth: keyReadOnly, body: `{"sessionId":"` + sid + `","jsonType":"` + tt.jsonType + `"}`})
			if res.status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", path, tt.jsonType, res.status, res.body)
			}
			data, _ := res.json(t)["data"].(map[string]any)
			var keys []string
			for k := range data {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if got := strings.Join(keys, ","); got != tt.keys {
				t.Errorf("%s %s: data keys %s, want %s", path, tt.jsonType, got, tt.keys)
			}
		}
	}
	// The events are the session's events, times in epoch ms by default.
	var doc struct {
		Data struct {
			Events []struct {
				Name string  `json:"name"`
				Time float64 `json:"time"`
			} `json:"events"`
			Gaze []struct {
				Time float64   `json:"time"`
				P    []float64 `json:"p"`
			} `json:"gaze"`
			Metadata   map[string]any `json:"metadata"`
			Properties map[string]any `json:"properties"`
		} `json:"data"`
	}
	get := func(body string) {
		doc.Data.Events, doc.Data.Gaze = nil, nil
		res := do(t, ts, request{method: "POST", path: project, auth: keyReadOnly, body: body})
		if err := json.Unmarshal(res.body, &doc); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
	}
	get(`{"jsonType":"ALL","addMetadata":true,"addProperties":true}`)
	if len(doc.Data.Events) == 0 || doc.Data.Events[0].Name != "c3d.sessionStart" || doc.Data.Events[0].Time < 1e12 {
		t.Fatalf("events: %+v", doc.Data.Events)
	}
	if doc.Data.Metadata["sessionId"] != sid || len(doc.Data.Properties) == 0 {
		t.Errorf("metadata %v, %d properties", doc.Data.Metadata, len(doc.Data.Properties))
	}
	start := doc.Data.Events[0].Time
	get(`{"jsonType":"EVENTS","sessionRelativeTimestamps":true,"convertMillisToSeconds":true}`)
	if doc.Data.Events[0].Time != 0 {
		t.Errorf("relative seconds: first event at %v, want 0", doc.Data.Events[0].Time)
	}
	get(`{"jsonType":"EVENTS","convertMillisToSeconds":true}`)
	if doc.Data.Events[0].Time != start/1000 {
		t.Errorf("seconds: first event at %v, want %v", doc.Data.Events[0].Time, start/1000)
	}
	res := do(t, ts, request{method: "POST", path: version, auth: keyReadOnly, body: `{"jsonType":"GAZE","indicateSceneOnDatum":true,"separateSceneData":true}`})
	if !strings.Contains(string(res.body), `"scenes":{"7012":{"gaze":[`) || strings.Contains(string(res.body), `"sceneVersionId":7011`) {
		t.Errorf("separated scene data: %.300s", res.body)
	}
	for _, bad := range []struct {
		path, body string
		want       int
	}{
		{project, `{"sessionId":"other","jsonType":"ALL"}`, 400},
		{project, `{"jsonType":"NOPE"}`, 400},
		{"/v0/projects/4460/sessions/1_nope/jsonRequests", `{"jsonType":"ALL"}`, 404},
		{"/v0/versions/7015/sessions/" + sid + "/jsonRequests", `{"jsonType":"ALL"}`, 404},
	} {
		if res := do(t, ts, request{method: "POST", path: bad.path, auth: keyReadOnly, body: bad.body}); res.status != bad.want {
			t.Errorf("POST %s %s: %d, want %d: %s", bad.path, bad.body, res.status, bad.want, res.body)
		}
	}
}

func TestJSONZip(t *testing.T) {
	ts := newTestServer(t)
	sid := sceneSessionID(t, ts, 7012)
	for _, path := range []string{"/v0/projects/4460/sessions/" + sid + "/jsonZipRequest", "/v0/versions/7012/sessions/" + sid + "/jsonZipRequest?projectId=4460&sceneId=2c2f0603-8f5c-4ff6-94ed-03542a4df34d"} {
		res := do(t, ts, request{method: "GET", path: path, auth: keyReadOnly})
		if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/zip" {
			t.Fatalf("GET %s: %d %q", path, res.status, res.header.Get("Content-Type"))
		}
		zr, err := zip.NewReader(bytes.NewReader(res.body), int64(len(res.body)))
		if err != nil {
			t.Fatalf("%s: not a ZIP: %v", path, err)
		}
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			var doc map[string]map[string]any
			if err != nil || json.Unmarshal(b, &doc) != nil || doc["data"][strings.TrimSuffix(f.Name, ".json")] == nil {
				t.Errorf("%s: entry %s is not its jsonType's document: %.200s", path, f.Name, b)
			}
		}
		if got := strings.Join(names, ","); got != "gaze.json,fixations.json,events.json,dynamics.json,sensors.json,boundary.json" {
			t.Errorf("%s: entries %s", path, got)
		}
	}
	if res := do(t, ts, request{method: "GET", path: "/v0/versions/7012/sessions/" + sid + "/jsonZipRequest?sceneId=5b0a9d6e-1f3c-4e87-9b2d-7a4c6e8f0d13", auth: keyReadOnly}); res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "targetsAgree") {
		t.Errorf("wrong sceneId: %d %s, want 400 targetsAgree", res.status, res.body)
	}
}

func TestVersionSessionGaze(t *testing.T) {
	ts := newTestServer(t)
	sid := sceneSessionID(t, ts, 7012)
	res := do(t, ts, request{method: "GET", path: "/v0/versions/7012/gaze/" + sid, auth: keyReadOnly})
	var g struct {
		Timestamp float64 `json:"timestamp"`
		Data      []struct {
			Time float64   `json:"time"`
			P, R []float64 `json:"-"`
		} `json:"data"`
	}
	if err := json.Unmarshal(res.body, &g); err != nil || res.status != 200 || g.Timestamp < 1e9 || g.Timestamp > 1e11 {
		t.Fatalf("gaze: %d %v %.200s", res.status, err, res.body)
	}
	for _, d := range g.Data {
		if d.Time < g.Timestamp {
			t.Fatalf("gaze sample at %v before the session start %v (seconds)", d.Time, g.Timestamp)
		}
	}
}
