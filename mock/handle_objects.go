package mock

import (
	"fmt"
	"net/http"
)

func listVersionObjects(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, nonNil(st.Objects(0, parseID(r.PathValue("versionId")))))
	}
}

func listProjectObjects(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, nonNil(st.Objects(parseID(r.PathValue("projectId")), 0)))
	}
}

func deleteVersionObject(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := st.DeleteObject(parseID(r.PathValue("versionId")), r.PathValue("objectId")); err != nil {
			return err
		}
		return noContent(w)
	}
}

func listObjectives(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, nonNil(st.Objectives(parseID(r.PathValue("projectId")))))
	}
}

func getObjective(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, err := st.Objective(parseID(r.PathValue("projectId")), parseID(r.PathValue("objectiveId")))
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

func toString(v any) string { return fmt.Sprint(v) }
