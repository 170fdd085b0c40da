package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestQuestionSetsByProjectIsKeyedByNameVersion(t *testing.T) {
	ts := newTestServer(t)
	res := do(t, ts, request{method: "GET", path: "/v0/questionSets?projectIds=4460", auth: keyReadWrite})
	mustOK(t, res, "GET /v0/questionSets")
	m := res.json(t)
	if len(m) == 0 {
		t.Fatal("project 4460 has no question sets")
	}
	want := vendorFixture(t, "python-client/questionsets.json").(map[string]any)["survey:1"].(map[string]any)
	for key, v := range m {
		qs := v.(map[string]any)
		if want := fmt.Sprintf("%s:%s", qs["name"], qs["version"]); key != want || qs["id"] != key {
			t.Errorf("key %s: id %v, name:version %s", key, qs["id"], want)
		}
		if missing := missingKeys(qs, want); len(missing) > 0 {
			t.Errorf("%s lacks %v (PY questionsets.json)", key, missing)
		}
	}
}

func TestExitPollCountsMatchStoredAnswers(t *testing.T) {
	ts := newTestServer(t)
	sets := do(t, ts, request{method: "GET", path: "/v0/questionSets?projectIds=4460", auth: keyReadWrite}).json(t)
	answered := 0
	for _, v := range sets {
		qs := v.(map[string]any)
		name, ver := qs["name"].(string), qs["version"].(json.Number).String()
		base := "/v0/projects/4460/questionSets/" + name + "/" + ver
		var counts [][]struct {
			Count   int     `json:"count"`
			Skipped bool    `json:"skipped"`
			Value   *string `json:"value"`
		}
		res := post(t, ts, base+"/responseCountQueries", `{"sessionFilters":[]}`)
		mustOK(t, res, "responseCountQueries")
		if err := json.Unmarshal(res.body, &counts); err != nil {
			t.Fatal(err)
		}
		if len(counts) != len(qs["questions"].([]any)) {
			t.Errorf("%s: %d count arrays for %d questions", base, len(counts), len(qs["questions"].([]any)))
		}
		var dump []map[string]any
		res = post(t, ts, base+"/responseDumps", `{"sessionFilters":[]}`)
		mustOK(t, res, "responseDumps")
		json.Unmarshal(res.body, &dump)
		perQuestion := map[int]map[string]int{}
		for _, row := range dump {
			qi := int(row["questionIndex"].(float64))
			if perQuestion[qi] == nil {
				perQuestion[qi] = map[string]int{}
			}
			v := "skipped"
			if s, ok := row["value"].(string); ok {
				v = s
				if row["type"] == "VOICE" { // recordings are counted under "0", which clients label "Responded"
					if !strings.HasPrefix(s, "UklGR") { // base64 of "RIFF": a WAV recording
						t.Errorf("%s: VOICE response value %.20q is not a recording", base, s)
					}
					v = "0"
				}
			}
			perQuestion[qi][v]++
		}
		for qi, list := range counts {
			for _, c := range list {
				v := "skipped"
				if c.Value != nil {
					v = *c.Value
				}
				if c.Skipped != (c.Value == nil) {
					t.Errorf("%s q%d: skipped %v with value %v", base, qi, c.Skipped, c.Value)
				}
				if perQuestion[qi][v] != c.Count {
					t.Errorf("%s q%d value %s: count %d, %d stored answers", base, qi, v, c.Count, perQuestion[qi][v])
				}
				answered += c.Count
			}
		}
		page := do(t, ts, request{method: "GET", path: base + "/responses?limit=5&page=0&orderBy=createdAt&sort=DESC&search=archived:false", auth: keyReadWrite})
		mustOK(t, page, "listQuestionSetResponses")
		var p struct {
			Count   int              `json:"count"`
			Pages   int              `json:"pages"`
			Results []map[string]any `json:"results"`
		}
		json.Unmarshal(page.body, &p)
		if p.Count != len(dump) || len(p.Results) > 5 || p.Pages != (p.Count+4)/5 {
			t.Errorf("%s responses: count %d pages %d results %d; dump has %d", base, p.Count, p.Pages, len(p.Results), len(dump))
		}
		filtered := post(t, ts, base+"/responseCountQueries", `{"sessionFilters":[{"op":"and","children":[`+tagExclusions+`]}]}`)
		mustOK(t, filtered, "responseCountQueries filtered")
	}
	if answered == 0 {
		t.Error("no ExitPoll answers stored for project 4460")
	}
	if res := post(t, ts, "/v0/projects/4460/questionSets/nope/1/responseCountQueries", `{"sessionFilters":[]}`); res.status != http.StatusNotFound {
		t.Errorf("unknown question set: status %d, want 404", res.status)
	}
}

func TestArchiveQuestionSetHidesIt(t *testing.T) {
	ts := newTestServer(t)
	list := do(t, ts, request{method: "GET", path: "/v0/projects/4460/questionSets", auth: keyReadWrite})
	mustOK(t, list, "listProjectQuestionSets")
	l := list.list(t)
	if len(l) == 0 {
		t.Fatal("no question sets")
	}
	name := l[0].(map[string]any)["name"].(string)
	versions := do(t, ts, request{method: "GET", path: "/v0/projects/4460/questionSets/" + name, auth: keyReadWrite})
	mustOK(t, versions, "getQuestionSetVersions")
	if ro := do(t, ts, request{method: "DELETE", path: "/v0/projects/4460/questionSets/" + name, auth: keyReadOnly}); ro.status != http.StatusForbidden {
		t.Errorf("DELETE with a read-only key: status %d, want 403", ro.status)
	}
	if del := do(t, ts, request{method: "DELETE", path: "/v0/projects/4460/questionSets/" + name, auth: keyReadWrite}); del.status != http.StatusNoContent {
		t.Fatalf("DELETE: status %d: %s", del.status, del.body)
	}
	for _, v := range do(t, ts, request{method: "GET", path: "/v0/projects/4460/questionSets", auth: keyReadWrite}).list(t) {
		if v.(map[string]any)["name"] == name {
			t.Errorf("%s still listed after archiving", name)
		}
	}
	for k, v := range do(t, ts, request{method: "GET", path: "/v0/questionSets?projectIds=4460", auth: keyReadWrite}).json(t) {
		if v.(map[string]any)["name"] == name {
			t.Errorf("%s still in GET /v0/questionSets after archiving", k)
		}
	}
	for _, v := range do(t, ts, request{method: "GET", path: "/v0/projects/4460/questionSets/" + name, auth: keyReadWrite}).list(t) {
		if s := v.(map[string]any)["status"]; s != "archived" {
			t.Errorf("archived version has status %v", s)
		}
	}
}
