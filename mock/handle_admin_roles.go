package mock

import "github.com/c3dmock/c3dmock/fixtures"

// requireRole applies an operation's x-c3d-role: the least role p must hold
// at the operation's scope over t. Keys count through their grants (an
// organization key is a member, a read-only key an observer, a domain key a
// domain admin), so "admin" shuts out every organization key. The pipeline
// calls it right after allows, for every target.
func (p *Principal) requireRole(t Target, scope, least string) error {
	if least == "" {
		return nil
	}
	need, ok := roleRank[fixtures.Role(least)]
	if !ok {
		return errorf(CodeInternal, "x-c3d-role %q is not a role", least)
	}
	role := p.roleAt(t, scope)
	if roleRank[role] < need {
		held := string(role)
		if held == "" {
			held = "no role"
		}
		return errorf(CodeForbidden, "this operation needs the %s role on %s; the credential has %s there", least, t.describe(scope), held)
	}
	return nil
}
