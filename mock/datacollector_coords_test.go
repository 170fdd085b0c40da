package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestDataCollectorEventPositionsExact ingests event positions that are not
// short decimals (the compact form's fallback) next to ones that are, and
// checks that the session list writes every coordinate exactly as sent.
func TestDataCollectorEventPositionsExact(t *testing.T) {
	data, public := newDataServers(t, 0)
	points := [][3]float64{
		{1.5, 2.25, -3}, // short decimals
		{0.30000000000000004, 1e21, -0.000123456789}, // not short decimals
		{123456.789, -2.5e-9, 4.0000001},             // out of range, tiny, too many decimals
	}
	var evs []string
	for i, p := range points {
		pt, _ := json.Marshal(p)
		evs = append(evs, fmt.Sprintf(`{"name":"probe","time":%d,"point":%s}`, 1793530801+i, pt))
	}
	body := fmt.Sprintf(`{"userid":"d","timestamp":1793530800,"sessionid":%q,"part":1,"data":[%s]}`, sdkSession, strings.Join(evs, ","))
	res := do(t, data, request{method: "POST", path: "/v0/events/" + sceneDemo + "?version=2", auth: keyApp, body: body})
	mustStatus(t, res, http.StatusOK, "POST events")

	filter := `{"op":"eq","field":{"fieldName":"sessionId","fieldParent":"session"},"value":"` + sdkSession + `"}`
	list := post(t, public, "/v0/datasets/sessions/paginatedListQueries", listBody(`,"includeEvents":true`, filter, 0, 10))
	mustOK(t, list, "paginatedListQueries")
	for _, p := range points {
		x, _ := json.Marshal(p[0])
		y, _ := json.Marshal(p[1])
		z, _ := json.Marshal(p[2])
		want := fmt.Sprintf(`"x":%s,"y":%s,"z":%s`, x, y, z)
		if !strings.Contains(string(list.body), want) {
			t.Errorf("session list lacks %s: %s", want, list.body)
		}
	}
}
