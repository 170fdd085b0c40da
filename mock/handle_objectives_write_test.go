package mock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestObjectiveWrites(t *testing.T) {
	ts := newTestServer(t)
	res := do(t, ts, request{method: "POST", path: "/v0/versions/7012/objectives", auth: keyReadWrite, body: `{"name":"Lockout Tagout","enabled":true,
		"objectiveComponents":[{"sequenceNumber":2,"type":"gazestep","name":"Look","dynamicObjectIds":["obj"],"isStep":true},
		{"sequenceNumber":1,"type":"eventstep","name":"Grab","eventName":"object.grabbed","occurrenceOperator":"gte","occurrenceValue":1,"isStep":true}]}`})
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	o := res.json(t)
	id := fmt.Sprint(o["id"])
	if fmt.Sprint(o["projectId"]) != "4460" || fmt.Sprint(o["sceneVersionId"]) != "7012" || !strings.Contains(string(res.body), `"sequenceNumber":1,"type":"eventstep"`) {
		t.Errorf("created objective: %s", res.body)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/4460/objectives/" + id, auth: keyReadOnly}); got.status != http.StatusOK {
		t.Errorf("project read of the new objective: %d", got.status)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/versions/7013/objectives/" + id, auth: keyReadOnly}); got.status != http.StatusOK {
		t.Errorf("read through another version of the project: %d", got.status)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/versions/7015/objectives/" + id, auth: keyReadOnly}); got.status != http.StatusNotFound {
		t.Errorf("read through another project's version: %d, want 404", got.status)
	}
	if got := do(t, ts, request{method: "POST", path: "/v0/versions/7012/objectives", auth: keyReadWrite, body: `{"name":"lockout tagout"}`}); got.status != http.StatusConflict {
		t.Errorf("duplicate name: %d, want 409", got.status)
	}
	v := do(t, ts, request{method: "POST", path: "/v0/versions/7012/objectives/" + id + "/versions", auth: keyReadWrite, body: `{"objectiveComponents":[{"sequenceNumber":1,"type":"fixationstep","isStep":true}]}`})
	if v.status != http.StatusCreated || v.json(t)["isActive"] != true {
		t.Fatalf("new version: %d %s", v.status, v.body)
	}
	got := do(t, ts, request{method: "GET", path: "/v0/versions/7012/objectives/" + id, auth: keyReadOnly})
	if n := strings.Count(string(got.body), `"isActive":true`); n != 1 || strings.Count(string(got.body), `"isActive":`) != 2 {
		t.Errorf("after a new active version: %s, want two versions, one active", got.body)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"objectiveComponents":[{"sequenceNumber":1,"type":"bogus"}]}`, "bogus"},
		{`{"objectiveComponents":[{"sequenceNumber":1,"type":"eventstep"},{"sequenceNumber":1,"type":"gazestep"}]}`, "sequenceNumber 1"},
	} {
		if res := do(t, ts, request{method: "POST", path: "/v0/versions/7012/objectives/" + id + "/versions", auth: keyReadWrite, body: bad.body}); res.status != 400 || !strings.Contains(string(res.body), bad.want) {
			t.Errorf("%s: %d %s", bad.body, res.status, res.body)
		}
	}
	if got := do(t, ts, request{method: "DELETE", path: "/v0/versions/7012/objectives/" + id, auth: keyReadWrite}); got.status != http.StatusNoContent {
		t.Fatalf("delete: %d", got.status)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/4460/objectives/" + id, auth: keyReadOnly}); got.status != http.StatusNotFound {
		t.Errorf("after delete: %d, want 404", got.status)
	}
	if got := do(t, ts, request{method: "POST", path: "/v0/versions/7012/objectives/" + id + "/versions", auth: keyReadWrite, body: `{"objectiveComponents":[]}`}); got.status != http.StatusNotFound || !strings.Contains(string(got.body), "objective "+id) {
		t.Errorf("version of a deleted objective: %d %s", got.status, got.body)
	}
}
