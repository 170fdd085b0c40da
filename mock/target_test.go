package mock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestScopeBypassesRefused replays the requests of issue 11 that read another
// organization's data, and the rules that stop them: every location is
// checked, repeated and comma-listed values included, and locations that must
// name one target agree.
func TestScopeBypassesRefused(t *testing.T) {
	data, public := newDataServers(t, 0)
	foreign := foreignSession(t, 2797)
	cases := []struct {
		name     string
		rq       request
		status   int
		contains string
	}{
		{"read-only key names another organization beside its own project",
			request{method: "POST", path: "/v0/datasets/sessions/participantSessionsQueries", auth: keyReadOnly,
				body: `{"projectId":4460,"organizationId":76,"participantId":"47861361960583791"}`},
			http.StatusForbidden, "organization 76"},
		{"entityFilters names our project, projectId another organization's",
			request{method: "POST", path: "/v0/datasets/sessions/multiQueries", auth: keyReadWrite,
				body: fmt.Sprintf(`{"entityFilters":{"projectId":4460},"projectId":2797,"sdkSessionIds":[%q]}`, foreign)},
			http.StatusForbidden, "project 2797"},
		{"repeated projectIds",
			request{method: "GET", path: "/v0/questionSets?projectIds=4460&projectIds=2797", auth: keyReadWrite},
			http.StatusForbidden, "project 2797"},
		{"comma-listed projectIds",
			request{method: "GET", path: "/v0/questionSets?projectIds=4460,2797", auth: keyReadWrite},
			http.StatusForbidden, "project 2797"},
		{"a tag on another organization's project",
			request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: `{"title":"x","projectIds":[4460,"2797"]}`},
			http.StatusForbidden, "organization 76"},
		{"two of our own projects where the operation needs one",
			request{method: "POST", path: "/v0/datasets/sessions/slicerQueries", auth: keyReadWrite,
				body: `{"sessionType":"scene","entityFilters":{"projectId":4460,"sceneId":"5b0a9d6e-1f3c-4e87-9b2d-7a4c6e8f0d13"},"slices":[]}`},
			http.StatusBadRequest, "targetsAgree"},
		{"one location repeated where the operation needs one",
			request{method: "GET", path: "/v0/versions/7012/sessions/x/report.pdf?projectId=4460&projectId=4461", auth: keyReadWrite},
			http.StatusBadRequest, "oneTarget"},
		{"a session of another organization inside our project",
			request{method: "POST", path: "/v0/datasets/sessions/singleProjectSessionQueries", auth: keyReadWrite,
				body: fmt.Sprintf(`{"projectId":4460,"sessionId":%q}`, foreign)},
			http.StatusNotFound, "not found in project 4460"},
	}
	for _, c := range cases {
		res := do(t, public, c.rq)
		if res.status != c.status || !strings.Contains(string(res.body), c.contains) {
			t.Errorf("%s: %s %s → %d %s, want %d naming %q", c.name, c.rq.method, c.rq.path, res.status, res.body, c.status, c.contains)
		}
	}
	// Still allowed: several of one's own projects where the operation lists many.
	if res := do(t, public, request{method: "GET", path: "/v0/questionSets?projectIds=4460&projectIds=4461", auth: keyReadOnly}); res.status != http.StatusOK {
		t.Errorf("projectIds of two own projects: %d %s", res.status, res.body)
	}

	// Credential kinds come from the spec: the Data Collector declares keys
	// only, so the dashboard cookie cannot read the application key's secret.
	cookie, csrf := loginAs(t, public, "admin@demo.example")
	res := do(t, data, request{method: "GET", path: "/v0/applicationKey", cookie: cookie, header: map[string]string{"c3d-csrf": csrf}})
	if res.status != http.StatusUnauthorized || strings.Contains(string(res.body), "demo-app-key") {
		t.Errorf("GET /v0/applicationKey with a dashboard cookie: %d %s, want 401", res.status, res.body)
	}
	if res := do(t, data, request{method: "GET", path: "/v0/applicationKey", auth: keyDeveloper}); res.status != http.StatusOK {
		t.Errorf("GET /v0/applicationKey with the developer key: %d %s", res.status, res.body)
	}
}
