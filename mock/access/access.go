package access

import (
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"

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

// Target is the resource an operation acts on, resolved up the hierarchy.
type Target struct {
	DomainID, OrganizationID, ProjectID int64
}

// roleRank orders roles; a higher rank includes what lower ranks may do.
var roleRank = map[fixtures.Role]int{fixtures.RoleObserver: 1, fixtures.RoleMember: 2, fixtures.RoleAdmin: 3}

// roleAt returns the strongest role p holds over t at the given scope level.
// Grants at a higher level include the lower ones; a project grant never
// reaches organization-level operations.
func (p *Principal) RoleAt(t Target, scope string) fixtures.Role {
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
func (p *Principal) CanWriteAnywhere() bool {
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
func (p *Principal) Allows(t Target, scope string, write bool, least fixtures.Role) error {
	need := fixtures.RoleObserver
	if write {
		need = fixtures.RoleMember
	}
	if roleRank[least] > roleRank[need] {
		need = least
	}
	role := p.RoleAt(t, scope)
	switch {
	case role == "":
		return apierr.Errorf(apierr.CodeForbidden, "credential has no access to %s", t.describe(scope))
	case roleRank[role] >= roleRank[need]:
		return nil
	case need == fixtures.RoleMember:
		return apierr.Errorf(apierr.CodeForbidden, "role %s on %s is read-only", role, t.describe(scope))
	}
	return apierr.Errorf(apierr.CodeForbidden, "this operation needs the %s role on %s; the credential has %s there", need, t.describe(scope), role)
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

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
