package mock

import (
	"net/http"
	"time"

	"github.com/c3dmock/c3dmock/mock/store"
)

func listOrganizationAPIKeys(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, st.APIKeys(targetsOf(r).OrganizationID))
	}
}

// createOrganizationAPIKey answers the secret once, in the orgkey- form.
func createOrganizationAPIKey(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Name        string `json:"name"`
			AccessLevel string `json:"accessLevel"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		k, secret, err := st.CreateAPIKey(targetsOf(r).OrganizationID, in.Name, in.AccessLevel == store.AccessRead, now().UnixMilli())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, struct {
			store.APIKeyView
			Key string `json:"key"`
		}{k, prefixOrgKey + secret})
	}
}

func revokeOrganizationAPIKey(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := st.RevokeAPIKey(targetsOf(r).OrganizationID, store.ParseID(r.PathValue("apiKeyId"))); err != nil {
			return err
		}
		return noContent(w)
	}
}
