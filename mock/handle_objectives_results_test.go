package mock_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

func objectiveBody(extra string) string {
	return `{"projectId":4460,"sessionFilters":[` + tagExclusions + `],"eventFilters":[],"separableEventFilters":[],"userFilters":[]` + extra + `}`
}

type counts struct {
	ObjectiveVersionID *int64 `json:"objectiveVersionId"`
	ObjectiveID        *int64 `json:"objectiveId"`
	Succeeded          int    `json:"succeeded"`
	Failed             int    `json:"failed"`
}

type stepRow struct {
	Step                      int      `json:"step"`
	Succeeded                 int      `json:"succeeded"`
	Failed                    int      `json:"failed"`
	AverageStepCompletionTime *float64 `json:"averageStepCompletionTime"`
	AverageStepDuration       *float64 `json:"averageStepDuration"`
}

func TestObjectiveResultsAgreeWithSessions(t *testing.T) {
	ts := newTestServer(t)
	// Sessions carrying each objective version's results, from the list route.
	p := decodePage(t, post(t, ts, "/v0/datasets/sessions/paginatedListQueries", listBody(`,"includeAllObjectiveData":true`, tagExclusions, 0, 500)))
	attempted := map[string]int{}
	for _, r := range p.Results {
		for id := range r["objectiveResults"].(map[string]any) {
			attempted[id]++
		}
	}
	if len(attempted) == 0 {
		t.Fatal("no session of project 4460 has objective results")
	}

	var byVersion []counts
	res := post(t, ts, "/v0/datasets/objectives/objectiveResultQueries", objectiveBody(`,"sliceByObjectiveVersion":true`))
	mustOK(t, res, "objectiveResultQueries by version")
	if err := json.Unmarshal(res.body, &byVersion); err != nil {
		t.Fatal(err)
	}
	var sumS, sumF int
	for _, c := range byVersion {
		id := fmt.Sprint(*c.ObjectiveVersionID)
		if c.ObjectiveID == nil {
			t.Errorf("version %s: no objectiveId (the Python fixture has one)", id)
		}
		if c.Succeeded+c.Failed != attempted[id] {
			t.Errorf("version %s: succeeded+failed = %d, %d sessions carry its results", id, c.Succeeded+c.Failed, attempted[id])
		}
		sumS, sumF = sumS+c.Succeeded, sumF+c.Failed
	}
	if len(byVersion) != len(attempted) {
		t.Errorf("%d versions in the answer, %d attempted", len(byVersion), len(attempted))
	}

	var total counts
	res = post(t, ts, "/v0/datasets/objectives/objectiveResultQueries", objectiveBody(""))
	mustOK(t, res, "objectiveResultQueries unsliced")
	json.Unmarshal(res.body, &total)
	if total.Succeeded != sumS || total.Failed != sumF {
		t.Errorf("unsliced %+v, versions sum to {%d %d}", total, sumS, sumF)
	}
	var byObjective []counts
	res = post(t, ts, "/v0/datasets/objectives/objectiveResultQueries", objectiveBody(`,"sliceByObjective":true`))
	mustOK(t, res, "objectiveResultQueries by objective")
	json.Unmarshal(res.body, &byObjective)
	s, f := 0, 0
	for _, c := range byObjective {
		if c.ObjectiveID == nil || c.ObjectiveVersionID != nil {
			t.Errorf("sliceByObjective row %+v: want objectiveId only", c)
		}
		s, f = s+c.Succeeded, f+c.Failed
	}
	if s != sumS || f != sumF {
		t.Errorf("by objective sums to {%d %d}, by version {%d %d}", s, f, sumS, sumF)
	}

	// Steps: keyed by version (Python) and flat per version (R) agree, and
	// every step counts every attempt; the last step's successes are the
	// version's successes.
	var keyed map[string][]stepRow
	res = post(t, ts, "/v0/datasets/objectives/objectiveStepResultQueries", objectiveBody(`,"sliceByObjectiveVersion":true`))
	mustOK(t, res, "objectiveStepResultQueries keyed")
	if err := json.Unmarshal(res.body, &keyed); err != nil {
		t.Fatalf("keyed step results: %v: %s", err, res.body)
	}
	for _, c := range byVersion {
		id := fmt.Sprint(*c.ObjectiveVersionID)
		steps := keyed[id]
		var flat []stepRow
		res := post(t, ts, "/v0/datasets/objectives/objectiveStepResultQueries", objectiveBody(`,"objectiveVersionId":`+id))
		mustOK(t, res, "objectiveStepResultQueries flat")
		if err := json.Unmarshal(res.body, &flat); err != nil {
			t.Fatalf("flat step results for %s: %v: %s", id, err, res.body)
		}
		if !slices.EqualFunc(steps, flat, func(a, b stepRow) bool { return a.Step == b.Step && a.Succeeded == b.Succeeded && a.Failed == b.Failed }) {
			t.Errorf("version %s: keyed steps %+v differ from flat %+v", id, steps, flat)
		}
		for _, st := range steps {
			if st.Succeeded+st.Failed != attempted[id] {
				t.Errorf("version %s step %d: %d+%d, want %d attempts", id, st.Step, st.Succeeded, st.Failed, attempted[id])
			}
			if (st.Succeeded > 0) != (st.AverageStepDuration != nil) {
				t.Errorf("version %s step %d: averages %v with %d successes", id, st.Step, st.AverageStepDuration, st.Succeeded)
			}
		}
		if n := len(steps); n > 0 && steps[n-1].Succeeded != c.Succeeded {
			t.Errorf("version %s: last step succeeded %d, objective succeeded %d", id, steps[n-1].Succeeded, c.Succeeded)
		}
	}
}

func TestObjectiveShapesMatchClientFixtures(t *testing.T) {
	ts := newTestServer(t)
	py := vendorFixture(t, "python-client/objective_results.json").([]any)[0].(map[string]any)
	res := post(t, ts, "/v0/datasets/objectives/objectiveResultQueries", objectiveBody(`,"sliceByObjectiveVersion":true`))
	l := res.list(t)
	if len(l) == 0 {
		t.Fatal("no objective results")
	}
	if m := missingKeys(l[0].(map[string]any), py); len(m) > 0 {
		t.Errorf("sliceByObjectiveVersion row lacks %v (PY objective_results.json)", m)
	}
	r := vendorFixture(t, "r-client/objective_results_by_objective.json").([]any)[0].(map[string]any)
	res = post(t, ts, "/v0/datasets/objectives/objectiveResultQueries", objectiveBody(`,"sliceByObjective":true`))
	if got := keysOf(res.list(t)[0].(map[string]any)); !slices.Equal(got, keysOf(r)) {
		t.Errorf("sliceByObjective keys %v, R fixture %v", got, keysOf(r))
	}
	step := vendorFixture(t, "r-client/step_results_829.json").([]any)[0].(map[string]any)
	res = post(t, ts, "/v0/datasets/objectives/objectiveStepResultQueries", objectiveBody(`,"objectiveVersionId":829`))
	if got := keysOf(res.list(t)[0].(map[string]any)); !slices.Equal(got, keysOf(step)) {
		t.Errorf("step keys %v, R fixture %v", got, keysOf(step))
	}
}
