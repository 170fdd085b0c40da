package mock

import (
	"net/http"
)

// exchangeIdentity serves POST /v0/identify/exchange for the application
// key's project.
func exchangeIdentity(s *Server) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Code string `json:"code"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		pid, err := s.store.KeyProject(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		id, err := s.store.ParticipantByCode(pid, in.Code)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, id)
	}
}
