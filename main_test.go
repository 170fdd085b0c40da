package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer safe to read while run writes to it.
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

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startServe runs "c3dmock serve" on 127.0.0.1:0 and returns its base URL.
func startServe(t *testing.T, args []string, environ map[string]string) (string, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs syncBuffer
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, append([]string{"serve"}, args...), env(environ), &out, &logs) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if line, ok := strings.CutPrefix(out.String(), "listening on "); ok {
			base := strings.TrimSpace(line)
			for time.Now().Before(deadline) {
				res, err := http.Get(base + "/__c3dmock/healthz")
				if err == nil {
					res.Body.Close()
					if res.StatusCode == 200 {
						return base, &logs, func() error { cancel(); return <-errc }
					}
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		select {
		case err := <-errc:
			cancel()
			t.Fatalf("serve exited early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatal("serve did not become healthy within 10s")
	return "", nil, nil
}

func TestServeStartsAndShutsDown(t *testing.T) {
	base, logs, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--sessions", "20", "--log-format", "json"}, nil)
	req, _ := http.NewRequest("GET", base+"/v0/projects/4460", nil)
	req.Header.Set("Authorization", "orgkey-demo-readwrite")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("GET /v0/projects/4460: %d", res.StatusCode)
	}
	if err := stop(); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
	if !strings.Contains(logs.String(), `"operationId":"getProject"`) {
		t.Errorf("json request log lacks the operation: %s", logs.String())
	}
}

func TestServeFlagsFromEnvironment(t *testing.T) {
	base, logs, stop := startServe(t, nil, map[string]string{"C3DMOCK_ADDR": "127.0.0.1:0", "C3DMOCK_SESSIONS": "10", "C3DMOCK_QUIET": "true"})
	res, err := http.Get(base + "/v0/projects/4460")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("unauthenticated GET: %d, want 401", res.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "request") {
		t.Errorf("--quiet via C3DMOCK_QUIET still logged requests: %s", logs.String())
	}
}

func TestNowPinsTheWorld(t *testing.T) {
	get := func() string {
		base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--sessions", "10", "--now", "2026-01-02T03:04:05Z", "--quiet"}, nil)
		defer stop()
		req, _ := http.NewRequest("GET", base+"/v0/projects/4460", nil)
		req.Header.Set("Authorization", "orgkey-demo-readwrite")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if a, b := get(), get(); a != b {
		t.Errorf("same --seed and --now served different projects:\n%s\n%s", a, b)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want int
	}{
		{"help", []string{"help"}, nil, exitOK},
		{"serve --help", []string{"serve", "--help"}, nil, exitOK},
		{"unknown command", []string{"frobnicate"}, nil, exitUsage},
		{"unknown flag", []string{"serve", "--nope"}, nil, exitUsage},
		{"bad --now", []string{"serve", "--now", "yesterday"}, nil, exitUsage},
		{"bad --log-format", []string{"serve", "--log-format", "xml"}, nil, exitUsage},
		{"negative --shutdown-timeout", []string{"serve", "--shutdown-timeout", "-1s"}, nil, exitUsage},
		{"bad env value", []string{"serve"}, map[string]string{"C3DMOCK_SEED": "many"}, exitUsage},
		{"bad --store-budget", []string{"serve", "--store-budget", "lots"}, nil, exitUsage},
		{"bad C3DMOCK_STORE_BUDGET", []string{"serve"}, map[string]string{"C3DMOCK_STORE_BUDGET": "0"}, exitUsage},
		{"zero --cookie-lifetime", []string{"serve", "--cookie-lifetime", "0s"}, nil, exitUsage},
		{"stray argument", []string{"spec", "extra"}, nil, exitUsage},
		{"busy or bad address", []string{"serve", "--addr", "256.0.0.1:1"}, nil, exitUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tt.args, env(tt.env), &out, &errb)
			if got := exitCode(err); got != tt.want {
				t.Errorf("run %v: exit %d (%v), want %d", tt.args, got, err, tt.want)
			}
		})
	}
}

func TestSpecCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"spec"}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\nopenapi: 3.0") {
		t.Errorf("spec does not print the YAML document: %.60s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"spec", "--json"}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "{") || !strings.Contains(out.String(), `"openapi": "3.0`) {
		t.Errorf("spec --json is not the JSON document: %.60s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"spec", "--list"}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var getProject bool
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 7 && f[2] == "getProject" {
			getProject = f[0] == "GET" && f[1] == "/v0/projects/{projectId}" && f[3] == "project" && f[4] == "read" && f[6] == "yes"
		}
	}
	if !getProject {
		t.Errorf("spec --list has no correct getProject line:\n%s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"spec", "--doc", "datacollector", "--list"}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "/v0/gaze/{sceneId}") || strings.Contains(out.String(), "no (501)") {
		t.Errorf("spec --doc datacollector --list lacks the gaze route or shows unimplemented operations:\n%s", out.String())
	}
}

// TestSpecPortable: "spec" prints the document as it is on disk, "spec
// --portable" its portable form (without the cookie scheme, with the Filter
// levels), and --portable --json the same portable document as JSON.
func TestSpecPortable(t *testing.T) {
	for _, doc := range []struct{ flag, file string }{{"public", "spec/public.yaml"}, {"datacollector", "spec/datacollector.yaml"}} {
		disk, err := os.ReadFile(doc.file)
		if err != nil {
			t.Fatal(err)
		}
		var normal, portable bytes.Buffer
		if err := run(context.Background(), []string{"spec", "--doc", doc.flag}, env(nil), &normal, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(normal.Bytes(), disk) {
			t.Errorf("spec --doc %s is not %s as it is", doc.flag, doc.file)
		}
		if err := run(context.Background(), []string{"spec", "--doc", doc.flag, "--portable"}, env(nil), &portable, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(portable.String(), "Portable form (`c3dmock spec --portable`)") || strings.Contains(portable.String(), "in: cookie") {
			t.Errorf("spec --doc %s --portable is not the portable form: %.200s", doc.flag, portable.String())
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"spec", "--portable", "--json"}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"FilterLevel4"`) || strings.Contains(out.String(), `"sessionCookie"`) {
		t.Errorf("spec --portable --json is not the portable document")
	}
	if code := exitCode(run(context.Background(), []string{"spec", "--portable", "--postman", "contract/testdata/postman.json"}, env(nil), io.Discard, io.Discard)); code != exitUsage {
		t.Errorf("spec --portable --postman: exit %d, want %d", code, exitUsage)
	}
}

// dataURL finds the Data Collector's base URL in serve's stderr.
func dataURL(t *testing.T, logs *syncBuffer) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, rest, ok := strings.Cut(logs.String(), "data collector listening on "); ok {
			line, _, _ := strings.Cut(rest, "\n")
			return strings.TrimSpace(line)
		}
	}
	t.Fatalf("no data collector line in: %s", logs.String())
	return ""
}

func TestServeDataCollector(t *testing.T) {
	base, logs, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--sessions", "10"}, nil)
	defer stop()
	data := dataURL(t, logs)
	get := func(url, host, auth string) int {
		req, _ := http.NewRequest("GET", url, nil)
		req.Host = host
		req.Header.Set("Authorization", auth)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.Header.Get("cvr-request-time") == "" && strings.HasPrefix(host, "data.") {
			t.Errorf("GET %s (Host %s): no cvr-request-time", url, host)
		}
		return res.StatusCode
	}
	for _, c := range []struct {
		url, host, auth string
		want            int
	}{
		{data + "/v0/user", "", "APIKEY:DEVELOPER demo-developer-key", 200},
		{data + "/v0/user", "", "APIKEY:DEVELOPER demo-expired-developer-key", 401},
		{base + "/v0/user", "data.cognitive3d.com", "APIKEY:DEVELOPER demo-developer-key", 200},
		{data + "/v0/projects/4460", "api.cognitive3d.com", "orgkey-demo-readwrite", 200},
	} {
		if got := get(c.url, c.host, c.auth); got != c.want {
			t.Errorf("GET %s (Host %q): %d, want %d", c.url, c.host, got, c.want)
		}
	}
}

// serveTLS runs "c3dmock serve --tls" with extra arguments until the test
// ends; it returns the public and Data Collector base URLs and the logs.
func serveTLS(t *testing.T, extra ...string) (base, data string, logs *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	logs = &syncBuffer{}
	errc := make(chan error, 1)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--sessions", "5", "--tls", "--quiet"}, extra...)
	go func() { errc <- run(ctx, args, env(nil), &out, logs) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if rest, ok := strings.CutPrefix(out.String(), "listening on "); ok {
			base = strings.TrimSpace(rest)
		}
	}
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("serve --tls printed %q", out.String())
	}
	return base, dataURL(t, logs), logs
}

// trustedGet fetches https://data.cognitive3d.com/v0/user from the listener
// at data, trusting only the CA in the PEM file caFile.
func trustedGet(t *testing.T, data, caFile string) (int, error) {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("--ca-cert file holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "data.cognitive3d.com"}}}
	req, _ := http.NewRequest("GET", data+"/v0/user", nil)
	req.Host = "data.cognitive3d.com"
	req.Header.Set("Authorization", "APIKEY:DEVELOPER demo-developer-key")
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

func TestServeTLS(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	base, data, _ := serveTLS(t, "--ca-cert", ca)
	if code, err := trustedGet(t, data, ca); err != nil || code != 200 {
		t.Errorf("GET https://data.cognitive3d.com/v0/user via the written CA: %d, %v", code, err)
	}
	if _, err := http.Get(base + "/__c3dmock/healthz"); err == nil {
		t.Error("a client without the CA trusted the server")
	}
}

// TestServeTLSKeepsCA: with --ca-key, a restart signs with the same CA, so a
// client that trusted it once still does.
func TestServeTLSKeepsCA(t *testing.T) {
	dir := t.TempDir()
	ca, key := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem")
	trusted := filepath.Join(dir, "trusted.pem")
	_, data, _ := serveTLS(t, "--ca-cert", ca, "--ca-key", key)
	if code, err := trustedGet(t, data, ca); err != nil || code != 200 {
		t.Fatalf("first start: %d, %v", code, err)
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("--ca-key file: %v, %v; want mode 0600", fi, err)
	}
	first, _ := os.ReadFile(ca)
	os.WriteFile(trusted, first, 0o644)
	_, data, logs := serveTLS(t, "--ca-cert", ca, "--ca-key", key)
	if again, _ := os.ReadFile(ca); string(again) != string(first) {
		t.Error("the CA certificate changed on restart")
	}
	if code, err := trustedGet(t, data, trusted); err != nil || code != 200 {
		t.Errorf("restart, trusting the first CA: %d, %v", code, err)
	}
	if !strings.Contains(logs.String(), "reusing the CA") {
		t.Errorf("logs do not say the CA was reused: %q", logs.String())
	}
	// A key that does not belong to the certificate is refused, not replaced.
	other := filepath.Join(dir, "other-key.pem")
	serveTLS(t, "--ca-cert", filepath.Join(dir, "other.pem"), "--ca-key", other)
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--tls", "--ca-cert", ca, "--ca-key", other}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "does not belong") {
		t.Errorf("mismatched CA key: %v", err)
	}
}

func TestServeTLSFlags(t *testing.T) {
	for _, args := range [][]string{{"serve", "--tls"}, {"serve", "--ca-cert", "x.pem"}, {"serve", "--ca-key", "k.pem"}} {
		err := run(context.Background(), args, env(nil), io.Discard, io.Discard)
		if exitCode(err) != exitUsage {
			t.Errorf("run %v: exit %d (%v), want %d", args, exitCode(err), err, exitUsage)
		}
	}
}

func TestServingGCPercent(t *testing.T) {
	for _, c := range []struct {
		sessions int
		gogc     string
		pct      int
		ok       bool
	}{{500, "", 0, false}, {largeWorld - 1, "", 0, false}, {largeWorld, "", 10, true}, {100000, "", 10, true}, {100000, "100", 0, false}} {
		pct, ok := servingGCPercent(c.sessions, env(map[string]string{"GOGC": c.gogc}))
		if pct != c.pct || ok != c.ok {
			t.Errorf("servingGCPercent(%d, GOGC=%q) = %d, %v; want %d, %v", c.sessions, c.gogc, pct, ok, c.pct, c.ok)
		}
	}
}

// TestServeStateSurvivesRestart: with --state, what was written before a
// graceful stop is there after a restart; a state file of another world is
// refused at start, naming the file and the field.
func TestServeStateSurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	args := []string{"--addr", "127.0.0.1:0", "--data-addr", "off", "--sessions", "20", "--now", "2026-11-01T00:00:00Z", "--quiet", "--state", file}
	base, _, stop := startServe(t, args, nil)
	req, _ := http.NewRequest("PUT", base+"/v0/projects/4460", strings.NewReader(`{"name":"kept across restarts"}`))
	req.Header.Set("Authorization", "orgkey-demo-readwrite")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("rename: %v %v", err, res)
	}
	res.Body.Close()
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	base, _, stop = startServe(t, args, nil)
	req, _ = http.NewRequest("GET", base+"/v0/projects/4460", nil)
	req.Header.Set("Authorization", "orgkey-demo-readonly")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "kept across restarts") {
		t.Errorf("after restart: %s", body)
	}
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	var out, logs syncBuffer
	other := []string{"serve", "--addr", "127.0.0.1:0", "--data-addr", "off", "--sessions", "20", "--now", "2026-12-01T00:00:00Z", "--quiet", "--state", file}
	err = run(context.Background(), other, env(nil), &out, &logs)
	if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "/worldNow") {
		t.Errorf("a state file of another world: %v, want an error naming %s and /worldNow", err, file)
	}
}

// TestServeWorldFile: serve --world adds the file's project and keys to the
// world; a bad file stops the start naming the file, the pointer and the rule.
func TestServeWorldFile(t *testing.T) {
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--data-addr", "off", "--sessions", "20", "--quiet", "--world", "fixtures/examples/world.yaml"}, nil)
	defer stop()
	get := func(path, key string) (int, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get("/v0/projects/900001", "orgkey-myteam-key"); code != 200 || !strings.Contains(body, "Forklift Training") {
		t.Errorf("the file's project with the file's key: %d %.200s", code, body)
	}
	if code, _ := get("/v0/projects/900001", "orgkey-demo-readwrite"); code != http.StatusForbidden {
		t.Errorf("the file's project with the demo key: %d, want 403", code)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("projects: [{id: 900001, organizationId: 77, name: P}]\nscenes: [{id: s, projectId: 900001}]\nversions: [{id: 1, sceneId: s}]\n"), 0o644)
	var out, logs syncBuffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-addr", "off", "--world", bad}, env(nil), &out, &logs)
	if err == nil || !strings.Contains(err.Error(), bad+": /projects/0/organizationId: ") || !strings.Contains(err.Error(), "(exists)") {
		t.Errorf("a bad world file: %v", err)
	}
}

// TestServeReportsAndFaults: serve --faults applies a rules file from the
// start, and --report writes the client conformance report at shutdown.
func TestServeReportsAndFaults(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "faults.yaml")
	os.WriteFile(rules, []byte("- match: {operationId: getProject}\n  action: {status: 404}\n  schedule: {first: 1}\n"), 0o644)
	jsonFile, junitFile := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.xml")
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--data-addr", "off", "--sessions", "20", "--quiet",
		"--faults", rules, "--report", "json=" + jsonFile, "--report", "junit=" + junitFile}, nil)
	call := func(method, path, body string) int {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "orgkey-demo-readwrite")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if a, b := call("GET", "/v0/projects/4460", ""), call("GET", "/v0/projects/4460", ""); a != 404 || b != 200 {
		t.Errorf("the rules file's first-1 rule: %d then %d, want 404 then 200", a, b)
	}
	call("POST", "/v0/datasets/sessions/paginatedListQueries", `{"limit":"ten"}`)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	rep, err := os.ReadFile(jsonFile)
	if err != nil || !strings.Contains(string(rep), `"operationId": "sessionPaginatedListQuery"`) || !strings.Contains(string(rep), `"field": "/limit"`) {
		t.Errorf("json report: %v %.500s", err, rep)
	}
	xml, err := os.ReadFile(junitFile)
	if err != nil || !strings.Contains(string(xml), `<testcase name="sessionPaginatedListQuery"`) || !strings.Contains(string(xml), "<failure") || !strings.Contains(string(xml), "<skipped") {
		t.Errorf("junit report: %v %.500s", err, xml)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("- match: {operationId: getProject}\n  action: {status: 418}\n"), 0o644)
	var out, logs syncBuffer
	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-addr", "off", "--faults", bad}, env(nil), &out, &logs)
	if err == nil || !strings.Contains(err.Error(), "/0/action/status") {
		t.Errorf("a rule with an undocumented status: %v", err)
	}
}
