package mock_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

// controlServers serves one mock (public API and Data Collector, unwrapped)
// with the given control token.
func controlServers(t *testing.T, token string) (public, data *httptest.Server) {
	t.Helper()
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Sessions: 10, ControlToken: token,
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	public, data = httptest.NewServer(srv), httptest.NewServer(srv.DataHandler())
	t.Cleanup(public.Close)
	t.Cleanup(data.Close)
	return public, data
}

func errorRule(t *testing.T, got response) string {
	t.Helper()
	var e struct{ Rule, Field string }
	if err := json.Unmarshal(got.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %s", got.body)
	}
	return e.Rule
}

// TestResetRefusesCrossSiteRequests: what a web page can send cross-site
// without a preflight (a form post, text/plain, a bare POST) cannot reset
// the mock; the C3dmock-Control header can, and a preflight asking to send
// it is refused on both listeners.
func TestResetRefusesCrossSiteRequests(t *testing.T) {
	public, data := controlServers(t, "")
	project := request{method: "GET", path: "/v0/projects/4461", auth: keyReadWrite}
	if got := do(t, public, request{method: "DELETE", path: "/v0/projects/4461", auth: keyReadWrite}); got.status != 204 {
		t.Fatalf("delete project 4461: %d", got.status)
	}
	refused := []request{
		{method: "POST", path: "/__c3dmock/reset", body: "a=1", contentType: "application/x-www-form-urlencoded"},
		{method: "POST", path: "/__c3dmock/reset", body: "reset", contentType: "text/plain"},
		{method: "POST", path: "/__c3dmock/reset", body: "--b--", contentType: "multipart/form-data; boundary=b"},
		{method: "POST", path: "/__c3dmock/reset"},
		{method: "POST", path: "/__c3dmock/reset", header: map[string]string{mock.ControlHeader: "0", "Origin": "https://evil.example"}},
	}
	for _, ts := range []*httptest.Server{public, data} {
		for _, rq := range refused {
			got := do(t, ts, rq)
			if got.status != 403 || errorRule(t, got) != "controlHeader" {
				t.Errorf("%s reset (%s, %v): %d %s, want 403 rule controlHeader", ts.URL, rq.contentType, rq.header, got.status, got.body)
			}
		}
		pre := do(t, ts, request{method: "OPTIONS", path: "/__c3dmock/reset", header: map[string]string{
			"Origin": "https://evil.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "c3dmock-control"}})
		if pre.status != 403 || pre.header.Get("Access-Control-Allow-Origin") != "" || pre.header.Get("Access-Control-Allow-Headers") != "" {
			t.Errorf("%s preflight to reset: %d %v, want 403 without CORS approval", ts.URL, pre.status, pre.header)
		}
	}
	if got := do(t, public, project); got.status != 404 {
		t.Fatalf("a refused reset brought project 4461 back: %d", got.status)
	}
	got := do(t, public, request{method: "POST", path: "/__c3dmock/reset", header: map[string]string{mock.ControlHeader: "1"}})
	if got.status != 200 {
		t.Fatalf("reset with %s: 1: %d %s", mock.ControlHeader, got.status, got.body)
	}
	if got := do(t, public, project); got.status != 200 {
		t.Errorf("after reset project 4461: %d, want 200", got.status)
	}
	if got := do(t, data, request{method: "POST", path: "/__c3dmock/reset", header: map[string]string{mock.ControlHeader: "1"}}); got.status != 200 {
		t.Errorf("reset on the Data Collector listener: %d", got.status)
	}
	if got := do(t, public, request{method: "GET", path: "/__c3dmock/reportEmails"}); got.status != 200 {
		t.Errorf("reading reportEmails without a token configured: %d, want 200", got.status)
	}
}

// TestControlToken: with --control-token every control endpoint but the
// health check needs the token; the control header is still required on
// state-changing ones.
func TestControlToken(t *testing.T) {
	public, _ := controlServers(t, "s3cret")
	ctl := func(tok string) map[string]string {
		h := map[string]string{mock.ControlHeader: "1"}
		if tok != "" {
			h[mock.ControlTokenHeader] = tok
		}
		return h
	}
	cases := []struct {
		name   string
		rq     request
		status int
		rule   string
	}{
		{"reset without token", request{method: "POST", path: "/__c3dmock/reset", header: ctl("")}, 401, "controlToken"},
		{"reset with wrong token", request{method: "POST", path: "/__c3dmock/reset", header: ctl("s3cre")}, 401, "controlToken"},
		{"token as bearer is not the token header", request{method: "POST", path: "/__c3dmock/reset", auth: "Bearer s3cret", header: ctl("")}, 401, "controlToken"},
		{"reset with token, no control header", request{method: "POST", path: "/__c3dmock/reset", header: map[string]string{mock.ControlTokenHeader: "s3cret"}}, 403, "controlHeader"},
		{"reset with token", request{method: "POST", path: "/__c3dmock/reset", header: ctl("s3cret")}, 200, ""},
		{"reportEmails without token", request{method: "GET", path: "/__c3dmock/reportEmails"}, 401, "controlToken"},
		{"reportEmails with token", request{method: "GET", path: "/__c3dmock/reportEmails", header: map[string]string{mock.ControlTokenHeader: "s3cret"}}, 200, ""},
		{"healthz stays open", request{method: "GET", path: "/__c3dmock/healthz"}, 200, ""},
	}
	for _, c := range cases {
		got := do(t, public, c.rq)
		if got.status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, got.status, got.body, c.status)
			continue
		}
		if c.rule != "" && errorRule(t, got) != c.rule {
			t.Errorf("%s: %s, want rule %s", c.name, got.body, c.rule)
		}
	}
}
