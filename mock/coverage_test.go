package mock_test

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// inFlight lists operations still being built by another issue; they may
// answer 501 for now. Shrink it as they land; the test prints what remains.
var inFlight = map[string]bool{}

// TestEveryOperationImplemented: every operationId of the public spec has a
// handler, or is a dead vendor route (404 like the vendor), or is in flight.
func TestEveryOperationImplemented(t *testing.T) {
	impl := mock.ImplementedOperations()
	var missing, pending []string
	for _, op := range spec.Operations(publicDoc(t)) {
		t.Run(op.ID, func(t *testing.T) {
			switch {
			case op.Dead:
				if impl[op.ID] {
					t.Errorf("%s is a dead vendor route (x-c3d-dead) but has a handler", op.ID)
				}
			case impl[op.ID]:
			case inFlight[op.ID]:
				pending = append(pending, op.ID)
			default:
				missing = append(missing, op.ID)
				t.Errorf("%s %s (%s) has no handler: it answers 501", op.Method, op.Path, op.ID)
			}
		})
	}
	sort.Strings(pending)
	t.Logf("operations still allowed to answer 501 (in flight): %d %v", len(pending), pending)
	if len(missing) > 0 {
		t.Logf("unimplemented: %v", missing)
	}
}

// TestNo501 calls every non-dead operation once with a read-write key and
// a plausible path; none may answer 501.
func TestNo501(t *testing.T) {
	ts := newTestServer(t)
	for _, op := range spec.Operations(publicDoc(t)) {
		if op.Dead || inFlight[op.ID] || op.Scope == "none" {
			continue
		}
		path := strings.NewReplacer("{projectId}", "4460", "{versionId}", "7011", "{organizationId}", "12", "{sessionId}", "x",
			"{sceneId}", "2c2f0603-8f5c-4ff6-94ed-03542a4df34d", "{domainId}", "1").Replace(op.Path)
		for strings.Contains(path, "{") {
			i, j := strings.Index(path, "{"), strings.Index(path, "}")
			path = path[:i] + "1" + path[j+1:]
		}
		res := do(t, ts, request{method: op.Method, path: path, auth: keyReadWrite})
		if res.status == http.StatusNotImplemented {
			t.Errorf("%s %s (%s): 501 %s", op.Method, path, op.ID, res.body)
		}
	}
}

// TestDeadRoutes: the vendor's dead routes answer 404 (api.md §6.8).
func TestDeadRoutes(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"/v0/versions/7011/objectiveVersions/801/results", "/v0/versions/7011/objectiveVersions/801/stepResults"} {
		if res := do(t, ts, request{method: "GET", path: p, auth: keyReadWrite}); res.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.status)
		}
	}
}

// TestWritesRefused: every write of this surface is refused for a read-only
// key and for a key of another organization (403), and changes nothing.
func TestWritesRefused(t *testing.T) {
	ts := newTestServer(t)
	sid := sceneSessionID(t, ts, 7012)
	writes := []request{
		{method: "PUT", path: "/v0/projects/4460/sessions/" + sid + "/tags/junk", body: `{"value":true}`},
		{method: "POST", path: "/v0/projects/4460/remoteVariables", body: `{"name":"x","valueInt":1}`},
		{method: "PUT", path: "/v0/projects/4460/remoteVariables/41", body: `{"name":"x","valueInt":1}`},
		{method: "DELETE", path: "/v0/projects/4460/remoteVariables/43"},
		{method: "POST", path: "/v0/projects/4460/remoteConfigurations", body: `{"name":"x","remoteVariableId":41}`},
		{method: "PUT", path: "/v0/projects/4460/remoteConfigurations/7", body: `{"name":"x","remoteVariableId":41}`},
		{method: "DELETE", path: "/v0/projects/4460/remoteConfigurations/7"},
		{method: "POST", path: "/v0/projects/4460/abTests", body: `{"name":"x","remoteVariableId":42}`},
		{method: "PUT", path: "/v0/projects/4460/abTests/3", body: `{"name":"x","remoteVariableId":42}`},
		{method: "DELETE", path: "/v0/projects/4460/abTests/3"},
		{method: "POST", path: "/v0/projects/4460/widgets", body: `{"title":"x"}`},
		{method: "PUT", path: "/v0/projects/4460/widgets/291", body: `{"title":"x"}`},
		{method: "DELETE", path: "/v0/projects/4460/widgets/291"},
		{method: "POST", path: "/v0/projects/4460/dashboards", body: `{"title":"x"}`},
		{method: "PUT", path: "/v0/projects/4460/dashboards/13", body: `{"title":"x"}`},
		{method: "DELETE", path: "/v0/projects/4460/dashboards/13"},
		{method: "POST", path: "/v0/projects/4460/media?name=x", body: string(encodePNG(t)), contentType: "image/png"},
		{method: "DELETE", path: "/v0/projects/4460/media/189"},
		{method: "POST", path: "/v0/projects/4460/reviews", body: multipartReviews(t, "rating,review\n5,great\n"), contentType: multipartType},
		{method: "POST", path: "/v0/versions/7012/sessions/" + sid + "/reportEmails", body: `{"recipients":["a@example.com"]}`},
		{method: "POST", path: "/v0/versions/7011/objectives", body: `{"name":"x"}`},
		{method: "POST", path: "/v0/versions/7011/objectives/268/versions", body: `{"objectiveComponents":[]}`},
		{method: "DELETE", path: "/v0/versions/7011/objectives/268"},
	}
	before := snapshot(t, ts)
	for _, w := range writes {
		for _, key := range []string{keyReadOnly, keyOther} {
			rq := w
			rq.auth = key
			if res := do(t, ts, rq); res.status != http.StatusForbidden {
				t.Errorf("%s %s with %s: %d, want 403: %s", w.method, w.path, key, res.status, res.body)
			}
		}
	}
	if after := snapshot(t, ts); after != before {
		t.Errorf("refused writes changed state:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot reads the resources the writes above would change.
func snapshot(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{"remoteVariables", "remoteConfigurations", "abTests", "widgets", "dashboards", "media", "reviews", "objectives"} {
		b.Write(do(t, srv, request{method: "GET", path: "/v0/projects/4460/" + p, auth: keyReadWrite}).body)
	}
	b.Write(do(t, srv, request{method: "GET", path: "/__c3dmock/reportEmails"}).body)
	return b.String()
}
