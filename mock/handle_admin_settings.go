package mock

import (
	"net/http"
	"time"

	"github.com/c3dmock/c3dmock/mock/store"
)

func getDomainSettings(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		s, err := st.DomainSettings(targetsOf(r).DomainID)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, s)
	}
}

func updateDomainSettings(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in store.DomainSettingsInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		s, err := st.UpdateDomainSettings(targetsOf(r).DomainID, in)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, s)
	}
}

func getOrganizationSettings(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		s, err := st.OrganizationSettings(targetsOf(r).OrganizationID)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, s)
	}
}

func updateOrganizationSettings(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in store.OrganizationSettingsInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		s, err := st.UpdateOrganizationSettings(targetsOf(r).OrganizationID, in)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, s)
	}
}

func getProjectSettings(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		s, err := st.ProjectSettings(targetsOf(r).ProjectID)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, s)
	}
}

func updateProjectSettings(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in store.ProjectSettingsInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		s, err := st.UpdateProjectSettings(targetsOf(r).ProjectID, in, now().UnixMilli())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, s)
	}
}
