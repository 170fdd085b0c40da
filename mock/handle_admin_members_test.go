package mock_test

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestOrganizationMembers(t *testing.T) {
	ts := newTestServer(t)
	admin := userCaller(t, ts, "admin@demo.example")
	list := admin.must(t, ts, 200, "GET", "/v0/organizations/12/members", "").list(t)
	if len(list) != 3 { // admin, member, orgobserver
		t.Errorf("organization 12 has %d members, want 3: %v", len(list), list)
	}
	// Inviting a new email creates a user; a second invite is a conflict.
	m := admin.must(t, ts, 201, "POST", "/v0/organizations/12/members", `{"email":"new.hire@example.com","firstName":"New","lastName":"Hire"}`).json(t)
	if m["role"] != "member" || m["scope"] != "organization" || m["scopeId"] != json.Number("12") {
		t.Errorf("invite without role: %v, want role member (the organization default) at organization 12", m)
	}
	admin.must(t, ts, 409, "POST", "/v0/organizations/12/members", `{"email":"NEW.HIRE@example.com","role":"admin"}`)
	// Inviting an existing user adds the role; their roles list shows it.
	p := admin.must(t, ts, 201, "POST", "/v0/organizations/12/members", `{"email":"observer@demo.example","role":"observer"}`).json(t)
	if roles := p["roles"].([]any); len(roles) != 2 {
		t.Errorf("observer@demo.example roles = %v, want the project 4460 role and the new organization role", roles)
	}
	path := fmt.Sprint("/v0/organizations/12/members/", m["userId"])
	if got := admin.must(t, ts, 200, "PUT", path, `{"role":"observer"}`).json(t); got["role"] != "observer" {
		t.Errorf("after PUT role = %v, want observer", got["role"])
	}
	admin.must(t, ts, 404, "PUT", "/v0/organizations/12/members/1005", `{"role":"member"}`)
	admin.must(t, ts, 400, "PUT", path, `{"role":"owner"}`)
	admin.must(t, ts, 204, "DELETE", path, "")
	admin.must(t, ts, 404, "DELETE", path, "")
	if n := len(admin.must(t, ts, 200, "GET", "/v0/organizations/12/members", "").list(t)); n != 4 {
		t.Errorf("after invite, add and remove: %d members, want 4", n)
	}
}

// TestRoleChangeTakesEffectOnNextRequest: grants are read per request, so a
// logged-in member feels a role change without logging in again.
func TestRoleChangeTakesEffectOnNextRequest(t *testing.T) {
	ts := newTestServer(t)
	admin := userCaller(t, ts, "admin@demo.example")
	member := userCaller(t, ts, "member@demo.example")
	member.must(t, ts, 403, "GET", "/v0/organizations/12/apiKeys", "")
	member.must(t, ts, 201, "POST", "/v0/organizations/12/tags", `{"title":"while-member"}`)
	admin.must(t, ts, 200, "PUT", "/v0/organizations/12/members/1003", `{"role":"admin"}`)
	member.must(t, ts, 200, "GET", "/v0/organizations/12/apiKeys", "")
	admin.must(t, ts, 200, "PUT", "/v0/organizations/12/members/1003", `{"role":"observer"}`)
	member.must(t, ts, 403, "POST", "/v0/organizations/12/tags", `{"title":"while-observer"}`)
	member.must(t, ts, 200, "GET", "/v0/projects/4460", "")
	admin.must(t, ts, 204, "DELETE", "/v0/organizations/12/members/1003", "")
	member.must(t, ts, 403, "GET", "/v0/projects/4460", "")
	// The user still exists and still reaches their own account.
	member.must(t, ts, 200, "GET", "/v0/users/me", "")
}

func TestProjectMembers(t *testing.T) {
	ts := newTestServer(t)
	padmin := userCaller(t, ts, "projectadmin@demo.example")
	list := padmin.must(t, ts, 200, "GET", "/v0/projects/4460/members", "").list(t)
	if len(list) != 3 { // observer, projectadmin, projectmember
		t.Errorf("project 4460 has %d members, want 3: %v", len(list), list)
	}
	// A project admin manages project 4460 only: not its sibling, not the organization.
	padmin.must(t, ts, 403, "POST", "/v0/projects/4461/members", `{"email":"member@demo.example","role":"observer"}`)
	padmin.must(t, ts, 403, "POST", "/v0/organizations/12/members", `{"email":"x@example.com"}`)
	// Promote the project observer; it can now write in project 4460.
	obs := userCaller(t, ts, "observer@demo.example")
	obs.must(t, ts, 403, "PUT", "/v0/projects/4460/settings", `{"hidden":true}`)
	padmin.must(t, ts, 200, "PUT", "/v0/projects/4460/members/1002", `{"role":"admin"}`)
	obs.must(t, ts, 200, "PUT", "/v0/projects/4460/settings", `{"hidden":true}`)
	// An organization member added to a project keeps the organization role too.
	m := padmin.must(t, ts, 201, "POST", "/v0/projects/4460/members", `{"email":"member@demo.example","role":"admin"}`).json(t)
	if m["scope"] != "project" || len(m["roles"].([]any)) != 2 {
		t.Errorf("project member = %v, want scope project and two roles", m)
	}
	padmin.must(t, ts, 409, "POST", "/v0/projects/4460/members", `{"email":"member@demo.example","role":"member"}`)
	padmin.must(t, ts, 204, "DELETE", "/v0/projects/4460/members/1003", "")
	padmin.must(t, ts, 404, "DELETE", "/v0/projects/4460/members/1001", "")
	// Leaving the organization ends the user's project roles in it.
	admin := userCaller(t, ts, "admin@demo.example")
	admin.must(t, ts, 201, "POST", "/v0/projects/4461/members", `{"email":"member@demo.example","role":"member"}`)
	admin.must(t, ts, 204, "DELETE", "/v0/organizations/12/members/1003", "")
	for _, m := range admin.must(t, ts, 200, "GET", "/v0/projects/4461/members", "").list(t) {
		if m.(map[string]any)["userId"] == json.Number("1003") {
			t.Errorf("user 1003 is still a member of project 4461 after leaving organization 12")
		}
	}
}
