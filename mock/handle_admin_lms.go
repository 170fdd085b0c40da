package mock

import (
	"net/http"
	"time"
)

func listLMSConfigurations(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, st.LMSConfigurations(targetsOf(r).OrganizationID))
	}
}

func getLMSConfiguration(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := st.LMSConfiguration(targetsOf(r).OrganizationID, parseID(r.PathValue("lmsConfigurationId")))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	}
}

func createLMSConfiguration(st *Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in LMSInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		c, err := st.CreateLMSConfiguration(targetsOf(r).OrganizationID, in, now().UnixMilli())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, c)
	}
}

func updateLMSConfiguration(st *Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in LMSInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		c, err := st.UpdateLMSConfiguration(targetsOf(r).OrganizationID, parseID(r.PathValue("lmsConfigurationId")), in, now().UnixMilli())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	}
}

func deleteLMSConfiguration(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := st.DeleteLMSConfiguration(targetsOf(r).OrganizationID, parseID(r.PathValue("lmsConfigurationId"))); err != nil {
			return err
		}
		return noContent(w)
	}
}
