package mock_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/spec"
)

// caller is one credential: an Authorization value or a cookie session.
type caller struct {
	auth   string
	cookie *http.Cookie
	csrf   string
}

func (c caller) call(t testing.TB, ts *httptest.Server, method, path, body string) response {
	t.Helper()
	rq := request{method: method, path: path, auth: c.auth, cookie: c.cookie, body: body}
	if c.cookie != nil && method != http.MethodGet {
		rq.header = map[string]string{"c3d-csrf": c.csrf}
	}
	return do(t, ts, rq)
}

func userCaller(t testing.TB, ts *httptest.Server, email string) caller {
	t.Helper()
	c, csrf := loginAs(t, ts, email)
	return caller{cookie: c, csrf: csrf}
}

// must runs a call that has to answer want and returns the response.
func (c caller) must(t testing.TB, ts *httptest.Server, want int, method, path, body string) response {
	t.Helper()
	res := c.call(t, ts, method, path, body)
	if res.status != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, res.status, want, res.body)
	}
	return res
}

var domainKey = caller{auth: keyDomain}

// The rules of the administration operations (README "Roles"): who may do it.
const (
	ruleDomainAdmin = "domain admin"  // a domain key or a domain admin
	ruleOrgAdmin    = "org admin"     // admin on the organization or its domain
	ruleOrgRead     = "org any role"  // any role on the organization or its domain
	ruleProjAdmin   = "project admin" // admin on the project, its organization or domain
	ruleProjRead    = "project any role"
	ruleSelf        = "a user" // a cookie session: one's own account
)

// TestAdminHierarchy walks every role at every scope and every credential kind
// through every administration operation: each is allowed or refused (401 or
// 403) exactly as the rules say, and a refused request changes nothing.
func TestAdminHierarchy(t *testing.T) {
	all := []string{ruleDomainAdmin, ruleOrgAdmin, ruleOrgRead, ruleProjAdmin, ruleProjRead, ruleSelf}
	readers := []string{ruleOrgRead, ruleProjRead, ruleSelf}
	actors := []struct {
		name, auth, email string
		revoked           bool // use a key created and revoked before the row
		can               []string
		refused           int
	}{
		{name: "domain admin", email: "domainadmin@demo.example", can: all},
		{name: "domain member", email: "domainmember@demo.example", can: readers},
		{name: "domain observer", email: "domainobserver@demo.example", can: readers},
		{name: "org admin", email: "admin@demo.example", can: []string{ruleOrgAdmin, ruleOrgRead, ruleProjAdmin, ruleProjRead, ruleSelf}},
		{name: "org member", email: "member@demo.example", can: readers},
		{name: "org observer", email: "orgobserver@demo.example", can: readers},
		{name: "project admin", email: "projectadmin@demo.example", can: []string{ruleProjAdmin, ruleProjRead, ruleSelf}},
		{name: "project member", email: "projectmember@demo.example", can: []string{ruleProjRead, ruleSelf}},
		{name: "project observer", email: "observer@demo.example", can: []string{ruleProjRead, ruleSelf}},
		{name: "other org admin", email: "other@demo.example", can: []string{ruleSelf}},
		{name: "orgkey read-write", auth: keyReadWrite, can: []string{ruleOrgRead, ruleProjRead}},
		{name: "orgkey read-only", auth: keyReadOnly, can: []string{ruleOrgRead, ruleProjRead}},
		{name: "legacy key", auth: keyLegacy, can: []string{ruleOrgRead, ruleProjRead}},
		{name: "domain key", auth: keyDomain, can: []string{ruleDomainAdmin, ruleOrgAdmin, ruleOrgRead, ruleProjAdmin, ruleProjRead}},
		{name: "other org key", auth: keyOther},
		{name: "revoked key", revoked: true, refused: http.StatusUnauthorized},
		{name: "unknown key", auth: "orgkey-nobody", refused: http.StatusUnauthorized},
		{name: "no credential", refused: http.StatusUnauthorized},
	}
	for _, a := range actors {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			// Targets made by the domain key, so refused calls have something to refuse.
			key := domainKey.must(t, ts, 201, "POST", "/v0/organizations/12/apiKeys", `{"name":"target","accessLevel":"read"}`).json(t)
			orgUser := domainKey.must(t, ts, 201, "POST", "/v0/organizations/12/members", `{"email":"org-target@example.com","role":"observer"}`).json(t)
			projUser := domainKey.must(t, ts, 201, "POST", "/v0/projects/4460/members", `{"email":"proj-target@example.com","role":"observer"}`).json(t)
			lms := domainKey.must(t, ts, 201, "POST", "/v0/organizations/12/lmsConfigurations", `{"name":"target","contactEmail":"lms@example.com","type":"xapi"}`).json(t)
			c := caller{auth: a.auth}
			switch {
			case a.email != "":
				c = userCaller(t, ts, a.email)
			case a.revoked:
				gone := domainKey.must(t, ts, 201, "POST", "/v0/organizations/12/apiKeys", `{"name":"gone","accessLevel":"readWrite"}`).json(t)
				domainKey.must(t, ts, 204, "DELETE", fmt.Sprint("/v0/organizations/12/apiKeys/", gone["id"]), "")
				c.auth = gone["key"].(string)
			}
			ops := []struct {
				rule, method, path, body string
				ok                       int
			}{
				{ruleDomainAdmin, "GET", "/v0/domains/1/settings", "", 200},
				{ruleDomainAdmin, "PUT", "/v0/domains/1/settings", `{"brandName":"Table"}`, 200},
				{ruleOrgRead, "GET", "/v0/organizations/12/settings", "", 200},
				{ruleOrgAdmin, "PUT", "/v0/organizations/12/settings", `{"mfaRequired":true}`, 200},
				{ruleProjRead, "GET", "/v0/projects/4460/settings", "", 200},
				{ruleProjAdmin, "PUT", "/v0/projects/4460/settings", `{"enableAi":true}`, 200},
				{ruleOrgAdmin, "GET", "/v0/organizations/12/apiKeys", "", 200},
				{ruleOrgAdmin, "POST", "/v0/organizations/12/apiKeys", `{"name":"row","accessLevel":"read"}`, 201},
				{ruleOrgAdmin, "DELETE", fmt.Sprint("/v0/organizations/12/apiKeys/", key["id"]), "", 204},
				{ruleOrgRead, "GET", "/v0/organizations/12/members", "", 200},
				{ruleOrgAdmin, "POST", "/v0/organizations/12/members", `{"email":"org-invitee@example.com","role":"observer"}`, 201},
				{ruleOrgAdmin, "PUT", fmt.Sprint("/v0/organizations/12/members/", orgUser["userId"]), `{"role":"member"}`, 200},
				{ruleOrgAdmin, "DELETE", fmt.Sprint("/v0/organizations/12/members/", orgUser["userId"]), "", 204},
				{ruleProjRead, "GET", "/v0/projects/4460/members", "", 200},
				{ruleProjAdmin, "POST", "/v0/projects/4460/members", `{"email":"proj-invitee@example.com","role":"member"}`, 201},
				{ruleProjAdmin, "PUT", fmt.Sprint("/v0/projects/4460/members/", projUser["userId"]), `{"role":"admin"}`, 200},
				{ruleProjAdmin, "DELETE", fmt.Sprint("/v0/projects/4460/members/", projUser["userId"]), "", 204},
				{ruleOrgAdmin, "GET", "/v0/organizations/12/auditLogs", "", 200},
				{ruleOrgRead, "GET", "/v0/organizations/12/lmsConfigurations", "", 200},
				{ruleOrgAdmin, "POST", "/v0/organizations/12/lmsConfigurations", `{"name":"row","contactEmail":"a@example.com","type":"scorm"}`, 201},
				{ruleOrgRead, "GET", fmt.Sprint("/v0/organizations/12/lmsConfigurations/", lms["id"]), "", 200},
				{ruleOrgAdmin, "PUT", fmt.Sprint("/v0/organizations/12/lmsConfigurations/", lms["id"]), `{"name":"renamed"}`, 200},
				{ruleOrgAdmin, "DELETE", fmt.Sprint("/v0/organizations/12/lmsConfigurations/", lms["id"]), "", 204},
				{ruleSelf, "GET", "/v0/users/me", "", 200},
				{ruleSelf, "PUT", "/v0/users/me", `{"firstName":"Renamed"}`, 200},
				{ruleSelf, "PUT", "/v0/users/me/password", `{"oldPassword":"demo-password","newPassword":"another-password"}`, 204},
			}
			before := adminSnapshot(t, ts)
			for _, op := range ops {
				want := a.refused
				if want == 0 {
					want = http.StatusForbidden
				}
				for _, r := range a.can {
					if r == op.rule {
						want = op.ok
					}
				}
				res := c.call(t, ts, op.method, op.path, op.body)
				if res.status != want {
					t.Errorf("%s (rule %s): %s %s = %d, want %d: %s", a.name, op.rule, op.method, op.path, res.status, want, res.body)
				}
				after := adminSnapshot(t, ts)
				if res.status >= 400 && !bytes.Equal(before, after) {
					t.Errorf("%s: refused %s %s changed state:\nbefore %s\nafter  %s", a.name, op.method, op.path, before, after)
				}
				before = after
			}
		})
	}
}

// adminSnapshot reads everything the administration operations can change, as
// the domain key sees it. The audit log is part of it, so any write that
// succeeded shows up here even where it left no other trace.
func adminSnapshot(t testing.TB, ts *httptest.Server) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, p := range []string{
		"/v0/domains/1/settings", "/v0/organizations/12/settings", "/v0/projects/4460/settings",
		"/v0/organizations/12/apiKeys", "/v0/organizations/12/members", "/v0/projects/4460/members",
		"/v0/organizations/12/lmsConfigurations", "/v0/organizations/12/auditLogs?limit=1000",
	} {
		res := domainKey.call(t, ts, "GET", p, "")
		if res.status != http.StatusOK {
			t.Fatalf("state: GET %s = %d: %s", p, res.status, res.body)
		}
		b.Write(res.body)
	}
	return b.Bytes()
}

// TestAdminRoleExtension checks x-c3d-role in the spec: only known roles,
// admin on every administration write, and never on an operation without a
// target the pipeline can check it against.
func TestAdminRoleExtension(t *testing.T) {
	roles := map[string]bool{"admin": true, "member": true, "observer": true}
	var admin []string
	for _, op := range spec.Operations(publicDoc(t)) {
		if op.Role == "" {
			continue
		}
		if !roles[op.Role] {
			t.Errorf("%s: x-c3d-role %q is not a role", op.ID, op.Role)
		}
		if op.Scope == "user" || op.Scope == "none" {
			t.Errorf("%s: x-c3d-role on scope %s, which has no target to check it against", op.ID, op.Scope)
		}
		if op.Role == "admin" {
			admin = append(admin, op.ID)
		}
	}
	for _, id := range []string{"listOrganizationApiKeys", "createOrganizationApiKey", "revokeOrganizationApiKey",
		"addOrganizationMember", "updateOrganizationMember", "removeOrganizationMember", "addProjectMember",
		"updateProjectMember", "removeProjectMember", "listAuditLogs", "createLmsConfiguration", "updateLmsConfiguration",
		"deleteLmsConfiguration", "getDomainSettings", "updateDomainSettings", "updateOrganizationSettings", "updateProjectSettings"} {
		if !strings.Contains(","+strings.Join(admin, ",")+",", ","+id+",") {
			t.Errorf("%s: want x-c3d-role: admin", id)
		}
	}
}
