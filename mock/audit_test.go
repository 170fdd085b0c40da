package mock_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestAuditLog(t *testing.T) {
	ts := newTestServer(t)
	admin := userCaller(t, ts, "admin@demo.example")
	rw := caller{auth: keyReadWrite}
	rw.must(t, ts, 201, "POST", "/v0/organizations/12/tags", `{"title":"audited"}`)
	admin.must(t, ts, 200, "PUT", "/v0/projects/4460/settings", `{"enableAi":true}`)
	admin.must(t, ts, 201, "POST", "/v0/organizations/12/apiKeys", `{"name":"audited key","accessLevel":"read"}`)
	// Refused writes, reads and other organizations' writes leave no entry.
	caller{auth: keyReadOnly}.must(t, ts, 403, "POST", "/v0/organizations/12/tags", `{"title":"refused"}`)
	rw.must(t, ts, 200, "GET", "/v0/projects/4460", "")
	caller{auth: keyOther}.must(t, ts, 201, "POST", "/v0/organizations/76/tags", `{"title":"elsewhere"}`)

	page := admin.must(t, ts, 200, "GET", "/v0/organizations/12/auditLogs", "")
	var got struct {
		Count, Pages, CurrentPage int
		Results                   []struct {
			ID          int64
			Time        int64
			OperationID string
			Method      string
			Path        string
			Actor       struct {
				Type string
				ID   int64
				Name string
			}
			Target struct{ OrganizationID, ProjectID int64 }
		}
	}
	if err := json.Unmarshal(page.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Count != 3 || got.Pages != 1 || len(got.Results) != 3 {
		t.Fatalf("audit log = %s, want 3 entries on 1 page", page.body)
	}
	want := []struct {
		op, actorType string
		actorID       int64
		project       int64
	}{
		{"createOrganizationApiKey", "user", 1001, 0},
		{"updateProjectSettings", "user", 1001, 4460},
		{"createOrganizationTag", "key", 1, 0},
	}
	for i, w := range want {
		e := got.Results[i]
		if e.OperationID != w.op || e.Actor.Type != w.actorType || e.Actor.ID != w.actorID || e.Target.OrganizationID != 12 || e.Target.ProjectID != w.project {
			t.Errorf("entry %d = %+v, want %s by %s %d on project %d", i, e, w.op, w.actorType, w.actorID, w.project)
		}
		if e.Time != testNow.UnixMilli() {
			t.Errorf("entry %d time %d, want the server clock %d", i, e.Time, testNow.UnixMilli())
		}
	}
	if got.Results[2].Actor.Name != "Demo read-write key" || got.Results[0].Actor.Name != "Maya Chen" {
		t.Errorf("actor names: %q, %q", got.Results[2].Actor.Name, got.Results[0].Actor.Name)
	}
	if strings.Contains(string(page.body), "demo-readwrite") {
		t.Errorf("audit log shows a secret: %s", page.body)
	}
	if n := domainKey.must(t, ts, 200, "GET", "/v0/organizations/76/auditLogs", "").json(t)["count"]; n != json.Number("1") {
		t.Errorf("organization 76 has %v entries, want its own 1", n)
	}
}

func TestAuditLogPages(t *testing.T) {
	ts := newTestServer(t)
	for i := range 7 {
		caller{auth: keyLegacy}.must(t, ts, 201, "POST", "/v0/organizations/12/tags", fmt.Sprintf(`{"title":"page-%d"}`, i))
	}
	cases := []struct {
		query         string
		results, page int
	}{
		{"?limit=3", 3, 0},
		{"?limit=3&page=2", 1, 2},
		{"?limit=3&page=5", 0, 5},
		{"", 7, 0},
	}
	var firstID json.Number
	for _, c := range cases {
		res := domainKey.must(t, ts, 200, "GET", "/v0/organizations/12/auditLogs"+c.query, "").json(t)
		results := res["results"].([]any)
		if len(results) != c.results || res["count"] != json.Number("7") || res["currentPage"] != json.Number(fmt.Sprint(c.page)) {
			t.Errorf("%s: %d results, count %v, page %v; want %d results, count 7, page %d", c.query, len(results), res["count"], res["currentPage"], c.results, c.page)
		}
		if c.query == "" {
			firstID = results[0].(map[string]any)["id"].(json.Number)
		}
	}
	if firstID != "7" {
		t.Errorf("newest entry id = %s, want 7 (newest first)", firstID)
	}
	domainKey.must(t, ts, 400, "GET", "/v0/organizations/12/auditLogs?limit=0", "")
	domainKey.must(t, ts, 400, "GET", "/v0/organizations/12/auditLogs?page=-1", "")
}
