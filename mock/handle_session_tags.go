package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/store"
)

// setSessionTag sets (value true) or clears a tag on a session (api.md §6.6
// SE13). The change shows in session rows, the c3d.session_tag.<title>
// property and every query filter on either. The response echoes the state.
func setSessionTag(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var body struct {
			Value bool `json:"value"`
		}
		if err := decodeJSON(r, &body); err != nil {
			return err
		}
		sessionID := targetsOf(r).Session
		title, err := st.SetSessionTag(targetsOf(r).ProjectID, sessionID, r.PathValue("tagName"), body.Value)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"sessionId": sessionID, "tagName": title, "value": body.Value})
	}
}
