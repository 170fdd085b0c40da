package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/c3dmock/c3dmock/mock"
)

// tagExclusions are the filters every official client sends.
const tagExclusions = `{"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.test"},"value":false},` +
	`{"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.junk"},"value":false}`

// listBody is a paginatedListQueries body as the clients build it.
func listBody(extra, filters string, page, limit int) string {
	return fmt.Sprintf(`{"page":%d,"limit":%d,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},`+
		`"entityFilters":{"projectId":4460},"sessionFilters":[%s],"eventFilters":[],"objectiveFilters":[],"userFilters":[],"sessionType":"project"%s}`,
		page, limit, filters, extra)
}

func post(t testing.TB, ts *httptest.Server, path, body string) response {
	t.Helper()
	return do(t, ts, request{method: "POST", path: path, auth: keyReadWrite, body: body})
}

func mustOK(t testing.TB, res response, what string) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", what, res.status, res.body)
	}
}

// page decodes a session page into plain Go values.
type page struct {
	Count       int              `json:"count"`
	Pages       int              `json:"pages"`
	CurrentPage int              `json:"currentPage"`
	Results     []map[string]any `json:"results"`
}

func decodePage(t testing.TB, res response) page {
	t.Helper()
	var p page
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("decode page: %v: %s", err, res.body)
	}
	return p
}

// vendorFixture reads a client fixture (spec/testdata/vendor).
func vendorFixture(t testing.TB, name string) any {
	t.Helper()
	b, err := os.ReadFile("../spec/testdata/vendor/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// missingKeys lists the keys of want that got lacks.
func missingKeys(got, want map[string]any) []string {
	var out []string
	for k := range want {
		if _, ok := got[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestSessionRowShapesMatchClientFixtures(t *testing.T) {
	ts := newTestServer(t)
	rFix := vendorFixture(t, "r-client/list_sessions_response.json").(map[string]any)
	project := decodePage(t, post(t, ts, "/v0/datasets/sessions/paginatedListQueries", listBody("", tagExclusions, 0, 5)))
	if len(project.Results) == 0 {
		t.Fatal("project 4460 has no sessions")
	}
	wantRow := rFix["results"].([]any)[0].(map[string]any)
	for _, r := range project.Results {
		if m := missingKeys(r, wantRow); len(m) > 0 {
			t.Errorf("project row lacks keys of R list_sessions_response.json: %v", m)
		}
		if extra := missingKeys(wantRow, r); len(extra) > 0 {
			t.Errorf("project row has keys the R fixture lacks: %v", extra)
		}
		props := r["properties"].(map[string]any)
		for _, k := range []string{"c3d.session_tag.test", "c3d.session_tag.junk"} {
			if _, ok := props[k].(bool); !ok {
				t.Errorf("row %v: properties[%s] = %v, want a boolean", r["sessionId"], k, props[k])
			}
		}
		for _, k := range []string{"date", "endDate"} {
			if _, err := time.Parse("2006-01-02T15:04:05.000Z", r[k].(string)); err != nil {
				t.Errorf("%s = %v: want ISO-8601 with ms and Z", k, r[k])
			}
		}
		start, _ := time.Parse(time.RFC3339, r["date"].(string))
		if int64(r["createdAt"].(float64)) != start.UnixMilli() || r["startTime"] != r["createdAt"] {
			t.Errorf("createdAt/startTime %v/%v do not match date %v", r["createdAt"], r["startTime"], r["date"])
		}
	}

	scene := decodePage(t, post(t, ts, "/v0/datasets/sessions/paginatedListQueries",
		`{"page":0,"limit":5,"entityFilters":{"projectId":4460,"sceneId":"2c2f0603-8f5c-4ff6-94ed-03542a4df34d","versionId":7012},"sessionFilters":[`+tagExclusions+`],"sessionType":"scene","includeAllObjectiveData":true}`))
	if len(scene.Results) == 0 {
		t.Fatal("scene version 7012 has no scene sessions")
	}
	wantScene := vendorFixture(t, "r-client/scene_sessions_response.json").(map[string]any)["results"].([]any)[0].(map[string]any)
	for _, r := range scene.Results {
		if m := missingKeys(r, wantScene); len(m) > 0 {
			t.Errorf("scene row lacks keys of R scene_sessions_response.json: %v", m)
		}
		if r["sceneVersionId"].(float64) != 7012 || r["sceneId"] != "2c2f0603-8f5c-4ff6-94ed-03542a4df34d" {
			t.Errorf("scene row in %v/%v, want 7012", r["sceneId"], r["sceneVersionId"])
		}
		if _, ok := r["objectiveResults"].(map[string]any); !ok {
			t.Errorf("scene row with includeAllObjectiveData lacks objectiveResults")
		}
	}

	events := decodePage(t, post(t, ts, "/v0/datasets/sessions/paginatedListQueries", listBody(`,"includeEvents":true`, tagExclusions, 0, 3)))
	wantEvent := vendorFixture(t, "r-client/events_response.json").(map[string]any)["results"].([]any)[0].(map[string]any)
	wantEv := wantEvent["events"].([]any)[0].(map[string]any)
	for _, r := range events.Results {
		evs, ok := r["events"].([]any)
		if !ok || r["eventsLimited"] == nil {
			t.Fatalf("includeEvents row lacks events/eventsLimited: %v", keysOf(r))
		}
		for _, e := range evs {
			if got := keysOf(e.(map[string]any)); !slices.Equal(got, keysOf(wantEv)) {
				t.Errorf("event keys %v, want those of R events_response.json %v", got, keysOf(wantEv))
			}
		}
	}
}

func TestSceneModeNeedsSceneOrVersion(t *testing.T) {
	ts := newTestServer(t)
	for _, body := range []string{
		`{"entityFilters":{"projectId":4460},"sessionType":"scene"}`,
		`{"entityFilters":{"projectId":4460}}`, // the vendor's default is scene
	} {
		res := post(t, ts, "/v0/datasets/sessions/paginatedListQueries", body)
		if res.status != http.StatusBadRequest || res.json(t)["field"] != "/entityFilters/versionId" {
			t.Errorf("%s: status %d %s, want 400 naming /entityFilters/versionId", body, res.status, res.body)
		}
	}
}

func TestSessionScopeRefusals(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, path, body string
		want             int
	}{
		{"other org's project", "/v0/datasets/sessions/paginatedListQueries", `{"entityFilters":{"projectId":2797},"sessionType":"project"}`, http.StatusForbidden},
		{"missing projectId", "/v0/datasets/sessions/paginatedListQueries", `{"entityFilters":{},"sessionType":"project"}`, http.StatusBadRequest},
		{"slicer other org", "/v0/datasets/sessions/slicerQueries", `{"entityFilters":{"projectId":2797},"sessionType":"project","aggregations":[]}`, http.StatusForbidden},
		{"objectives other org", "/v0/datasets/objectives/objectiveResultQueries", `{"projectId":2797}`, http.StatusForbidden},
		{"objectives missing projectId", "/v0/datasets/objectives/objectiveResultQueries", `{"sliceByObjective":true}`, http.StatusBadRequest},
		{"exitpoll other org", "/v0/projects/2797/questionSets/end_questions/3/responseCountQueries", `{"sessionFilters":[]}`, http.StatusForbidden},
		{"unknown project", "/v0/datasets/sessions/paginatedListQueries", `{"entityFilters":{"projectId":999999},"sessionType":"project"}`, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := post(t, ts, tt.path, tt.body); res.status != tt.want {
				t.Errorf("POST %s %s: status %d, want %d: %s", tt.path, tt.body, res.status, tt.want, res.body)
			}
		})
	}
}

// newSeededServer serves a conformance-checked mock with its own seed.
func newSeededServer(t testing.TB, seed uint64, sessions int) *httptest.Server {
	t.Helper()
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), Seed: seed, Sessions: sessions, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	router, err := gorillamux.NewRouter(publicDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(conform(t, router, srv))
	t.Cleanup(ts.Close)
	return ts
}

func TestPaginationInvariants(t *testing.T) {
	for _, seed := range []uint64{1, 7, 42, 1234} {
		ts := newSeededServer(t, seed, 150)
		for _, limit := range []int{7, 40, 100} {
			for _, order := range []string{"desc", "asc"} {
				for _, filters := range []string{"", tagExclusions} {
					name := fmt.Sprintf("seed%d/limit%d/%s/filtered=%v", seed, limit, order, filters != "")
					checkPagination(t, ts, name, limit, order, filters)
				}
			}
		}
	}
}

func checkPagination(t *testing.T, ts *httptest.Server, name string, limit int, order, filters string) {
	t.Helper()
	seen := map[string]bool{}
	var dates []string
	count, pages := -1, -1
	for pg := 0; ; pg++ {
		body := strings.Replace(listBody("", filters, pg, limit), `"sort":"desc"`, `"sort":"`+order+`"`, 1)
		p := decodePage(t, post(t, ts, "/v0/datasets/sessions/paginatedListQueries", body))
		if count < 0 {
			count, pages = p.Count, p.Pages
			if want := (count + limit - 1) / limit; pages != want {
				t.Fatalf("%s: pages = %d, want ceil(%d/%d) = %d", name, pages, count, limit, want)
			}
		}
		if p.Count != count || p.Pages != pages || p.CurrentPage != pg {
			t.Fatalf("%s page %d: {count %d, pages %d, currentPage %d} changed from {%d, %d, %d}", name, pg, p.Count, p.Pages, p.CurrentPage, count, pages, pg)
		}
		if len(p.Results) > limit {
			t.Fatalf("%s page %d: %d results > limit %d", name, pg, len(p.Results), limit)
		}
		if pg >= pages {
			if len(p.Results) != 0 {
				t.Fatalf("%s: page %d past the last has %d results", name, pg, len(p.Results))
			}
			break
		}
		if pg < pages-1 && len(p.Results) != limit {
			t.Fatalf("%s page %d: %d results, want a full page of %d", name, pg, len(p.Results), limit)
		}
		for _, r := range p.Results {
			id := r["sessionId"].(string)
			if seen[id] {
				t.Fatalf("%s: session %s on two pages", name, id)
			}
			seen[id] = true
			dates = append(dates, r["date"].(string))
		}
	}
	if len(seen) != count {
		t.Fatalf("%s: pages hold %d sessions, count says %d", name, len(seen), count)
	}
	sorted := slices.IsSorted(dates)
	if order == "desc" {
		slices.Reverse(dates)
		sorted = slices.IsSorted(dates)
	}
	if !sorted {
		t.Fatalf("%s: dates not in %s order", name, order)
	}
}

func TestSingleAndMultiSessionRoutes(t *testing.T) {
	ts := newTestServer(t)
	p := decodePage(t, post(t, ts, "/v0/datasets/sessions/paginatedListQueries",
		`{"limit":1,"entityFilters":{"projectId":4460,"versionId":7012},"sessionType":"scene"}`))
	if len(p.Results) == 0 {
		t.Fatal("no scene sessions for version 7012")
	}
	id, scene := p.Results[0]["sessionId"].(string), p.Results[0]["sceneId"].(string)

	single := post(t, ts, "/v0/datasets/sessions/singleQueries", fmt.Sprintf(`{"projectId":4460,"sceneId":%q,"sessionId":%q,"versionId":7012}`, scene, id))
	mustOK(t, single, "singleQueries")
	d := single.json(t)
	for _, k := range []string{"events", "warnings", "properties", "subscriptions", "objectiveResults", "tags", "friendlyName", "sceneVersionId"} {
		if _, ok := d[k]; !ok {
			t.Errorf("singleQueries lacks %s", k)
		}
	}
	if evs := d["events"].([]any); len(evs) > 0 {
		if _, ok := evs[0].(map[string]any)["eventHash"].(json.Number); !ok {
			t.Errorf("singleQueries event lacks an integer eventHash: %v", evs[0])
		}
	}

	proj := post(t, ts, "/v0/datasets/sessions/singleProjectSessionQueries", fmt.Sprintf(`{"projectId":"4460","sessionId":%q,"attachSceneSessionData":true,"includeObjectiveData":true}`, id))
	mustOK(t, proj, "singleProjectSessionQueries")
	if pm := proj.json(t); pm["sceneSessionProperties"] == nil || pm["properties"] != nil {
		t.Errorf("singleProjectSessionQueries: want sceneSessionProperties instead of properties, got keys %v", keysOf(pm))
	}

	if nope := post(t, ts, "/v0/datasets/sessions/multiQueries", fmt.Sprintf(`{"projectId":4460,"sceneId":%q,"versionId":7012,"sdkSessionIds":[%q,"nope"]}`, scene, id)); nope.status != http.StatusNotFound {
		t.Errorf("multiQueries naming a session that exists nowhere: %d, want 404", nope.status)
	}
	multi := post(t, ts, "/v0/datasets/sessions/multiQueries", fmt.Sprintf(`{"projectId":4460,"sceneId":%q,"versionId":7012,"sdkSessionIds":[%q]}`, scene, id))
	mustOK(t, multi, "multiQueries")
	if m := multi.json(t); len(m) != 1 || m[id] == nil {
		t.Errorf("multiQueries: got keys %v, want [%s]", keysOf(m), id)
	}

	part := p.Results[0]["participantId"]
	res := post(t, ts, "/v0/datasets/sessions/participantSessionsQueries", fmt.Sprintf(`{"organizationId":"12","participantId":%q}`, part))
	mustOK(t, res, "participantSessionsQueries")
	if l := res.list(t); len(l) == 0 {
		t.Errorf("participantSessionsQueries for %v: no sessions", part)
	}

	meta := do(t, ts, request{method: "GET", path: "/v0/versions/7012/sessions/" + id + "/metadata", auth: keyReadWrite})
	mustOK(t, meta, "getSessionMetadata")
	look := post(t, ts, "/v0/projects/4460/sessions/metadataLookups", fmt.Sprintf(`{"sdkIdSceneIds":[{"sdkId":%q,"sceneId":%q}]}`, id, scene))
	mustOK(t, look, "sessionMetadataLookup")
	if l := look.list(t); len(l) != 1 {
		t.Errorf("metadataLookups: %d entries, want 1", len(l))
	}
	obj := do(t, ts, request{method: "GET", path: "/v0/versions/7012/sessions/" + id + "/objectiveData", auth: keyReadWrite})
	mustOK(t, obj, "getSessionObjectiveData")

	missing := post(t, ts, "/v0/datasets/sessions/singleQueries", `{"projectId":4460,"sessionId":"nope","versionId":7012}`)
	if missing.status != http.StatusNotFound {
		t.Errorf("singleQueries unknown session: status %d, want 404", missing.status)
	}
}
