package contract

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/contract/redact"
)

// A target that echoes credentials back everywhere it can: the body, a
// cookie, a csrf field and an error message.
func echoSecrets(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	http.SetCookie(w, &http.Cookie{Name: "c3d_session_v5", Value: testCookieID, Path: "/"})
	w.Header().Set("X-Echo", auth)
	status := 200
	if r.URL.Path != "/v0/organizations/apiKeys/whoami" {
		status = 400
	}
	writeJSON(w, status, map[string]any{"organizationId": 12, "code": "x", "message": "you sent " + auth, "csrf": testCSRF})
}

func TestSecretsNeverLeak(t *testing.T) {
	ts := stub(t, echoSecrets)
	dir := t.TempDir()
	var out bytes.Buffer
	tg := testTarget(t, ts)
	tg.Out, tg.RecordDir = &out, dir
	rep := Run(context.Background(), tg, Checks())
	var js, ju bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJUnit(&ju); err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"stdout": out.String(), "json": js.String(), "junit": ju.String()}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(f)] = string(data)
	}
	secrets := []string{testKey, "contract-test-secret", testROKey, "contract-test-readonly", "contract-test-legacy", testCSRF, testCookieID}
	for name, text := range outputs {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s contains secret %q", name, s)
			}
		}
	}
	if !strings.Contains(outputs[filepath.Base(files[0])], redact.Redacted) {
		t.Errorf("recording %s shows no %s marker", files[0], redact.Redacted)
	}
}

func TestRedactor(t *testing.T) {
	r := redact.New("orgkey-abcdef", "", "APIKEY:ORGANIZATION legacy123")
	for in, want := range map[string]string{
		"Authorization: orgkey-abcdef":     "Authorization: " + redact.Redacted,
		"bare abcdef and legacy123":        "bare " + redact.Redacted + " and " + redact.Redacted,
		"APIKEY:ORGANIZATION legacy123 ok": redact.Redacted + " ok",
		"nothing secret":                   "nothing secret",
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	h := r.Header(http.Header{"Set-Cookie": {"c3d_session_v5=zzz; Path=/; HttpOnly"}, "C3d-Csrf": {"tok"}, "Accept": {"x"}})
	if got := h["Set-Cookie"][0]; got != "c3d_session_v5="+redact.Redacted+"; Path=/; HttpOnly" {
		t.Errorf("Set-Cookie redacted to %q", got)
	}
	if h["C3d-Csrf"][0] != redact.Redacted || h["Accept"][0] != "x" {
		t.Errorf("headers %v", h)
	}
	if got := string(r.JSON([]byte(`{"csrf":"tok","n":[{"password":"p"}],"msg":"key orgkey-abcdef"}`))); strings.Contains(got, "tok") ||
		strings.Contains(got, `"p"`) || strings.Contains(got, "abcdef") {
		t.Errorf("JSON redacted to %s", got)
	}
}
