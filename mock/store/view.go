package store

import (
	"sync"

	"github.com/c3dmock/c3dmock/mock/access"

	"github.com/c3dmock/c3dmock/fixtures"
)

// View is the world as the query engine reads it, between Store.View and
// View.Close: the store's read lock is held, so nothing changes meanwhile.
// Everything it holds is shared with the store: readers must not modify it,
// and must not keep it after Close.
type View struct {
	Sessions     []fixtures.Session // sorted by Start
	Projects     map[int64]fixtures.Project
	Scenes       map[string]fixtures.Scene
	Versions     map[int64]fixtures.SceneVersion
	Objects      map[int64]fixtures.Object
	Objectives   map[int64]fixtures.Objective
	QuestionSets []fixtures.QuestionSet

	st *Store
	w  *world
}

// View opens a read-only view of the world; Close it when done (once).
func (st *Store) View() *View {
	st.mu.RLock()
	w := st.w
	return &View{
		Sessions: w.sessions, Projects: w.projects, Scenes: w.scenes, Versions: w.versions,
		Objects: w.objects, Objectives: w.objectives, QuestionSets: w.questionSets,
		st: st, w: w,
	}
}

// Close releases the view's read lock.
func (v *View) Close() { v.st.mu.RUnlock() }

// Index is the session index, rebuilt first if sessions were added.
func (v *View) Index() *SessionIndex { return v.w.index() }

// FindSession finds a session of a project (0: any project) by its id, or
// the session ExampleSessionID stands for.
func (v *View) FindSession(projectID int64, sessionID string) (*fixtures.Session, bool) {
	return v.w.findSession(projectID, sessionID)
}

// ObjectiveStepCount is the number of steps of an objective version, or
// fallback when the version is unknown.
func (v *View) ObjectiveStepCount(id int64, fallback int) int {
	return objectiveStepCount(v.Objectives, id, fallback)
}

// ObjectiveOfVersion finds the objective that owns an objective version.
func (v *View) ObjectiveOfVersion(id int64) (fixtures.Objective, bool) {
	return objectiveOfVersion(v.Objectives, id)
}

// QuestionSetVersion is one version of a project's question set: 404 when
// the project has no such set or version.
func (v *View) QuestionSetVersion(projectID int64, name string, version int) (fixtures.QuestionSet, error) {
	return v.w.questionSetVersion(projectID, name, version)
}

// DerivedCache keeps what readers compute from one index's sessions (the
// query engine's typed property columns). It goes stale with its index.
type DerivedCache struct {
	mu sync.Mutex
	m  sync.Map
}

// Get returns the value cached under key, calling build once, under the
// cache's own lock, when there is none.
func (c *DerivedCache) Get(key any, build func() any) any {
	if v, ok := c.m.Load(key); ok {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m.Load(key); ok {
		return v
	}
	v := build()
	c.m.Store(key, v)
	return v
}

// TargetOfVersion is where a scene version sits in the hierarchy (404 when
// there is no such version).
func (v *View) TargetOfVersion(id int64) (access.Target, error) { return v.w.targetOfVersion(id) }
