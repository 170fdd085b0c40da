package store

import (
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// remoteState holds the "Remote Controls" of every project: remote
// variables, the configurations that override them and A/B tests (api.md
// §6.10). The Data Collector's remote-variable routes read them through
// Store.RemoteVariables, Store.RemoteConfigurations and Store.ABTests.
type remoteState struct {
	vars    map[int64]fixtures.RemoteVariable
	configs map[int64]fixtures.RemoteConfiguration
	tests   map[int64]fixtures.ABTest
}

func newRemoteState(s fixtures.Seed) remoteState {
	rs := remoteState{vars: map[int64]fixtures.RemoteVariable{}, configs: map[int64]fixtures.RemoteConfiguration{}, tests: map[int64]fixtures.ABTest{}}
	for _, v := range s.RemoteVariables {
		rs.vars[v.ID] = v
	}
	for _, c := range s.RemoteConfigurations {
		rs.configs[c.ID] = c
	}
	for _, t := range s.ABTests {
		rs.tests[t.ID] = cloneABTest(t)
	}
	return rs
}

func cloneABTest(t fixtures.ABTest) fixtures.ABTest {
	t.Variables = append(make([]fixtures.ABTestVariable, 0, len(t.Variables)), t.Variables...)
	return t
}

// byProject lists the values of m that belong to project, by ID.
func byProject[T any](m map[int64]T, project int64, of func(T) (id, pid int64)) []T {
	out := []T{}
	for _, v := range m {
		if _, pid := of(v); pid == project {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { a, _ := of(out[i]); b, _ := of(out[j]); return a < b })
	return out
}

func varKey(v fixtures.RemoteVariable) (int64, int64)         { return v.ID, v.ProjectID }
func configKey(c fixtures.RemoteConfiguration) (int64, int64) { return c.ID, c.ProjectID }
func testKey(t fixtures.ABTest) (int64, int64)                { return t.ID, t.ProjectID }

// RemoteVariables lists a project's remote variables by ID.
func (st *Store) RemoteVariables(projectID int64) []fixtures.RemoteVariable {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return byProject(st.w.remote.vars, projectID, varKey)
}

// RemoteVariable returns one remote variable of a project.
func (st *Store) RemoteVariable(projectID, id int64) (fixtures.RemoteVariable, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.remoteVariable(projectID, id, "")
}

func (w *world) remoteVariable(projectID, id int64, field string) (fixtures.RemoteVariable, error) {
	v, ok := w.remote.vars[id]
	if !ok || v.ProjectID != projectID {
		return v, &apierr.Error{Code: apierr.CodeNotFound, Message: "remote variable " + strconv.FormatInt(id, 10) + " not found in project " + strconv.FormatInt(projectID, 10), Field: field, Rule: "exists"}
	}
	return v, nil
}

// PutRemoteVariable creates (id 0) or replaces a remote variable. Names are
// unique per project, case-insensitively (409). A type change is refused
// while configurations or A/B tests hold values of the old type (409).
func (st *Store) PutRemoteVariable(projectID, id int64, v fixtures.RemoteVariable) (fixtures.RemoteVariable, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if id != 0 {
		old, err := w.remoteVariable(projectID, id, "")
		if err != nil {
			return v, err
		}
		if old.Type != v.Type {
			if user := w.remoteVariableUser(id); user != "" {
				return v, &apierr.Error{Code: apierr.CodeConflict, Message: "remote variable " + old.Name + " is " + old.Type + " and " + user + " uses it; change the type after removing it", Field: "/", Rule: "type"}
			}
		}
	}
	for _, x := range w.remote.vars {
		if x.ProjectID == projectID && x.ID != id && strings.EqualFold(x.Name, v.Name) {
			return v, &apierr.Error{Code: apierr.CodeConflict, Message: "remote variable " + x.Name + " already exists in project " + strconv.FormatInt(projectID, 10), Field: "/name", Rule: "unique"}
		}
	}
	if id == 0 {
		id = w.newID()
	}
	v.ID, v.ProjectID, v.Valid = id, projectID, true
	w.remote.vars[id] = v
	return v, nil
}

// remoteVariableUser names a configuration or A/B test that uses a variable.
func (w *world) remoteVariableUser(id int64) string {
	for _, c := range byProject(w.remote.configs, w.remote.vars[id].ProjectID, configKey) {
		if c.RemoteVariableID == id {
			return "remote configuration " + c.Name
		}
	}
	for _, t := range byProject(w.remote.tests, w.remote.vars[id].ProjectID, testKey) {
		if t.RemoteVariableID == id {
			return "A/B test " + t.Name
		}
	}
	return ""
}

// DeleteRemoteVariable removes a variable that no configuration or A/B test uses (else 409).
func (st *Store) DeleteRemoteVariable(projectID, id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	v, err := st.w.remoteVariable(projectID, id, "")
	if err != nil {
		return err
	}
	if user := st.w.remoteVariableUser(id); user != "" {
		return apierr.Errorf(apierr.CodeConflict, "remote variable %s is used by %s; delete that first", v.Name, user)
	}
	delete(st.w.remote.vars, id)
	return nil
}

// RemoteConfigurations lists a project's remote configurations by ID.
func (st *Store) RemoteConfigurations(projectID int64) []fixtures.RemoteConfiguration {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return byProject(st.w.remote.configs, projectID, configKey)
}

// RemoteConfiguration returns one remote configuration of a project.
func (st *Store) RemoteConfiguration(projectID, id int64) (fixtures.RemoteConfiguration, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	c, ok := st.w.remote.configs[id]
	if !ok || c.ProjectID != projectID {
		return c, apierr.Errorf(apierr.CodeNotFound, "remote configuration %d not found in project %d", id, projectID)
	}
	return c, nil
}

// PutRemoteConfiguration creates (id 0) or replaces a remote configuration.
// check validates it against its variable, which must be in the project (404).
func (st *Store) PutRemoteConfiguration(projectID, id int64, c fixtures.RemoteConfiguration, check func(fixtures.RemoteVariable) error) (fixtures.RemoteConfiguration, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if old, ok := w.remote.configs[id]; id != 0 && (!ok || old.ProjectID != projectID) {
		return c, apierr.Errorf(apierr.CodeNotFound, "remote configuration %d not found in project %d", id, projectID)
	}
	v, err := w.remoteVariable(projectID, c.RemoteVariableID, "/remoteVariableId")
	if err != nil {
		return c, err
	}
	if err := check(v); err != nil {
		return c, err
	}
	for _, x := range w.remote.configs {
		if x.ProjectID == projectID && x.ID != id && strings.EqualFold(x.Name, c.Name) {
			return c, &apierr.Error{Code: apierr.CodeConflict, Message: "remote configuration " + x.Name + " already exists in project " + strconv.FormatInt(projectID, 10), Field: "/name", Rule: "unique"}
		}
	}
	if id == 0 {
		id = w.newID()
	}
	c.ID, c.ProjectID = id, projectID
	w.remote.configs[id] = c
	return c, nil
}

// DeleteRemoteConfiguration removes a remote configuration.
func (st *Store) DeleteRemoteConfiguration(projectID, id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if c, ok := st.w.remote.configs[id]; !ok || c.ProjectID != projectID {
		return apierr.Errorf(apierr.CodeNotFound, "remote configuration %d not found in project %d", id, projectID)
	}
	delete(st.w.remote.configs, id)
	return nil
}

// ABTests lists a project's A/B tests by ID.
func (st *Store) ABTests(projectID int64) []fixtures.ABTest {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := byProject(st.w.remote.tests, projectID, testKey)
	for i := range out {
		out[i] = cloneABTest(out[i])
	}
	return out
}

// ABTest returns one A/B test of a project.
func (st *Store) ABTest(projectID, id int64) (fixtures.ABTest, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	t, ok := st.w.remote.tests[id]
	if !ok || t.ProjectID != projectID {
		return t, apierr.Errorf(apierr.CodeNotFound, "A/B test %d not found in project %d", id, projectID)
	}
	return cloneABTest(t), nil
}

// PutABTest creates (id 0) or replaces an A/B test. check validates it
// against its variable, which must be in the project (404).
func (st *Store) PutABTest(projectID, id int64, t fixtures.ABTest, check func(fixtures.RemoteVariable) error) (fixtures.ABTest, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if old, ok := w.remote.tests[id]; id != 0 && (!ok || old.ProjectID != projectID) {
		return t, apierr.Errorf(apierr.CodeNotFound, "A/B test %d not found in project %d", id, projectID)
	}
	v, err := w.remoteVariable(projectID, t.RemoteVariableID, "/remoteVariableId")
	if err != nil {
		return t, err
	}
	if err := check(v); err != nil {
		return t, err
	}
	for _, x := range w.remote.tests {
		if x.ProjectID == projectID && x.ID != id && strings.EqualFold(x.Name, t.Name) {
			return t, &apierr.Error{Code: apierr.CodeConflict, Message: "A/B test " + x.Name + " already exists in project " + strconv.FormatInt(projectID, 10), Field: "/name", Rule: "unique"}
		}
	}
	if id == 0 {
		id = w.newID()
	}
	t.ID, t.ProjectID = id, projectID
	t = cloneABTest(t)
	w.remote.tests[id] = t
	return cloneABTest(t), nil
}

// DeleteABTest removes an A/B test.
func (st *Store) DeleteABTest(projectID, id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if t, ok := st.w.remote.tests[id]; !ok || t.ProjectID != projectID {
		return apierr.Errorf(apierr.CodeNotFound, "A/B test %d not found in project %d", id, projectID)
	}
	delete(st.w.remote.tests, id)
	return nil
}
