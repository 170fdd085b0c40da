package mock_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden response bodies under testdata/golden")

// goldenRequest is one request of the golden set; {sid} is replaced by the
// first session of version 7012 and {sid2} by the newest session of 4460.
type goldenRequest struct {
	name, method, path, body string
}

func goldenRequests() []goldenRequest {
	list := func(extra, filters string, page, limit int) string { return listBody(extra, filters, page, limit) }
	evFilter := `{"field":{"fieldName":"eventName","fieldParent":"event"},"op":"eq","value":"c3d.power"}`
	evProp := `{"op":"gte","field":{"nestedFieldName":"numericalEventProp","path":"Power"},"value":50}`
	textProp := `{"op":"eq","field":{"nestedFieldName":"textualSessionProp","path":"c3d.device.hmd.type"},"value":"Quest 3"}`
	ops := `[{"name":"n","type":"sessionCount"},{"name":"e","type":"eventCount"},{"name":"avg","type":"average","field":{"nestedFieldName":"numericalSessionProp","path":"c3d.metrics.comfort_score"}}]`
	terms := `{"name":"by_version","maxTerms":64,"field":{"unnestedFieldName":"textualSessionProp","path":"c3d.app.version"}}`
	evTerms := `{"name":"by_hand","maxTerms":64,"field":{"nestedFieldName":"textualEventProp","path":"hand"}}`
	day := `{"name":"by_day","timeUnit":"day","timeValue":1,"field":{"fieldName":"date","fieldParent":"session"}}`
	slicer := func(filters, evFilters, sliceBys string) string {
		return slicerBody(filters, evFilters, fmt.Sprintf(`{"name":"main","outputType":"json0_keyed","operations":%s,"sliceBys":[%s]}`, ops, sliceBys))
	}
	p := "/v0/datasets/sessions/"
	return []goldenRequest{
		{"list events", "POST", p + "paginatedListQueries", list(`,"includeEvents":true`, tagExclusions, 0, 100)},
		{"list events page 2", "POST", p + "paginatedListQueries", list(`,"includeEvents":true,"includeAllObjectiveData":true`, "", 1, 50)},
		{"list objectives", "POST", p + "paginatedListQueries", list(`,"includeAllObjectiveData":true`, tagExclusions, 0, 200)},
		{"list text prop", "POST", p + "paginatedListQueries", list(`,"includeEvents":true`, textProp, 0, 30)},
		{"list event filter", "POST", p + "paginatedListQueries", strings.Replace(list(`,"includeEvents":true`, "", 0, 30), `"eventFilters":[]`, `"eventFilters":[`+evFilter+`,`+evProp+`]`, 1)},
		{"list scene", "POST", p + "paginatedListQueries", `{"page":0,"limit":40,"sessionType":"scene","includeEvents":true,"entityFilters":{"projectId":4460,"versionId":7012}}`},
		{"single", "POST", p + "singleQueries", `{"projectId":4460,"sessionId":"{sid}","versionId":7012}`},
		{"single project", "POST", p + "singleQueries", `{"projectId":4460,"sessionId":"{sid2}"}`},
		{"slicer plain", "POST", p + "slicerQueries", slicer(tagExclusions, "", "")},
		{"slicer terms", "POST", p + "slicerQueries", slicer(tagExclusions, "", terms+","+day)},
		{"slicer event terms", "POST", p + "slicerQueries", slicer("", evFilter, evTerms)},
		{"property names", "POST", p + "slicerPropertyNameQueries", `{"sessionType":"project","entityFilters":{"projectId":4460}}`},
		{"field values", "POST", p + "slicerFieldValuesQueries", `{"sessionType":"project","entityFilters":{"projectId":4460},"field":{"unnestedFieldName":"textualSessionProp","path":"c3d.app.version"},"maxTerms":256}`},
		{"event field values", "POST", p + "slicerFieldValuesQueries", `{"sessionType":"project","entityFilters":{"projectId":4460},"field":{"nestedFieldName":"textualEventProp","path":"hazardType"},"maxTerms":256}`},
		{"json all", "POST", "/v0/projects/4460/sessions/{sid}/jsonRequests", `{"sessionId":"{sid}","jsonType":"ALL","addMetadata":true,"addProperties":true}`},
		{"json events", "POST", "/v0/versions/7012/sessions/{sid}/jsonRequests", `{"sessionId":"{sid}","jsonType":"EVENTS"}`},
		{"json sensors", "POST", "/v0/projects/4460/sessions/{sid2}/jsonRequests", `{"sessionId":"{sid2}","jsonType":"SENSORS","addProperties":true}`},
		{"tag junk", "PUT", "/v0/projects/4460/sessions/{sid}/tags/Junk", `{"value":true}`},
		{"list after tag", "POST", p + "paginatedListQueries", list(`,"includeEvents":true`, tagExclusions, 0, 100)},
		{"single after tag", "POST", p + "singleQueries", `{"projectId":4460,"sessionId":"{sid}","versionId":7012}`},
	}
}

// TestGoldenBodies pins the bytes of a fixed set of responses (seed 1,
// pinned clock), one file each under testdata/golden: storage refactors must
// not change any of them. A failure names the first JSON pointer whose value
// differs and shows the bytes around it. Run with -update to rewrite the
// files after an intended change.
func TestGoldenBodies(t *testing.T) {
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), Seed: 1, Sessions: 400, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	serve := func(method, path, body string) (int, []byte) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", keyReadWrite)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes()
	}
	sid := goldenSession(t, serve, `{"page":0,"limit":1,"sessionType":"scene","entityFilters":{"projectId":4460,"versionId":7012}}`)
	sid2 := goldenSession(t, serve, listBody("", "", 0, 1))
	const dir = "testdata/golden"
	if *updateGolden {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, rq := range goldenRequests() {
		r := strings.NewReplacer("{sid}", sid, "{sid2}", sid2)
		code, body := serve(rq.method, r.Replace(rq.path), r.Replace(rq.body))
		if code >= 300 {
			t.Errorf("%s: status %d: %.300s", rq.name, code, body)
		}
		file := filepath.Join(dir, strings.ReplaceAll(rq.name, " ", "_")+".json")
		if *updateGolden {
			if err := os.WriteFile(file, body, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./mock -run TestGoldenBodies -update)", rq.name, err)
		}
		if !bytes.Equal(body, want) {
			t.Errorf("%s: response body differs from %s: %s", rq.name, file, describeDiff(body, want))
		}
	}
}

// describeDiff names the first JSON pointer whose value differs between got
// and want (when both are JSON) and shows the bytes around the first
// differing byte.
func describeDiff(got, want []byte) string {
	var out strings.Builder
	var g, w any
	if json.Unmarshal(got, &g) == nil && json.Unmarshal(want, &w) == nil {
		if ptr, gv, wv, ok := firstDiff("", g, w); ok {
			fmt.Fprintf(&out, "at %s got %.200s, want %.200s; ", ptr, gv, wv)
		} else {
			out.WriteString("same JSON value, different bytes; ")
		}
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-80, 0)
	fmt.Fprintf(&out, "first differing byte %d (lengths %d and %d):\n got …%s…\nwant …%s…", i, len(got), len(want), got[from:min(i+80, len(got))], want[from:min(i+80, len(want))])
	return out.String()
}

func firstDiff(ptr string, g, w any) (string, string, string, bool) {
	switch gv := g.(type) {
	case map[string]any:
		if wv, ok := w.(map[string]any); ok {
			keys := make([]string, 0, len(gv)+len(wv))
			for k := range gv {
				keys = append(keys, k)
			}
			for k := range wv {
				if _, ok := gv[k]; !ok {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				if p, a, b, ok := firstDiff(ptr+"/"+k, gv[k], wv[k]); ok {
					return p, a, b, ok
				}
			}
			return "", "", "", false
		}
	case []any:
		if wv, ok := w.([]any); ok && len(gv) == len(wv) {
			for i := range gv {
				if p, a, b, ok := firstDiff(ptr+"/"+strconv.Itoa(i), gv[i], wv[i]); ok {
					return p, a, b, ok
				}
			}
			return "", "", "", false
		}
	}
	a, _ := json.Marshal(g)
	b, _ := json.Marshal(w)
	if bytes.Equal(a, b) {
		return "", "", "", false
	}
	if ptr == "" {
		ptr = "/"
	}
	return ptr, string(a), string(b), true
}

func goldenSession(t *testing.T, serve func(string, string, string) (int, []byte), body string) string {
	t.Helper()
	code, raw := serve("POST", "/v0/datasets/sessions/paginatedListQueries", body)
	var p struct {
		Results []struct {
			SessionID string `json:"sessionId"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &p); code != 200 || err != nil || len(p.Results) == 0 {
		t.Fatalf("no session: %d %v %.200s", code, err, raw)
	}
	return p.Results[0].SessionID
}
