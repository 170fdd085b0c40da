package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/contract"
	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

var listeningLine = regexp.MustCompile(`proxy listening on (http://\S+) -> \S+ \((public API|Data Collector)\)`)

// startProxyCmd runs "c3dmock proxy" and returns its two base URLs.
func startProxyCmd(t *testing.T, args ...string) (pub, data string, out *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	var errOut syncBuffer
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, append([]string{"proxy"}, args...), env(nil), out, &errOut) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range listeningLine.FindAllStringSubmatch(out.String(), -1) {
			if m[2] == "public API" {
				pub = m[1]
			} else {
				data = m[1]
			}
		}
		if pub != "" && data != "" {
			return pub, data, out, func() error { cancel(); return <-errc }
		}
		select {
		case err := <-errc:
			cancel()
			t.Fatalf("proxy exited early: %v\n%s%s", err, out, errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("proxy did not start within 10s:\n%s", out)
	return
}

func TestProxyCommandEndToEnd(t *testing.T) {
	ctx := context.Background()
	doc, _ := spec.Load(ctx, spec.Public)
	dataDoc, _ := spec.Load(ctx, spec.DataCollector)
	srv, err := mock.NewServer(mock.Config{Spec: doc, DataSpec: dataDoc, Sessions: 20})
	if err != nil {
		t.Fatal(err)
	}
	up, dataUp := httptest.NewServer(srv), httptest.NewServer(srv.DataHandler())
	defer up.Close()
	defer dataUp.Close()

	dir := t.TempDir()
	jsonFile, junitFile, recFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml"), filepath.Join(dir, "rec.jsonl")
	pub, data, out, stop := startProxyCmd(t, "--upstream", up.URL, "--data-upstream", dataUp.URL, "--addr", "127.0.0.1:0",
		"--report", "json="+jsonFile, "--report", "junit="+junitFile, "--record", recFile)

	get := func(u, auth string) int {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", auth)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := get(pub+"/v0/projects/4460", "orgkey-demo-readwrite"); st != 200 {
		t.Fatalf("public through the proxy: %d", st)
	}
	if st := get(data+"/v0/user", "APIKEY:DEVELOPER demo-developer-key"); st != 200 {
		t.Fatalf("Data Collector through the proxy: %d", st)
	}
	if err := stop(); err != nil {
		t.Fatalf("clean traffic: exit %v, want nil\n%s", err, out)
	}
	if !strings.Contains(out.String(), "2 exchanges through 2 operations; 0 violations (0 distinct) in 0 operations") {
		t.Errorf("summary:\n%s", out)
	}
	var rep struct{ Exchanges int }
	b, err := os.ReadFile(jsonFile)
	if err != nil || json.Unmarshal(b, &rep) != nil || rep.Exchanges != 2 {
		t.Errorf("json report (%v): %s", err, b)
	}
	if b, err := os.ReadFile(junitFile); err != nil || !strings.Contains(string(b), `name="getProject"`) {
		t.Errorf("junit report (%v): %s", err, b)
	}
	xs, err := contract.ReadRecordings(recFile)
	if err != nil || len(xs) != 2 {
		t.Fatalf("recording: %v, %d exchanges", err, len(xs))
	}
	if b, _ := os.ReadFile(recFile); strings.Contains(string(b), "demo-readwrite") || strings.Contains(string(b), "demo-developer-key") {
		t.Errorf("a key in the recording:\n%s", b)
	}
	var diffOut strings.Builder
	if err := run(ctx, []string{"contract", "--diff", recFile}, env(nil), &diffOut, &diffOut); err != nil {
		t.Errorf("contract --diff of the proxy recording: %v\n%s", err, diffOut.String())
	}

	// a violating upstream: exit 1 after the reports are written
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"4460"}`))
	}))
	defer bad.Close()
	pub, _, out, stop = startProxyCmd(t, "--upstream", bad.URL, "--data-upstream", bad.URL, "--addr", "127.0.0.1:0", "--report", "json="+jsonFile)
	get(pub+"/v0/projects/4460", "orgkey-demo-readwrite")
	err = stop()
	if !errors.Is(err, errChecksFailed) || exitCode(err) != exitFailed {
		t.Errorf("violations: exit %v (%d), want 1", err, exitCode(err))
	}
	if b, _ := os.ReadFile(jsonFile); !strings.Contains(string(b), `"pointer": "/id"`) {
		t.Errorf("json report after violations:\n%s", b)
	}
	if !strings.Contains(out.String(), "/id") {
		t.Errorf("the violation was not printed as it happened:\n%s", out.String())
	}
}

func TestProxyCommandUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--upstream", "ftp://example.com"},
		{"--upstream", "http://127.0.0.1:1", "--data-addr", "127.0.0.1:0"},
		{"--upstream", "http://127.0.0.1:1", "--max-validate-bytes", "0"},
		{"--upstream", "http://127.0.0.1:1", "--report", "html=x"},
	} {
		var out strings.Builder
		err := run(context.Background(), append([]string{"proxy"}, args...), env(nil), &out, &out)
		if exitCode(err) != exitUsage {
			t.Errorf("proxy %v: %v (exit %d), want a usage error", args, err, exitCode(err))
		}
	}
}
