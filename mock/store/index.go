package store

import (
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/c3dmock/c3dmock/fixtures"
)

// SessionIndex makes session queries fast: sessions per project and visits
// per scene version sorted by date (date ranges binary-search them), session
// ids, and each user's session dates. It indexes w.sessions by position.
type SessionIndex struct {
	n         int                  // len(w.sessions) when built
	ByProject map[int64][]int32    // session positions, by Start
	Starts    map[int64][]int64    // ByProject's Start values, for binary search
	ByVersion map[int64][]VisitRef // scene visits, by visit Start
	ByID      map[string][]int32   // sessionId → positions (one per project)
	UserDates map[UserRef][]int64  // ascending session Starts
	Derived   DerivedCache         // what readers compute from the sessions (typed property columns)
}

// VisitRef is scene visit V of the session at position S.
type VisitRef struct {
	S, V  int32
	Start int64
}

// UserRef names a user of a project (UserKey).
type UserRef struct {
	Project int64
	User    string
}

// indexCache holds the index of a world. The world's sessions change only
// by being added (Data Collector ingest), so a length change means the
// index is stale; it is rebuilt under its own lock by the first reader that
// notices, which is safe while st.mu is only read-locked.
type indexCache struct {
	mu  sync.Mutex
	idx atomic.Pointer[SessionIndex]
}

// index returns an up-to-date index. Callers hold st.mu (read or write).
func (w *world) index() *SessionIndex {
	if idx := w.ix.idx.Load(); idx != nil && idx.n == len(w.sessions) {
		return idx
	}
	w.ix.mu.Lock()
	defer w.ix.mu.Unlock()
	if idx := w.ix.idx.Load(); idx != nil && idx.n == len(w.sessions) {
		return idx
	}
	idx := BuildSessionIndex(w.sessions)
	w.ix.idx.Store(idx)
	return idx
}

func BuildSessionIndex(sessions []fixtures.Session) *SessionIndex {
	idx := &SessionIndex{
		n:         len(sessions),
		ByProject: map[int64][]int32{},
		Starts:    map[int64][]int64{},
		ByVersion: map[int64][]VisitRef{},
		ByID:      map[string][]int32{},
		UserDates: map[UserRef][]int64{},
	}
	for i := range sessions {
		s := &sessions[i]
		pid := int64(s.ProjectID)
		idx.ByProject[pid] = append(idx.ByProject[pid], int32(i))
		idx.ByID[s.SessionID] = append(idx.ByID[s.SessionID], int32(i))
		u := UserRef{pid, UserKey(s)}
		idx.UserDates[u] = append(idx.UserDates[u], int64(s.Start))
		for j := range s.Visits {
			vid := int64(s.Visits[j].VersionID)
			idx.ByVersion[vid] = append(idx.ByVersion[vid], VisitRef{S: int32(i), V: int32(j), Start: int64(s.Visits[j].Start)})
		}
	}
	for pid, list := range idx.ByProject {
		sort.SliceStable(list, func(a, b int) bool { return sessions[list[a]].Start < sessions[list[b]].Start })
		st := make([]int64, len(list))
		for k, p := range list {
			st[k] = int64(sessions[p].Start)
		}
		idx.Starts[pid] = st
	}
	for _, list := range idx.ByVersion {
		sort.SliceStable(list, func(a, b int) bool { return list[a].Start < list[b].Start })
	}
	for _, d := range idx.UserDates {
		slices.Sort(d)
	}
	return idx
}

// findSession returns the session with this id in a project.
func (w *world) findSession(projectID int64, sessionID string) (*fixtures.Session, bool) {
	if s, ok := w.findSessionExact(projectID, sessionID); ok {
		return s, true
	}
	if sessionID == ExampleSessionID && (projectID == 0 || projectID == exampleProject) {
		return w.exampleSession()
	}
	return nil, false
}

// ExampleSessionID is the session id of the spec's examples. Generated
// session ids start with their start time, which follows --now, so no fixed
// id can name a generated session; wherever a session is looked up by id,
// this one stands for the newest session of project 4460 that visited scene
// version 7012 (unless a session with this very id was uploaded), so that
// tools replaying the spec's examples reach a real session whatever --now is.
const ExampleSessionID = "1773998824_6826c6d546130967474184c118bfbc90"

const (
	exampleProject = 4460
	exampleVersion = 7012
)

// exampleSession is the session ExampleSessionID stands for.
func (w *world) exampleSession() (*fixtures.Session, bool) {
	for i := len(w.sessions) - 1; i >= 0; i-- {
		s := &w.sessions[i]
		if s.ProjectID == exampleProject && slices.ContainsFunc(s.Visits, func(v fixtures.SceneVisit) bool { return v.VersionID == exampleVersion }) {
			return s, true
		}
	}
	return nil, false
}

// findSessionExact finds a session by its own id only.
func (w *world) findSessionExact(projectID int64, sessionID string) (*fixtures.Session, bool) {
	for _, pos := range w.index().ByID[sessionID] {
		if s := &w.sessions[pos]; projectID == 0 || int64(s.ProjectID) == projectID {
			return s, true
		}
	}
	return nil, false
}

// objectiveOfVersion finds the objective that owns an objective version.
func (w *world) objectiveOfVersion(id int64) (fixtures.Objective, bool) {
	return objectiveOfVersion(w.objectives, id)
}

func objectiveOfVersion(objectives map[int64]fixtures.Objective, id int64) (fixtures.Objective, bool) {
	for _, o := range objectives {
		for _, v := range o.Versions {
			if v.ID == id {
				return o, true
			}
		}
	}
	return fixtures.Objective{}, false
}

func objectiveStepCount(objectives map[int64]fixtures.Objective, id int64, fallback int) int {
	o, ok := objectiveOfVersion(objectives, id)
	if !ok {
		return fallback
	}
	for _, v := range o.Versions {
		if v.ID == id {
			n := 0
			for _, c := range v.Components {
				if c.IsStep {
					n++
				}
			}
			if n > 0 {
				return n
			}
		}
	}
	return fallback
}

// UserKey identifies the person behind a session for userFilters: the
// participant, or the device when the app set no participant.
func UserKey(s *fixtures.Session) string {
	if s.ParticipantID != "" {
		return s.ParticipantID
	}
	return "device:" + s.DeviceID
}
