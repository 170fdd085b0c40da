package mock_test

import (
	"testing"
)

func TestDomainSettings(t *testing.T) {
	ts := newTestServer(t)
	got := domainKey.must(t, ts, 200, "GET", "/v0/domains/1/settings", "").json(t)
	if got["brandName"] != "Cognitive3D" || got["whiteLabel"] != false {
		t.Errorf("domain 1 settings = %v, want the defaults", got)
	}
	da := userCaller(t, ts, "domainadmin@demo.example")
	upd := da.must(t, ts, 200, "PUT", "/v0/domains/1/settings", `{"whiteLabel":true,"supportEmail":"help@demo.example"}`).json(t)
	if upd["whiteLabel"] != true || upd["supportEmail"] != "help@demo.example" || upd["brandName"] != "Cognitive3D" {
		t.Errorf("after update: %v", upd)
	}
	// Domain 2 belongs to another domain: seeded settings, out of reach of domain 1's key.
	domainKey.must(t, ts, 403, "GET", "/v0/domains/2/settings", "")
	domainKey.must(t, ts, 404, "GET", "/v0/domains/9/settings", "")
	domainKey.must(t, ts, 400, "PUT", "/v0/domains/1/settings", `{"colour":"red"}`)
}

func TestOrganizationSettings(t *testing.T) {
	ts := newTestServer(t)
	admin := userCaller(t, ts, "admin@demo.example")
	got := caller{auth: keyReadOnly}.must(t, ts, 200, "GET", "/v0/organizations/12/settings", "").json(t)
	if got["name"] != "Demo Org" || got["defaultMemberRole"] != "member" || got["mfaRequired"] != false {
		t.Errorf("organization 12 settings = %v", got)
	}
	admin.must(t, ts, 200, "PUT", "/v0/organizations/12/settings", `{"name":"Renamed Org","defaultMemberRole":"observer"}`)
	if org := admin.must(t, ts, 200, "GET", "/v0/organizations/12", "").json(t); org["name"] != "Renamed Org" {
		t.Errorf("getOrganization name = %v, want the new name", org["name"])
	}
	m := admin.must(t, ts, 201, "POST", "/v0/organizations/12/members", `{"email":"defaulted@example.com"}`).json(t)
	if m["role"] != "observer" {
		t.Errorf("invite without role got %v, want the new default observer", m["role"])
	}
	admin.must(t, ts, 400, "PUT", "/v0/organizations/12/settings", `{"name":""}`)
}

func TestProjectSettings(t *testing.T) {
	ts := newTestServer(t)
	padmin := userCaller(t, ts, "projectadmin@demo.example")
	before := padmin.must(t, ts, 200, "GET", "/v0/projects/4460/settings", "").json(t)
	upd := padmin.must(t, ts, 200, "PUT", "/v0/projects/4460/settings", `{"enableGeoIp":true,"hidden":true}`).json(t)
	if upd["enableGeoIp"] != true || upd["hidden"] != true || upd["enableAi"] != before["enableAi"] {
		t.Errorf("after update %v (before %v)", upd, before)
	}
	if p := padmin.must(t, ts, 200, "GET", "/v0/projects/4460", "").json(t); p["hidden"] != true || p["enableGeoIp"] != true {
		t.Errorf("getProject does not show the new settings: hidden %v, enableGeoIp %v", p["hidden"], p["enableGeoIp"])
	}
	padmin.must(t, ts, 403, "PUT", "/v0/projects/4461/settings", `{"hidden":true}`)
	caller{auth: keyReadWrite}.must(t, ts, 403, "PUT", "/v0/projects/4460/settings", `{"hidden":false}`)
}
