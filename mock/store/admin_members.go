package store

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Members are users holding a role directly on one organization or project
// (a fixtures.Grant). Grants are read on every request (principalForCookie),
// so a change here takes effect on the member's next request.

// Member is a user's role at one organization or project.
type Member struct {
	UserID     int64            `json:"userId"`
	Email      string           `json:"email"`
	FirstName  string           `json:"firstName"`
	LastName   string           `json:"lastName"`
	Role       fixtures.Role    `json:"role"`
	Scope      string           `json:"scope"`   // organization | project
	ScopeID    int64            `json:"scopeId"` // the organization or project
	Roles      []fixtures.Grant `json:"roles"`   // every role inside the organization
	MFAEnabled bool             `json:"mfaEnabled"`
}

// MemberInput is the body of an invite.
type MemberInput struct {
	Email     string        `json:"email"`
	Role      fixtures.Role `json:"role"`
	FirstName string        `json:"firstName"`
	LastName  string        `json:"lastName"`
}

// orgOfScope returns the organization that holds scope/id, or 404.
func (w *world) orgOfScope(scope string, id int64) (int64, error) {
	if scope == "project" {
		p, ok := w.projects[id]
		if !ok {
			return 0, apierr.Errorf(apierr.CodeNotFound, "project %d not found", id)
		}
		return p.OrganizationID, nil
	}
	if _, ok := w.orgs[id]; !ok {
		return 0, apierr.Errorf(apierr.CodeNotFound, "organization %d not found", id)
	}
	return id, nil
}

func grantIndex(u fixtures.User, scope string, id int64) int {
	return slices.IndexFunc(u.Grants, func(g fixtures.Grant) bool { return g.Scope == scope && g.ID == id })
}

func (w *world) member(u fixtures.User, scope string, id, orgID int64) Member {
	m := Member{UserID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Scope: scope, ScopeID: id, Roles: []fixtures.Grant{}}
	for _, g := range u.Grants {
		if g.Scope == scope && g.ID == id {
			m.Role = g.Role
		}
		inOrg := (g.Scope == "organization" && g.ID == orgID) || (g.Scope == "project" && w.projects[g.ID].OrganizationID == orgID)
		if inOrg {
			m.Roles = append(m.Roles, g)
		}
	}
	return m
}

// Members lists the users with a role on scope/id, by user id.
func (st *Store) Members(scope string, id int64) ([]Member, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	w := st.w
	orgID, err := w.orgOfScope(scope, id)
	if err != nil {
		return nil, err
	}
	out := []Member{}
	for _, u := range w.users {
		if grantIndex(u, scope, id) >= 0 {
			out = append(out, w.member(u, scope, id, orgID))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out, nil
}

// AddMember gives the user with in.Email a role on scope/id. An unknown email
// creates the user with a random password that nobody is told: the vendor
// emails an invitation, the mock does not, so such users cannot log in until a
// test seeds them otherwise. A user who already holds a role there is 409.
func (st *Store) AddMember(scope string, id int64, in MemberInput) (Member, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	orgID, err := w.orgOfScope(scope, id)
	if err != nil {
		return Member{}, err
	}
	role := in.Role
	if role == "" {
		role = w.defaultRole(orgID)
	}
	var u fixtures.User
	found := false
	for _, c := range w.users {
		if strings.EqualFold(c.Email, in.Email) {
			u, found = c, true
			break
		}
	}
	if !found {
		u = fixtures.User{ID: w.newID(), Email: in.Email, Password: w.randomToken(), FirstName: in.FirstName, LastName: in.LastName}
	} else if grantIndex(u, scope, id) >= 0 {
		return Member{}, &apierr.Error{Code: apierr.CodeConflict, Message: "user " + strconv.FormatInt(u.ID, 10) + " is already a member of " + scope + " " + strconv.FormatInt(id, 10) + "; change the role with PUT", Field: "/email", Rule: "unique"}
	}
	u.Grants = append(slices.Clone(u.Grants), fixtures.Grant{Scope: scope, ID: id, Role: role})
	w.users[u.ID] = u
	return w.member(u, scope, id, orgID), nil
}

// UpdateMember changes the role userID holds on scope/id.
func (st *Store) UpdateMember(scope string, id, userID int64, role fixtures.Role) (Member, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	orgID, err := w.orgOfScope(scope, id)
	if err != nil {
		return Member{}, err
	}
	u, ok := w.users[userID]
	i := grantIndex(u, scope, id)
	if !ok || i < 0 {
		return Member{}, apierr.Errorf(apierr.CodeNotFound, "user %d is not a member of %s %d", userID, scope, id)
	}
	u.Grants = slices.Clone(u.Grants)
	u.Grants[i].Role = role
	w.users[userID] = u
	return w.member(u, scope, id, orgID), nil
}

// RemoveMember takes userID's role on scope/id away. Leaving an organization
// also ends the user's roles on its projects.
func (st *Store) RemoveMember(scope string, id, userID int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if _, err := w.orgOfScope(scope, id); err != nil {
		return err
	}
	u, ok := w.users[userID]
	if !ok || grantIndex(u, scope, id) < 0 {
		return apierr.Errorf(apierr.CodeNotFound, "user %d is not a member of %s %d", userID, scope, id)
	}
	u.Grants = filter(u.Grants, func(g fixtures.Grant) bool {
		if g.Scope == scope && g.ID == id {
			return false
		}
		return !(scope == "organization" && g.Scope == "project" && w.projects[g.ID].OrganizationID == id)
	})
	w.users[userID] = u
	return nil
}
