package mock

import (
	"context"
	"net/http"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Principal is who a request acts as: an API key or a logged-in user. Keys are
// mapped onto the same grants users hold, so one rule decides every access.
type Principal struct {
	KeyID    int64 // 0 for users
	KeyKind  fixtures.KeyKind
	UserID   int64 // the user of a cookie session or of a developer key
	Grants   []fixtures.Grant
	ReadOnly bool // a read-only key
	Cookie   bool // authenticated by c3d_session_v5
}

type principalKey struct{}

func withPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

func principalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Authorization header forms of the public API and the Data Collector.
const (
	prefixOrgKey    = "orgkey-"
	prefixLegacy    = "APIKEY:ORGANIZATION "
	prefixDomain    = "APIKEY:DOMAIN "
	prefixData      = "APIKEY:DATA "
	prefixDeveloper = "APIKEY:DEVELOPER "
	cookieName      = "c3d_session_v5"
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
func (s *Server) authenticate(r *http.Request, creds credentialKinds) (*Principal, error) {
	allowed := creds.keys
	if v := r.Header.Get("Authorization"); v != "" {
		kind, secret, ok := parseAuthorization(v)
		if !ok || !kindAllowed(kind, allowed) {
			rule := "format"
			if ok {
				rule = "keyKind"
			}
			return nil, &Error{Code: CodeUnauthorized, Message: "Authorization must be " + describeForms(allowed), Field: "header:Authorization", Rule: rule}
		}
		return s.store.principalForKey(kind, secret, s.now())
	}
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
		if !creds.cookie {
			return nil, &Error{Code: CodeUnauthorized, Message: "this operation does not take the session cookie; send Authorization: " + describeForms(allowed), Field: "header:Authorization", Rule: "credential"}
		}
		p, csrf, err := s.store.principalForCookie(c.Value)
		if err != nil {
			return nil, err
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !constantEqual(r.Header.Get(headerCSRF), csrf) {
			return nil, &Error{Code: CodeForbidden, Message: "cookie-authenticated " + r.Method + " requests need a matching c3d-csrf header (GET /v0/sessions/current returns it)", Field: "header:c3d-csrf", Rule: "csrf"}
		}
		return p, nil
	}
	return nil, &Error{Code: CodeUnauthorized, Message: "missing credential: send an Authorization header or the c3d_session_v5 cookie", Field: "header:Authorization", Rule: "required"}
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

// Target is the resource an operation acts on, resolved up the hierarchy.
type Target struct {
	DomainID, OrganizationID, ProjectID int64
}

// roleRank orders roles; a higher rank includes what lower ranks may do.
var roleRank = map[fixtures.Role]int{fixtures.RoleObserver: 1, fixtures.RoleMember: 2, fixtures.RoleAdmin: 3}

// roleAt returns the strongest role p holds over t at the given scope level.
// Grants at a higher level include the lower ones; a project grant never
// reaches organization-level operations.
func (p *Principal) roleAt(t Target, scope string) fixtures.Role {
	best := fixtures.Role("")
	for _, g := range p.Grants {
		covers := false
		switch g.Scope {
		case "domain":
			covers = t.DomainID != 0 && g.ID == t.DomainID
		case "organization":
			covers = scope != "domain" && t.OrganizationID != 0 && g.ID == t.OrganizationID
		case "project":
			covers = (scope == "project" || scope == "version") && t.ProjectID != 0 && g.ID == t.ProjectID
		}
		if covers && roleRank[g.Role] > roleRank[best] {
			best = g.Role
		}
	}
	if best != "" && p.ReadOnly {
		return fixtures.RoleObserver
	}
	return best
}

// canWriteAnywhere reports whether p holds any role that may write. It lets the
// pipeline refuse read-only keys and pure observers before reading the body.
func (p *Principal) canWriteAnywhere() bool {
	if p.ReadOnly {
		return false
	}
	for _, g := range p.Grants {
		if roleRank[g.Role] >= roleRank[fixtures.RoleMember] {
			return true
		}
	}
	return false
}

// allows checks p against target t at the given scope. Any role may read,
// writes need a member, and an operation's x-c3d-role (least) may ask for more:
// "admin" shuts out every organization key, which acts as a member.
func (p *Principal) allows(t Target, scope string, write bool, least fixtures.Role) error {
	need := fixtures.RoleObserver
	if write {
		need = fixtures.RoleMember
	}
	if roleRank[least] > roleRank[need] {
		need = least
	}
	role := p.roleAt(t, scope)
	switch {
	case role == "":
		return errorf(CodeForbidden, "credential has no access to %s", t.describe(scope))
	case roleRank[role] >= roleRank[need]:
		return nil
	case need == fixtures.RoleMember:
		return errorf(CodeForbidden, "role %s on %s is read-only", role, t.describe(scope))
	}
	return errorf(CodeForbidden, "this operation needs the %s role on %s; the credential has %s there", need, t.describe(scope), role)
}

func (t Target) describe(scope string) string {
	switch scope {
	case "domain":
		return "domain " + itoa(t.DomainID)
	case "organization":
		return "organization " + itoa(t.OrganizationID)
	}
	return "project " + itoa(t.ProjectID)
}
