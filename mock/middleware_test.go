package mock

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

func TestRecoverPanicAnswers500AndLogs(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	h := logRequests(log, recoverPanic(log, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v0/projects/1", nil))
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Mock-Error") != "true" {
		t.Errorf("panic: status %d, Mock-Error %q; want 500 and true", rec.Code, rec.Header().Get("Mock-Error"))
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("panic detail leaked to the client: %s", rec.Body)
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "status=500") {
		t.Errorf("log lacks the panic or the request line: %s", logs.String())
	}
}

func TestLogLineNamesOperationAndReasonButNoSecret(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h := logRequests(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		info.operationID = "getProject"
		writeError(w, info, apierr.Errorf(apierr.CodeForbidden, "no access to project 1"))
	}))
	req := httptest.NewRequest("GET", "/v0/projects/1", nil)
	req.Header.Set("Authorization", "orgkey-super-secret")
	h.ServeHTTP(httptest.NewRecorder(), req)
	line := logs.String()
	for _, want := range []string{`"operationId":"getProject"`, `"status":403`, `"reason":"no access to project 1"`, `"method":"GET"`, `"duration"`} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %s: %s", want, line)
		}
	}
	if strings.Contains(line, "super-secret") {
		t.Errorf("log line leaks the key: %s", line)
	}
}
