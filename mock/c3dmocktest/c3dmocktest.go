// Package c3dmocktest runs c3dmock inside Go tests. New starts (once per
// test binary) an in-process server with both hosts - the public API and
// the Data Collector - on 127.0.0.1, and gives each test its own sandbox:
// the test's writes, ingest, uploads, keys and clock are its own, so
// parallel tests never see each other.
//
//	func TestMyClient(t *testing.T) {
//		t.Parallel()
//		m := c3dmocktest.New(t)
//		client := myclient.New(m.PublicURL, m.OrgKey) // the key carries the sandbox
//		...
//	}
//
// The demo credentials come with the sandbox suffix (@NAME) already on, so
// clients that only let you set a base URL and a key need nothing else;
// other requests may send the header C3dmock-Sandbox: m.Sandbox instead.
package c3dmocktest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// Mock is one test's view of the shared server: its base URLs, its sandbox
// and the demo credentials in that sandbox.
type Mock struct {
	PublicURL string // the public API, e.g. http://127.0.0.1:41234
	DataURL   string // the Data Collector
	Sandbox   string // this test's sandbox (header C3dmock-Sandbox, key suffix @Sandbox)

	// Demo credentials (README: "Demo credentials"), each with the sandbox
	// suffix: the Authorization header value to send.
	OrgKey       string // orgkey-demo-readwrite: organization 12, read-write
	ReadOnlyKey  string // orgkey-demo-readonly
	DomainKey    string // APIKEY:DOMAIN demo-domain-key: domain 1 admin
	AppKey       string // APIKEY:DATA demo-app-key: project 4460's application key (Data Collector)
	DeveloperKey string // APIKEY:DEVELOPER demo-developer-key (Data Collector)
}

// server is the process's one c3dmock, started on first use.
var server = sync.OnceValues(start)

type running struct {
	public, data string
}

func start() (running, error) {
	ctx := context.Background()
	pub, err := spec.Load(ctx, spec.Public)
	if err != nil {
		return running{}, err
	}
	dc, err := spec.Load(ctx, spec.DataCollector)
	if err != nil {
		return running{}, err
	}
	srv, err := mock.NewServer(mock.Config{Spec: pub, DataSpec: dc})
	if err != nil {
		return running{}, err
	}
	publicURL, err := listen(srv)
	if err != nil {
		return running{}, err
	}
	dataURL, err := listen(srv.DataHandler())
	if err != nil {
		return running{}, err
	}
	return running{public: publicURL, data: dataURL}, nil
}

// listen serves h on a free port of 127.0.0.1 for the rest of the process.
func listen(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go (&http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
	return "http://" + ln.Addr().String(), nil
}

var seq atomic.Int64

// Start gives a new sandbox on the process's server, for code that is not a
// test (Close deletes it); tests use New.
func Start(name string) (*Mock, error) {
	srv, err := server()
	if err != nil {
		return nil, fmt.Errorf("c3dmocktest: start c3dmock: %w", err)
	}
	box := sandboxName(name, seq.Add(1))
	m := &Mock{PublicURL: srv.public, DataURL: srv.data, Sandbox: box,
		OrgKey: "orgkey-demo-readwrite@" + box, ReadOnlyKey: "orgkey-demo-readonly@" + box,
		DomainKey: "APIKEY:DOMAIN demo-domain-key@" + box, AppKey: "APIKEY:DATA demo-app-key@" + box,
		DeveloperKey: "APIKEY:DEVELOPER demo-developer-key@" + box}
	return m, nil
}

// New gives the test its own sandbox on the process's server, deleted when
// the test ends.
func New(t testing.TB) *Mock {
	t.Helper()
	m, err := Start(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("c3dmocktest: %v", err)
		}
	})
	return m
}

// sandboxName makes a valid sandbox name ([A-Za-z0-9_.-]{1,64}) from a test
// name and a number unique in the process.
func sandboxName(name string, n int64) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	suffix := fmt.Sprintf("-%d", n)
	s := b.String()
	if len(s)+len(suffix) > 64 {
		s = s[:64-len(suffix)]
	}
	return s + suffix
}

// Close deletes the sandbox and everything in it.
func (m *Mock) Close() error {
	_, err := m.control(http.MethodDelete, "/__c3dmock/sandboxes/"+m.Sandbox, "", http.StatusNoContent, http.StatusNotFound)
	return err
}

// Reset gives the sandbox a fresh world and puts its clock back.
func (m *Mock) Reset() error {
	_, err := m.control(http.MethodPost, "/__c3dmock/reset", "", http.StatusOK)
	return err
}

// Advance moves the sandbox's clock by d (a developer key expires 90 days,
// 2160h, after the start).
func (m *Mock) Advance(d time.Duration) error {
	_, err := m.control(http.MethodPut, "/__c3dmock/clock", fmt.Sprintf(`{"advance":%q}`, d.String()), http.StatusOK)
	return err
}

// SetNow moves the sandbox's clock to t.
func (m *Mock) SetNow(t time.Time) error {
	_, err := m.control(http.MethodPut, "/__c3dmock/clock", fmt.Sprintf(`{"now":%q}`, t.UTC().Format(time.RFC3339Nano)), http.StatusOK)
	return err
}

// Freeze stops (true) or restarts (false) the sandbox's clock.
func (m *Mock) Freeze(frozen bool) error {
	_, err := m.control(http.MethodPut, "/__c3dmock/clock", fmt.Sprintf(`{"frozen":%t}`, frozen), http.StatusOK)
	return err
}

// control calls a /__c3dmock endpoint in the sandbox.
func (m *Mock) control(method, path, body string, ok ...int) ([]byte, error) {
	req, err := http.NewRequest(method, m.PublicURL+path, bytes.NewReader([]byte(body)))
	if err != nil {
		return nil, err
	}
	req.Header.Set(mock.ControlHeader, "1")
	req.Header.Set(mock.SandboxHeader, m.Sandbox)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	for _, s := range ok {
		if res.StatusCode == s {
			return b, nil
		}
	}
	return b, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
}
