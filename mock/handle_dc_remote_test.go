package mock_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
)

// TestRemoteVariablesFollowPublicConfiguration changes remote configuration
// through the public API and reads what an SDK gets from the Data Collector.
func TestRemoteVariablesFollowPublicConfiguration(t *testing.T) {
	data, public := newDataServers(t, 0)
	get := func(identifier string) map[string]any {
		res := do(t, data, request{method: "GET", path: "/v0/remotevariables?identifier=" + identifier, auth: keyApp})
		mustStatus(t, res, http.StatusOK, "GET /v0/remotevariables")
		return res.json(t)
	}
	names := func(list any) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, it := range list.([]any) {
			m := it.(map[string]any)
			out[m["name"].(string)] = m
		}
		return out
	}
	first := get("participant-1")
	cfg := names(first["remoteConfigurations"])["long-headlamp"]
	if cfg == nil || cfg["remoteVariableName"] != "HeadlampRange" {
		t.Fatalf("enabled configuration long-headlamp missing: %v", first)
	}
	if names(first["abTests"])["difficulty-test"] == nil {
		t.Fatalf("enabled A/B test difficulty-test missing: %v", first)
	}
	// The same participant always lands in the same arm.
	again := get("participant-1")
	a, _ := json.Marshal(first["abTests"])
	b, _ := json.Marshal(again["abTests"])
	if string(a) != string(b) {
		t.Errorf("A/B arm changed between calls: %s vs %s", a, b)
	}
	// Participants spread over the arms.
	arms := map[string]bool{}
	for i := 0; i < 60; i++ {
		v, _ := json.Marshal(names(get("p" + strconv.Itoa(i))["abTests"])["difficulty-test"])
		arms[string(v)] = true
	}
	if len(arms) < 2 {
		t.Errorf("60 participants all got the same A/B arm: %v", arms)
	}
	// Disabling the configuration through the public API removes it for SDKs.
	list := do(t, public, request{method: "GET", path: "/v0/projects/4460/remoteConfigurations", auth: keyReadWrite}).list(t)
	var id string
	for _, c := range list {
		if m := c.(map[string]any); m["name"] == "long-headlamp" {
			id = string(m["id"].(json.Number))
		}
	}
	res := do(t, public, request{method: "DELETE", path: "/v0/projects/4460/remoteConfigurations/" + id, auth: keyReadWrite})
	mustStatus(t, res, http.StatusNoContent, "delete configuration")
	if names(get("participant-1")["remoteConfigurations"])["long-headlamp"] != nil {
		t.Error("deleted configuration still served to the SDK")
	}
}
