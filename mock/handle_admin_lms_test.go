package mock_test

import (
	"fmt"
	"testing"
)

func TestLMSConfigurations(t *testing.T) {
	ts := newTestServer(t)
	admin := userCaller(t, ts, "admin@demo.example")
	member := userCaller(t, ts, "member@demo.example")
	c := admin.must(t, ts, 201, "POST", "/v0/organizations/12/lmsConfigurations",
		`{"name":"Moodle","contactEmail":"lms@demo.example","type":"xapi","settings":{"endpoint":"https://lrs.example.com","batch":10}}`).json(t)
	path := fmt.Sprint("/v0/organizations/12/lmsConfigurations/", c["id"])
	got := member.must(t, ts, 200, "GET", path, "").json(t)
	if got["name"] != "Moodle" || got["settings"].(map[string]any)["endpoint"] != "https://lrs.example.com" {
		t.Errorf("GET %s = %v", path, got)
	}
	member.must(t, ts, 403, "PUT", path, `{"name":"nope"}`)
	upd := admin.must(t, ts, 200, "PUT", path, `{"type":"scorm"}`).json(t)
	if upd["type"] != "scorm" || upd["name"] != "Moodle" {
		t.Errorf("partial update = %v, want type scorm and the name kept", upd)
	}
	admin.must(t, ts, 400, "PUT", path, `{}`)
	admin.must(t, ts, 400, "POST", "/v0/organizations/12/lmsConfigurations", `{"name":"x","contactEmail":"not-an-email","type":"xapi"}`)
	// Another organization's id is not found from here.
	other := caller{auth: keyOther}
	o := userCaller(t, ts, "other@demo.example").must(t, ts, 201, "POST", "/v0/organizations/76/lmsConfigurations", `{"name":"o","contactEmail":"o@example.com","type":"custom"}`).json(t)
	admin.must(t, ts, 404, "GET", fmt.Sprint("/v0/organizations/12/lmsConfigurations/", o["id"]), "")
	if n := len(other.must(t, ts, 200, "GET", "/v0/organizations/76/lmsConfigurations", "").list(t)); n != 1 {
		t.Errorf("organization 76 lists %d configurations, want 1", n)
	}
	if n := len(member.must(t, ts, 200, "GET", "/v0/organizations/12/lmsConfigurations", "").list(t)); n != 1 {
		t.Errorf("organization 12 lists %d configurations, want 1", n)
	}
	admin.must(t, ts, 204, "DELETE", path, "")
	admin.must(t, ts, 404, "GET", path, "")
}
