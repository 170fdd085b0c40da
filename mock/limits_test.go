package mock_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

// testClock is a server clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newLimitedServers is newDataServers with a movable clock and cfg's limits.
func newLimitedServers(t testing.TB, set func(*mock.Config)) (data, public *httptest.Server, clock *testClock) {
	t.Helper()
	clock = &testClock{t: testNow}
	cfg := mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Seed: 1, Sessions: 60, Now: clock.now}
	set(&cfg)
	srv, err := mock.NewServer(cfg)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	data, public = serveBoth(t, srv)
	return data, public, clock
}

// bigGazeBatch is an SDK-shaped gaze batch of n points (≈ 90 bytes each).
func bigGazeBatch(part, n int) string {
	times := make([]float64, n)
	for i := range times {
		times[i] = 1793530800 + float64(part) + float64(i)/1000
	}
	return gazeBatch(part, `"c3d.participant.id":"p1"`, times...)
}

// mustBudgetRefusal checks a 507 that names the flag and is not a mock bug.
func mustBudgetRefusal(t *testing.T, res response, what string) {
	t.Helper()
	if res.status != http.StatusInsufficientStorage {
		t.Fatalf("%s: status %d, want 507: %s", what, res.status, res.body)
	}
	if !strings.Contains(string(res.body), "--store-budget") || res.json(t)["code"] != "insufficient_storage" {
		t.Errorf("%s: body %s does not name --store-budget with code insufficient_storage", what, res.body)
	}
	if res.header.Get("Mock-Error") != "" {
		t.Errorf("%s: a spent budget is not a c3dmock bug, but Mock-Error is %q", what, res.header.Get("Mock-Error"))
	}
}

func TestStoreBudgetRefusesWritesAndKeepsReads(t *testing.T) {
	data, public, _ := newLimitedServers(t, func(c *mock.Config) { c.StoreBudget = 64 << 10 })
	accepted := 0
	var refused response
	for part := 1; part <= 40; part++ {
		res := do(t, data, request{method: "POST", path: "/v0/gaze/" + sceneDemo + "?version=2", auth: keyApp, body: bigGazeBatch(part, 150)})
		if res.status != http.StatusOK {
			refused = res
			break
		}
		accepted++
	}
	if accepted == 0 || accepted == 40 {
		t.Fatalf("%d of 40 batches of ≈ 14 KB accepted under a 64 KiB budget; want some, not all", accepted)
	}
	mustBudgetRefusal(t, refused, "gaze batch past the budget")

	// Every kind of write that stores data is refused the same way.
	mustBudgetRefusal(t, do(t, data, request{method: "POST", path: "/v0/events/" + sceneDemo + "?version=2", auth: keyApp,
		body: eventsBatch(1, strings.Repeat("x", 40000))}), "events batch")
	body, ct := multipartBody(t,
		[4]string{"scene.gltf", "scene.gltf", "", gltfDoc},
		[4]string{"scene.bin", "scene.bin", "", strings.Repeat("\x00", 40000)})
	mustBudgetRefusal(t, do(t, data, request{method: "POST", path: "/v0/scenes", auth: keyDeveloper, body: body, contentType: ct}), "scene upload")
	body, ct = multipartBody(t, [4]string{"lever.bin", "lever.bin", "", strings.Repeat("\x00", 40000)})
	mustBudgetRefusal(t, do(t, data, request{method: "POST", path: "/v0/objects/" + sceneDemo + "/lever-1?version=2", auth: keyDeveloper, body: body, contentType: ct}), "object upload")
	mustBudgetRefusal(t, do(t, public, request{method: "POST", path: "/v0/projects/4460/media?name=big", auth: keyReadWrite,
		body: pngBytes + strings.Repeat("\x00", 40000), contentType: "image/png"}), "media upload")

	// Reads keep working, and what was accepted is all there.
	expectStatus(t, do(t, public, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}), 200, "read a project")
	expectStatus(t, do(t, public, request{method: "GET", path: "/v0/projects/4460/media", auth: keyReadOnly}), 200, "list media")
	expectStatus(t, do(t, data, request{method: "GET", path: "/v0/hooks", auth: keyApp}), 200, "list hooks")
	res := do(t, public, request{method: "POST", path: "/v0/datasets/sessions/singleProjectSessionQueries", auth: keyReadWrite,
		body: `{"projectId":4460,"sessionId":"` + sdkSession + `"}`})
	expectStatus(t, res, 200, "read the ingested session")
	// A retry of a stored batch is still acknowledged: it stores nothing.
	expectStatus(t, do(t, data, request{method: "POST", path: "/v0/gaze/" + sceneDemo + "?version=2", auth: keyApp, body: bigGazeBatch(1, 150)}), 200, "identical retry")

	// A reset gives the whole budget back.
	expectStatus(t, do(t, public, request{method: "POST", path: "/__c3dmock/reset", header: map[string]string{mock.ControlHeader: "1"}}), 200, "reset")
	expectStatus(t, do(t, data, request{method: "POST", path: "/v0/gaze/" + sceneDemo + "?version=2", auth: keyApp, body: bigGazeBatch(accepted+1, 150)}), 200, "batch after reset")
}

func TestStoreBudgetDeleteFrees(t *testing.T) {
	_, public, _ := newLimitedServers(t, func(c *mock.Config) { c.StoreBudget = 100 << 10 })
	png := pngBytes + strings.Repeat("\x00", 50000)
	upload := func(project int, name string) response {
		return do(t, public, request{method: "POST", path: fmt.Sprintf("/v0/projects/%d/media?name=%s", project, name), auth: keyReadWrite, body: png, contentType: "image/png"})
	}
	first := upload(4460, "first")
	expectStatus(t, first, http.StatusCreated, "first upload")
	mustBudgetRefusal(t, upload(4460, "second"), "second upload")
	expectStatus(t, do(t, public, request{method: "DELETE", path: fmt.Sprintf("/v0/projects/4460/media/%v", first.json(t)["id"]), auth: keyReadWrite}), 204, "delete the first")
	expectStatus(t, upload(4460, "second"), http.StatusCreated, "second upload after the delete")

	// Deleting a project gives back everything stored in it.
	mustBudgetRefusal(t, upload(4461, "third"), "upload to another project")
	expectStatus(t, do(t, public, request{method: "DELETE", path: "/v0/projects/4460", auth: keyReadWrite}), 204, "delete project 4460")
	expectStatus(t, upload(4461, "third"), http.StatusCreated, "upload after the project delete")
}

func TestCookieSessionIdleAndLifetime(t *testing.T) {
	_, public, clock := newLimitedServers(t, func(c *mock.Config) {
		c.CookieIdleTimeout = time.Hour
		c.CookieLifetime = 3 * time.Hour
	})
	current := func(c *http.Cookie) response {
		return do(t, public, request{method: "GET", path: "/v0/sessions/current", cookie: c})
	}
	// Idle: each use restarts the idle clock; an hour unused ends it.
	c, _ := loginAs(t, public, "admin@demo.example")
	for range 2 {
		clock.advance(59 * time.Minute)
		expectStatus(t, current(c), 200, "used within the idle timeout")
	}
	clock.advance(time.Hour)
	res := current(c)
	expectStatus(t, res, 401, "idle for an hour")
	if !strings.Contains(string(res.body), "unused") || !strings.Contains(string(res.body), "--cookie-idle-timeout") {
		t.Errorf("idle expiry body %s does not say why", res.body)
	}

	// Lifetime: used every 50 minutes, it still ends 3 hours after login.
	c, _ = loginAs(t, public, "admin@demo.example")
	for range 3 {
		clock.advance(50 * time.Minute)
		expectStatus(t, current(c), 200, "within the lifetime")
	}
	clock.advance(30 * time.Minute)
	res = current(c)
	expectStatus(t, res, 401, "3 hours after login")
	if !strings.Contains(string(res.body), "lifetime") || !strings.Contains(string(res.body), "--cookie-lifetime") {
		t.Errorf("lifetime expiry body %s does not say why", res.body)
	}
	// An expired cookie reaches nothing else either.
	expectStatus(t, do(t, public, request{method: "GET", path: "/v0/projects/4460", cookie: c}), 401, "expired cookie on a read")
}

func TestCookieSessionsPerUserCap(t *testing.T) {
	_, public, clock := newLimitedServers(t, func(c *mock.Config) { c.CookieSessionsPerUser = 3 })
	var cookies []*http.Cookie
	for range 4 {
		c, _ := loginAs(t, public, "admin@demo.example")
		cookies = append(cookies, c)
		clock.advance(time.Second)
	}
	other, _ := loginAs(t, public, "member@demo.example")
	for i, c := range cookies {
		want := 200
		if i == 0 {
			want = 401 // the oldest, ended by the fourth login
		}
		expectStatus(t, do(t, public, request{method: "GET", path: "/v0/sessions/current", cookie: c}), want, fmt.Sprintf("admin session %d", i+1))
	}
	expectStatus(t, do(t, public, request{method: "GET", path: "/v0/sessions/current", cookie: other}), 200, "another user's session")
}

func TestLoginThrottling(t *testing.T) {
	_, public, clock := newLimitedServers(t, func(*mock.Config) {})
	login := func(email, password string) response {
		return do(t, public, request{method: "POST", path: "/v0/sessions", body: `{"email":"` + email + `","password":"` + password + `"}`})
	}
	// A success clears the count.
	for range 4 {
		expectStatus(t, login("admin@demo.example", "wrong"), 401, "wrong password")
	}
	expectStatus(t, login("admin@demo.example", demoPassword), 200, "right password after 4 failures")
	for i := range 5 {
		expectStatus(t, login("admin@demo.example", "wrong"), 401, fmt.Sprintf("wrong password %d after the success", i+1))
	}
	// Five failures: every login for the email is 429, the right password too.
	res := login("Admin@Demo.example", "wrong")
	expectStatus(t, res, http.StatusTooManyRequests, "sixth failure (email in another case)")
	if got := res.header.Get("Retry-After"); got != "900" {
		t.Errorf("Retry-After = %q, want 900", got)
	}
	if res.header.Get("Mock-Error") != "" || res.json(t)["code"] != "too_many_requests" {
		t.Errorf("429 body %s, Mock-Error %q", res.body, res.header.Get("Mock-Error"))
	}
	clock.advance(10 * time.Minute)
	res = login("admin@demo.example", demoPassword)
	expectStatus(t, res, http.StatusTooManyRequests, "right password during the lockout")
	if got := res.header.Get("Retry-After"); got != "300" {
		t.Errorf("Retry-After after 10 minutes = %q, want 300", got)
	}
	// Other emails are not affected.
	expectStatus(t, login("member@demo.example", demoPassword), 200, "another user")
	// After the window the right password works.
	clock.advance(5 * time.Minute)
	expectStatus(t, login("admin@demo.example", demoPassword), 200, "right password after the lockout")
	expectStatus(t, login("admin@demo.example", "wrong"), 401, "a new failure starts a new count")
}

// expectStatus is mustStatus without the Data Collector's header check.
func expectStatus(t *testing.T, res response, want int, what string) {
	t.Helper()
	if res.status != want {
		t.Fatalf("%s: status %d, want %d: %.300s", what, res.status, want, res.body)
	}
}
