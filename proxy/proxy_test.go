package proxy_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/contract/redact"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/c3dmock/c3dmock/contract"
	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/proxy"
	"github.com/c3dmock/c3dmock/spec"
)

// syncBuffer is an io.Writer safe to read while the proxy writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	docsOnce      sync.Once
	pubDoc, dcDoc *openapi3.T
	docsErr       error
)

func docs(t testing.TB) (*openapi3.T, *openapi3.T) {
	t.Helper()
	docsOnce.Do(func() {
		if pubDoc, docsErr = spec.Load(context.Background(), spec.Public); docsErr == nil {
			dcDoc, docsErr = spec.Load(context.Background(), spec.DataCollector)
		}
	})
	if docsErr != nil {
		t.Fatal(docsErr)
	}
	return pubDoc, dcDoc
}

// startMock serves c3dmock's two APIs in process on 127.0.0.1.
func startMock(t testing.TB) (pub, data string) {
	t.Helper()
	p, d := docs(t)
	srv, err := mock.NewServer(mock.Config{Spec: p, DataSpec: d, Sessions: 20})
	if err != nil {
		t.Fatal(err)
	}
	ps, ds := httptest.NewServer(srv), httptest.NewServer(srv.DataHandler())
	t.Cleanup(ps.Close)
	t.Cleanup(ds.Close)
	return ps.URL, ds.URL
}

type running struct {
	pub, data string // the proxy's two listeners
	out       *syncBuffer
	rec       *syncBuffer
	p         *proxy.Proxy
}

// startProxy puts a proxy in front of the given upstreams.
func startProxy(t testing.TB, pub, data string, tune func(*proxy.Config)) running {
	t.Helper()
	p, d := docs(t)
	r := running{out: &syncBuffer{}, rec: &syncBuffer{}}
	cfg := proxy.Config{Public: p, Data: d, Upstream: mustURL(t, pub), Out: r.out, Record: r.rec}
	if data != "" {
		cfg.DataUpstream = mustURL(t, data)
	}
	if tune != nil {
		tune(&cfg)
	}
	var err error
	if r.p, err = proxy.New(cfg); err != nil {
		t.Fatal(err)
	}
	ps, ds := httptest.NewServer(r.p.Handler(proxy.Public)), httptest.NewServer(r.p.Handler(proxy.DataCollector))
	t.Cleanup(ps.Close)
	t.Cleanup(ds.Close)
	r.pub, r.data = ps.URL, ds.URL
	return r
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// call is what an SDK does: one request, the status and body back.
func call(t *testing.T, c *http.Client, method, u, auth, body string, hdr ...string) (int, string, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if strings.EqualFold(hdr[i], "Host") {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b), res.Header
}

const (
	scene    = "2c2f0603-8f5c-4ff6-94ed-03542a4df34d" // project 4460, versions 1 and 2
	appKey   = "APIKEY:DATA demo-app-key"
	orgKey   = "orgkey-demo-readwrite"
	devKey   = "APIKEY:DEVELOPER demo-developer-key"
	gazeBody = `{"userid":"dev1","timestamp":1780000000,"sessionid":"1780000000_dev1","part":1,"interval":0.1,
	  "properties":{"c3d.participant.id":"p1"},"data":[{"time":1780000000.1,"p":[0,1.6,0],"r":[0,0,0,1]}]}`
)

// sdkSession is the traffic of an SDK and a dashboard client: a gaze batch
// to the Data Collector, reads of the public API, a cookie login.
func sdkSession(t *testing.T, r running) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	steps := []struct {
		method, url, auth, body string
		want                    int
	}{
		{"POST", r.data + "/v0/gaze/" + scene + "?version=2", appKey, gazeBody, 200},
		{"GET", r.data + "/v0/applicationKey", devKey, "", 200},
		{"GET", r.pub + "/v0/organizations/apiKeys/whoami", orgKey, "", 200},
		{"GET", r.pub + "/v0/projects/4460", orgKey, "", 200},
		{"GET", r.pub + "/v0/organizations/12", orgKey, "", 200},
		{"GET", r.pub + "/v0/organizations/12/tags", orgKey, "", 200},
		{"POST", r.pub + "/v0/sessions", "", `{"email":"admin@demo.example","password":"demo-password"}`, 200},
	}
	for _, s := range steps {
		if got, body, _ := call(t, c, s.method, s.url, s.auth, s.body); got != s.want {
			t.Fatalf("%s %s: status %d, want %d: %s", s.method, s.url, got, s.want, body)
		}
	}
}

func TestValidTrafficHasNoViolations(t *testing.T) {
	pub, data := startMock(t)
	r := startProxy(t, pub, data, nil)
	sdkSession(t, r)
	rep := r.p.Report()
	if !rep.OK() || strings.Contains(r.out.String(), "violation") {
		t.Fatalf("valid traffic flagged:\n%s", r.out.String())
	}
	if rep.Exchanges != 7 || len(rep.Operations) != 7 {
		t.Errorf("exchanges %d in %d operations, want 7 in 7: %+v", rep.Exchanges, len(rep.Operations), rep.Operations)
	}
	var sawGaze bool
	for _, o := range rep.Operations {
		if o.OperationID == "postGaze" && o.API == proxy.DataCollector && o.Path == "/v0/gaze/{sceneId}" {
			sawGaze = true
		}
	}
	if !sawGaze {
		t.Errorf("postGaze not counted for the Data Collector: %+v", rep.Operations)
	}
}

// badUpstream answers getProject with bodies that break the spec.
func badUpstream(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v0/projects/4460":
			io.WriteString(w, `{"id":"4460","name":"Demo","organizationId":null}`)
		case "/v0/projects/4461":
			io.WriteString(w, `{"name":"no id"}`)
		case "/v0/projects/4462":
			w.WriteHeader(http.StatusTeapot)
			io.WriteString(w, `{}`)
		default:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<html>oops</html>`)
		}
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

func findViolation(rep proxy.Report, op, pointer, keyword string) *proxy.ViolationCount {
	for i, v := range rep.Violations {
		if v.OperationID == op && v.Pointer == pointer && v.Keyword == keyword {
			return &rep.Violations[i]
		}
	}
	return nil
}

func TestFlagsResponsesThatBreakTheSpec(t *testing.T) {
	r := startProxy(t, badUpstream(t), "", nil)
	c := &http.Client{Timeout: 10 * time.Second}
	for _, id := range []string{"4460", "4460", "4461", "4462", "4463"} {
		call(t, c, "GET", r.pub+"/v0/projects/"+id, orgKey, "")
	}
	rep := r.p.Report()
	cases := []struct{ pointer, keyword, expected, got string }{
		{"/id", "type", "integer (int64)", `string "4460"`},
		{"/organizationId", "type", "integer (int64)", "null"},
		{"/id", "required", "present", "missing"},
		{"", "status", "one of", "418"},
		{"", "content-type", "application/json", `"text/html"`},
	}
	for _, c := range cases {
		v := findViolation(rep, "getProject", c.pointer, c.keyword)
		if v == nil {
			t.Errorf("no %s violation at %q; got:\n%s", c.keyword, c.pointer, r.out.String())
			continue
		}
		if v.Direction != "response" || !strings.Contains(v.Expected, c.expected) || v.Got != c.got && !strings.Contains(v.Got, c.got) {
			t.Errorf("%s at %q: %+v, want expected ~%q got %q", c.keyword, c.pointer, v.Violation, c.expected, c.got)
		}
	}
	if v := findViolation(rep, "getProject", "/id", "type"); v != nil && v.Count != 2 {
		t.Errorf("repeat counted %d times, want 2", v.Count)
	}
	out := r.out.String()
	want := `violation: getProject (GET /v0/projects/4460) response 200 body /id: type: expected integer (int64), got string "4460"`
	if !strings.Contains(out, want+"\n") {
		t.Errorf("output lacks the line\n%s\ngot:\n%s", want, out)
	}
	if !strings.Contains(out, "violation: getProject (GET /v0/projects/4462) response 418: status: expected one of 200, 400, 401, 403, 404, 429, 5XX, got 418\n") {
		t.Errorf("status line missing:\n%s", out)
	}
	if strings.Count(out, "body /id: type") != 1 {
		t.Errorf("a repeat printed twice:\n%s", out)
	}
	for _, bad := range []string{"<nil>", "Schema:", "Value:", "map["} {
		if strings.Contains(out, bad) {
			t.Errorf("output has %q:\n%s", bad, out)
		}
	}
	if rep.OK() || rep.ViolationCount != 7 {
		t.Errorf("report: ok=%v count=%d, want 7 violations:\n%s", rep.OK(), rep.ViolationCount, out)
	}
}

func TestFlagsRequestsThatBreakTheSpec(t *testing.T) {
	pub, data := startMock(t)
	r := startProxy(t, pub, data, nil)
	c := &http.Client{Timeout: 10 * time.Second}
	// the client sends part as a string: the proxy flags it and still forwards it (the mock answers 400)
	bad := strings.Replace(gazeBody, `"part":1`, `"part":"one"`, 1)
	if st, _, _ := call(t, c, "POST", r.data+"/v0/gaze/"+scene+"?version=2", appKey, bad); st != 400 {
		t.Errorf("bad batch: status %d, want the upstream's 400", st)
	}
	call(t, c, "POST", r.data+"/v0/gaze/"+scene+"?version=two", appKey, gazeBody)
	call(t, c, "POST", r.pub+"/v0/organizations/12/apiKeys", orgKey, `{"name":"ci"}`)
	call(t, c, "GET", r.pub+"/v0/nowhere", orgKey, "")
	rep := r.p.Report()
	for _, want := range []struct{ op, pointer, keyword string }{
		{"postGaze", "/part", "type"},
		{"postGaze", "/version", "type"},
		{"createOrganizationApiKey", "/accessLevel", "required"},
		{"", "", "operation"},
	} {
		v := findViolation(rep, want.op, want.pointer, want.keyword)
		if v == nil || v.Direction != "request" {
			t.Errorf("no request violation %s %s %s in:\n%s", want.op, want.pointer, want.keyword, r.out.String())
		}
	}
	if v := findViolation(rep, "postGaze", "/part", "type"); v != nil && (v.In != "body" || v.Expected != "integer" || v.Got != `string "one"`) {
		t.Errorf("part violation: %+v", v.Violation)
	}
	if v := findViolation(rep, "postGaze", "/version", "type"); v != nil && (v.In != "query" || v.Expected != "integer (int32)" || v.Got != `string "two"`) {
		t.Errorf("version violation: %+v", v.Violation)
	}
}

func TestRecordingIsRedactedAndDiffable(t *testing.T) {
	pub, data := startMock(t)
	r := startProxy(t, pub, data, nil)
	sdkSession(t, r)
	c := &http.Client{Timeout: 10 * time.Second}
	st, body, hdr := call(t, c, "POST", r.pub+"/v0/sessions", "", `{"email":"admin@demo.example","password":"demo-password"}`)
	if st != 200 {
		t.Fatalf("login: %d %s", st, body)
	}
	var login struct{ CSRF string }
	json.Unmarshal([]byte(body), &login)
	cookie := strings.Split(hdr.Get("Set-Cookie"), ";")[0]
	st, body, _ = call(t, c, "POST", r.pub+"/v0/organizations/12/apiKeys", "", `{"name":"ci","accessLevel":"read"}`,
		"Cookie", cookie, "c3d-csrf", login.CSRF)
	if st != 201 {
		t.Fatalf("create key: %d %s", st, body)
	}
	var created struct{ Key string }
	json.Unmarshal([]byte(body), &created)
	// the new key in use, and reaching the Data Collector through the public listener by Host
	if st, body, _ := call(t, c, "GET", r.pub+"/v0/organizations/12", created.Key, ""); st != 200 {
		t.Fatalf("new key: %d %s", st, body)
	}
	if st, body, _ := call(t, c, "GET", r.pub+"/v0/applicationKey", devKey, "", "Host", "data.cognitive3d.com"); st != 200 {
		t.Fatalf("Host data.*: %d %s", st, body)
	}

	rec := r.rec.String()
	secrets := []string{"demo-password", orgKey, "demo-app-key", "demo-developer-key", created.Key,
		strings.TrimPrefix(created.Key, "orgkey-"), login.CSRF, strings.SplitN(cookie, "=", 2)[1]}
	for _, s := range secrets {
		if len(s) < 4 {
			t.Fatalf("secret %q too short to test", s)
		}
		if strings.Contains(rec, s) || strings.Contains(r.out.String(), s) {
			t.Errorf("secret %q appears in the recording or the output", s)
		}
	}
	if !strings.Contains(rec, redact.Redacted) || !strings.Contains(rec, `"Host":["data.cognitive3d.com"]`) {
		t.Errorf("recording lacks redaction markers or the Host:\n%s", rec)
	}
	if !r.p.Report().OK() {
		t.Errorf("valid traffic flagged:\n%s", r.out.String())
	}

	// contract --diff reads the file back
	file := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(file, []byte(rec), 0o600); err != nil {
		t.Fatal(err)
	}
	xs, err := contract.ReadRecordings(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) != 11 {
		t.Fatalf("read %d exchanges, want 11", len(xs))
	}
	apis := map[string]int{}
	for _, x := range xs {
		apis[x.API]++
		if x.Check != "proxy" || x.Status == 0 || x.Method == "" || x.OperationID == "" {
			t.Errorf("exchange incomplete: %+v", x)
		}
		if a := x.RequestHeader["Authorization"]; a != nil && a[0] != redact.Redacted {
			t.Errorf("Authorization recorded as %q", a)
		}
	}
	if apis["public"] != 8 || apis[contract.APIDataCollector] != 3 {
		t.Errorf("exchanges per API: %v, want 8 public and 3 datacollector", apis)
	}
	pdoc, ddoc := docs(t)
	for _, f := range contract.Diff(pdoc, xs, ddoc) {
		if f.Kind == "operation" || f.Kind == "status" || f.Kind == "content-type" {
			t.Errorf("diff of recorded traffic: %s", f)
		}
	}
}

func TestLargeBodiesStreamThroughUnvalidated(t *testing.T) {
	var got []byte
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("cvr-request-time", "1")
		io.WriteString(w, `{"status":"ok","received":true,"padding":"`+strings.Repeat("x", 200)+`"}`)
	}))
	t.Cleanup(up.Close)
	r := startProxy(t, up.URL, up.URL, func(c *proxy.Config) { c.MaxValidateBytes = 64 })
	c := &http.Client{Timeout: 10 * time.Second}
	st, body, _ := call(t, c, "POST", r.data+"/v0/gaze/"+scene+"?version=2", appKey, gazeBody)
	if st != 200 || string(got) != gazeBody || !strings.Contains(body, strings.Repeat("x", 200)) {
		t.Fatalf("status %d; upstream got %d of %d bytes; client got %d bytes", st, len(got), len(gazeBody), len(body))
	}
	out := r.out.String()
	if !strings.Contains(out, "request body larger than --max-validate-bytes (64)") || !strings.Contains(out, "response body larger than --max-validate-bytes (64)") {
		t.Errorf("no warnings:\n%s", out)
	}
	if rep := r.p.Report(); !rep.OK() || rep.UnvalidatedBodies != 1 {
		t.Errorf("report: %+v\n%s", rep, out)
	}
}

func TestReports(t *testing.T) {
	pub, _ := startMock(t)
	bad := badUpstream(t)
	// one proxy per upstream; reports of the bad one
	good := startProxy(t, pub, "", nil)
	r := startProxy(t, bad, "", nil)
	c := &http.Client{Timeout: 10 * time.Second}
	call(t, c, "GET", good.pub+"/v0/projects/4460", orgKey, "")
	call(t, c, "GET", r.pub+"/v0/projects/4460", orgKey, "")
	call(t, c, "GET", r.pub+"/v0/organizations/12", orgKey, "")

	var js bytes.Buffer
	if err := r.p.Report().WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Exchanges  int
		Violations []struct {
			OperationID, Pointer, Keyword, Expected, Got string
			Count                                        int
		}
		Operations []struct {
			OperationID           string
			Exchanges, Violations int
		}
	}
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Exchanges != 2 || len(rep.Violations) != 3 || len(rep.Operations) != 2 {
		t.Fatalf("json report: %s", js.String())
	}
	if v := rep.Violations[0]; v.OperationID != "getProject" || v.Pointer != "/id" || v.Keyword != "type" || v.Count != 1 {
		t.Errorf("first violation: %+v", v)
	}

	var ju bytes.Buffer
	if err := r.p.Report().WriteJUnit(&ju); err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(ju.Bytes(), &suites); err != nil {
		t.Fatalf("%v\n%s", err, ju.String())
	}
	s := suites.Suites[0]
	if s.Tests != 2 || s.Failures != 2 {
		t.Fatalf("junit: %s", ju.String())
	}
	for _, c := range s.Cases {
		if c.Name == "getProject" && (c.Failure == nil || !strings.Contains(c.Failure.Text, "body /id: type: expected integer (int64), got string \"4460\"")) {
			t.Errorf("getProject testcase: %+v", c.Failure)
		}
	}

	var gj bytes.Buffer
	good.p.Report().WriteJUnit(&gj)
	if !good.p.Report().OK() || strings.Contains(gj.String(), "<failure") || !strings.Contains(gj.String(), `name="getProject"`) {
		t.Errorf("junit of valid traffic:\n%s", gj.String())
	}
}

func TestGzipResponsesAreValidatedAndPassedOnAsTheyCame(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, `{"id":"not a number","name":"zipped"}`)
		zw.Close()
	}))
	t.Cleanup(up.Close)
	r := startProxy(t, up.URL, "", nil)
	// Go's client asks for gzip and unzips: the body arriving intact proves it passed unchanged
	st, body, _ := call(t, &http.Client{Timeout: 10 * time.Second}, "GET", r.pub+"/v0/projects/4460", orgKey, "")
	if st != 200 || body != `{"id":"not a number","name":"zipped"}` {
		t.Fatalf("client got %d %q", st, body)
	}
	if v := findViolation(r.p.Report(), "getProject", "/id", "type"); v == nil || v.Got != `string "not a number"` {
		t.Errorf("gzip body not validated:\n%s", r.out.String())
	}
	if !strings.Contains(r.rec.String(), `"name":"zipped"`) {
		t.Errorf("recording lacks the unzipped body:\n%s", r.rec.String())
	}
}

func TestCORSPreflightIsNotAViolation(t *testing.T) {
	pub, data := startMock(t)
	r := startProxy(t, pub, data, nil)
	st, _, _ := call(t, &http.Client{Timeout: 10 * time.Second}, "OPTIONS", r.data+"/v0/gaze/"+scene+"?version=2", "", "",
		"Origin", "https://app.example", "Access-Control-Request-Method", "POST")
	if st >= 300 {
		t.Fatalf("preflight: %d", st)
	}
	if rep := r.p.Report(); !rep.OK() || rep.Exchanges != 1 {
		t.Errorf("preflight flagged or not counted: %+v\n%s", rep, r.out.String())
	}
}
