package mock_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

func addFault(t *testing.T, pub *httptest.Server, rule string) string {
	t.Helper()
	res := do(t, pub, control("POST", "/__c3dmock/faults", rule))
	if res.status != http.StatusCreated {
		t.Fatalf("add %s: %d %s", rule, res.status, res.body)
	}
	return res.json(t)["id"].(string)
}

func statusOf(t *testing.T, pub *httptest.Server, rq request) int {
	t.Helper()
	return do(t, pub, rq).status
}

var getProject = request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}

// TestFaultMatchers: a rule fires only on requests its every match field
// selects.
func TestFaultMatchers(t *testing.T) {
	_, pub, _ := sandboxServers(t, mock.Config{})
	other := request{method: "GET", path: "/v0/projects/4461", auth: keyReadOnly}
	list := request{method: "GET", path: "/v0/projects/4460/remoteVariables", auth: keyReadOnly}
	for _, tt := range []struct {
		name, match string
		hit, miss   request
	}{
		{"operationId", `{"operationId":"getProject"}`, getProject, list},
		{"method", `{"method":"get","path":"/v0/projects/4460"}`, getProject, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"x"}`}},
		{"path pattern", `{"path":"/v0/projects/*/remoteVariables"}`, list, getProject},
		{"path template", `{"path":"/v0/projects/{projectId}"}`, other, list},
		{"credential kind", `{"credentialKind":"legacy"}`, request{method: "GET", path: "/v0/projects/4460", auth: keyLegacy}, getProject},
		{"key id", `{"keyId":2}`, getProject, request{method: "GET", path: "/v0/projects/4460", auth: keyReadWrite}},
		{"sandbox", `{"sandbox":"faulty"}`, in("faulty", getProject), getProject},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := addFault(t, pub, `{"match":`+tt.match+`,"action":{"status":404}}`)
			defer do(t, pub, control("DELETE", "/__c3dmock/faults/"+id, ""))
			if s := statusOf(t, pub, tt.hit); s != 404 {
				t.Errorf("a matching request: %d, want the rule's 404", s)
			}
			if s := statusOf(t, pub, tt.miss); s == 404 {
				t.Errorf("a request the rule does not match got its 404")
			}
		})
	}
}

// TestFaultActions: documented statuses only (or force), 429 with
// Retry-After, the documented body, latency, reset and truncate.
func TestFaultActions(t *testing.T) {
	_, pub, _ := sandboxServers(t, mock.Config{})
	res := do(t, pub, control("POST", "/__c3dmock/faults", `{"match":{"operationId":"getProject"},"action":{"status":418}}`))
	if res.status != 400 || res.json(t)["rule"] != "documented" {
		t.Errorf("an undocumented status: %d %s", res.status, res.body)
	}
	id := addFault(t, pub, `{"match":{"operationId":"getProject"},"action":{"status":418,"force":true,"body":{"teapot":true}}}`)
	if res := do(t, pub, getProject); res.status != 418 || !strings.Contains(string(res.body), `"teapot":true`) {
		t.Errorf("forced: %d %s", res.status, res.body)
	}
	do(t, pub, control("DELETE", "/__c3dmock/faults/"+id, ""))

	id = addFault(t, pub, `{"match":{"operationId":"getProject"},"action":{"status":429,"retryAfter":"1500ms"}}`)
	res = do(t, pub, getProject)
	if res.status != 429 || res.header.Get("Retry-After") != "2" || res.json(t)["code"] != "too_many_requests" {
		t.Errorf("429: %d %q %s", res.status, res.header.Get("Retry-After"), res.body)
	}
	do(t, pub, control("DELETE", "/__c3dmock/faults/"+id, ""))

	id = addFault(t, pub, `{"match":{"operationId":"getProject"},"action":{"latency":"150ms"}}`)
	start := time.Now()
	if s := statusOf(t, pub, getProject); s != 200 || time.Since(start) < 150*time.Millisecond {
		t.Errorf("latency: %d after %s", s, time.Since(start))
	}
	do(t, pub, control("DELETE", "/__c3dmock/faults/"+id, ""))

	// Reset and truncate act on the connection: served without the
	// conformance recorder in between.
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), Seed: 1, Sessions: 60, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	direct := httptest.NewServer(srv)
	defer direct.Close()
	pub = direct
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func() (*http.Response, error) {
		req, _ := http.NewRequest("GET", pub.URL+"/v0/projects/4460", nil)
		req.Header.Set("Authorization", keyReadOnly)
		return client.Do(req)
	}
	id = addFault(t, pub, `{"match":{"operationId":"getProject"},"action":{"reset":true}}`)
	if res, err := get(); err == nil {
		res.Body.Close()
		t.Errorf("reset: the client got %d, want a connection error", res.StatusCode)
	}
	do(t, pub, control("DELETE", "/__c3dmock/faults/"+id, ""))

	id = addFault(t, pub, `{"match":{"operationId":"getProject"},"action":{"truncate":10}}`)
	if res, err := get(); err != nil {
		t.Errorf("truncate: %v", err)
	} else {
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) || len(b) != 10 {
			t.Errorf("truncate: read %d bytes, err %v; want 10 and an unexpected EOF", len(b), err)
		}
	}
	do(t, pub, control("DELETE", "/__c3dmock/faults/"+id, ""))

	j := journalOf(t, pub, "", "?operationId=getProject")
	if n := len(j.Requests); n == 0 || j.Requests[n-1].Fault == "" {
		t.Errorf("the journal does not name the rule that fired: %+v", j.Requests[n-1])
	}
}

// TestFaultSchedules: first N, every Nth, a seeded probability that
// repeats exactly, and expiry.
func TestFaultSchedules(t *testing.T) {
	_, pub, now := sandboxServers(t, mock.Config{})
	pattern := func(rule string, n int) string {
		t.Helper()
		id := addFault(t, pub, rule)
		now.Add(int64(time.Millisecond)) // the server's clock moves on (ttl)
		defer do(t, pub, control("DELETE", "/__c3dmock/faults/"+id, ""))
		var b strings.Builder
		for range n {
			if statusOf(t, pub, getProject) == 404 {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	if got := pattern(`{"match":{"operationId":"getProject"},"action":{"status":404},"schedule":{"first":2}}`, 5); got != "xx..." {
		t.Errorf("first 2: %s", got)
	}
	if got := pattern(`{"match":{"operationId":"getProject"},"action":{"status":404},"schedule":{"every":3}}`, 7); got != "..x..x." {
		t.Errorf("every 3: %s", got)
	}
	p := `{"match":{"operationId":"getProject"},"action":{"status":404},"schedule":{"probability":0.5,"seed":42}}`
	a, b := pattern(p, 40), pattern(p, 40)
	if a != b || !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("seeded probability: %s then %s; want the same mix twice", a, b)
	}
	if got := pattern(`{"match":{"operationId":"getProject"},"action":{"status":404},"ttl":"1ns"}`, 2); got != ".." {
		t.Errorf("an expired rule fired: %s", got)
	}
	for _, bad := range []struct{ rule, field string }{
		{`{"match":{},"action":{}}`, "/action"},
		{`{"match":{},"action":{"status":404},"schedule":{"first":1,"every":2}}`, "/schedule"},
		{`{"match":{},"action":{"status":404},"schedule":{"probability":1.5}}`, "/schedule/probability"},
		{`{"match":{"operationId":"nope"},"action":{"status":404}}`, "/match/operationId"},
		{`{"match":{},"action":{"reset":true,"status":500}}`, "/action/reset"},
	} {
		res := do(t, pub, control("POST", "/__c3dmock/faults", bad.rule))
		if res.status != 400 || res.json(t)["field"] != bad.field {
			t.Errorf("%s: %d %s, want 400 naming %s", bad.rule, res.status, res.body, bad.field)
		}
	}
}

// TestRateLimit: serve --rate-limit gives each credential N requests a
// minute per sandbox, then 429 with Retry-After, and a new minute again.
func TestRateLimit(t *testing.T) {
	_, pub, now := sandboxServers(t, mock.Config{RateLimit: 3})
	for i := range 3 {
		if s := statusOf(t, pub, getProject); s != 200 {
			t.Fatalf("request %d: %d", i, s)
		}
	}
	res := do(t, pub, getProject)
	if res.status != 429 || res.header.Get("Retry-After") != "60" {
		t.Errorf("the fourth: %d %q", res.status, res.header.Get("Retry-After"))
	}
	if s := statusOf(t, pub, request{method: "GET", path: "/v0/projects/4460", auth: keyReadWrite}); s != 200 {
		t.Errorf("another key: %d", s)
	}
	if s := statusOf(t, pub, in("other", getProject)); s != 200 {
		t.Errorf("another sandbox: %d", s)
	}
	now.Add(int64(time.Minute))
	if s := statusOf(t, pub, getProject); s != 200 {
		t.Errorf("a minute later: %d", s)
	}
}

// retryingClient behaves like the vendor's Python client: it retries 429
// and 5xx up to 3 times with back-off, honouring Retry-After.
type retryingClient struct {
	base, key string
	backoff   time.Duration
}

func (c retryingClient) post(path, body string) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(body))
		req.Header.Set("Authorization", c.key)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		if (res.StatusCode != 429 && res.StatusCode < 500) || attempt == 3 {
			return res, nil
		}
		res.Body.Close()
		wait := c.backoff << attempt
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && time.Duration(s)*time.Second > wait {
			wait = time.Duration(s) * time.Second
		}
		time.Sleep(wait)
	}
}

// TestRetryingClientSucceedsAfterTwo429s is the example: two
// injected 429s, a client that retries, and the journal shows three calls.
func TestRetryingClientSucceedsAfterTwo429s(t *testing.T) {
	t.Parallel()
	_, pub, _ := sandboxServers(t, mock.Config{})
	addFault(t, pub, `{"match":{"operationId":"sessionPaginatedListQuery"},"action":{"status":429,"retryAfter":"1s"},"schedule":{"first":2}}`)
	c := retryingClient{base: pub.URL, key: keyReadOnly + "@retry", backoff: 10 * time.Millisecond}
	res, err := c.post("/v0/datasets/sessions/paginatedListQueries", `{"page":0,"limit":1,"sessionType":"project","entityFilters":{"projectId":4460}}`)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("after retries: %d", res.StatusCode)
	}
	j := journalOf(t, pub, "retry", "?operationId=sessionPaginatedListQuery")
	var statuses []string
	for _, e := range j.Requests {
		statuses = append(statuses, fmt.Sprintf("%d%s", e.Status, map[bool]string{true: "(" + e.Fault + ")"}[e.Fault != ""]))
	}
	if got := strings.Join(statuses, " "); got != "429(f1) 429(f1) 200" {
		t.Errorf("journal: %s, want 429(f1) 429(f1) 200", got)
	}
	verify := do(t, pub, in("retry", control("POST", "/__c3dmock/verify", `{"operationId":"sessionPaginatedListQuery","count":3}`)))
	if verify.status != 200 {
		t.Errorf("verify count 3: %d %s", verify.status, verify.body)
	}
	var v map[string]any
	_ = json.Unmarshal(verify.body, &v)
}
