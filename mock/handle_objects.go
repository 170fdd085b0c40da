package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/store"
)

func listVersionObjects(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, nonNil(st.Objects(0, targetsOf(r).Version)))
	}
}

func listProjectObjects(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, nonNil(st.Objects(targetsOf(r).ProjectID, 0)))
	}
}

func deleteVersionObject(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := st.DeleteObject(targetsOf(r).Version, r.PathValue("objectId")); err != nil {
			return err
		}
		return noContent(w)
	}
}

func listObjectives(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, nonNil(st.Objectives(targetsOf(r).ProjectID)))
	}
}

func getObjective(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, err := st.Objective(targetsOf(r).ProjectID, targetsOf(r).Objective)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, o)
	}
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
