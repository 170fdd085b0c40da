package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServeAPI drives the whole pipeline with arbitrary methods, paths,
// credentials, content types and bodies. The mock may refuse anything, but it
// must never panic or answer 5xx (501 for unimplemented operations aside).
func FuzzServeAPI(f *testing.F) {
	seeds := []struct{ method, path, auth, ct, body string }{
		{"GET", "/v0/projects/4460", keyReadWrite, "", ""},
		{"POST", "/v0/organizations/12/tags", keyReadWrite, "application/json", `{"title":"t","projectIds":["4460",4461]}`},
		{"POST", "/v0/organizations/12/tags", keyReadWrite, "application/json", `{"title":"t","projectIds":["x"]}`},
		{"POST", "/v0/projects", keyDomain, "application/json", `{"name":"n","organizationId":76}`},
		{"POST", "/v0/projects", keyReadWrite, "application/json", `{"name":"n","organizationId":"12"}`},
		{"PUT", "/v0/projects/4461", keyReadWrite, "application/json", `{"name":""}`},
		{"DELETE", "/v0/versions/7011/objects/dyn_obj_42", keyReadWrite, "", ""},
		{"POST", "/v0/datasets/sessions/paginatedListQueries", keyReadWrite, "application/json", `{"sessionType":"project","entityFilters":{"projectId":4460},"page":0,"limit":10}`},
		{"POST", "/v0/datasets/sessions/paginatedListQueries", keyReadWrite, "application/json", `{"entityFilters":{"projectId":1e40}}`},
		{"POST", "/v0/sessions", "", "application/json", `{"email":"admin@demo.example","password":"demo-password"}`},
		{"GET", "/v0/questionSets?projectIds=4460,abc", keyReadWrite, "", ""},
		{"GET", "/v0/scenes/%00", keyReadWrite, "", ""},
		{"GET", "/v0/projects/99999999999999999999", keyReadWrite, "", ""},
		{"POST", "/v0/organizations/12/tags", "orgkey-", "application/json; charset=utf-8", `{`},
		{"OPTIONS", "/", "", "", ""},
		{"GET", "/v0/organizations/apiKeys/whoami", keyDomain, "", ""},
		{"POST", "/v0/organizations/12/tags", keyReadWrite, "multipart/form-data; boundary=x", "--x\r\n"},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.auth, s.ct, s.body)
	}
	srv := newHandler(f)
	f.Fuzz(func(t *testing.T, method, path, auth, ct, body string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
		if err != nil {
			return // not an HTTP request a client could send
		}
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		// 507 is a spent --store-budget (uploads accumulate over a long run), not a bug.
		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented && rec.Code != http.StatusInsufficientStorage {
			t.Fatalf("%s %s (auth %q, %q, body %q) → %d: %s", method, path, auth, ct, body, rec.Code, rec.Body)
		}
	})
}
