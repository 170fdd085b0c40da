package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/c3dmock/c3dmock/spec"
)

const (
	testKey      = "orgkey-contract-test-secret"
	testROKey    = "orgkey-contract-test-readonly"
	testLegacy   = "APIKEY:ORGANIZATION contract-test-legacy"
	testCSRF     = "csrf-token-value-1234"
	testCookieID = "cookie-session-value-5678"
)

var (
	docOnce sync.Once
	docVal  *openapi3.T
	docErr  error
)

// publicDoc is the embedded public spec, loaded once.
func publicDoc(t testing.TB) *openapi3.T {
	t.Helper()
	docOnce.Do(func() { docVal, docErr = spec.Load(context.Background(), spec.Public) })
	if docErr != nil {
		t.Fatalf("spec.Load: %v", docErr)
	}
	return docVal
}

// miniDoc loads testdata/mini.yaml, a small spec independent of public.yaml.
func miniDoc(t testing.TB) *openapi3.T {
	t.Helper()
	data, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return doc
}

func stub(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// testTarget is a fully configured target for ts: every optional credential
// and id given, writes allowed, no rate limit.
func testTarget(t testing.TB, ts *httptest.Server) Target {
	return Target{BaseURL: ts.URL, Spec: publicDoc(t), APIKey: testKey, ReadOnlyKey: testROKey, LegacyKey: testLegacy, DomainKey: "APIKEY:DOMAIN d",
		ForeignProjectID: 2797, AllowWrites: true, HTTP: ts.Client()}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		panic(err)
	}
}

// acceptAll answers 200 {} to everything: the mock that passes a
// positive-only suite.
func acceptAll(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	writeJSON(w, http.StatusOK, map[string]any{})
}

// lenient answers every read with plausible, schema-valid data but checks
// nothing: no auth, no media types, no validation, no filters, no paging,
// and it forgets writes. Discovery passes against it; nothing else should.
func lenient(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p := r.URL.Path
	scene := "2c2f0603-8f5c-4ff6-94ed-03542a4df34d"
	project := map[string]any{"id": 4460, "organizationId": 12, "name": "Demo", "scenes": []any{
		map[string]any{"id": scene, "projectId": 4460, "versions": []any{map[string]any{"id": 141, "versionNumber": 1}}}}}
	switch {
	case p == "/v0/organizations/apiKeys/whoami":
		writeJSON(w, 200, map[string]any{"organizationId": 12})
	case p == "/v0/organizations/12":
		writeJSON(w, 200, map[string]any{"id": 12, "projects": []any{project}})
	case strings.HasSuffix(p, "/tags"):
		writeJSON(w, 200, []any{map[string]any{"id": 1, "title": "test"}})
	case p == "/v0/projects" && r.Method == "POST":
		var in map[string]any
		json.Unmarshal(body, &in)
		writeJSON(w, 201, map[string]any{"id": 9999, "organizationId": 12, "name": in["name"]})
	case strings.HasSuffix(p, "/scenes"):
		writeJSON(w, 200, project["scenes"])
	case p == "/v0/scenes/"+scene:
		writeJSON(w, 200, project["scenes"].([]any)[0])
	case strings.HasPrefix(p, "/v0/projects/") && strings.Count(p, "/") == 3:
		writeJSON(w, 200, project)
	case strings.HasSuffix(p, "/objects"):
		writeJSON(w, 200, []any{map[string]any{"id": 1, "versionId": 141, "sdkId": "a"}})
	case strings.HasSuffix(p, "/objectives"):
		writeJSON(w, 200, []any{map[string]any{"id": 269, "name": "o", "projectId": 4460, "objectiveVersions": []any{map[string]any{"id": 829}}}})
	case strings.HasSuffix(p, "/objectives/269"):
		writeJSON(w, 200, map[string]any{"id": 269, "name": "o", "projectId": 4460})
	case strings.HasSuffix(p, "/questionSets"):
		writeJSON(w, 200, []any{map[string]any{"id": "s:1", "name": "s", "version": 1, "questions": []any{}}})
	case p == "/v0/questionSets":
		writeJSON(w, 200, map[string]any{})
	case strings.HasSuffix(p, "/paginatedListQueries"):
		var rows []any
		for i := range 7 {
			rows = append(rows, map[string]any{"sessionId": fmt.Sprintf("s%d", i), "projectId": 4460,
				"date": fmt.Sprintf("2026-03-%02dT10:00:00.000Z", 20-i)})
		}
		writeJSON(w, 200, map[string]any{"count": 7, "pages": 3, "currentPage": 0, "results": rows})
	case strings.HasSuffix(p, "/slicerQueries"):
		writeJSON(w, 200, map[string]any{"aggregations": map[string]any{"main": map[string]any{"session_count": map[string]any{"value": 6}}}})
	case strings.HasSuffix(p, "/responseCountQueries"):
		writeJSON(w, 200, []any{})
	default:
		writeJSON(w, 200, map[string]any{})
	}
}
