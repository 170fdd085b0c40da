package mock

import (
	"net/http"
	"time"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Objective writes on the historical scene-version routes (api.md §6.8:
// create, new version, delete) and the per-version read. Steps are checked
// and numbered by the store (store_objectives.go).

func createObjective(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Name        string               `json:"name"`
			Description string               `json:"description"`
			Enabled     *bool                `json:"enabled"`
			Components  []fixtures.Component `json:"objectiveComponents"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		o := fixtures.Objective{Name: in.Name, Description: in.Description, Enabled: in.Enabled == nil || *in.Enabled}
		o, err := st.CreateObjective(targetsOf(r).Version, o, fixtures.ObjectiveVersion{Components: in.Components}, now().UnixMilli())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, o)
	}
}

// createObjectiveVersion adds a version; isActive defaults to true.
func createObjectiveVersion(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			IsActive      *bool                `json:"isActive"`
			SaveToSession bool                 `json:"saveToSession"`
			PropertyLabel *string              `json:"propertyLabel"`
			Components    []fixtures.Component `json:"objectiveComponents"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		v := fixtures.ObjectiveVersion{IsActive: in.IsActive == nil || *in.IsActive, SaveToSession: in.SaveToSession, PropertyLabel: in.PropertyLabel, Components: in.Components}
		v, err := st.AddObjectiveVersion(targetsOf(r).Version, targetsOf(r).Objective, v, now().UnixMilli())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, v)
	}
}

func deleteObjective(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := st.DeleteObjective(targetsOf(r).Version, targetsOf(r).Objective); err != nil {
			return err
		}
		return noContent(w)
	}
}

func getVersionObjective(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, err := st.VersionObjective(targetsOf(r).Version, targetsOf(r).Objective)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, o)
	}
}
