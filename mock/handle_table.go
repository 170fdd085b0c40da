package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/store"
)

// The handlers every resource of a store.Table shares: list, get and
// delete. The parent (project or organization) comes from the request's
// targets, the row's ID from its path parameter; writes, which carry each
// resource's own rules, have handlers of their own.

func projectOf(t *store.Targets) int64      { return t.ProjectID }
func organizationOf(t *store.Targets) int64 { return t.OrganizationID }

func listRows[T any](t store.Table[T], parent func(*store.Targets) int64) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, t.List(parent(targetsOf(r))))
	}
}

func getRow[T any](t store.Table[T], parent func(*store.Targets) int64, idParam string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := t.Get(parent(targetsOf(r)), store.ParseID(r.PathValue(idParam)))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func deleteRow[T any](t store.Table[T], parent func(*store.Targets) int64, idParam string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := t.Delete(parent(targetsOf(r)), store.ParseID(r.PathValue(idParam))); err != nil {
			return err
		}
		return noContent(w)
	}
}
