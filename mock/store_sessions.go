package mock

import (
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/c3dmock/c3dmock/fixtures"
)

// sessionIndex makes session queries fast: sessions per project and visits
// per scene version sorted by date (date ranges binary-search them), session
// ids, and each user's session dates. It indexes w.sessions by position.
type sessionIndex struct {
	n         int                  // len(w.sessions) when built
	byProject map[int64][]int32    // session positions, by Start
	starts    map[int64][]int64    // byProject's Start values, for binary search
	byVersion map[int64][]visitRef // scene visits, by visit Start
	byID      map[string][]int32   // sessionId → positions (one per project)
	userDates map[userRef][]int64  // ascending session starts
	props     propColumns          // typed session property values, by position
}

type visitRef struct {
	s, v  int32
	start int64
}

type userRef struct {
	project int64
	user    string
}

// indexCache holds the index of a world. The world's sessions change only
// by being added (Data Collector ingest), so a length change means the
// index is stale; it is rebuilt under its own lock by the first reader that
// notices, which is safe while st.mu is only read-locked.
type indexCache struct {
	mu  sync.Mutex
	idx atomic.Pointer[sessionIndex]
}

// index returns an up-to-date index. Callers hold st.mu (read or write).
func (w *world) index() *sessionIndex {
	if idx := w.ix.idx.Load(); idx != nil && idx.n == len(w.sessions) {
		return idx
	}
	w.ix.mu.Lock()
	defer w.ix.mu.Unlock()
	if idx := w.ix.idx.Load(); idx != nil && idx.n == len(w.sessions) {
		return idx
	}
	idx := buildSessionIndex(w.sessions)
	w.ix.idx.Store(idx)
	return idx
}

func buildSessionIndex(sessions []fixtures.Session) *sessionIndex {
	idx := &sessionIndex{
		n:         len(sessions),
		byProject: map[int64][]int32{},
		starts:    map[int64][]int64{},
		byVersion: map[int64][]visitRef{},
		byID:      map[string][]int32{},
		userDates: map[userRef][]int64{},
	}
	for i := range sessions {
		s := &sessions[i]
		pid := int64(s.ProjectID)
		idx.byProject[pid] = append(idx.byProject[pid], int32(i))
		idx.byID[s.SessionID] = append(idx.byID[s.SessionID], int32(i))
		u := userRef{pid, userKey(s)}
		idx.userDates[u] = append(idx.userDates[u], int64(s.Start))
		for j := range s.Visits {
			vid := int64(s.Visits[j].VersionID)
			idx.byVersion[vid] = append(idx.byVersion[vid], visitRef{int32(i), int32(j), int64(s.Visits[j].Start)})
		}
	}
	for pid, list := range idx.byProject {
		sort.SliceStable(list, func(a, b int) bool { return sessions[list[a]].Start < sessions[list[b]].Start })
		st := make([]int64, len(list))
		for k, p := range list {
			st[k] = int64(sessions[p].Start)
		}
		idx.starts[pid] = st
	}
	for _, list := range idx.byVersion {
		sort.SliceStable(list, func(a, b int) bool { return list[a].start < list[b].start })
	}
	for _, d := range idx.userDates {
		slices.Sort(d)
	}
	return idx
}

// candidates lists the rows of p's project (or scene versions) whose date
// lies in [p.lo, p.hi], in ascending date order.
func (w *world) candidates(idx *sessionIndex, p *plan) []row {
	if !p.scene {
		list, st := idx.byProject[p.projectID], idx.starts[p.projectID]
		a := sort.Search(len(st), func(i int) bool { return st[i] >= p.lo })
		b := sort.Search(len(st), func(i int) bool { return st[i] > p.hi })
		out := make([]row, 0, max(b-a, 0))
		for _, pos := range list[a:max(a, b)] {
			out = append(out, row{s: &w.sessions[pos], v: -1, pos: pos + 1})
		}
		return out
	}
	var out []row
	for _, vid := range w.sceneVersions(p) {
		list := idx.byVersion[vid]
		a := sort.Search(len(list), func(i int) bool { return list[i].start >= p.lo })
		b := sort.Search(len(list), func(i int) bool { return list[i].start > p.hi })
		for _, ref := range list[a:max(a, b)] {
			s := &w.sessions[ref.s]
			if int64(s.ProjectID) == p.projectID {
				out = append(out, row{s: s, v: int(ref.v), pos: ref.s + 1})
			}
		}
	}
	if len(w.sceneVersions(p)) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].start() < out[j].start() })
	}
	return out
}

// sceneVersions lists the scene versions a scene-mode plan covers.
func (w *world) sceneVersions(p *plan) []int64 {
	if p.versionID != 0 {
		return []int64{p.versionID}
	}
	var out []int64
	for id, v := range w.versions {
		if v.SceneID == p.sceneID {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// checkEntities reports 404 for a scene or version outside the project.
func (w *world) checkEntities(p *plan) error {
	if !p.scene {
		return nil
	}
	if p.sceneID != "" {
		if sc, ok := w.scenes[p.sceneID]; !ok || sc.ProjectID != p.projectID {
			return &Error{Code: CodeNotFound, Message: "scene " + p.sceneID + " is not a scene of project " + itoa(p.projectID), Field: "/entityFilters/sceneId", Rule: "exists"}
		}
	}
	if p.versionID != 0 {
		v, ok := w.versions[p.versionID]
		if !ok || w.scenes[v.SceneID].ProjectID != p.projectID || (p.sceneID != "" && v.SceneID != p.sceneID) {
			return &Error{Code: CodeNotFound, Message: "scene version " + itoa(p.versionID) + " is not a version of that project or scene", Field: "/entityFilters/versionId", Rule: "exists"}
		}
	}
	return nil
}

// match runs a plan: every row that passes all filters, in ascending date
// order. Callers hold st.mu.
func (w *world) match(p *plan) ([]row, error) {
	if err := w.checkEntities(p); err != nil {
		return nil, err
	}
	idx := w.index()
	x := &evalCtx{w: w, idx: idx}
	cand := w.candidates(idx, p)
	out := cand[:0]
	for _, r := range cand {
		if x.passes(p, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (x *evalCtx) passes(p *plan, r row) bool {
	for _, pr := range p.session {
		if !pr(x, r) {
			return false
		}
	}
	for _, pr := range p.objectives {
		if !pr(x, r) {
			return false
		}
	}
	if len(p.users) > 0 {
		d := x.idx.userDates[userRef{int64(r.s.ProjectID), userKey(r.s)}]
		for _, up := range p.users {
			if !up(d) {
				return false
			}
		}
	}
	if len(p.events) > 0 && !r.anyEvent(func(e *fixtures.Event) bool { return x.eventPasses(p, r, e) }) {
		return false
	}
	return true
}

func (x *evalCtx) eventPasses(p *plan, r row, e *fixtures.Event) bool {
	for _, ep := range p.events {
		if !ep(x, r, e) {
			return false
		}
	}
	return true
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
	for _, pos := range w.index().byID[sessionID] {
		if s := &w.sessions[pos]; projectID == 0 || int64(s.ProjectID) == projectID {
			return s, true
		}
	}
	return nil, false
}

// objectiveOfVersion finds the objective that owns an objective version.
func (w *world) objectiveOfVersion(id int64) (fixtures.Objective, bool) {
	for _, o := range w.objectives {
		for _, v := range o.Versions {
			if v.ID == id {
				return o, true
			}
		}
	}
	return fixtures.Objective{}, false
}

// objectiveStepCount is the number of steps of an objective version, or
// fallback when the version is unknown.
func (w *world) objectiveStepCount(id int64, fallback int) int {
	o, ok := w.objectiveOfVersion(id)
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
