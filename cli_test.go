package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
)

func runOut(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, env(nil), &out, &errb)
	return out.String(), errb.String(), err
}

func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, _, err := runOut(t, args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, c := range []string{"c3dmock [serve] [flags]", "c3dmock spec [flags]", "c3dmock contract [flags]", "c3dmock version", "c3dmock help"} {
			if !strings.Contains(out, c) {
				t.Errorf("%v does not list %q:\n%s", args, c, out)
			}
		}
		if strings.Contains(out, "--addr") {
			t.Errorf("%v prints serve's flags instead of the command list:\n%s", args, out)
		}
	}
}

func TestCommandHelp(t *testing.T) {
	for _, c := range []struct {
		cmd   string
		flags []string
	}{
		{"serve", []string{"--addr", "--data-addr", "--sessions", "--seed", "--now", "--quiet", "--tls"}},
		{"spec", []string{"--doc", "--json", "--list", "--postman", "--portable"}},
		{"contract", []string{"--base-url", "--checks", "--report", "--allow-writes"}},
		{"version", nil},
	} {
		out, _, err := runOut(t, c.cmd, "--help")
		if exitCode(err) != exitOK {
			t.Fatalf("%s --help: %v", c.cmd, err)
		}
		cmd, _ := findCommand(c.cmd)
		lines := strings.Split(out, "\n")
		if lines[0] != "c3dmock "+c.cmd+": "+cmd.summary || cmd.summary == "" {
			t.Errorf("%s --help starts %q, want its one-line description", c.cmd, lines[0])
		}
		for _, f := range c.flags {
			if !strings.Contains(out, "  "+f+" ") {
				t.Errorf("%s --help lacks %s:\n%s", c.cmd, f, out)
			}
		}
		if _, ex, _ := strings.Cut(out, "\nExample:\n  "); !strings.Contains(ex, "c3dmock "+c.cmd) {
			t.Errorf("%s --help has no example:\n%s", c.cmd, out)
		}
		if again, _, _ := runOut(t, "help", c.cmd); again != out {
			t.Errorf("help %s differs from %s --help", c.cmd, c.cmd)
		}
		if short, _, err := runOut(t, c.cmd, "-h"); exitCode(err) != exitOK || short != out {
			t.Errorf("%s -h: %v", c.cmd, err)
		}
	}
	if _, stderr, err := runOut(t, "serve", "--nope"); exitCode(err) != exitUsage || !strings.Contains(err.Error(), `"c3dmock serve --help"`) || strings.Contains(stderr, "--addr") {
		t.Errorf("unknown flag: exit %d, %v, stderr %q; want a usage error pointing at serve --help", exitCode(err), err, stderr)
	}
	if _, _, err := runOut(t, "help", "nope"); exitCode(err) != exitUsage {
		t.Errorf("help nope: exit %d, want %d", exitCode(err), exitUsage)
	}
}

// fakeBuildInfo makes the binary look built by "go build" from a checkout
// with uncommitted changes, for the rest of the test.
func fakeBuildInfo(t *testing.T) {
	t.Helper()
	old := readBuildInfo
	t.Cleanup(func() { readBuildInfo = old })
	readBuildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/c3dmock/c3dmock", Version: "v1.4.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
				{Key: "vcs.time", Value: "2026-11-30T08:00:00Z"}, {Key: "vcs.modified", Value: "true"},
				{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"}}}, true
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runOut(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "c3dmock ") || !strings.Contains(out, "\nmodule:    github.com/c3dmock/c3dmock") ||
		!strings.Contains(out, "\nrevision:  ") || !strings.Contains(out, "\ngo:        "+runtime.Version()) {
		t.Errorf("version:\n%s", out)
	}
	if again, _, _ := runOut(t, "--version"); again != out {
		t.Errorf("--version differs from version:\n%s", again)
	}
	if _, _, err := runOut(t, "version", "extra"); exitCode(err) != exitUsage {
		t.Errorf("version extra: exit %d, want %d", exitCode(err), exitUsage)
	}
	fakeBuildInfo(t)
	out, _, _ = runOut(t, "version")
	want := `c3dmock v1.4.0
module:    github.com/c3dmock/c3dmock v1.4.0
revision:  0123456789abcdef0123456789abcdef01234567 (with uncommitted changes)
time:      2026-11-30T08:00:00Z
go:        go1.26.0 linux/arm64
`
	if out != want {
		t.Errorf("version from build info:\n%s\nwant:\n%s", out, want)
	}
}

// waitFor polls logs until it holds s.
func waitFor(t *testing.T, logs *syncBuffer, s string) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(logs.String(), s) {
			return logs.String()
		}
	}
	t.Fatalf("no %q in:\n%s", s, logs.String())
	return ""
}

// bannerLine returns the text after prefix on the banner line that starts with it.
func bannerLine(t *testing.T, banner, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(banner, "\n") {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			return rest
		}
	}
	t.Fatalf("no line %q in the banner:\n%s", prefix, banner)
	return ""
}

// TestBanner: the start-up banner names both addresses, the world, every
// usable key of the seed in its header form, and a curl line that works.
func TestBanner(t *testing.T) {
	fakeBuildInfo(t)
	base, logs, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--sessions", "10", "--seed", "7", "--now", "2026-01-02T03:04:05Z"}, nil)
	defer stop()
	banner := waitFor(t, logs, "\ntry: ")
	data := dataURL(t, logs)
	if got := bannerLine(t, banner, "c3dmock "); got != "v1.4.0 rev 0123456789ab+modified ready" {
		t.Errorf("version line %q", got)
	}
	if got := bannerLine(t, banner, "public API listening on "); got != base {
		t.Errorf("public API line %q, want %q", got, base)
	}
	if got, want := bannerLine(t, banner, "world: "), "seed 7, now 2026-01-02T03:04:05Z, 25 sessions (10 in project 4460)"; got != want {
		t.Errorf("world line %q, want %q", got, want)
	}
	seed, err := fixtures.Load()
	if err != nil {
		t.Fatal(err)
	}
	do := func(url, auth string) int {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", auth)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, k := range seed.APIKeys {
		listed := strings.Contains(banner, "\n  Authorization: "+k.Header()+"  (")
		if k.ExpiresAt < 0 || k.Revoked {
			if listed {
				t.Errorf("the banner offers the unusable key %s", k.Header())
			}
			continue
		}
		if !listed {
			t.Errorf("the banner lacks the key %q:\n%s", k.Header(), banner)
			continue
		}
		switch k.Kind {
		case fixtures.KeyOrg, fixtures.KeyLegacy, fixtures.KeyDomain:
			if code := do(base+"/v0/organizations/apiKeys/whoami", k.Header()); code != 200 {
				t.Errorf("whoami with the banner's %q: %d", k.Header(), code)
			}
		case fixtures.KeyDeveloper:
			if code := do(data+"/v0/user", k.Header()); code != 200 {
				t.Errorf("GET %s/v0/user with the banner's %q: %d", data, k.Header(), code)
			}
		}
	}
	if !strings.Contains(banner, "\n  Authorization: orgkey-demo-readwrite  (org 12, read-write)\n") {
		t.Errorf("the banner does not say what the demo key reaches:\n%s", banner)
	}
	if !strings.Contains(banner, "\n  login: admin@demo.example / demo-password  (") {
		t.Errorf("the banner has no demo login:\n%s", banner)
	}
	// The curl line, as pasted.
	curl := bannerLine(t, banner, "try: ")
	_, rest, _ := strings.Cut(curl, "-H 'Authorization: ")
	auth, url, _ := strings.Cut(rest, "' ")
	if !strings.HasPrefix(curl, "curl -s -H 'Authorization: ") || !strings.HasPrefix(url, base+"/") || do(url, auth) != 200 {
		t.Errorf("the curl line %q does not work against %s", curl, base)
	}
}

func TestBannerQuiet(t *testing.T) {
	_, logs, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--sessions", "10", "--quiet"}, nil)
	dataURL(t, logs) // still printed: scripts find the Data Collector by it
	time.Sleep(50 * time.Millisecond)
	stop()
	for _, s := range []string{"ready", "world:", "Authorization:", "try:", "public API listening"} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("--quiet still printed %q:\n%s", s, logs.String())
		}
	}
}

// TestBannerJSON: with --log-format json stderr stays JSON lines; the
// banner is one "ready" record.
func TestBannerJSON(t *testing.T) {
	base, logs, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--sessions", "10", "--log-format", "json"}, nil)
	waitFor(t, logs, `"msg":"ready"`)
	stop()
	var ready int
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var rec struct {
			Msg         string   `json:"msg"`
			Public      string   `json:"public"`
			Data        string   `json:"data"`
			Credentials []string `json:"credentials"`
			Try         string   `json:"try"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Errorf("not a JSON line: %q", sc.Text())
			continue
		}
		if rec.Msg == "ready" {
			ready++
			if rec.Public != base || rec.Data == "" || len(rec.Credentials) < 5 || !strings.Contains(rec.Try, base) {
				t.Errorf("ready record: %+v", rec)
			}
		}
	}
	if ready != 1 {
		t.Errorf("%d ready records, want 1:\n%s", ready, logs.String())
	}
}

func TestBannerTLS(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs syncBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--sessions", "5", "--tls", "--ca-cert", ca}, env(nil), &out, &logs)
	}()
	defer func() { cancel(); <-errc }()
	banner := waitFor(t, &logs, "\ntry: ")
	if !strings.HasPrefix(bannerLine(t, banner, "public API listening on "), "https://") ||
		!strings.HasPrefix(bannerLine(t, banner, "data collector listening on "), "https://") {
		t.Errorf("--tls banner without https addresses:\n%s", banner)
	}
	curl := bannerLine(t, banner, "try: ")
	if !strings.HasPrefix(curl, "curl -s --cacert "+ca+" -H 'Authorization: orgkey-demo-readwrite' https://127.0.0.1:") {
		t.Fatalf("--tls curl line %q", curl)
	}
	pem, _ := os.ReadFile(ca)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest("GET", curl[strings.LastIndex(curl, " ")+1:], nil)
	req.Header.Set("Authorization", "orgkey-demo-readwrite")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("the --tls curl line: %d", res.StatusCode)
	}
}

// TestBuildProgress lowers the threshold so a small world reports like a
// large one.
func TestBuildProgress(t *testing.T) {
	oldFrom, oldTerm := progressFrom, isTerminal
	t.Cleanup(func() { progressFrom, isTerminal = oldFrom, oldTerm })
	progressFrom = 100
	build := func(term bool, args ...string) string {
		isTerminal = func(io.Writer) bool { return term }
		_, logs, stop := startServe(t, append([]string{"--addr", "127.0.0.1:0", "--now", "2026-01-02T03:04:05Z"}, args...), nil)
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		return logs.String()
	}
	summary := "built the world in "
	// 400 sessions in 4460 and 40 in each of the 3 other projects. A world is
	// built once per process and options (later ones are forks that report
	// nothing), so the first build uses a seed no other test builds.
	logs := build(true, "--sessions", "400", "--seed", "90017")
	if !strings.Contains(logs, "\rbuilding the world: 100% (520 of 520 sessions, ") || !strings.Contains(logs, " sessions/s, ") ||
		!strings.Contains(logs, " left)") || !strings.Contains(logs, "building the world:  49% (256 of 520 sessions, ") {
		t.Errorf("no progress line on a terminal:\n%q", logs)
	}
	if !strings.Contains(logs, summary) || !strings.Contains(logs, ": 520 sessions, heap ") {
		t.Errorf("no summary line:\n%s", logs)
	}
	logs = build(false, "--sessions", "400")
	if strings.Contains(logs, "building the world") || !strings.Contains(logs, summary) {
		t.Errorf("not a terminal: want the summary line only:\n%s", logs)
	}
	logs = build(true, "--sessions", "100")
	if strings.Contains(logs, "building the world") || strings.Contains(logs, summary) {
		t.Errorf("a world at the threshold reported progress:\n%s", logs)
	}
	logs = build(true, "--sessions", "400", "--quiet")
	if strings.Contains(logs, "building the world") || strings.Contains(logs, summary) {
		t.Errorf("--quiet reported progress:\n%s", logs)
	}
	logs = build(true, "--sessions", "400", "--log-format", "json")
	if strings.Contains(logs, "building the world") || strings.Count(logs, `"msg":"world built"`) != 1 ||
		!strings.Contains(logs, `"sessions":520,"heap_bytes":`) {
		t.Errorf("json: want one world built record and no progress line:\n%s", logs)
	}
}
