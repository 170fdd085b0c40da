package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/mock"
)

type journalEntries struct {
	Requests []struct {
		Method, Path, OperationID, RefusedAt, Fault, RequestBody, ResponseBody string
		Status                                                                 int
		Credential                                                             *struct {
			Kind  string
			KeyID int64
		}
		Error          *struct{ Code, Field, Rule string }
		RequestHeaders map[string][]string
	} `json:"requests"`
}

func journalOf(t *testing.T, pub *httptest.Server, box, query string) journalEntries {
	t.Helper()
	res := do(t, pub, in(box, request{method: "GET", path: "/__c3dmock/requests" + query}))
	var j journalEntries
	if err := json.Unmarshal(res.body, &j); err != nil || res.status != 200 {
		t.Fatalf("journal: %d %s %v", res.status, res.body, err)
	}
	return j
}

// TestJournalRecordsWhatThePipelineDecided: each request with its operation,
// status, credential, the step that refused it and the error; filters; and
// never a secret.
func TestJournalRecordsWhatThePipelineDecided(t *testing.T) {
	_, pub, _ := sandboxServers(t, mock.Config{})
	box := "j1"
	do(t, pub, in(box, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}))
	do(t, pub, in(box, request{method: "GET", path: "/v0/projects/2797", auth: keyReadOnly}))                                                    // another tenant: authz 403
	do(t, pub, in(box, request{method: "POST", path: "/v0/datasets/sessions/paginatedListQueries", auth: keyReadOnly, body: `{"limit":"ten"}`})) // schema: validate 400
	do(t, pub, in(box, request{method: "POST", path: "/v0/sessions", body: `{"email":"admin@demo.example","password":"` + demoPassword + `"}`}))
	created := do(t, pub, in(box, request{method: "POST", path: "/v0/organizations/12/apiKeys", auth: keyDomain, body: `{"name":"ci","accessLevel":"read"}`})).json(t)["key"].(string)
	j := journalOf(t, pub, box, "")
	if len(j.Requests) != 5 {
		t.Fatalf("%d entries, want 5", len(j.Requests))
	}
	first := j.Requests[0]
	if first.OperationID != "getProject" || first.Status != 200 || first.Credential == nil || first.Credential.Kind != "organization" || first.Credential.KeyID != 2 {
		t.Errorf("first entry: %+v", first)
	}
	if e := j.Requests[1]; e.Status != 403 || e.RefusedAt != "authz" || e.Error == nil || e.Error.Code != "forbidden" {
		t.Errorf("another tenant's project: %+v", e)
	}
	if e := j.Requests[2]; e.Status != 400 || e.RefusedAt != "validate" || e.Error == nil || e.Error.Field != "/limit" {
		t.Errorf("bad body: %+v %+v", e, e.Error)
	}
	raw := fmt.Sprint(j)
	for _, secret := range []string{demoPassword, strings.TrimPrefix(created, "orgkey-"), "demo-readonly", "demo-domain-key"} {
		if strings.Contains(raw, secret) {
			t.Errorf("the journal holds the secret %q", secret)
		}
	}
	if len(journalOf(t, pub, box, "?status=4xx").Requests) != 2 || len(journalOf(t, pub, box, "?operationId=getProject").Requests) != 2 ||
		len(journalOf(t, pub, box, "?limit=1").Requests) != 1 || journalOf(t, pub, box, "?limit=1").Requests[0].OperationID != "createOrganizationApiKey" {
		t.Errorf("filters do not select")
	}
	if n := len(journalOf(t, pub, "other", "").Requests); n != 0 {
		t.Errorf("sandbox other's journal has %d entries of j1's", n)
	}
	if res := do(t, pub, in(box, control("DELETE", "/__c3dmock/requests", ""))); res.status != 204 || len(journalOf(t, pub, box, "").Requests) != 0 {
		t.Errorf("clear: %d", res.status)
	}
}

// TestJournalBounds: the ring keeps the newest --journal-size entries and
// cuts bodies at --journal-body-bytes.
func TestJournalBounds(t *testing.T) {
	_, pub, _ := sandboxServers(t, mock.Config{JournalSize: 3, JournalBodyBytes: 64})
	for i := range 5 {
		do(t, pub, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: fmt.Sprintf(`{"name":"n%d","description":"%s"}`, i, strings.Repeat("x", 200))})
	}
	j := journalOf(t, pub, "", "")
	if len(j.Requests) != 3 || !strings.Contains(j.Requests[0].RequestBody, `n2`) || !strings.Contains(j.Requests[2].RequestBody, `n4`) {
		t.Fatalf("entries: %+v", j.Requests)
	}
	for _, e := range j.Requests {
		if len(e.RequestBody) > 64 || len(e.ResponseBody) > 64 {
			t.Errorf("a body of %d/%d bytes passed the 64-byte cap", len(e.RequestBody), len(e.ResponseBody))
		}
	}
}

// TestVerify: hits and misses, with the nearest misses naming the failed
// condition.
func TestVerify(t *testing.T) {
	_, pub, _ := sandboxServers(t, mock.Config{})
	list := func(project int) {
		do(t, pub, request{method: "POST", path: "/v0/datasets/sessions/paginatedListQueries", auth: keyReadWrite,
			body: fmt.Sprintf(`{"page":0,"limit":2,"sessionType":"project","entityFilters":{"projectId":%d}}`, project)})
	}
	list(4460)
	list(4460)
	list(4461)
	verify := func(body string) (int, map[string]any) {
		res := do(t, pub, control("POST", "/__c3dmock/verify", body))
		return res.status, res.json(t)
	}
	if s, r := verify(`{"operationId":"sessionPaginatedListQuery","count":2,"where":{"body":{"/entityFilters/projectId":4460}}}`); s != 200 || r["holds"] != true {
		t.Errorf("count 2 for 4460: %d %v", s, r)
	}
	if s, r := verify(`{"operationId":"sessionPaginatedListQuery","min":3}`); s != 200 || r["holds"] != true {
		t.Errorf("min 3: %d %v", s, r)
	}
	s, r := verify(`{"operationId":"sessionPaginatedListQuery","count":1,"where":{"body":{"/entityFilters/projectId":4462,"/limit":2}}}`)
	if s != http.StatusUnprocessableEntity || r["holds"] != false || fmt.Sprint(r["matched"]) != "0" {
		t.Fatalf("a miss: %d %v", s, r)
	}
	nearest := r["nearest"].([]any)
	failed := fmt.Sprint(nearest[0].(map[string]any)["failed"])
	if len(nearest) != 3 || !strings.Contains(failed, "body:/entityFilters/projectId want 4462 got 44") || strings.Contains(failed, "/limit") {
		t.Errorf("nearest misses: %v", nearest)
	}
	if s, r := verify(`{"operationId":"nope","count":1}`); s != 400 || r["field"] != "/operationId" {
		t.Errorf("unknown operation: %d %v", s, r)
	}
	if s, r := verify(`{"operationId":"getProject"}`); s != 400 || r["field"] != "/count" {
		t.Errorf("no expectation: %d %v", s, r)
	}
}

// TestConformanceReport: a client that sends a bad body gets a report of
// its violations, and the never-called operations; JUnit at shutdown.
func TestConformanceReport(t *testing.T) {
	_, pub, _ := sandboxServers(t, mock.Config{})
	box := "sdk"
	do(t, pub, in(box, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}))
	for range 2 {
		do(t, pub, in(box, request{method: "POST", path: "/v0/datasets/sessions/paginatedListQueries", auth: keyReadOnly, body: `{"limit":"ten","sessionType":"project"}`}))
	}
	do(t, pub, in(box, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"x"}`, contentType: "text/csv"}))
	var rep struct {
		Called []struct {
			OperationID string
			Count       int
			Statuses    map[string]int
		}
		Rejected []struct {
			OperationID, Rule, Field string
			Count                    int
			Example                  struct{ Message string }
		}
		NeverCalled []struct{ OperationID string }
	}
	res := do(t, pub, in(box, request{method: "GET", path: "/__c3dmock/report"}))
	if err := json.Unmarshal(res.body, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Called) != 3 || len(rep.Rejected) != 2 {
		t.Fatalf("report: %s", res.body)
	}
	got := map[string]int{}
	for _, g := range rep.Rejected {
		got[g.OperationID+" "+g.Rule+" "+g.Field] = g.Count
	}
	if got["sessionPaginatedListQuery type /limit"] != 2 || got["updateProject mediaType header:Content-Type"] != 1 {
		t.Errorf("rejections: %v", got)
	}
	if len(rep.NeverCalled) < 100 {
		t.Errorf("%d operations never called", len(rep.NeverCalled))
	}
}

// TestNoJournal: with the journal off (serve --journal-size 0) the API
// works and the journal's endpoints say why they have nothing (409).
func TestNoJournal(t *testing.T) {
	_, pub, _ := sandboxServers(t, mock.Config{JournalSize: -1})
	if s := statusOf(t, pub, getProject); s != 200 {
		t.Fatalf("GET project: %d", s)
	}
	for _, rq := range []request{
		{method: "GET", path: "/__c3dmock/requests"},
		{method: "GET", path: "/__c3dmock/report"},
		control("POST", "/__c3dmock/verify", `{"operationId":"getProject","count":1}`),
	} {
		if res := do(t, pub, rq); res.status != 409 || res.json(t)["rule"] != "journal" {
			t.Errorf("%s %s: %d %s, want 409 rule journal", rq.method, rq.path, res.status, res.body)
		}
	}
}
