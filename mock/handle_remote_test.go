package mock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// crud runs create → get → list → update → get → delete → get on one
// resource collection and checks conflicts and not-found answers.
type crudCase struct {
	name, collection       string
	create, dup, update    string
	wantField, wantUpdated string // a JSON fragment in the created and the updated body
}

func runCRUD(t *testing.T, c crudCase) {
	ts := newTestServer(t)
	base := "/v0/projects/4460/" + c.collection
	res := do(t, ts, request{method: "POST", path: base, auth: keyReadWrite, body: c.create})
	if res.status != http.StatusCreated || !strings.Contains(string(res.body), c.wantField) {
		t.Fatalf("create: %d %s, want 201 with %s", res.status, res.body, c.wantField)
	}
	id := fmt.Sprint(res.json(t)["id"])
	item := base + "/" + id
	if got := do(t, ts, request{method: "GET", path: item, auth: keyReadOnly}); got.status != http.StatusOK || !strings.Contains(string(got.body), c.wantField) {
		t.Errorf("get after create: %d %s", got.status, got.body)
	}
	if got := do(t, ts, request{method: "GET", path: base, auth: keyReadOnly}); !strings.Contains(string(got.body), `"id":`+id) {
		t.Errorf("list does not show %s: %s", id, got.body)
	}
	if got := do(t, ts, request{method: "POST", path: base, auth: keyReadWrite, body: c.dup}); got.status != http.StatusConflict {
		t.Errorf("duplicate create: %d %s, want 409", got.status, got.body)
	}
	if got := do(t, ts, request{method: "PUT", path: item, auth: keyReadWrite, body: c.update}); got.status != http.StatusOK || !strings.Contains(string(got.body), c.wantUpdated) {
		t.Errorf("update: %d %s, want 200 with %s", got.status, got.body, c.wantUpdated)
	}
	if got := do(t, ts, request{method: "GET", path: item, auth: keyReadWrite}); !strings.Contains(string(got.body), c.wantUpdated) {
		t.Errorf("get after update: %s", got.body)
	}
	if got := do(t, ts, request{method: "DELETE", path: item, auth: keyReadWrite}); got.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", got.status, got.body)
	}
	got := do(t, ts, request{method: "GET", path: item, auth: keyReadWrite})
	if got.status != http.StatusNotFound || !strings.Contains(string(got.body), id) {
		t.Errorf("get after delete: %d %s, want 404 naming %s", got.status, got.body, id)
	}
	if got := do(t, ts, request{method: "PUT", path: item, auth: keyReadWrite, body: c.update}); got.status != http.StatusNotFound {
		t.Errorf("update after delete: %d, want 404", got.status)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/4461/" + c.collection + "/" + id, auth: keyReadWrite}); got.status != http.StatusNotFound {
		t.Errorf("get through another project: %d, want 404", got.status)
	}
}

func TestRemoteCRUD(t *testing.T) {
	for _, c := range []crudCase{
		{"remote variable", "remoteVariables", `{"name":"MaxEnemies","valueInt":4}`, `{"name":"maxenemies","valueString":"x"}`,
			`{"name":"MaxEnemies","valueBoolean":true}`, `"type":"int","valueInt":4`, `"type":"boolean","valueBoolean":true`},
		{"remote configuration", "remoteConfigurations", `{"name":"brighter","description":"d","remoteVariableId":41,"overrideValueInt":80}`,
			`{"name":"Brighter","remoteVariableId":41}`, `{"name":"brighter","remoteVariableId":41,"enabled":false,"overrideValueInt":90}`,
			`"overrideValueInt":80`, `"enabled":false,"overrideValueInt":90`},
		{"A/B test", "abTests", `{"name":"ab","remoteVariableId":42,"remoteVariableProbability":33,"isEnabled":true,"isSticky":"true","abTestVariables":[{"valueString":"Hard","probability":33}]}`,
			`{"name":"AB","remoteVariableId":42}`, `{"name":"ab","remoteVariableId":42,"isSticky":false,"abTestVariables":[]}`,
			`"isSticky":true`, `"isSticky":false,"abTestVariables":[]`},
	} {
		t.Run(c.name, func(t *testing.T) { runCRUD(t, c) })
	}
}

func TestRemoteRules(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, method, path, body string
		want                     int
		wantIn                   string
	}{
		{"no value", "POST", "/v0/projects/4460/remoteVariables", `{"name":"a"}`, 400, "valueString"},
		{"two values", "POST", "/v0/projects/4460/remoteVariables", `{"name":"a","valueInt":1,"valueString":"b"}`, 400, "only one"},
		{"override of the wrong type", "POST", "/v0/projects/4460/remoteConfigurations", `{"name":"a","remoteVariableId":41,"overrideValueString":"x"}`, 400, "int"},
		{"unknown variable", "POST", "/v0/projects/4460/remoteConfigurations", `{"name":"a","remoteVariableId":999}`, 404, "remote variable 999"},
		{"variable of another project", "POST", "/v0/projects/4460/abTests", `{"name":"a","remoteVariableId":51}`, 404, "remote variable 51"},
		{"shares over 100", "POST", "/v0/projects/4460/abTests", `{"name":"a","remoteVariableId":42,"remoteVariableProbability":80,"abTestVariables":[{"valueString":"x","probability":30}]}`, 400, "110"},
		{"alternative of the wrong type", "POST", "/v0/projects/4460/abTests", `{"name":"a","remoteVariableId":42,"abTestVariables":[{"valueInt":3,"probability":30}]}`, 400, "string"},
		{"variable in use", "DELETE", "/v0/projects/4460/remoteVariables/41", "", 409, "long-headlamp"},
		{"type change while in use", "PUT", "/v0/projects/4460/remoteVariables/42", `{"name":"LevelTwoDifficulty","valueInt":2}`, 409, "difficulty-test"},
		{"JSON route refuses other types", "POST", "/v0/projects/4460/remoteVariables", `name=a`, 415, "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rq := request{method: tt.method, path: tt.path, auth: keyReadWrite, body: tt.body}
			if tt.want == 415 {
				rq.contentType = "application/x-www-form-urlencoded"
			}
			res := do(t, ts, rq)
			if res.status != tt.want || !strings.Contains(string(res.body), tt.wantIn) {
				t.Errorf("%s %s: %d %s, want %d mentioning %q", tt.method, tt.path, res.status, res.body, tt.want, tt.wantIn)
			}
		})
	}
	list := do(t, ts, request{method: "GET", path: "/v0/projects/4460/remoteVariables", auth: keyReadOnly})
	if !strings.Contains(string(list.body), `"name":"HeadlampRange","type":"int","valueInt":25`) {
		t.Errorf("seeded variables: %s", list.body)
	}
}
