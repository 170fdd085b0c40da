package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

// sandboxServers serves both hosts of one server whose base clock the test
// moves (for sandbox TTLs), with the given sandbox limits.
func sandboxServers(t *testing.T, cfg mock.Config) (data, public *httptest.Server, now *atomic.Int64) {
	t.Helper()
	now = &atomic.Int64{}
	now.Store(testNow.UnixNano())
	cfg.Spec, cfg.DataSpec, cfg.Seed, cfg.Sessions = publicDoc(t), dataDoc(t), 1, 60
	cfg.Now = func() time.Time { return time.Unix(0, now.Load()).UTC() }
	srv, err := mock.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data, public = serveBoth(t, srv)
	return data, public, now
}

// in selects a sandbox for a request by header ("" for none).
func in(sandbox string, rq request) request {
	if sandbox != "" {
		h := map[string]string{mock.SandboxHeader: sandbox}
		for k, v := range rq.header {
			h[k] = v
		}
		rq.header = h
	}
	return rq
}

func control(method, path, body string) request {
	return request{method: method, path: path, body: body, header: map[string]string{mock.ControlHeader: "1"}}
}

// TestSandboxesIsolated writes every kind of state in three sandboxes at
// once - one selected by the key's @suffix, one by the header, the default
// one by neither - and checks that none sees another's writes.
func TestSandboxesIsolated(t *testing.T) {
	data, public, _ := sandboxServers(t, mock.Config{})
	pub, dat := public, data
	sid := sceneSessionID(t, pub, 7012)
	names := []string{"job-key", "job-header", ""} // "" = the default sandbox
	// auth adds the key suffix for the first sandbox; header selects the second.
	sel := func(i int, rq request) request {
		switch i {
		case 0:
			if rq.auth != "" {
				rq.auth += "@job-key"
			}
			return rq
		case 1:
			return in("job-header", rq)
		}
		return rq
	}
	var wg sync.WaitGroup
	keys := make([]string, len(names))
	for i := range names {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			label := fmt.Sprintf("box-%d", i)
			writes := []request{
				{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: fmt.Sprintf(`{"name":%q}`, label)},
				{method: "PUT", path: "/v0/projects/4460/sessions/" + sid + "/tags/junk", auth: keyReadWrite, body: `{"value":true}`},
				{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: fmt.Sprintf(`{"title":%q,"projectIds":[4460]}`, label)},
				{method: "POST", path: "/v0/projects/4460/remoteVariables", auth: keyReadWrite, body: fmt.Sprintf(`{"name":%q,"valueInt":%d}`, label, i)},
				{method: "POST", path: "/v0/projects/4460/media?name=" + label, auth: keyReadWrite, body: string(encodePNG(t)), contentType: "image/png"},
			}
			if i < 2 { // the default sandbox keeps its members and objective for the comparison
				writes = append(writes, request{method: "POST", path: "/v0/versions/7012/objectives/268/versions", auth: keyReadWrite,
					body: `{"objectiveComponents":[{"sequenceNumber":1,"type":"fixationstep","isStep":true}]}`})
			}
			for _, w := range writes {
				if res := do(t, pub, sel(i, w)); res.status >= 300 {
					t.Errorf("%s: %s %s: %d %s", label, w.method, w.path, res.status, res.body)
				}
			}
			res := do(t, pub, sel(i, request{method: "POST", path: "/v0/organizations/12/apiKeys", auth: keyDomain, body: `{"name":"ci","accessLevel":"readWrite"}`}))
			if res.status != http.StatusCreated {
				t.Errorf("%s: create key: %d %s", label, res.status, res.body)
				return
			}
			keys[i] = res.json(t)["key"].(string)
			ev := fmt.Sprintf(`{"userid":"u","timestamp":1793530800,"sessionid":%q,"part":1,"formatversion":"1.0","data":[{"name":%q,"time":1793530801,"point":[0,0,0]}]}`, sid, label)
			if res := do(t, dat, sel(i, request{method: "POST", path: "/v0/events/" + sceneDemo + "?version=2", auth: keyApp, body: ev})); res.status >= 300 {
				t.Errorf("%s: ingest: %d %s", label, res.status, res.body)
			}
			body, ct := multipartBody(t,
				[4]string{"scene.gltf", "scene.gltf", "application/octet-stream", gltfDoc},
				[4]string{"scene.bin", "scene.bin", "application/octet-stream", "\x00\x01\x02\x03"},
				[4]string{"settings.json", "settings.json", "application/json", `{"scale":1,"sceneName":"` + label + `","sdkVersion":"1.0"}`})
			if res := do(t, dat, sel(i, request{method: "POST", path: "/v0/scenes", auth: keyDeveloper, body: body, contentType: ct})); res.status != http.StatusCreated {
				t.Errorf("%s: scene upload: %d %s", label, res.status, res.body)
			}
		}(i)
	}
	wg.Wait()
	baseSteps := strings.Count(string(do(t, pub, request{method: "GET", path: "/v0/projects/4460/objectives/268", auth: keyReadOnly}).body), `"fixationstep"`)
	for i := range names {
		label := fmt.Sprintf("box-%d", i)
		read := func(path, auth string) string {
			return string(do(t, pub, sel(i, request{method: "GET", path: path, auth: auth})).body)
		}
		seen := map[string]string{
			"project":          read("/v0/projects/4460", keyReadOnly),
			"tags":             read("/v0/organizations/12/tags/all", keyReadOnly),
			"remote variables": read("/v0/projects/4460/remoteVariables", keyReadOnly),
			"media":            read("/v0/projects/4460/media", keyReadOnly),
			"uploaded scenes":  read("/v0/projects/4460/scenes", keyReadOnly),
			"raw data":         string(do(t, pub, sel(i, request{method: "POST", path: "/v0/projects/4460/sessions/" + sid + "/jsonRequests", auth: keyReadOnly, body: `{"jsonType":"ALL","addProperties":true}`})).body),
		}
		audit := do(t, pub, sel(i, request{method: "GET", path: "/v0/organizations/12/auditLogs", auth: keyDomain})).json(t)
		if want := map[bool]string{true: "7", false: "6"}[i < 2]; fmt.Sprint(audit["count"]) != want { // its writes and its key, no other's
			t.Errorf("%s: audit log has %v entries, want %s", label, audit["count"], want)
		}
		for what, body := range seen {
			for j := range names {
				other := fmt.Sprintf("box-%d", j)
				if (j == i) != strings.Contains(body, other) {
					t.Errorf("%s: %s: sees %s = %v, want %v: %.300s", label, what, other, strings.Contains(body, other), j == i, body)
				}
			}
		}
		objective := read("/v0/projects/4460/objectives/268", keyReadOnly)
		if got, want := strings.Count(objective, `"fixationstep"`) > baseSteps, i < 2; got != want {
			t.Errorf("%s: objective 268 has its own new version = %v, want %v", label, got, want)
		}
		// A key created in a sandbox works there, with the same suffix, and nowhere else.
		for j := range names {
			want := http.StatusOK
			if j != i {
				want = http.StatusUnauthorized
			}
			if res := do(t, pub, sel(j, request{method: "GET", path: "/v0/organizations/apiKeys/whoami", auth: keys[i]})); res.status != want {
				t.Errorf("key created in %s used in sandbox %q: %d, want %d", label, names[j], res.status, want)
			}
		}
	}
}

// TestSandboxCookieStays: a login in a sandbox sets a cookie that carries
// the sandbox, so the browser-style client needs no header afterwards.
func TestSandboxCookieStays(t *testing.T) {
	_, public, _ := sandboxServers(t, mock.Config{})
	pub := public
	res := do(t, pub, in("ui", request{method: "POST", path: "/v0/sessions", body: `{"email":"admin@demo.example","password":"` + demoPassword + `"}`}))
	if res.status != http.StatusOK {
		t.Fatalf("login: %d %s", res.status, res.body)
	}
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == "c3d_session_v5" {
			cookie = c
		}
	}
	if cookie == nil || !strings.HasSuffix(cookie.Value, "@ui") {
		t.Fatalf("login in sandbox ui: cookie %v, want a value ending in @ui", cookie)
	}
	csrf := res.json(t)["csrf"].(string)
	write := request{method: "PUT", path: "/v0/projects/4460", body: `{"name":"from-the-ui"}`, cookie: cookie, header: map[string]string{"c3d-csrf": csrf}}
	if res := do(t, pub, write); res.status != http.StatusOK {
		t.Fatalf("cookie write without a header: %d %s", res.status, res.body)
	}
	if body := string(do(t, pub, in("ui", request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly})).body); !strings.Contains(body, "from-the-ui") {
		t.Errorf("the cookie's write did not land in sandbox ui: %.200s", body)
	}
	if body := string(do(t, pub, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}).body); strings.Contains(body, "from-the-ui") {
		t.Errorf("the cookie's write reached the default sandbox")
	}
	// The same cookie sent to another sandbox is refused, naming both.
	res = do(t, pub, in("other", request{method: "GET", path: "/v0/sessions/current", cookie: cookie}))
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "sandboxAgree") {
		t.Errorf("cookie of ui with header other: %d %s, want 400 sandboxAgree", res.status, res.body)
	}
}

func TestSandboxSelectorErrors(t *testing.T) {
	_, public, _ := sandboxServers(t, mock.Config{})
	pub := public
	for _, tt := range []struct {
		name   string
		rq     request
		status int
		field  string
		rule   string
	}{
		{"bad name", in("job 42!", request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}), 400, "header:C3dmock-Sandbox", "pattern"},
		{"too long", in(strings.Repeat("a", 65), request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}), 400, "header:C3dmock-Sandbox", "pattern"},
		{"header and key disagree", in("a", request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly + "@b"}), 400, "header:Authorization", "sandboxAgree"},
		{"header and key agree", in("a", request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly + "@a"}), 200, "", ""},
		{"legacy form with suffix", request{method: "GET", path: "/v0/projects/4460", auth: keyLegacy + "@a"}, 200, "", ""},
		{"default by name", in("default", request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}), 200, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, pub, tt.rq)
			if res.status != tt.status {
				t.Fatalf("%d %s, want %d", res.status, res.body, tt.status)
			}
			if tt.field != "" {
				m := res.json(t)
				if m["field"] != tt.field || m["rule"] != tt.rule {
					t.Errorf("field %v rule %v, want %s %s: %s", m["field"], m["rule"], tt.field, tt.rule, res.body)
				}
			}
		})
	}
}

func sandboxNames(t *testing.T, pub *httptest.Server) []string {
	t.Helper()
	res := do(t, pub, request{method: "GET", path: "/__c3dmock/sandboxes"})
	var body struct {
		Sandboxes []struct {
			Name        string `json:"name"`
			Requests    int64  `json:"requests"`
			StoredBytes int64  `json:"storedBytes"`
		} `json:"sandboxes"`
	}
	if err := json.Unmarshal(res.body, &body); err != nil || res.status != 200 {
		t.Fatalf("list sandboxes: %d %s %v", res.status, res.body, err)
	}
	var out []string
	for _, s := range body.Sandboxes {
		out = append(out, s.Name)
	}
	return out
}

// TestSandboxEvictionAndTTL: the least recently used sandbox makes room at
// the cap, an idle one is dropped after the TTL, and a dropped sandbox
// comes back as a fresh fork.
func TestSandboxEvictionAndTTL(t *testing.T) {
	_, public, now := sandboxServers(t, mock.Config{MaxSandboxes: 2, SandboxTTL: time.Minute})
	pub := public
	rename := func(box, name string) {
		if res := do(t, pub, in(box, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"` + name + `"}`})); res.status != 200 {
			t.Fatalf("rename in %s: %d %s", box, res.status, res.body)
		}
	}
	name := func(box string) string {
		res := do(t, pub, in(box, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}))
		return res.json(t)["name"].(string)
	}
	tick := func(d time.Duration) { now.Add(int64(d)) }
	rename("a", "in-a")
	tick(time.Second)
	rename("b", "in-b")
	tick(time.Second)
	rename("c", "in-c") // the cap is 2: a, used least recently, goes
	if got := strings.Join(sandboxNames(t, pub), ","); got != "b,c,default" {
		t.Errorf("after the third sandbox: %s, want b,c,default", got)
	}
	if got := name("a"); got == "in-a" {
		t.Errorf("evicted sandbox a kept its write")
	}
	tick(2 * time.Minute) // past the TTL: every named sandbox is idle
	if got := strings.Join(sandboxNames(t, pub), ","); got != "default" {
		t.Errorf("after the TTL: %s, want only default", got)
	}
	if got := name("b"); got == "in-b" {
		t.Errorf("expired sandbox b kept its write")
	}
	// Deleting: 204, then 404; the default sandbox is never deleted.
	if res := do(t, pub, control("DELETE", "/__c3dmock/sandboxes/b", "")); res.status != http.StatusNoContent {
		t.Errorf("delete b: %d %s", res.status, res.body)
	}
	if res := do(t, pub, control("DELETE", "/__c3dmock/sandboxes/b", "")); res.status != http.StatusNotFound {
		t.Errorf("delete b again: %d %s", res.status, res.body)
	}
	if res := do(t, pub, control("DELETE", "/__c3dmock/sandboxes/default", "")); res.status != http.StatusBadRequest {
		t.Errorf("delete default: %d %s", res.status, res.body)
	}
}

// TestSandboxResetIsLocal: POST /__c3dmock/reset resets only the sandbox
// its header selects.
func TestSandboxResetIsLocal(t *testing.T) {
	_, public, _ := sandboxServers(t, mock.Config{})
	pub := public
	for _, box := range []string{"", "x"} {
		if res := do(t, pub, in(box, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"written-` + box + `"}`})); res.status != 200 {
			t.Fatal(res.status, string(res.body))
		}
	}
	if res := do(t, pub, in("x", control("POST", "/__c3dmock/reset", ""))); res.status != 200 {
		t.Fatalf("reset x: %d %s", res.status, res.body)
	}
	if body := string(do(t, pub, in("x", request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly})).body); strings.Contains(body, "written-x") {
		t.Errorf("sandbox x kept its write after its reset")
	}
	if body := string(do(t, pub, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}).body); !strings.Contains(body, "written-") {
		t.Errorf("resetting x reset the default sandbox: %.200s", body)
	}
}

// TestSandboxesShareTheBudget: each sandbox's world and data count against
// the one --store-budget; past it a new sandbox is 507, and deleting one
// makes room.
func TestSandboxesShareTheBudget(t *testing.T) {
	_, public, _ := sandboxServers(t, mock.Config{StoreBudget: 700 << 10}) // two sandboxes' worlds fit, not three
	pub := public
	get := func(box string) response {
		return do(t, pub, in(box, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}))
	}
	for _, box := range []string{"a", "b"} {
		if res := get(box); res.status != 200 {
			t.Fatalf("sandbox %s: %d %s", box, res.status, res.body)
		}
	}
	res := get("c")
	if res.status != http.StatusInsufficientStorage || !strings.Contains(string(res.body), "sandbox c") {
		t.Fatalf("third sandbox past the budget: %d %s, want 507 naming it", res.status, res.body)
	}
	if res := do(t, pub, control("DELETE", "/__c3dmock/sandboxes/a", "")); res.status != http.StatusNoContent {
		t.Fatalf("delete a: %d", res.status)
	}
	if res := get("c"); res.status != 200 {
		t.Errorf("after deleting a, sandbox c: %d %s", res.status, res.body)
	}
}

// TestSandboxClock: each sandbox has its own clock, and what reads the time
// follows it: the developer key (90 days) expires after an advance of 91
// days in that sandbox only, audit times move, a frozen clock stands still.
func TestSandboxClock(t *testing.T) {
	data, public, _ := sandboxServers(t, mock.Config{})
	pub, dat := public, data
	clock := func(box string) map[string]any {
		res := do(t, pub, in(box, request{method: "GET", path: "/__c3dmock/clock"}))
		if res.status != 200 {
			t.Fatalf("clock of %q: %d %s", box, res.status, res.body)
		}
		return res.json(t)
	}
	set := func(box, body string) response {
		return do(t, pub, in(box, control("PUT", "/__c3dmock/clock", body)))
	}
	if got := clock("late")["now"]; got != "2026-11-01T12:00:00Z" {
		t.Fatalf("a new sandbox's clock: %v, want the server's 2026-11-01T12:00:00Z", got)
	}
	developer := func(box string) int {
		return do(t, dat, in(box, request{method: "GET", path: "/v0/user", auth: keyDeveloper})).status
	}
	if s := developer("late"); s != 200 {
		t.Fatalf("developer key before: %d", s)
	}
	if res := set("late", `{"advance":"2184h"}`); res.status != 200 || res.json(t)["now"] != "2027-01-31T12:00:00Z" {
		t.Fatalf("advance 91 days: %d %s", res.status, res.body)
	}
	if s := developer("late"); s != http.StatusUnauthorized {
		t.Errorf("developer key 91 days later: %d, want 401 (expired)", s)
	}
	if s := developer(""); s != 200 {
		t.Errorf("developer key in the default sandbox: %d, want 200 (its clock did not move)", s)
	}
	// Audit times follow the clock.
	if res := do(t, pub, in("late", request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"later"}`})); res.status != 200 {
		t.Fatal(res.status, string(res.body))
	}
	audit := do(t, pub, in("late", request{method: "GET", path: "/v0/organizations/12/auditLogs", auth: keyDomain})).json(t)
	first := audit["results"].([]any)[0].(map[string]any)
	if want := time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC).UnixMilli(); fmt.Sprint(first["time"]) != fmt.Sprint(want) {
		t.Errorf("audit time %v, want %d (the sandbox's clock)", first["time"], want)
	}
	// Setting, freezing, and the cvr-request-time of a frozen clock.
	if res := set("late", `{"now":"2030-05-01T08:00:00Z"}`); res.status != 200 || res.json(t)["now"] != "2030-05-01T08:00:00Z" {
		t.Errorf("set now: %d %s", res.status, res.body)
	}
	if res := set("late", `{"frozen":true}`); res.status != 200 || res.json(t)["frozen"] != true {
		t.Errorf("freeze: %d %s", res.status, res.body)
	}
	res := do(t, dat, in("late", request{method: "GET", path: "/v0/user", auth: keyDeveloper}))
	if res.header.Get("cvr-request-time") != "0" {
		t.Errorf("cvr-request-time with a frozen clock: %q, want 0", res.header.Get("cvr-request-time"))
	}
	// Reset puts the sandbox's clock back.
	if res := do(t, pub, in("late", control("POST", "/__c3dmock/reset", ""))); res.status != 200 {
		t.Fatal(res.status)
	}
	if got := clock("late"); got["now"] != "2026-11-01T12:00:00Z" || got["frozen"] != false {
		t.Errorf("clock after reset: %v", got)
	}
	for _, tt := range []struct{ body, field, rule string }{
		// validated against spec/control.yaml by the control pipeline
		{`{}`, "/", "minProperties"},
		{`{"advance":"1h","frozen":true}`, "/", "maxProperties"},
		{`{"advance":"3 days"}`, "/advance", "pattern"},
		{`{"now":"yesterday"}`, "/now", "format"},
		{`{"speed":2}`, "/", "properties"},
	} {
		res := set("late", tt.body)
		if res.status != http.StatusBadRequest {
			t.Errorf("PUT clock %s: %d %s, want 400", tt.body, res.status, res.body)
			continue
		}
		if m := res.json(t); m["field"] != tt.field || m["rule"] != tt.rule {
			t.Errorf("PUT clock %s: field %v rule %v, want %s %s", tt.body, m["field"], m["rule"], tt.field, tt.rule)
		}
	}
	if res := do(t, pub, in("late", request{method: "PUT", path: "/__c3dmock/clock", body: `{"frozen":true}`})); res.status != http.StatusForbidden {
		t.Errorf("PUT clock without %s: %d, want 403", mock.ControlHeader, res.status)
	}
}

// TestParallelSandboxes: tests running side by side, each in its own
// sandbox, never see each other (run with -race).
func TestParallelSandboxes(t *testing.T) {
	_, public, _ := sandboxServers(t, mock.Config{})
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			box := fmt.Sprintf("p%d", i)
			for n := range 5 {
				name := fmt.Sprintf("%s-%d", box, n)
				if res := do(t, public, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite + "@" + box, body: `{"name":"` + name + `"}`}); res.status != 200 {
					t.Fatal(res.status, string(res.body))
				}
				if got := do(t, public, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly + "@" + box}).json(t)["name"]; got != name {
					t.Fatalf("sandbox %s reads %v, want its own %s", box, got, name)
				}
			}
		})
	}
}
