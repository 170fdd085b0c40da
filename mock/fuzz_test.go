package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServeAPI drives the whole pipeline of both hosts with arbitrary methods,
// paths, credentials (any Authorization value, or one of the demo credential
// kinds: keys of every form and dashboard cookies), content types and bodies
// naming targets anywhere. The mock may refuse anything, but it must never
// panic or answer 5xx (501 for unimplemented operations aside), and a demo
// credential of organization 12 or domain 1 never gets a 2xx body with
// another tenant's projects in it.
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
		// Target locations that disagree, repeat or name other tenants.
		{"POST", "/v0/datasets/sessions/multiQueries", keyReadWrite, "application/json", `{"entityFilters":{"projectId":4460},"projectId":2797,"sdkSessionIds":["1_x"]}`},
		{"POST", "/v0/datasets/sessions/participantSessionsQueries", keyReadOnly, "application/json", `{"projectId":4460,"organizationId":76,"participantId":"p"}`},
		{"GET", "/v0/questionSets?projectIds=4460&projectIds=2797,3001", keyLegacy, "", ""},
		{"POST", "/v0/datasets/sessions/slicerQueries", keyReadWrite, "application/json", `{"sessionType":"scene","entityFilters":{"projectId":4460,"versionId":7021,"sceneId":"de704574-b03f-424e-be87-4985f85ed2e8"},"objectiveFilters":[{"objectiveVersionId":829}]}`},
		{"POST", "/v0/versions/7012/sessionsReport.pdf?projectId=3001&sceneId=x", keyReadWrite, "application/json", `{"sessionIds":["a","b"]}`},
		{"POST", "/v0/datasets/objectives/objectiveResultQueries", keyReadWrite, "application/json", `{"projectId":"4460","objectiveId":268,"objectiveVersionId":900}`},
		{"GET", "/v0/domains/2/settings", keyDomain, "", ""},
		{"GET", "/v0/applicationKey", "", "", ""},
		{"POST", "/v0/gaze/de704574-b03f-424e-be87-4985f85ed2e8?version=1", keyApp, "application/json", `{"sessionid":"1_x","userid":"u","timestamp":1,"part":1,"formatversion":"1.0","data":[]}`},
	}
	for i, s := range seeds {
		f.Add(s.method, s.path, s.auth, s.ct, s.body, uint8(i), i%3 == 0)
	}
	data, public := newDataServers(f, 0)
	creds := sweepCredentials(f, public, false)
	srv := newHandler(f)
	f.Fuzz(func(t *testing.T, method, path, auth, ct, body string, cred uint8, dataHost bool) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
		if err != nil {
			return // not an HTTP request a client could send
		}
		req.Header.Set("Content-Type", ct)
		demo := int(cred)%(len(creds)+1) - 1 // -1: the fuzzed Authorization value
		if demo < 0 {
			req.Header.Set("Authorization", auth)
		} else {
			c := creds[demo]
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			if c.cookie != nil {
				req.AddCookie(c.cookie)
				req.Header.Set("c3d-csrf", c.csrf)
			}
		}
		var h http.Handler = srv
		if dataHost {
			h = data.Config.Handler
		} else if demo >= 0 {
			h = public.Config.Handler // the cookies were issued there
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		// 507 is a spent --store-budget (uploads accumulate over a long run), not a bug.
		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented && rec.Code != http.StatusInsufficientStorage {
			t.Fatalf("%s %s (auth %q, cred %d, %q, body %q) → %d: %s", method, path, auth, demo, ct, body, rec.Code, rec.Body)
		}
		if demo >= 0 && rec.Code < 300 {
			others := []string{"Reseller Showroom", "Reseller Org"} // domain 2
			if creds[demo].auth != keyDomain {
				others = append(others, "Sample Game Project", "Other Org") // organization 76, inside domain 1
			}
			for _, other := range others {
				if strings.Contains(rec.Body.String(), other) {
					t.Fatalf("%s %s (cred %s, body %q) → %d with another tenant's %q: %.300s", method, path, creds[demo].name, body, rec.Code, other, rec.Body)
				}
			}
		}
	})
}
