package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const contractTestKey = "orgkey-cmd-contract-secret"

// whoamiOnly answers whoami correctly and refuses nothing else.
func whoamiOnly(t *testing.T) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != contractTestKey {
			w.WriteHeader(401)
			w.Write([]byte(`{"code":"unauthorized","status":401,"message":"no"}`))
			return
		}
		w.Write([]byte(`{"organizationId":12}`))
	}))
	t.Cleanup(ts.Close)
	return ts
}

func closedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestContractExitCodes(t *testing.T) {
	ts := whoamiOnly(t)
	withKey := map[string]string{"C3DMOCK_API_KEY": contractTestKey}
	tests := []struct {
		name    string
		args    []string
		environ map[string]string
		want    int
	}{
		{"all passed", []string{"--base-url", ts.URL, "--checks", "discovery/whoami,auth/no-credential,auth/unknown-key", "--project", "1", "--rate", "0"}, withKey, exitOK},
		{"a check failed", []string{"--base-url", ts.URL, "--checks", "discovery/*", "--rate", "0"}, withKey, exitFailed},
		{"base url from env", []string{"--checks", "discovery/whoami"}, map[string]string{"C3DMOCK_API_KEY": contractTestKey, "C3DMOCK_BASE_URL": ts.URL}, exitOK},
		{"missing base url", nil, withKey, exitUsage},
		{"bad base url", []string{"--base-url", "ftp://x"}, withKey, exitUsage},
		{"missing key env", []string{"--base-url", ts.URL}, nil, exitUsage},
		{"key env renamed", []string{"--base-url", ts.URL, "--api-key-env", "MY_KEY", "--checks", "discovery/whoami"}, map[string]string{"MY_KEY": contractTestKey}, exitOK},
		{"bad flag", []string{"--base-url", ts.URL, "--no-such-flag"}, withKey, exitUsage},
		{"bad report", []string{"--base-url", ts.URL, "--report", "html=x"}, withKey, exitUsage},
		{"stray argument", []string{"--base-url", ts.URL, "extra"}, withKey, exitUsage},
		{"zero response cap", []string{"--base-url", ts.URL, "--max-response-bytes", "0"}, withKey, exitUsage},
		{"unreachable", []string{"--base-url", closedURL(t)}, withKey, exitUnreachable},
		{"list", []string{"--list"}, nil, exitOK},
		{"diff without dirs", []string{"--diff"}, nil, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := run(context.Background(), append([]string{"contract"}, tt.args...), env(tt.environ), &out, &errs)
			if got := exitCode(err); got != tt.want {
				t.Errorf("exit %d (err %v), want %d\nstdout:\n%s", got, err, tt.want, out.String())
			}
			if strings.Contains(out.String()+errs.String(), contractTestKey) {
				t.Error("output contains the API key")
			}
		})
	}
}

func TestContractReportsAndRecordings(t *testing.T) {
	ts := whoamiOnly(t)
	dir := t.TempDir()
	jsonFile, junitFile, rec := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml"), filepath.Join(dir, "rec")
	var out bytes.Buffer
	args := []string{"contract", "--base-url", ts.URL, "--checks", "discovery/whoami,auth/*", "--project", "1", "--rate", "0",
		"--report", "json=" + jsonFile, "--report", "junit=" + junitFile, "--record", rec}
	err := run(context.Background(), args, env(map[string]string{"C3DMOCK_API_KEY": contractTestKey}), &out, &bytes.Buffer{})
	if exitCode(err) != exitOK {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "4 passed, 0 failed, 3 skipped") {
		t.Errorf("stdout lacks the summary:\n%s", out.String())
	}
	var rep struct {
		Passed, Skipped int
		Results         []struct{ Operations []string }
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil || json.Unmarshal(data, &rep) != nil || rep.Passed != 4 || rep.Skipped != 3 {
		t.Errorf("json report %s: %v", data, err)
	}
	cases := 0 // one JUnit testcase per check per operation
	for _, r := range rep.Results {
		cases += max(1, len(r.Operations))
	}
	var suites struct {
		Suites []struct {
			Tests int `xml:"tests,attr"`
		} `xml:"testsuite"`
	}
	data, err = os.ReadFile(junitFile)
	if err != nil || xml.Unmarshal(data, &suites) != nil || len(suites.Suites) != 1 || suites.Suites[0].Tests != cases || cases <= 7 {
		t.Errorf("junit report has %d testcases, want %d (one per check per operation): %s", suites.Suites[0].Tests, cases, data)
	}
	files, _ := filepath.Glob(filepath.Join(rec, "*.json"))
	if len(files) == 0 {
		t.Fatal("no recordings")
	}
	for _, f := range append(files, jsonFile, junitFile) {
		if b, _ := os.ReadFile(f); bytes.Contains(b, []byte("cmd-contract-secret")) {
			t.Errorf("%s contains the key", f)
		}
	}
	out.Reset()
	// Recordings that agree with the spec: exit 0.
	err = run(context.Background(), []string{"contract", "--diff", rec}, env(nil), &out, &bytes.Buffer{})
	if exitCode(err) != exitOK || !strings.Contains(out.String(), "0 findings in") {
		t.Errorf("--diff: exit %d (%v), want 0:\n%s", exitCode(err), err, out.String())
	}
	// A recorded project answer without organizationId: --diff names it and exits 1.
	bad := t.TempDir()
	x := `{"method":"GET","path":"/v0/projects/4460","status":200,"responseHeader":{"Content-Type":["application/json"]},"responseBody":{"id":4460,"name":"Demo"}}`
	if err := os.WriteFile(filepath.Join(bad, "x.json"), []byte(x), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(context.Background(), []string{"contract", "--diff", bad}, env(nil), &out, &bytes.Buffer{})
	if exitCode(err) != exitFailed || !strings.Contains(out.String(), "getProject 200: missing /organizationId") {
		t.Errorf("--diff: exit %d (%v), want %d naming /organizationId:\n%s", exitCode(err), err, exitFailed, out.String())
	}
}

func TestSpecPostman(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"spec", "--postman", "contract/testdata/postman.json"}, env(nil), &out, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "requests the spec lacks") || !strings.Contains(out.String(), "operations the collection lacks") {
		t.Errorf("output:\n%s", out.String())
	}
	if code := exitCode(run(context.Background(), []string{"spec", "--postman", "no/such/file.json"}, env(nil), &out, &out)); code != exitUsage {
		t.Errorf("missing collection: exit %d, want %d", code, exitUsage)
	}
}
