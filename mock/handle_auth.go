package mock

import (
	"net/http"
	"sort"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// login opens a cookie session; cookieValue adds the sandbox's suffix.
func login(st *store.Store, cookieValue func(token string) string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Email    string `json:"email"`
			Password string `json:"password"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		cookie, csrf, userID, err := st.Login(in.Email, in.Password)
		if err != nil {
			return err
		}
		http.SetCookie(w, &http.Cookie{Name: store.CookieName, Value: cookieValue(cookie), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return writeJSON(w, http.StatusOK, map[string]any{"userId": userID, "csrf": csrf})
	}
}

func getCurrentSession(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := r.Cookie(store.CookieName)
		if err != nil || !principalFrom(r.Context()).Cookie {
			return &apierr.Error{Code: apierr.CodeUnauthorized, Message: "no cookie session: log in with POST /v0/sessions", Field: "cookie:" + store.CookieName, Rule: "required"}
		}
		csrf, userID, ok := st.CSRF(c.Value)
		if !ok {
			return apierr.Errorf(apierr.CodeUnauthorized, "session ended; log in again")
		}
		return writeJSON(w, http.StatusOK, map[string]any{"userId": userID, "csrf": csrf})
	}
}

// whoami answers the organization of the credential. A domain key or a user
// reaches several; organizationId is the lowest and organizationIds lists all.
func whoami(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := principalFrom(r.Context())
		orgs := st.OrganizationsOf(p)
		if len(orgs) == 0 {
			return apierr.Errorf(apierr.CodeForbidden, "credential reaches no organization")
		}
		sort.Slice(orgs, func(i, j int) bool { return orgs[i] < orgs[j] })
		access := "write"
		if !p.CanWriteAnywhere() {
			access = "read"
		}
		body := map[string]any{"organizationId": orgs[0], "organizationIds": orgs, "accessLevel": access}
		if p.KeyID != 0 {
			body["keyId"] = p.KeyID
		}
		if p.UserID != 0 {
			body["userId"] = p.UserID
		}
		return writeJSON(w, http.StatusOK, body)
	}
}
