package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Each family of generated checks fails against a deliberately broken
// c3dmock, with a reason that names the fault. The four misses of issue 13
// (a project without organizationId, name renamed to projectName, sort desc
// answered ascending, a route that became 3 s slow) are among them.

// rewriteJSON wraps h: answers to requests matching match have their JSON
// body passed through f.
func rewriteJSON(match func(*http.Request) bool, f func(any) any) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			var v any
			body := rec.Body.Bytes()
			if json.Unmarshal(body, &v) == nil {
				body, _ = json.Marshal(f(v))
			}
			for k, vs := range rec.Header() {
				w.Header()[k] = vs
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write(body)
		})
	}
}

// rewriteRequest wraps h: requests are changed by f before h sees them.
func rewriteRequest(f func(*http.Request)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f(r)
			h.ServeHTTP(w, r)
		})
	}
}

func isGetProject(r *http.Request) bool {
	return r.Method == "GET" && r.URL.Path == "/v0/projects/4460"
}

// runFamily runs the generated checks matching pattern against tg and
// returns the results by name.
func runFamily(t *testing.T, tg Target, pattern string) map[string]Result {
	t.Helper()
	cs, err := Filter(allChecks(t), pattern)
	if err != nil || len(cs) == 0 {
		t.Fatalf("Filter %q: %d checks, %v", pattern, len(cs), err)
	}
	rep := Run(context.Background(), tg, cs)
	out := map[string]Result{}
	for _, r := range rep.Results {
		out[r.Name] = r
	}
	return out
}

func wantFail(t *testing.T, res map[string]Result, name string, inReason ...string) {
	t.Helper()
	r, ok := res[name]
	if !ok {
		t.Fatalf("no result %s", name)
	}
	if r.Status != StatusFail {
		t.Fatalf("%s: %s (%s), want FAIL", name, r.Status, r.Reason)
	}
	for _, s := range inReason {
		if !strings.Contains(r.Reason, s) {
			t.Errorf("%s: reason %q does not name %q", name, r.Reason, s)
		}
	}
	if strings.Contains(r.Reason, "<nil>") {
		t.Errorf("%s: reason %q has a Go term", name, r.Reason)
	}
}

func TestPositiveCatchesMissingOrganizationID(t *testing.T) {
	tg := mockTarget(t, rewriteJSON(isGetProject, func(v any) any {
		delete(v.(map[string]any), "organizationId")
		return v
	}), nil)
	res := runFamily(t, tg, "spec/getProject/positive")
	wantFail(t, res, "spec/getProject/positive", "/organizationId", "missing")
}

func TestPositiveCatchesRenamedName(t *testing.T) {
	tg := mockTarget(t, rewriteJSON(isGetProject, func(v any) any {
		m := v.(map[string]any)
		m["projectName"] = m["name"]
		delete(m, "name")
		return v
	}), nil)
	res := runFamily(t, tg, "spec/getProject/positive")
	wantFail(t, res, "spec/getProject/positive", "/name", "missing")
	if d := strings.Join(res["spec/getProject/positive"].Drift, "\n"); !strings.Contains(d, "/projectName: not in the spec") {
		t.Errorf("drift %q does not name /projectName", d)
	}
}

func TestPositiveCatchesWrongShape(t *testing.T) {
	tg := mockTarget(t, rewriteJSON(isGetProject, func(v any) any {
		v.(map[string]any)["organizationId"] = "12"
		return v
	}), nil)
	res := runFamily(t, tg, "spec/getProject/positive")
	// pointer, keyword, expected vs got; not the whole schema
	wantFail(t, res, "spec/getProject/positive", "at /organizationId", "keyword type", "expected integer", `got a string "12"`)
	if r := res["spec/getProject/positive"].Reason; strings.Contains(r, "Schema:") || len(r) > 400 {
		t.Errorf("reason dumps the schema: %q", r)
	}
}

func TestSemanticsCatchesSortDescAnsweredAscending(t *testing.T) {
	tg := mockTarget(t, rewriteJSON(func(r *http.Request) bool {
		return strings.HasSuffix(r.URL.Path, "/paginatedListQueries")
	}, func(v any) any {
		m := v.(map[string]any)
		rows, _ := m["results"].([]any)
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
		return v
	}), nil)
	res := runFamily(t, tg, "spec/sessionPaginatedListQuery/positive")
	wantFail(t, res, "spec/sessionPaginatedListQuery/positive", "sort desc by date")
}

// fakeClock is the run's clock; a slow route advances it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestLatencyCatchesSlowRoute(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	tg := mockTarget(t, rewriteRequest(func(r *http.Request) {
		if r.URL.Path == "/v0/projects/4460/objectives" {
			clock.Add(3 * time.Second) // the route became 3 s slow
		} else {
			clock.Add(5 * time.Millisecond)
		}
	}), nil)
	tg.Now, tg.MaxLatency = clock.Now, time.Second
	cs, _ := Filter(allChecks(t), "spec/listObjectives/*,spec/getProject/*")
	rep := Run(context.Background(), tg, cs)
	var slow []string
	for _, r := range rep.Results {
		if r.Family == FamilyLatency {
			slow = append(slow, r.Name)
			if r.Status != StatusFail || !strings.Contains(r.Reason, "p95 3s exceeds --max-latency 1s") {
				t.Errorf("%s: %s %q", r.Name, r.Status, r.Reason)
			}
		}
	}
	if strings.Join(slow, ",") != "latency/listObjectives" {
		t.Errorf("slow operations %v, want [latency/listObjectives]", slow)
	}
	if rep.OK() {
		t.Error("the run passed with a 3 s route and --max-latency 1s")
	}
	for _, l := range rep.Latency {
		if l.Op == "getProject" && (l.P50 != 5*time.Millisecond || l.Slow) {
			t.Errorf("getProject latency %+v", l)
		}
	}
}

func TestNoCredentialCatchesOpenRoute(t *testing.T) {
	tg := mockTarget(t, rewriteRequest(func(r *http.Request) {
		if r.Header.Get("Authorization") == "" && r.URL.Path == "/v0/projects/4460/objectives" {
			r.Header.Set("Authorization", "orgkey-demo-readwrite") // "forgot" auth on one route
		}
	}), nil)
	res := runFamily(t, tg, "spec/listObjectives/no-credential")
	wantFail(t, res, "spec/listObjectives/no-credential", "got 200, want 401")
}

func TestWrongCredentialCatchesCrossKind(t *testing.T) {
	tg := mockTarget(t, nil, rewriteRequest(func(r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Authorization"), "orgkey-") {
			r.Header.Set("Authorization", "APIKEY:DATA demo-app-key") // the Data Collector takes any key
		}
	}))
	res := runFamily(t, tg, "spec/getAppVariables/wrong-credential")
	wantFail(t, res, "spec/getAppVariables/wrong-credential", "want 401 or 403")
}

func TestContentTypeCatchesAnyMediaType(t *testing.T) {
	tg := mockTarget(t, rewriteRequest(func(r *http.Request) {
		if r.Header.Get("Content-Type") == "text/plain" {
			r.Header.Set("Content-Type", "application/json")
		}
	}), nil)
	res := runFamily(t, tg, "spec/sessionPaginatedListQuery/content-type")
	wantFail(t, res, "spec/sessionPaginatedListQuery/content-type", "want 415")
}

func TestSchemaCatchesUnvalidatedBody(t *testing.T) {
	valid, _ := json.Marshal(sessionQuery(4460, 0, 10, nil))
	tg := mockTarget(t, rewriteRequest(func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/paginatedListQueries") && r.Header.Get("Content-Type") == "application/json" {
			r.Body = io.NopCloser(bytes.NewReader(valid)) // validation "forgotten": any body works
			r.ContentLength = int64(len(valid))
		}
	}), nil)
	res := runFamily(t, tg, "spec/sessionPaginatedListQuery/schema")
	wantFail(t, res, "spec/sessionPaginatedListQuery/schema", "/entityFilters (required): left out: got 200, want 400", "/sort (enum")
}

func TestForeignProjectCatchesScopeBypass(t *testing.T) {
	tg := mockTarget(t, rewriteRequest(func(r *http.Request) {
		r.URL.Path = strings.Replace(r.URL.Path, "/v0/projects/3001", "/v0/projects/4460", 1)
	}), nil)
	res := runFamily(t, tg, "spec/getProject/foreign-project")
	wantFail(t, res, "spec/getProject/foreign-project", "path:projectId naming project 3001", "got 200")
}

func TestFailOnDrift(t *testing.T) {
	extra := rewriteJSON(isGetProject, func(v any) any {
		v.(map[string]any)["undocumentedField"] = 1
		return v
	})
	tg := mockTarget(t, extra, nil)
	if r := runFamily(t, tg, "spec/getProject/positive")["spec/getProject/positive"]; r.Status != StatusDrift {
		t.Fatalf("without --fail-on-drift: %s %q, want DRIFT", r.Status, r.Reason)
	}
	tg = mockTarget(t, extra, nil)
	tg.FailOnDrift = true
	wantFail(t, runFamily(t, tg, "spec/getProject/positive"), "spec/getProject/positive", "--fail-on-drift", "/undocumentedField")
}
