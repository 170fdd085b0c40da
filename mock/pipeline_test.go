package mock_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// TestPipelinePrecedence pins the order of the pipeline's checks (mock/doc.go):
// find → authn → access → media → validate → authz → handler.
func TestPipelinePrecedence(t *testing.T) {
	ts := newTestServer(t)
	const listQuery = "/v0/datasets/sessions/paginatedListQueries"
	tests := []struct {
		name string
		rq   request
		want int
	}{
		{"unknown path beats missing key", request{method: "GET", path: "/v0/projectz/4460"}, 404},
		{"wrong method beats missing key", request{method: "PATCH", path: "/v0/projects/4460"}, 405},
		{"missing key beats bad body", request{method: "POST", path: "/v0/organizations/12/tags", body: `[1]`}, 401},
		{"malformed key", request{method: "GET", path: "/v0/projects/4460", auth: "Bearer demo-readwrite"}, 401},
		{"unknown key", request{method: "GET", path: "/v0/projects/4460", auth: "orgkey-not-a-key"}, 401},
		{"legacy secret in orgkey form is unknown", request{method: "GET", path: "/v0/projects/4460", auth: "orgkey-demo-legacy-key"}, 401},
		{"read-only key refused before content type", request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadOnly, body: "title=x", contentType: "application/x-www-form-urlencoded"}, 403},
		{"read-only key refused before body", request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadOnly, body: `[]`}, 403},
		{"content type beats bad body", request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: `[]`, contentType: "text/csv"}, 415},
		{"missing content type", request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: `{"title":"x"}`, contentType: " "}, 415},
		{"bare array where object expected", request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: `[]`}, 400},
		{"validation beats scope", request{method: "POST", path: "/v0/organizations/76/tags", auth: keyReadWrite, body: `{"title":5}`}, 400},
		{"projectId as string is 400", request{method: "POST", path: listQuery, auth: keyReadWrite, body: `{"sessionType":"project","entityFilters":{"projectId":"4460"}}`}, 400},
		{"other organization is 403", request{method: "POST", path: "/v0/organizations/76/tags", auth: keyReadWrite, body: `{"title":"x"}`}, 403},
		{"other organization's project in a query body is 403", request{method: "POST", path: listQuery, auth: keyReadWrite, body: `{"sessionType":"project","entityFilters":{"projectId":2797}}`}, 403},
		{"unknown project is 404", request{method: "GET", path: "/v0/projects/999999", auth: keyReadWrite}, 404},
		{"unknown project in a query body is 404", request{method: "POST", path: listQuery, auth: keyReadWrite, body: `{"sessionType":"project","entityFilters":{"projectId":999999}}`}, 404},
		{"dead vendor route is 404", request{method: "GET", path: "/v0/versions/7011/objectiveVersions/1/results", auth: keyReadWrite}, 404},
		{"valid request reaches the handler", request{method: "GET", path: "/v0/projects/4460", auth: keyReadWrite}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rq := tt.rq
			if rq.contentType == " " {
				rq.contentType = ""
				rq.header = map[string]string{"Content-Type": ""}
			}
			res := do(t, ts, rq)
			if res.status != tt.want {
				t.Fatalf("%s %s: status = %d, want %d; body %s", rq.method, rq.path, res.status, tt.want, res.body)
			}
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			if tt.want >= 400 {
				body := res.json(t)
				if body["code"] == nil || body["message"] == nil {
					t.Errorf("error body lacks code/message: %s", res.body)
				}
			}
		})
	}
}

func TestRoutingErrorsNameNearestOperation(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		method, path, wantOp string
		want                 int
	}{
		{"GET", "/v0/projectz/4460", "getProject", http.StatusNotFound},
		{"PATCH", "/v0/projects/4460", "getProject", http.StatusMethodNotAllowed},
		{"GET", "/v0/organizations/12/tagz", "listOrganizationTags", http.StatusNotFound},
	}
	for _, tt := range tests {
		res := do(t, ts, request{method: tt.method, path: tt.path, auth: keyReadWrite})
		if res.status != tt.want {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.status, tt.want)
			continue
		}
		if tt.want == http.StatusMethodNotAllowed && res.header.Get("Allow") != "DELETE, GET, PUT" {
			t.Errorf("%s %s: Allow = %q, want the path's methods", tt.method, tt.path, res.header.Get("Allow"))
		}
		if !strings.Contains(string(res.body), `"operationId":"`+tt.wantOp+`"`) {
			t.Errorf("%s %s: body does not name nearest operation %s: %s", tt.method, tt.path, tt.wantOp, res.body)
		}
	}
}

func TestValidationErrorNamesFieldAndRule(t *testing.T) {
	ts := newTestServer(t)
	res := do(t, ts, request{method: "POST", path: "/v0/datasets/sessions/paginatedListQueries", auth: keyReadWrite,
		body: `{"sessionType":"project","entityFilters":{"projectId":"4460"}}`})
	if res.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", res.status, res.body)
	}
	body := res.json(t)
	if body["field"] != "/entityFilters/projectId" || body["rule"] != "type" || !strings.Contains(body["expected"].(string), "integer") {
		t.Errorf("error body = %s, want field /entityFilters/projectId, rule type, expected integer", res.body)
	}
}

func TestUnsupportedMediaTypeNamesExpected(t *testing.T) {
	ts := newTestServer(t)
	res := do(t, ts, request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: "title: x", contentType: "application/yaml"})
	if res.status != http.StatusUnsupportedMediaType || !strings.Contains(string(res.body), "application/json") {
		t.Fatalf("status %d body %s: want 415 naming application/json", res.status, res.body)
	}
}

func TestUnimplementedOperationIs501NamingIt(t *testing.T) {
	ts := newTestServer(t)
	impl := mock.ImplementedOperations()
	for _, op := range spec.Operations(publicDoc(t)) {
		if impl[op.ID] || op.Dead || op.Method != "GET" || strings.Contains(op.Path, "{") || op.Op.Parameters.GetByInAndName("query", "projectIds") != nil {
			continue
		}
		res := do(t, ts, request{method: op.Method, path: op.Path, auth: keyReadWrite})
		if res.status != http.StatusNotImplemented || !strings.Contains(string(res.body), op.ID) {
			t.Errorf("%s %s: status %d body %s, want 501 naming %s", op.Method, op.Path, res.status, res.body, op.ID)
		}
		return
	}
	t.Skip("no unimplemented GET operation without parameters is left")
}
