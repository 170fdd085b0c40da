package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// The member handlers serve both levels: scope is "organization" or
// "project" and param the path parameter naming it.

func listMembers(st *store.Store, scope string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ms, err := st.Members(scope, targetsOf(r).IdAt(scope))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, ms)
	}
}

func addMember(st *store.Store, scope string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in store.MemberInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		m, err := st.AddMember(scope, targetsOf(r).IdAt(scope), in)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, m)
	}
}

func updateMember(st *store.Store, scope string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Role fixtures.Role `json:"role"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		m, err := st.UpdateMember(scope, targetsOf(r).IdAt(scope), store.ParseID(r.PathValue("userId")), in.Role)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, m)
	}
}

func removeMember(st *store.Store, scope string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := st.RemoveMember(scope, targetsOf(r).IdAt(scope), store.ParseID(r.PathValue("userId"))); err != nil {
			return err
		}
		return noContent(w)
	}
}
