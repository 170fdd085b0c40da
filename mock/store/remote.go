package store

import (
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// The "Remote Controls" of every project: remote variables, the
// configurations that override them and A/B tests (api.md §6.10). The Data
// Collector's remote-variable routes read them through the same tables.

func newVariableRows(s fixtures.Seed) *rows[fixtures.RemoteVariable] {
	t := newRows("remote variable", "project", func(v fixtures.RemoteVariable) (int64, int64) { return v.ID, v.ProjectID },
		func(v fixtures.RemoteVariable, id, pid int64) fixtures.RemoteVariable {
			v.ID, v.ProjectID = id, pid
			return v
		})
	t.name, t.nameField = func(v fixtures.RemoteVariable) string { return v.Name }, "/name"
	t.notFound = func(pid, id int64, field string) *apierr.Error {
		return &apierr.Error{Code: apierr.CodeNotFound, Message: "remote variable " + strconv.FormatInt(id, 10) + " not found in project " + strconv.FormatInt(pid, 10), Field: field, Rule: "exists"}
	}
	t.canDelete = func(w *world, v fixtures.RemoteVariable) error {
		if user := w.remoteVariableUser(v.ID); user != "" {
			return apierr.Errorf(apierr.CodeConflict, "remote variable %s is used by %s; delete that first", v.Name, user)
		}
		return nil
	}
	for _, v := range s.RemoteVariables {
		t.m[v.ID] = v
	}
	return t
}

func newConfigurationRows(s fixtures.Seed) *rows[fixtures.RemoteConfiguration] {
	t := newRows("remote configuration", "project", func(c fixtures.RemoteConfiguration) (int64, int64) { return c.ID, c.ProjectID },
		func(c fixtures.RemoteConfiguration, id, pid int64) fixtures.RemoteConfiguration {
			c.ID, c.ProjectID = id, pid
			return c
		})
	t.name, t.nameField = func(c fixtures.RemoteConfiguration) string { return c.Name }, "/name"
	for _, c := range s.RemoteConfigurations {
		t.m[c.ID] = c
	}
	return t
}

func newABTestRows(s fixtures.Seed) *rows[fixtures.ABTest] {
	t := newRows("A/B test", "project", func(a fixtures.ABTest) (int64, int64) { return a.ID, a.ProjectID },
		func(a fixtures.ABTest, id, pid int64) fixtures.ABTest { a.ID, a.ProjectID = id, pid; return a })
	t.clone, t.name, t.nameField = cloneABTest, func(a fixtures.ABTest) string { return a.Name }, "/name"
	for _, a := range s.ABTests {
		t.m[a.ID] = cloneABTest(a)
	}
	return t
}

func cloneABTest(t fixtures.ABTest) fixtures.ABTest {
	t.Variables = append(make([]fixtures.ABTestVariable, 0, len(t.Variables)), t.Variables...)
	return t
}

// RemoteVariables is the projects' remote variables.
func (st *Store) RemoteVariables() Table[fixtures.RemoteVariable] {
	return Table[fixtures.RemoteVariable]{st: st, rows: func(w *world) *rows[fixtures.RemoteVariable] { return w.remoteVars }}
}

// RemoteConfigurations is the projects' remote configurations.
func (st *Store) RemoteConfigurations() Table[fixtures.RemoteConfiguration] {
	return Table[fixtures.RemoteConfiguration]{st: st, rows: func(w *world) *rows[fixtures.RemoteConfiguration] { return w.remoteConfigs }}
}

// ABTests is the projects' A/B tests.
func (st *Store) ABTests() Table[fixtures.ABTest] {
	return Table[fixtures.ABTest]{st: st, rows: func(w *world) *rows[fixtures.ABTest] { return w.abTests }}
}

// PutRemoteVariable creates (id 0) or replaces a remote variable. Names are
// unique per project, case-insensitively (409). A type change is refused
// while configurations or A/B tests hold values of the old type (409).
func (st *Store) PutRemoteVariable(projectID, id int64, v fixtures.RemoteVariable) (fixtures.RemoteVariable, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	return w.remoteVars.put(w, projectID, id, v, func(old, v *fixtures.RemoteVariable) error {
		if old != nil && old.Type != v.Type {
			if user := w.remoteVariableUser(id); user != "" {
				return &apierr.Error{Code: apierr.CodeConflict, Message: "remote variable " + old.Name + " is " + old.Type + " and " + user + " uses it; change the type after removing it", Field: "/", Rule: "type"}
			}
		}
		v.Valid = true
		return nil
	})
}

// remoteVariableUser names a configuration or A/B test that uses a variable.
func (w *world) remoteVariableUser(id int64) string {
	pid := w.remoteVars.m[id].ProjectID
	for _, c := range w.remoteConfigs.list(pid) {
		if c.RemoteVariableID == id {
			return "remote configuration " + c.Name
		}
	}
	for _, t := range w.abTests.list(pid) {
		if t.RemoteVariableID == id {
			return "A/B test " + t.Name
		}
	}
	return ""
}

// PutRemoteConfiguration creates (id 0) or replaces a remote configuration.
// check validates it against its variable, which must be in the project (404).
func (st *Store) PutRemoteConfiguration(projectID, id int64, c fixtures.RemoteConfiguration, check func(fixtures.RemoteVariable) error) (fixtures.RemoteConfiguration, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	return w.remoteConfigs.put(w, projectID, id, c, func(_, c *fixtures.RemoteConfiguration) error {
		return w.checkVariable(projectID, c.RemoteVariableID, check)
	})
}

// PutABTest creates (id 0) or replaces an A/B test. check validates it
// against its variable, which must be in the project (404).
func (st *Store) PutABTest(projectID, id int64, t fixtures.ABTest, check func(fixtures.RemoteVariable) error) (fixtures.ABTest, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	return w.abTests.put(w, projectID, id, t, func(_, t *fixtures.ABTest) error {
		return w.checkVariable(projectID, t.RemoteVariableID, check)
	})
}

// checkVariable finds the variable a configuration or A/B test overrides
// (404 naming /remoteVariableId) and runs check on it.
func (w *world) checkVariable(projectID, id int64, check func(fixtures.RemoteVariable) error) error {
	v, err := w.remoteVars.get(projectID, id, "/remoteVariableId")
	if err != nil {
		return err
	}
	return check(v)
}
