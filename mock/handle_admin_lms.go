package mock

import (
	"net/http"
	"time"

	"github.com/c3dmock/c3dmock/mock/store"
)

func createLMSConfiguration(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in store.LMSInput
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

func updateLMSConfiguration(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in store.LMSInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		c, err := st.UpdateLMSConfiguration(targetsOf(r).OrganizationID, store.ParseID(r.PathValue("lmsConfigurationId")), in, now().UnixMilli())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	}
}
