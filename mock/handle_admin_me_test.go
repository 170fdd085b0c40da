package mock_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestCurrentUser(t *testing.T) {
	ts := newTestServer(t)
	obs := userCaller(t, ts, "observer@demo.example")
	res := obs.must(t, ts, 200, "GET", "/v0/users/me", "")
	me := res.json(t)
	if me["email"] != "observer@demo.example" || len(me["roles"].([]any)) != 1 || strings.Contains(string(res.body), "assword") {
		t.Errorf("me = %s, want the observer's profile with one role and no password", res.body)
	}
	// Observers may change their own name: it is their account, not the project.
	upd := obs.must(t, ts, 200, "PUT", "/v0/users/me", `{"lastName":"Grant-Smith"}`).json(t)
	if upd["lastName"] != "Grant-Smith" || upd["firstName"] != "Oliver" {
		t.Errorf("after rename: %v", upd)
	}
	obs.must(t, ts, 400, "PUT", "/v0/users/me", `{}`)
	obs.must(t, ts, 400, "PUT", "/v0/users/me", `{"email":"x@example.com"}`)
	for _, key := range []string{keyReadWrite, keyReadOnly, keyLegacy, keyDomain} {
		caller{auth: key}.must(t, ts, 403, "GET", "/v0/users/me", "")
		caller{auth: key}.must(t, ts, 403, "PUT", "/v0/users/me", `{"firstName":"Key"}`)
	}
}

func TestChangePassword(t *testing.T) {
	ts := newTestServer(t)
	first := userCaller(t, ts, "member@demo.example")
	second := userCaller(t, ts, "member@demo.example")
	other := userCaller(t, ts, "admin@demo.example")
	res := first.call(t, ts, "PUT", "/v0/users/me/password", `{"oldPassword":"wrong","newPassword":"new-password-1"}`)
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "oldPassword") {
		t.Fatalf("wrong old password: %d %s, want 400 naming oldPassword", res.status, res.body)
	}
	first.must(t, ts, 400, "PUT", "/v0/users/me/password", `{"oldPassword":"demo-password","newPassword":"short"}`)
	first.must(t, ts, 200, "GET", "/v0/users/me", "") // failed attempts end nothing
	first.must(t, ts, 204, "PUT", "/v0/users/me/password", `{"oldPassword":"demo-password","newPassword":"new-password-1"}`)
	// Every session of that user ends; other users' sessions do not.
	first.must(t, ts, 401, "GET", "/v0/users/me", "")
	second.must(t, ts, 401, "GET", "/v0/projects/4460", "")
	other.must(t, ts, 200, "GET", "/v0/users/me", "")
	if res := do(t, ts, request{method: "POST", path: "/v0/sessions", body: `{"email":"member@demo.example","password":"demo-password"}`}); res.status != 401 {
		t.Errorf("login with the old password: %d, want 401", res.status)
	}
	if res := do(t, ts, request{method: "POST", path: "/v0/sessions", body: `{"email":"member@demo.example","password":"new-password-1"}`}); res.status != 200 {
		t.Errorf("login with the new password: %d, want 200 (%s)", res.status, res.body)
	}
}
