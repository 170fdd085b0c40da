package mock_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// androidBoundary is a boundary batch as the vendor's Android (Kotlin) SDK
// builds it (api.md appendix "third research pass" §1): the session start is
// the top-level "time", there is no "timestamp".
func androidBoundary(sessionID string, start float64) string {
	b, _ := json.Marshal(map[string]any{
		"userid": "a1b2c3d4e5f6", "time": start, "sessionid": sessionID, "part": 1, "formatversion": "1.0",
		"data":   []any{map[string]any{"time": start + 5, "p": []float64{0, 1.6, 0}, "r": []float64{0, 0, 0, 1}}},
		"shapes": []any{map[string]any{"time": start + 5, "points": [][]float64{{0, 0, 0}, {2, 0, 0}, {2, 0, 2}, {0, 0, 2}}}},
	})
	return string(b)
}

func TestDataCollectorAndroidBoundaryTime(t *testing.T) {
	data, public := newDataServers(t, 0)
	// A session id whose prefix is not its start: the start must come from "time".
	const sid = "android_a1b2c3d4e5f6"
	const start = 1793527200.0 // testNow - 2h
	res := do(t, data, request{method: "POST", path: "/v0/boundary/" + sceneDemo + "?version=2", auth: keyApp, body: androidBoundary(sid, start)})
	mustStatus(t, res, http.StatusOK, "Android boundary batch with time")
	if strings.TrimSpace(string(res.body)) != `{"status":"ok","received":true}` {
		t.Errorf("body %s", res.body)
	}

	filter := `{"op":"eq","field":{"fieldName":"sessionId","fieldParent":"session"},"value":"` + sid + `"}`
	list := decodePage(t, post(t, public, "/v0/datasets/sessions/paginatedListQueries", listBody(``, filter, 0, 10)))
	if list.Count != 1 {
		t.Fatalf("Android session listed %d times, want 1", list.Count)
	}
	row := list.Results[0]
	if row["startTime"] != start*1000 || row["hasBoundary"] != true {
		t.Errorf("startTime %v hasBoundary %v, want %v and true", row["startTime"], row["hasBoundary"], start*1000)
	}

	// What was sent is kept: the boundary stream serves the uploaded datum and shape.
	raw := post(t, public, "/v0/projects/4460/sessions/"+sid+"/jsonRequests", `{"sessionId":"`+sid+`","jsonType":"BOUNDARY"}`)
	mustOK(t, raw, "jsonRequests BOUNDARY")
	var doc struct {
		Data struct {
			Boundary []map[string]any `json:"boundary"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw.body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Data.Boundary) != 2 || !strings.Contains(string(raw.body), `[2,0,2]`) {
		t.Errorf("boundary stream: %s", raw.body)
	}

	// Unity/Unreal's "timestamp" still works, and a batch with neither is a 400 naming both.
	res = do(t, data, request{method: "POST", path: "/v0/boundary/" + sceneDemo + "?version=2", auth: keyApp,
		body: strings.Replace(androidBoundary("1793527200_unity", start), `"time":1793527200,`, `"timestamp":1793527200,`, 1)})
	mustStatus(t, res, http.StatusOK, "boundary batch with timestamp")
	res = do(t, data, request{method: "POST", path: "/v0/boundary/" + sceneDemo + "?version=2", auth: keyApp,
		body: strings.Replace(androidBoundary(sid, start), `"time":1793527200,`, ``, 1)})
	if e := res.json(t); res.status != http.StatusBadRequest || e["field"] != "/timestamp" || e["rule"] != "required" ||
		!strings.Contains(e["message"].(string), "timestamp or time") {
		t.Errorf("boundary batch without timestamp or time: %d %s", res.status, res.body)
	}
}
