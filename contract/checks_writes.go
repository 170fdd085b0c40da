package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// writeChecks change state. They run only with --allow-writes, use
// Session.Unique names and register a cleanup before anything can fail.
func writeChecks() []Check {
	return []Check{
		{
			Name: "writes/project-lifecycle", Writes: true,
			Ops:         []string{"createProject", "getProject", "updateProject", "deleteProject"},
			Description: "a uniquely named project can be created, read, renamed and deleted, after which it is gone",
			Run:         checkProjectLifecycle,
		},
	}
}

func checkProjectLifecycle(ctx context.Context, s *Session) error {
	org, err := s.Org(ctx)
	if err != nil {
		return err
	}
	c := s.As(RoleMain)
	name := s.Unique("project")
	res, err := c.Post(ctx, "/v0/projects", map[string]any{
		"name": name, "description": "created by c3dmock contract; safe to delete", "type": "vr", "organizationId": org,
	})
	if err := want(res, err, http.StatusCreated, http.StatusOK); err != nil {
		return err
	}
	m, err := res.Object()
	if err != nil {
		return err
	}
	id, err := needInt(m, "createProject", "id")
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/v0/projects/%d", id)
	deleted := false
	s.Cleanup(func(ctx context.Context) error {
		if deleted {
			return nil
		}
		res, err := c.Delete(ctx, path)
		return want(res, err, http.StatusNoContent, http.StatusOK, http.StatusNotFound)
	})
	if got := strField(m, "name"); got != name {
		return fmt.Errorf("createProject: name %q, sent %q", got, name)
	}
	got, err := getObject(ctx, c, path)
	if err != nil {
		return err
	}
	if o, ok := intField(got, "organizationId"); !ok || o != org || strField(got, "name") != name {
		return fmt.Errorf("getProject %d: organizationId %v name %q, want %d %q", id, got["organizationId"], strField(got, "name"), org, name)
	}
	renamed := name + "-renamed"
	res, err = c.Put(ctx, path, map[string]any{"name": renamed})
	if err := want(res, err, http.StatusOK, http.StatusNoContent); err != nil {
		return err
	}
	if got, err = getObject(ctx, c, path); err != nil {
		return err
	}
	if strField(got, "name") != renamed {
		return fmt.Errorf("getProject %d after updateProject: name %q, want %q", id, strField(got, "name"), renamed)
	}
	res, err = c.Delete(ctx, path)
	if err := want(res, err, http.StatusNoContent, http.StatusOK); err != nil {
		return err
	}
	deleted = true
	res, err = c.Get(ctx, path)
	if err := want(res, err, http.StatusNotFound, http.StatusForbidden); err != nil {
		return errors.New("deleted project still answers: " + err.Error())
	}
	return nil
}
