package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// Demo credentials of the default world (README: "Demo credentials").
const (
	keyReadWrite = "orgkey-demo-readwrite"
	keyReadOnly  = "orgkey-demo-readonly"
	keyLegacy    = "APIKEY:ORGANIZATION demo-legacy-key"
	keyOther     = "orgkey-other-readwrite"
	keyDomain    = "APIKEY:DOMAIN demo-domain-key"
	demoPassword = "demo-password"
)

var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// docs caches each embedded spec, loaded once per test binary.
var docs sync.Map // name → func() (*openapi3.T, error)

func loadDoc(t testing.TB, name string) *openapi3.T {
	t.Helper()
	load, _ := docs.LoadOrStore(name, sync.OnceValues(func() (*openapi3.T, error) { return spec.Load(context.Background(), name) }))
	doc, err := load.(func() (*openapi3.T, error))()
	if err != nil {
		t.Fatalf("spec.Load(%s): %v", name, err)
	}
	return doc
}

// publicDoc is the public API's spec.
func publicDoc(t testing.TB) *openapi3.T { return loadDoc(t, spec.Public) }

// newHandler builds a mock server with a pinned clock and a small world.
func newHandler(t testing.TB) *mock.Server {
	t.Helper()
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), Seed: 1, Sessions: 60, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	return srv
}

// newTestServer serves a fresh mock over HTTP on 127.0.0.1. Every response it
// produces is validated against the spec (conformance), so any test that
// touches an operation also checks the mock against its own document.
func newTestServer(t testing.TB) *httptest.Server { return serveConforming(t, newHandler(t)) }

// serveConforming serves srv on 127.0.0.1, every answer checked against its
// document (conform).
func serveConforming(t testing.TB, srv *mock.Server) *httptest.Server {
	t.Helper()
	router, err := gorillamux.NewRouter(publicDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(conform(t, router, srv))
	t.Cleanup(ts.Close)
	return ts
}

// conform validates each response of next against the spec: status documented,
// content type and body schema. Errors from routing (404/405) and 501 are the
// mock's own and are checked by their own tests.
func conform(t testing.TB, router routers.Router, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var reqBody []byte
		if r.Body != nil {
			reqBody, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		body := rec.Body.Bytes()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		w.Write(body)

		rt := router
		if strings.HasPrefix(r.URL.Path, "/__c3dmock/") {
			rt = controlRouter(t) // c3dmock's own endpoints answer by their own document
		} else if res.StatusCode == http.StatusNotImplemented || sandboxError(body) || res.Header.Get(mock.FaultHeader) != "" {
			return
		}
		vr := r.Clone(context.Background())
		vr.Body = io.NopCloser(bytes.NewReader(reqBody))
		route, params, err := rt.FindRoute(vr)
		if err != nil {
			return
		}
		ct := res.Header.Get("Content-Type")
		opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
		if !strings.HasPrefix(ct, "application/json") {
			opts.ExcludeResponseBody = true
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route, Options: opts},
			Status:                 res.StatusCode,
			Header:                 res.Header,
			Body:                   io.NopCloser(bytes.NewReader(body)),
			Options:                opts,
		}
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			t.Errorf("conformance: %s %s → %d does not match the spec: %v\nbody: %.300s", r.Method, r.URL.Path, res.StatusCode, err, body)
		}
	})
}

// controlRouter routes by spec/control.yaml.
func controlRouter(t testing.TB) routers.Router {
	r, err := gorillamux.NewRouter(loadDoc(t, spec.Control))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sandboxError reports whether body is c3dmock's own refusal to select or
// make a sandbox (sandbox.go), which any operation may answer.
func sandboxError(body []byte) bool {
	var e struct{ Field, Rule string }
	if json.Unmarshal(body, &e) != nil {
		return false
	}
	return e.Rule == "sandboxAgree" || e.Field == "sandbox" || e.Field == "header:C3dmock-Sandbox"
}

// request describes one call in table tests.
type request struct {
	method, path, auth, body string
	contentType              string            // default application/json when body is set
	header                   map[string]string // extra headers
	cookie                   *http.Cookie
}

// response is what tests look at.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
	return m
}

func (r response) list(t testing.TB) []any {
	t.Helper()
	var l []any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&l); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
	return l
}

func do(t testing.TB, ts *httptest.Server, rq request) response {
	t.Helper()
	var body io.Reader
	if rq.body != "" {
		body = strings.NewReader(rq.body)
	}
	req, err := http.NewRequest(rq.method, ts.URL+rq.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if rq.auth != "" {
		req.Header.Set("Authorization", rq.auth)
	}
	if rq.body != "" {
		ct := rq.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	if rq.cookie != nil {
		req.AddCookie(rq.cookie)
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", rq.method, rq.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// loginAs logs a demo user in and returns the session cookie and csrf token.
func loginAs(t testing.TB, ts *httptest.Server, email string) (*http.Cookie, string) {
	t.Helper()
	res := do(t, ts, request{method: "POST", path: "/v0/sessions", body: `{"email":"` + email + `","password":"` + demoPassword + `"}`})
	if res.status != http.StatusOK {
		t.Fatalf("login %s: status %d: %s", email, res.status, res.body)
	}
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == "c3d_session_v5" {
			return c, res.json(t)["csrf"].(string)
		}
	}
	t.Fatalf("login %s: no c3d_session_v5 cookie", email)
	return nil, ""
}
