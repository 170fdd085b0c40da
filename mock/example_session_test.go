package mock_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/c3dmock/c3dmock/mock/store"
)

// The spec's example session id reaches a live session of version 7012 in any
// world (sessions follow --now), until an SDK uploads a session of that very id.
func TestExampleSessionStandsIn(t *testing.T) {
	if store.ExampleSessionID != specSession {
		t.Fatalf("mock.ExampleSessionID %s, the spec's example session is %s", store.ExampleSessionID, specSession)
	}
	data, public := newDataServers(t, 0)
	live := sceneSessionID(t, public, 7012)
	single := func(projectID int) response {
		return post(t, public, "/v0/datasets/sessions/singleQueries", `{"projectId":`+strconv.Itoa(projectID)+`,"sessionId":"`+specSession+`","versionId":7012}`)
	}
	res := single(4460)
	mustOK(t, res, "singleQueries with the example session")
	if got := res.json(t)["sessionId"]; got != live {
		t.Errorf("example session stands for %v, want the newest session of version 7012, %s", got, live)
	}
	// Only in project 4460.
	if res := do(t, public, request{method: "POST", path: "/v0/datasets/sessions/singleQueries", auth: keyOther,
		body: `{"projectId":2797,"sessionId":"` + specSession + `"}`}); res.status != http.StatusNotFound {
		t.Errorf("example session in project 2797: %d, want 404: %s", res.status, res.body)
	}
	// An upload with the example id starts its own session; from then on the id names it.
	up := do(t, data, request{method: "POST", path: "/v0/gaze/" + sceneDemo + "?version=2", auth: keyApp,
		body: `{"userid":"u","timestamp":1773998824,"sessionid":"` + specSession + `","part":1,"data":[{"time":1773998825,"p":[0,0,0],"r":[0,0,0,1]}]}`})
	mustStatus(t, up, http.StatusOK, "gaze upload with the example session id")
	res = single(4460)
	mustOK(t, res, "singleQueries after the upload")
	if got := res.json(t)["sessionId"]; got != specSession {
		t.Errorf("after an upload the example id names %v, want the uploaded session", got)
	}
}
