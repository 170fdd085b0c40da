package mock_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

// writeEverything changes sandbox box in every way a snapshot must keep:
// a rename, a created key, a login and a cookie write, Data Collector
// ingest, a media upload, a remote variable, the clock. It returns the key.
func writeEverything(t *testing.T, pub, dat *httptest.Server, box string) string {
	t.Helper()
	must := func(res response, want int, what string) response {
		t.Helper()
		if res.status != want {
			t.Fatalf("%s: %d %s", what, res.status, res.body)
		}
		return res
	}
	must(do(t, pub, in(box, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"kept"}`})), 200, "rename")
	key := must(do(t, pub, in(box, request{method: "POST", path: "/v0/organizations/12/apiKeys", auth: keyDomain, body: `{"name":"ci","accessLevel":"readWrite"}`})), 201, "key").json(t)["key"].(string)
	must(do(t, pub, in(box, control("PUT", "/__c3dmock/clock", `{"advance":"48h"}`))), 200, "clock")
	login := must(do(t, pub, in(box, request{method: "POST", path: "/v0/sessions", body: `{"email":"admin@demo.example","password":"` + demoPassword + `"}`})), 200, "login")
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: login.header}).Cookies() {
		cookie = c
	}
	must(do(t, pub, request{method: "POST", path: "/v0/organizations/12/tags", body: `{"title":"by-cookie"}`, cookie: cookie,
		header: map[string]string{"c3d-csrf": login.json(t)["csrf"].(string)}}), 201, "cookie write")
	must(do(t, pub, in(box, request{method: "POST", path: "/v0/projects/4460/media?name=kept", auth: key, body: string(encodePNG(t)), contentType: "image/png"})), 201, "media")
	must(do(t, pub, in(box, request{method: "POST", path: "/v0/projects/4460/remoteVariables", auth: keyReadWrite, body: `{"name":"kept","valueInt":3}`})), 201, "remote variable")
	ev := `{"userid":"u","timestamp":1793530800,"sessionid":"1793530800_kept","part":1,"formatversion":"1.0","data":[{"name":"kept-event","time":1793530801,"point":[0,0,0]}]}`
	must(do(t, dat, in(box, request{method: "POST", path: "/v0/events/" + sceneDemo + "?version=2", auth: keyApp, body: ev})), 200, "ingest")
	return key
}

// TestSnapshotRoundTrip: a snapshot restored into another sandbox makes the
// same state - the same key works, the same cookie, media, ingest - and
// exports the very same bytes.
func TestSnapshotRoundTrip(t *testing.T) {
	data, public, _ := sandboxServers(t, mock.Config{Snapshots: true})
	key := writeEverything(t, public, data, "a")
	first := do(t, public, in("a", request{method: "GET", path: "/__c3dmock/snapshot"}))
	if first.status != 200 {
		t.Fatalf("snapshot: %d %s", first.status, first.body)
	}
	if res := do(t, public, in("b", control("PUT", "/__c3dmock/snapshot", string(first.body)))); res.status != 200 {
		t.Fatalf("restore into b: %d %s", res.status, res.body)
	}
	second := do(t, public, in("b", request{method: "GET", path: "/__c3dmock/snapshot"}))
	if !bytes.Equal(first.body, second.body) {
		t.Errorf("the restored sandbox's snapshot differs:\n%.600s\n%.600s", first.body, second.body)
	}
	for _, path := range []string{"/v0/projects/4460", "/v0/projects/4460/media", "/v0/projects/4460/remoteVariables", "/v0/organizations/12/tags/all"} {
		a := do(t, public, in("a", request{method: "GET", path: path, auth: keyReadOnly}))
		b := do(t, public, in("b", request{method: "GET", path: path, auth: keyReadOnly}))
		if !bytes.Equal(a.body, b.body) {
			t.Errorf("%s differs after restore:\n%.300s\n%.300s", path, a.body, b.body)
		}
	}
	if res := do(t, public, in("b", request{method: "GET", path: "/v0/organizations/apiKeys/whoami", auth: key})); res.status != 200 {
		t.Errorf("the key created in a, in restored b: %d", res.status)
	}
	ca := do(t, public, in("a", request{method: "GET", path: "/__c3dmock/clock"})).json(t)
	cb := do(t, public, in("b", request{method: "GET", path: "/__c3dmock/clock"})).json(t)
	if ca["now"] != cb["now"] {
		t.Errorf("clock: a %v, b %v", ca["now"], cb["now"])
	}
	raw := string(do(t, public, in("b", request{method: "POST", path: "/v0/projects/4460/sessions/1793530800_kept/jsonRequests", auth: keyReadOnly, body: `{"jsonType":"EVENTS"}`})).body)
	if !strings.Contains(raw, "kept-event") {
		t.Errorf("ingested event missing after restore: %.300s", raw)
	}
}

// TestSnapshotRefused: a snapshot of another world, or one whose write no
// longer replays, is refused naming the field, and the sandbox is unchanged.
func TestSnapshotRefused(t *testing.T) {
	data, public, _ := sandboxServers(t, mock.Config{Snapshots: true})
	writeEverything(t, public, data, "a")
	snap := do(t, public, in("a", request{method: "GET", path: "/__c3dmock/snapshot"})).json(t)
	do(t, public, in("c", request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"before"}`}))
	put := func(m map[string]any) response {
		b, _ := json.Marshal(m)
		return do(t, public, in("c", control("PUT", "/__c3dmock/snapshot", string(b))))
	}
	clone := func() map[string]any {
		b, _ := json.Marshal(snap)
		var m map[string]any
		json.Unmarshal(b, &m)
		return m
	}
	other := clone()
	other["seed"] = 2
	broken := clone()
	broken["writes"].([]any)[2].(map[string]any)["path"] = "/v0/projects/999999"
	for name, tt := range map[string]struct {
		doc         map[string]any
		field, rule string
	}{
		"other seed":   {other, "/seed", "sameWorld"},
		"broken write": {broken, "/writes/2", "replay"},
	} {
		res := put(tt.doc)
		if res.status != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", name, res.status, res.body)
			continue
		}
		if m := res.json(t); m["field"] != tt.field || m["rule"] != tt.rule {
			t.Errorf("%s: field %v rule %v, want %s %s", name, m["field"], m["rule"], tt.field, tt.rule)
		}
	}
	if got := do(t, public, in("c", request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly})).json(t)["name"]; got != "before" {
		t.Errorf("a refused restore changed the sandbox: name %v", got)
	}
	_, plain, _ := sandboxServers(t, mock.Config{})
	if res := do(t, plain, request{method: "GET", path: "/__c3dmock/snapshot"}); res.status != http.StatusConflict {
		t.Errorf("snapshot without --snapshots: %d, want 409", res.status)
	}
}

// TestStateFileSurvivesACrashedSave: serve --state writes atomically; a save
// that dies before its rename leaves the previous file whole and loadable.
func TestStateFileSurvivesACrashedSave(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	newServer := func() *mock.Server {
		srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Seed: 1, Sessions: 60, StateFile: file, Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.LoadState(); err != nil {
			t.Fatal(err)
		}
		return srv
	}
	srv := newServer()
	_, pub := serveBoth(t, srv)
	do(t, pub, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"saved"}`})
	if res := do(t, pub, control("POST", "/__c3dmock/snapshot/save", "")); res.status != 200 {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	saved, _ := os.ReadFile(file)
	do(t, pub, request{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: `{"name":"lost"}`})
	mock.CrashSavesBeforeRename(t)
	if _, err := srv.SaveState(); err == nil {
		t.Fatal("the crashed save reported success")
	}
	if now, _ := os.ReadFile(file); !bytes.Equal(now, saved) {
		t.Fatalf("a crashed save changed the state file")
	}
	_, pub2 := serveBoth(t, newServer())
	if got := do(t, pub2, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}).json(t)["name"]; got != "saved" {
		t.Errorf("after restart: name %v, want the saved one", got)
	}
}
