package mock

import (
	"context"
	"net/http"
	"strings"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

type principalKey struct{}

func withPrincipal(ctx context.Context, p *access.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

func principalFrom(ctx context.Context) *access.Principal {
	p, _ := ctx.Value(principalKey{}).(*access.Principal)
	return p
}

// Authorization header forms of the public API and the Data Collector.
const (
	prefixOrgKey    = "orgkey-"
	prefixLegacy    = "APIKEY:ORGANIZATION "
	prefixDomain    = "APIKEY:DOMAIN "
	prefixData      = "APIKEY:DATA "
	prefixDeveloper = "APIKEY:DEVELOPER "
	headerCSRF      = "c3d-csrf"
)

// parseAuthorization splits an Authorization value into its key kind and secret.
// ok is false for a value that matches no form (malformed).
func parseAuthorization(v string) (kind fixtures.KeyKind, secret string, ok bool) {
	forms := []struct {
		prefix string
		kind   fixtures.KeyKind
	}{
		{prefixOrgKey, fixtures.KeyOrg},
		{prefixLegacy, fixtures.KeyLegacy},
		{prefixDomain, fixtures.KeyDomain},
		{prefixData, fixtures.KeyData},
		{prefixDeveloper, fixtures.KeyDeveloper},
	}
	for _, f := range forms {
		if s, found := strings.CutPrefix(v, f.prefix); found {
			s = strings.TrimSpace(s)
			return f.kind, s, s != ""
		}
	}
	return "", "", false
}

// credentialCookie is the x-c3d-credentials kind of the dashboard's session cookie.
const credentialCookie = "cookie"

// credentialKinds is what an operation's security schemes accept (spec.Operation.Credentials).
type credentialKinds struct {
	keys   []fixtures.KeyKind // Authorization forms
	cookie bool               // the c3d_session_v5 cookie
}

// authenticate turns the request's credential into a Principal, accepting
// exactly the credential kinds the operation's security declares. An
// Authorization header wins over a cookie.
func (s *Server) authenticate(r *http.Request, creds credentialKinds) (*access.Principal, error) {
	allowed := creds.keys
	if v := r.Header.Get("Authorization"); v != "" {
		kind, secret, ok := parseAuthorization(v)
		if !ok || !kindAllowed(kind, allowed) {
			rule := "format"
			if ok {
				rule = "keyKind"
			}
			return nil, &apierr.Error{Code: apierr.CodeUnauthorized, Message: "Authorization must be " + describeForms(allowed), Field: "header:Authorization", Rule: rule}
		}
		return s.store.PrincipalForKey(kind, secret, s.now())
	}
	if c, err := r.Cookie(store.CookieName); err == nil && c.Value != "" {
		if !creds.cookie {
			return nil, &apierr.Error{Code: apierr.CodeUnauthorized, Message: "this operation does not take the session cookie; send Authorization: " + describeForms(allowed), Field: "header:Authorization", Rule: "credential"}
		}
		p, csrf, err := s.store.PrincipalForCookie(c.Value)
		if err != nil {
			return nil, err
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !store.ConstantEqual(r.Header.Get(headerCSRF), csrf) {
			return nil, &apierr.Error{Code: apierr.CodeForbidden, Message: "cookie-authenticated " + r.Method + " requests need a matching c3d-csrf header (GET /v0/sessions/current returns it)", Field: "header:c3d-csrf", Rule: "csrf"}
		}
		return p, nil
	}
	return nil, &apierr.Error{Code: apierr.CodeUnauthorized, Message: "missing credential: send an Authorization header or the c3d_session_v5 cookie", Field: "header:Authorization", Rule: "required"}
}

// describeForms names the Authorization forms of the given key kinds.
func describeForms(kinds []fixtures.KeyKind) string {
	forms := map[fixtures.KeyKind]string{
		fixtures.KeyOrg:       "orgkey-<key>",
		fixtures.KeyLegacy:    "APIKEY:ORGANIZATION <key>",
		fixtures.KeyDomain:    "APIKEY:DOMAIN <key>",
		fixtures.KeyData:      "APIKEY:DATA <application key>",
		fixtures.KeyDeveloper: "APIKEY:DEVELOPER <developer key>",
	}
	out := make([]string, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, forms[k])
	}
	return strings.Join(out, " or ")
}

func kindAllowed(k fixtures.KeyKind, allowed []fixtures.KeyKind) bool {
	for _, a := range allowed {
		if a == k {
			return true
		}
	}
	return false
}
