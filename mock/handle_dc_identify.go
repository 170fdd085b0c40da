package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/store"
)

// exchangeIdentity serves POST /v0/identify/exchange for the application
// key's project.
func exchangeIdentity(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Code string `json:"code"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		pid, err := st.KeyProject(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		id, err := st.ParticipantByCode(pid, in.Code)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, id)
	}
}
