package analytics

import (
	"time"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// row is one result of a session query: a project session, or (scene mode)
// one visit of a session to a scene version. All reads of fixtures.Session
// fields by the query engine go through this file.
type row struct {
	s   *fixtures.Session
	v   int   // index into s.Visits; -1 for a project session
	pos int32 // position of s in w.Sessions plus 1; 0 if unknown
}

func (r row) scene() bool { return r.v >= 0 }

func (r row) visit() *fixtures.SceneVisit { return &r.s.Visits[r.v] }

// start is the row's date: the session start, or the visit start.
func (r row) start() int64 {
	if r.scene() {
		return int64(r.visit().Start)
	}
	return int64(r.s.Start)
}

func (r row) end() int64 {
	if r.scene() {
		return int64(r.visit().End)
	}
	return int64(r.s.Start) + int64(r.s.Duration)
}

func (r row) duration() int64 { return r.end() - r.start() }

// sqlID is the scene-session SQL id (visit) or the session's own.
func (r row) sqlID() int64 {
	if r.scene() {
		return int64(r.visit().SQLID)
	}
	return int64(r.s.SQLID)
}

func (r row) versionID() int64 {
	if r.scene() {
		return int64(r.visit().VersionID)
	}
	return 0
}

// eventInRow reports whether an event belongs to the row: every event of a
// project session, or the events a visit produced.
func (r row) eventInRow(e *fixtures.Event) bool {
	if !r.scene() {
		return true
	}
	v := r.visit()
	return int64(e.VersionID) == int64(v.VersionID) && int64(e.Time) >= int64(v.Start) && int64(e.Time) <= int64(v.End)
}

// anyEvent reports whether fn holds for some event of the row.
func (r row) anyEvent(fn func(e *fixtures.Event) bool) bool {
	for i := range r.s.Events {
		e := &r.s.Events[i]
		if r.eventInRow(e) && fn(e) {
			return true
		}
	}
	return false
}

// objectiveOwner returns the visit index that an objective result of s is
// attributed to in scene mode: the visit to the objective's own scene
// version, else the visit during which its first step happened, else the
// first visit. Scene rows so never count one result twice.
func objectiveOwner(w *store.View, s *fixtures.Session, objectiveVersionID int64, steps []fixtures.StepResult) int {
	if len(s.Visits) == 0 {
		return -1
	}
	if obj, ok := w.ObjectiveOfVersion(objectiveVersionID); ok && obj.VersionID != nil {
		for i, v := range s.Visits {
			if int64(v.VersionID) == *obj.VersionID {
				return i
			}
		}
	}
	if len(steps) > 0 {
		t := int64(steps[0].Timestamp)
		for i, v := range s.Visits {
			if t >= int64(v.Start) && t <= int64(v.End) {
				return i
			}
		}
	}
	return 0
}

// objectiveResults returns the row's objective results keyed by objective
// version id, in ascending id order.
func (r row) objectiveResults(w *store.View) []objectiveResult {
	out := make([]objectiveResult, 0, len(r.s.Objectives))
	for _, o := range r.s.Objectives { // in version id order
		if r.scene() && objectiveOwner(w, r.s, o.VersionID, o.Steps) != r.v {
			continue
		}
		out = append(out, objectiveResult{versionID: o.VersionID, steps: o.Steps})
	}
	return out
}

type objectiveResult struct {
	versionID int64
	steps     []fixtures.StepResult
}

// passed reports whether all total steps of the objective version
// succeeded; a step the session never reached counts as failed.
func (o objectiveResult) passed(total int) bool {
	return o.succeeded() >= max(total, 1)
}

func (o objectiveResult) succeeded() int {
	n := 0
	for _, st := range o.steps {
		if st.Result == fixtures.ResultSucceeded {
			n++
		}
	}
	return n
}

func (o objectiveResult) step(n int) (fixtures.StepResult, bool) {
	for _, st := range o.steps {
		if int(st.Step) == n {
			return st, true
		}
	}
	return fixtures.StepResult{}, false
}

// isoMillis renders epoch ms the way the vendor does: "2026-03-20T09:27:04.802Z".
func isoMillis(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}
