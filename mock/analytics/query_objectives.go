package analytics

import (
	"slices"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// objectiveQuery is the body of objectiveResultQueries and
// objectiveStepResultQueries (api.md OB8, OB9).
type ObjectiveQuery struct {
	ProjectID               int64            `json:"-"` // from Targets, like the next two
	ObjectiveVersionID      *int64           `json:"-"`
	ObjectiveID             *int64           `json:"-"`
	SliceByObjective        bool             `json:"sliceByObjective"`
	SliceByObjectiveVersion bool             `json:"sliceByObjectiveVersion"`
	SessionFilters          []FilterSpec     `json:"sessionFilters"`
	EventFilters            []FilterSpec     `json:"eventFilters"`
	SeparableEventFilters   []FilterSpec     `json:"separableEventFilters"`
	UserFilters             []userFilterSpec `json:"userFilters"`
}

// bind sets the query's project, objective and objective version from the
// request's checked targets.
func (q *ObjectiveQuery) Bind(tg *store.Targets) {
	q.ProjectID = tg.ProjectID
	if tg.Objective != 0 {
		id := tg.Objective
		q.ObjectiveID = &id
	}
	if tg.ObjectiveVersion != 0 {
		id := tg.ObjectiveVersion
		q.ObjectiveVersionID = &id
	}
}

// objectiveCounts is one row of objectiveResultQueries.
type objectiveCounts struct {
	ObjectiveVersionID *int64 `json:"objectiveVersionId,omitempty"`
	ObjectiveID        *int64 `json:"objectiveId,omitempty"`
	Succeeded          int    `json:"succeeded"`
	Failed             int    `json:"failed"`
}

// stepCounts is one step of objectiveStepResultQueries. The averages are
// over the steps that succeeded, null when none did.
type stepCounts struct {
	Step                      int      `json:"step"`
	Succeeded                 int      `json:"succeeded"`
	Failed                    int      `json:"failed"`
	AverageStepCompletionTime *float64 `json:"averageStepCompletionTime"`
	AverageStepDuration       *float64 `json:"averageStepDuration"`
	sumTime, sumDur           float64
}

// objectiveVersionRef is an objective version of the project in scope.
type objectiveVersionRef struct {
	objectiveID, versionID int64
	steps                  []int // step sequence numbers, ascending
}

// objectiveScope lists the project's objective versions the query selects.
func objectiveScope(w *store.View, q *ObjectiveQuery) []objectiveVersionRef {
	var out []objectiveVersionRef
	for _, o := range w.Objectives {
		if o.ProjectID != q.ProjectID || (q.ObjectiveID != nil && o.ID != *q.ObjectiveID) {
			continue
		}
		for _, v := range o.Versions {
			if q.ObjectiveVersionID != nil && v.ID != *q.ObjectiveVersionID {
				continue
			}
			ref := objectiveVersionRef{objectiveID: o.ID, versionID: v.ID}
			for _, c := range v.Components {
				if c.IsStep {
					ref.steps = append(ref.steps, c.SequenceNumber)
				}
			}
			slices.Sort(ref.steps)
			out = append(out, ref)
		}
	}
	slices.SortFunc(out, func(a, b objectiveVersionRef) int {
		if a.objectiveID != b.objectiveID {
			return cmpInt(a.objectiveID, b.objectiveID)
		}
		return cmpInt(a.versionID, b.versionID)
	})
	return out
}

// objectiveSessions runs the query's session filters over project sessions.
func objectiveSessions(w *store.View, q *ObjectiveQuery) ([]row, error) {
	p, err := compileQuery(&SessionQuery{SessionType: "project", EntityFilters: entityFilters{ProjectID: q.ProjectID},
		SessionFilters: q.SessionFilters, EventFilters: q.EventFilters, SeparableEventFilters: q.SeparableEventFilters, UserFilters: q.UserFilters})
	if err != nil {
		return nil, err
	}
	return match(w, p)
}

// ObjectiveResults counts, per selected objective version, the matching
// sessions that passed and failed it. Versions nobody attempted are left out
// of sliced answers.
func (e *Engine) ObjectiveResults(q *ObjectiveQuery) (any, error) {
	w := e.st.View()
	defer w.Close()
	rows, err := objectiveSessions(w, q)
	if err != nil {
		return nil, err
	}
	scope := objectiveScope(w, q)
	perVersion := make([]objectiveCounts, len(scope))
	for i, ref := range scope {
		c := &perVersion[i]
		for _, r := range rows {
			steps, ok := r.s.ObjectiveSteps(ref.versionID)
			if !ok {
				continue
			}
			if (objectiveResult{versionID: ref.versionID, steps: steps}).passed(len(ref.steps)) {
				c.Succeeded++
			} else {
				c.Failed++
			}
		}
	}
	switch {
	case q.SliceByObjectiveVersion:
		out := []objectiveCounts{}
		for i, ref := range scope {
			if c := perVersion[i]; c.Succeeded+c.Failed > 0 {
				c.ObjectiveVersionID, c.ObjectiveID = ptr(ref.versionID), ptr(ref.objectiveID)
				out = append(out, c)
			}
		}
		return out, nil
	case q.SliceByObjective:
		out := []objectiveCounts{}
		for i, ref := range scope {
			c := perVersion[i]
			if c.Succeeded+c.Failed == 0 {
				continue
			}
			if n := len(out); n > 0 && *out[n-1].ObjectiveID == ref.objectiveID {
				out[n-1].Succeeded += c.Succeeded
				out[n-1].Failed += c.Failed
				continue
			}
			out = append(out, objectiveCounts{ObjectiveID: ptr(ref.objectiveID), Succeeded: c.Succeeded, Failed: c.Failed})
		}
		return out, nil
	}
	total := objectiveCounts{}
	for _, c := range perVersion {
		total.Succeeded += c.Succeeded
		total.Failed += c.Failed
	}
	return total, nil
}

func ptr[T any](v T) *T { return &v }

// ObjectiveStepResults counts per step. With objectiveVersionId (and no
// sliceByObjectiveVersion) the answer is that version's flat step list (R
// client); otherwise an object keyed by version id (Python client).
func (e *Engine) ObjectiveStepResults(q *ObjectiveQuery) (any, error) {
	w := e.st.View()
	defer w.Close()
	rows, err := objectiveSessions(w, q)
	if err != nil {
		return nil, err
	}
	scope := objectiveScope(w, q)
	keyed := map[string][]stepCounts{}
	for _, ref := range scope {
		steps := stepResults(ref, rows)
		if q.ObjectiveVersionID != nil && !q.SliceByObjectiveVersion {
			return steps, nil
		}
		if steps[0].Succeeded+steps[0].Failed > 0 || q.ObjectiveVersionID != nil {
			keyed[strconv.FormatInt(ref.versionID, 10)] = steps
		}
	}
	if q.ObjectiveVersionID != nil && !q.SliceByObjectiveVersion {
		return []stepCounts{}, nil // not an objective version of this project
	}
	return keyed, nil
}

// stepDone is when a step was completed or failed: a step result's
// timestamp is when the step began (PY sessions_with_objectives.json: each
// step starts where the previous one ended), its duration how long it took.
func stepDone(s fixtures.StepResult) int64 { return s.Done() }

// stepResults tallies one objective version over sessions. A step the
// session never reached counts as failed, as on the vendor's dashboard.
func stepResults(ref objectiveVersionRef, rows []row) []stepCounts {
	stepNums := ref.steps
	if len(stepNums) == 0 {
		stepNums = []int{1}
	}
	out := make([]stepCounts, len(stepNums))
	for i, n := range stepNums {
		out[i].Step = n
	}
	for _, r := range rows {
		steps, ok := r.s.ObjectiveSteps(ref.versionID)
		if !ok {
			continue
		}
		for i, n := range stepNums {
			sr, ok := objectiveResult{steps: steps}.step(n)
			if !ok || sr.Result != fixtures.ResultSucceeded {
				out[i].Failed++
				continue
			}
			out[i].Succeeded++
			out[i].sumTime += float64(stepDone(sr) - r.s.Start)
			out[i].sumDur += float64(sr.Duration)
		}
	}
	for i := range out {
		if n := float64(out[i].Succeeded); n > 0 {
			out[i].AverageStepCompletionTime = ptr(out[i].sumTime / n)
			out[i].AverageStepDuration = ptr(out[i].sumDur / n)
		}
	}
	return out
}

// SessionObjectiveData returns a session's objective results attributed to
// its visit(s) of a scene version, keyed by objective version id, with ISO
// timestamps (api.md OB4).
func (e *Engine) SessionObjectiveData(versionID int64, sessionID string) (map[string][]stepOutcomeView, error) {
	w := e.st.View()
	defer w.Close()
	s, ok := w.FindSession(0, sessionID)
	if !ok {
		return nil, &apierr.Error{Code: apierr.CodeNotFound, Message: "session " + sessionID + " not found", Field: "path:sessionId", Rule: "exists"}
	}
	out := map[string][]stepOutcomeView{}
	found := false
	for i, v := range s.Visits {
		if v.VersionID != versionID {
			continue
		}
		found = true
		for k, steps := range objectiveResultsView(row{s: s, v: i}.objectiveResults(w), true) {
			out[k] = steps
		}
	}
	if !found {
		return nil, &apierr.Error{Code: apierr.CodeNotFound, Message: "session " + sessionID + " has no scene session in version " + strconv.FormatInt(versionID, 10), Field: "path:versionId", Rule: "exists"}
	}
	return out, nil
}
