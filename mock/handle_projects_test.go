package mock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestProjectCRUD(t *testing.T) {
	ts := newTestServer(t)
	res := do(t, ts, request{method: "POST", path: "/v0/projects", auth: keyReadWrite,
		body: `{"name":"Crud Project","description":"made by a test","type":"vr","organizationId":12,"enableGeoIp":true}`})
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	p := res.json(t)
	id := fmt.Sprint(p["id"])
	if p["name"] != "Crud Project" || fmt.Sprint(p["organizationId"]) != "12" || p["enableGeoIp"] != true {
		t.Errorf("created project = %s", res.body)
	}
	if got := do(t, ts, request{method: "POST", path: "/v0/projects", auth: keyReadWrite, body: `{"name":"crud project","organizationId":12}`}); got.status != http.StatusConflict {
		t.Errorf("duplicate name: %d, want 409", got.status)
	}
	org := do(t, ts, request{method: "GET", path: "/v0/organizations/12", auth: keyReadWrite})
	if !strings.Contains(string(org.body), `"name":"Crud Project"`) {
		t.Errorf("organization 12 does not list the new project: %s", org.body)
	}
	upd := do(t, ts, request{method: "PUT", path: "/v0/projects/" + id, auth: keyReadWrite, body: `{"name":"Renamed","type":"vr"}`})
	if upd.status != http.StatusOK || upd.json(t)["name"] != "Renamed" {
		t.Fatalf("update: %d %s", upd.status, upd.body)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/" + id, auth: keyReadWrite}); got.json(t)["name"] != "Renamed" {
		t.Errorf("GET after PUT: %s", got.body)
	}
	if got := do(t, ts, request{method: "PUT", path: "/v0/projects/" + id, auth: keyOther, body: `{"name":"Hijack"}`}); got.status != http.StatusForbidden {
		t.Errorf("other org update: %d, want 403", got.status)
	}
	if got := do(t, ts, request{method: "DELETE", path: "/v0/projects/" + id, auth: keyReadOnly}); got.status != http.StatusForbidden {
		t.Errorf("read-only delete: %d, want 403", got.status)
	}
	if got := do(t, ts, request{method: "DELETE", path: "/v0/projects/" + id, auth: keyReadWrite}); got.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", got.status, got.body)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/" + id, auth: keyReadWrite}); got.status != http.StatusNotFound {
		t.Errorf("GET after DELETE: %d, want 404", got.status)
	}
	if got := do(t, ts, request{method: "POST", path: "/v0/projects", auth: keyReadWrite, body: `{"name":"Elsewhere","organizationId":76}`}); got.status != http.StatusForbidden {
		t.Errorf("create in other org: %d, want 403", got.status)
	}
}

func TestProjectScenesAndObjects(t *testing.T) {
	ts := newTestServer(t)
	p := do(t, ts, request{method: "GET", path: "/v0/projects/4460", auth: keyReadWrite}).json(t)
	scenes, _ := p["scenes"].([]any)
	if len(scenes) < 2 {
		t.Fatalf("project 4460 has %d scenes, want ≥2", len(scenes))
	}
	var versionID, sceneID string
	for _, s := range scenes {
		sc := s.(map[string]any)
		vs, _ := sc["versions"].([]any)
		if len(vs) < 2 {
			t.Errorf("scene %v has %d versions, want ≥2", sc["id"], len(vs))
		}
		sceneID = fmt.Sprint(sc["id"])
		versionID = fmt.Sprint(vs[0].(map[string]any)["id"])
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/4460/scenes", auth: keyReadWrite}); len(got.list(t)) != len(scenes) {
		t.Errorf("listProjectScenes: %d scenes, want %d", len(got.list(t)), len(scenes))
	}
	sc := do(t, ts, request{method: "GET", path: "/v0/scenes/" + sceneID, auth: keyReadWrite})
	if sc.status != 200 || !strings.Contains(string(sc.body), `"session_count"`) {
		t.Errorf("getScene: %d %s", sc.status, sc.body)
	}
	all := do(t, ts, request{method: "GET", path: "/v0/projects/4460/objects", auth: keyReadWrite}).list(t)
	if len(all) == 0 {
		t.Fatal("project 4460 has no dynamic objects")
	}
	var victim map[string]any
	for _, o := range all {
		if fmt.Sprint(o.(map[string]any)["versionId"]) == versionID {
			victim = o.(map[string]any)
		}
	}
	if victim == nil {
		victim = all[0].(map[string]any)
		versionID = fmt.Sprint(victim["versionId"])
	}
	before := len(do(t, ts, request{method: "GET", path: "/v0/versions/" + versionID + "/objects", auth: keyReadWrite}).list(t))
	path := "/v0/versions/" + versionID + "/objects/" + fmt.Sprint(victim["sdkId"])
	if got := do(t, ts, request{method: "DELETE", path: path, auth: keyReadOnly}); got.status != 403 {
		t.Errorf("read-only object delete: %d, want 403", got.status)
	}
	if got := do(t, ts, request{method: "DELETE", path: path, auth: keyReadWrite}); got.status != 204 {
		t.Fatalf("delete object: %d %s", got.status, got.body)
	}
	after := len(do(t, ts, request{method: "GET", path: "/v0/versions/" + versionID + "/objects", auth: keyReadWrite}).list(t))
	if after != before-1 {
		t.Errorf("version objects: %d after delete, want %d", after, before-1)
	}
	if got := do(t, ts, request{method: "DELETE", path: path, auth: keyReadWrite}); got.status != 404 {
		t.Errorf("second delete: %d, want 404", got.status)
	}
}

func TestObjectives(t *testing.T) {
	ts := newTestServer(t)
	list := do(t, ts, request{method: "GET", path: "/v0/projects/4460/objectives", auth: keyReadWrite}).list(t)
	if len(list) < 3 {
		t.Fatalf("project 4460 has %d objectives, want ≥3", len(list))
	}
	first := list[0].(map[string]any)
	one := do(t, ts, request{method: "GET", path: fmt.Sprintf("/v0/projects/4460/objectives/%v", first["id"]), auth: keyReadWrite})
	if one.status != 200 || fmt.Sprint(one.json(t)["name"]) != fmt.Sprint(first["name"]) {
		t.Errorf("getObjective: %d %s", one.status, one.body)
	}
	if got := do(t, ts, request{method: "GET", path: fmt.Sprintf("/v0/projects/2797/objectives/%v", first["id"]), auth: keyOther}); got.status != 404 {
		t.Errorf("objective of 4460 through project 2797: %d, want 404", got.status)
	}
}

func TestOrganizationTags(t *testing.T) {
	ts := newTestServer(t)
	tags := do(t, ts, request{method: "GET", path: "/v0/organizations/12/tags", auth: keyReadOnly}).list(t)
	titles := map[string]bool{}
	for _, tg := range tags {
		titles[fmt.Sprint(tg.(map[string]any)["title"])] = true
	}
	for _, want := range []string{"test", "junk"} {
		if !titles[want] {
			t.Errorf("system tag %q missing from %v", want, titles)
		}
	}
	res := do(t, ts, request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: `{"title":"vip","colourHex":"FF0000","projectIds":["4460"]}`})
	if res.status != 201 || res.json(t)["colourHex"] != "ff0000" {
		t.Fatalf("create tag: %d %s", res.status, res.body)
	}
	if got := do(t, ts, request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: `{"title":"VIP"}`}); got.status != 409 {
		t.Errorf("duplicate tag: %d, want 409", got.status)
	}
	if got := do(t, ts, request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: `{"title":"x","projectIds":["2797"]}`}); got.status != 403 {
		t.Errorf("tag on another org's project: %d, want 403", got.status)
	}
	all := do(t, ts, request{method: "GET", path: "/v0/organizations/12/tags/all", auth: keyReadOnly})
	if !strings.Contains(string(all.body), `"title":"vip"`) {
		t.Errorf("tags/all lacks the new tag: %s", all.body)
	}
}
