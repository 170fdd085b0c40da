package mock_test

import (
	"fmt"
	"net/http"
	"testing"
)

// TestAuthMatrix walks every credential form against reads and writes inside
// and outside its scope, then checks that refused writes changed nothing.
func TestAuthMatrix(t *testing.T) {
	ts := newTestServer(t)
	adminCookie, adminCSRF := loginAs(t, ts, "admin@demo.example")
	obsCookie, obsCSRF := loginAs(t, ts, "observer@demo.example")

	type cred struct {
		name   string
		auth   string
		cookie *http.Cookie
		csrf   string
	}
	creds := []cred{
		{name: "orgkey read-write", auth: keyReadWrite},
		{name: "orgkey read-only", auth: keyReadOnly},
		{name: "legacy", auth: keyLegacy},
		{name: "other org", auth: keyOther},
		{name: "domain", auth: keyDomain},
		{name: "admin cookie", cookie: adminCookie, csrf: adminCSRF},
		{name: "observer cookie", cookie: obsCookie, csrf: obsCSRF},
		{name: "none"},
		{name: "malformed", auth: "Token demo-readwrite"},
		{name: "unknown", auth: "orgkey-unknown"},
		{name: "empty orgkey", auth: "orgkey-"},
		{name: "unknown domain key", auth: "APIKEY:DOMAIN nope"},
		{name: "unknown session cookie", cookie: &http.Cookie{Name: "c3d_session_v5", Value: "forged"}, csrf: "x"},
	}
	// Columns: read 4460 (org 12), read 2797 (org 76), write org 12, write org 76, read 4461 (org 12).
	want := map[string][5]int{
		"orgkey read-write":      {200, 403, 201, 403, 200},
		"orgkey read-only":       {200, 403, 403, 403, 200},
		"legacy":                 {200, 403, 201, 403, 200},
		"other org":              {403, 200, 403, 201, 403},
		"domain":                 {200, 200, 201, 201, 200},
		"admin cookie":           {200, 403, 201, 403, 200},
		"observer cookie":        {200, 403, 403, 403, 403},
		"none":                   {401, 401, 401, 401, 401},
		"malformed":              {401, 401, 401, 401, 401},
		"unknown":                {401, 401, 401, 401, 401},
		"empty orgkey":           {401, 401, 401, 401, 401},
		"unknown domain key":     {401, 401, 401, 401, 401},
		"unknown session cookie": {401, 401, 401, 401, 401},
	}
	created := map[string]int{}
	for i, c := range creds {
		title := fmt.Sprintf("matrix-%d", i)
		calls := []request{
			{method: "GET", path: "/v0/projects/4460"},
			{method: "GET", path: "/v0/projects/2797"},
			{method: "POST", path: "/v0/organizations/12/tags", body: `{"title":"` + title + `"}`},
			{method: "POST", path: "/v0/organizations/76/tags", body: `{"title":"` + title + `"}`},
			{method: "GET", path: "/v0/projects/4461"},
		}
		for j, rq := range calls {
			rq.auth, rq.cookie = c.auth, c.cookie
			if c.csrf != "" && rq.method != "GET" {
				rq.header = map[string]string{"c3d-csrf": c.csrf}
			}
			got := do(t, ts, rq)
			if got.status != want[c.name][j] {
				t.Errorf("%s: %s %s = %d, want %d (%s)", c.name, rq.method, rq.path, got.status, want[c.name][j], got.body)
			}
			if got.status == http.StatusCreated {
				created[rq.path]++
			}
		}
	}
	for _, org := range []string{"12", "76"} {
		path := "/v0/organizations/" + org + "/tags"
		res := do(t, ts, request{method: "GET", path: path, auth: keyDomain})
		n := 0
		for _, tag := range res.list(t) {
			if title, _ := tag.(map[string]any)["title"].(string); len(title) > 7 && title[:7] == "matrix-" {
				n++
			}
		}
		if n != created[path] {
			t.Errorf("org %s has %d matrix tags, want %d: a refused request changed state", org, n, created[path])
		}
	}
}

func TestCookieWriteNeedsCSRF(t *testing.T) {
	ts := newTestServer(t)
	cookie, csrf := loginAs(t, ts, "admin@demo.example")
	tests := []struct {
		name, csrf string
		want       int
	}{
		{"missing", "", 403},
		{"wrong", "not-the-token", 403},
		{"matching", csrf, 201},
	}
	for _, tt := range tests {
		rq := request{method: "POST", path: "/v0/organizations/12/tags", cookie: cookie, body: `{"title":"csrf-` + tt.name + `"}`}
		if tt.csrf != "" {
			rq.header = map[string]string{"c3d-csrf": tt.csrf}
		}
		if got := do(t, ts, rq); got.status != tt.want {
			t.Errorf("csrf %s: status %d, want %d (%s)", tt.name, got.status, tt.want, got.body)
		}
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/4460", cookie: cookie}); got.status != 200 {
		t.Errorf("cookie GET without csrf: %d, want 200", got.status)
	}
	cur := do(t, ts, request{method: "GET", path: "/v0/sessions/current", cookie: cookie})
	if cur.status != 200 || cur.json(t)["csrf"] != csrf {
		t.Errorf("GET /v0/sessions/current = %d %s, want the login csrf", cur.status, cur.body)
	}
}

func TestLoginRejectsWrongPassword(t *testing.T) {
	ts := newTestServer(t)
	for _, body := range []string{
		`{"email":"admin@demo.example","password":"wrong"}`,
		`{"email":"nobody@demo.example","password":"demo-password"}`,
	} {
		if got := do(t, ts, request{method: "POST", path: "/v0/sessions", body: body}); got.status != 401 {
			t.Errorf("login %s: %d, want 401", body, got.status)
		}
	}
	if got := do(t, ts, request{method: "POST", path: "/v0/sessions", body: `{"email":"admin@demo.example"}`}); got.status != 400 {
		t.Errorf("login without password: %d, want 400", got.status)
	}
}

func TestWhoami(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		auth   string
		org    string
		access string
	}{
		{keyReadWrite, "12", "write"},
		{keyReadOnly, "12", "read"},
		{keyLegacy, "12", "write"},
		{keyOther, "76", "write"},
	}
	for _, tt := range tests {
		res := do(t, ts, request{method: "GET", path: "/v0/organizations/apiKeys/whoami", auth: tt.auth})
		if res.status != 200 {
			t.Fatalf("whoami %s: %d %s", tt.auth, res.status, res.body)
		}
		body := res.json(t)
		if fmt.Sprint(body["organizationId"]) != tt.org || body["accessLevel"] != tt.access {
			t.Errorf("whoami %s = %s, want organization %s access %s", tt.auth, res.body, tt.org, tt.access)
		}
	}
}
