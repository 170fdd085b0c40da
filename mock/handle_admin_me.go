package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// userOf returns the user a request acts as. Organization and domain keys
// belong to no user, so the account operations refuse them.
func userOf(r *http.Request) (int64, error) {
	p := principalFrom(r.Context())
	if p == nil || p.UserID == 0 {
		return 0, apierr.Errorf(apierr.CodeForbidden, "this operation is about your own account: log in (POST /v0/sessions); organization and domain keys have no user")
	}
	return p.UserID, nil
}

func getCurrentUser(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := userOf(r)
		if err != nil {
			return err
		}
		u, err := st.User(id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, u)
	}
}

func updateCurrentUser(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := userOf(r)
		if err != nil {
			return err
		}
		var in store.NameInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		u, err := st.UpdateUserName(id, in)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, u)
	}
}

// updateCurrentUserPassword ends every cookie session of the user, this one
// included: the client logs in again with the new password.
func updateCurrentUserPassword(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := userOf(r)
		if err != nil {
			return err
		}
		var in struct {
			OldPassword string `json:"oldPassword"`
			NewPassword string `json:"newPassword"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		if err := st.ChangePassword(id, in.OldPassword, in.NewPassword); err != nil {
			return err
		}
		return noContent(w)
	}
}
