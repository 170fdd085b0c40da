package mock_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestForksIsolated: servers built from the same options share one build of
// the world; writes in one (session tags, ingest into a generated session,
// objective versions, member roles, project renames, key creation) never show
// in another, even with writers running concurrently on several forks (run
// with -race: a write into memory the build shares is a data race).
func TestForksIsolated(t *testing.T) {
	const forks = 3
	datas, publics := make([]*httptest.Server, forks), make([]*httptest.Server, forks)
	for i := range forks {
		datas[i], publics[i] = newDataServers(t, 0)
	}
	sid := sceneSessionID(t, publics[0], 7012)
	baseObjective := string(do(t, publics[0], request{method: "GET", path: "/v0/projects/4460/objectives/268", auth: keyReadOnly}).body)
	baseSteps := strings.Count(baseObjective, `"fixationstep"`)
	var wg sync.WaitGroup
	for i := range forks {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pub, data := publics[i], datas[i]
			name := fmt.Sprintf("fork-%d", i)
			cookie, csrf := loginAs(t, pub, "admin@demo.example")
			admin := map[string]string{"c3d-csrf": csrf}
			writes := []request{
				{method: "PUT", path: "/v0/projects/4460/sessions/" + sid + "/tags/junk", auth: keyReadWrite, body: fmt.Sprintf(`{"value":%v}`, i == 0)},
				{method: "PUT", path: "/v0/projects/4460", auth: keyReadWrite, body: fmt.Sprintf(`{"name":%q}`, name)},
				{method: "POST", path: "/v0/versions/7012/objectives/268/versions", auth: keyReadWrite, body: `{"objectiveComponents":[{"sequenceNumber":1,"type":"fixationstep","isStep":true}]}`},
				{method: "PUT", path: "/v0/organizations/12/members/1003", cookie: cookie, header: admin, body: `{"role":"observer"}`},
				{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: fmt.Sprintf(`{"title":%q,"projectIds":[4460]}`, name)},
			}
			for _, w := range writes {
				if res := do(t, pub, w); res.status >= 300 {
					t.Errorf("fork %d: %s %s: %d %s", i, w.method, w.path, res.status, res.body)
				}
			}
			ev := fmt.Sprintf(`{"userid":"u","timestamp":1793530800,"sessionid":%q,"part":1,"formatversion":"1.0","data":[{"name":%q,"time":1793530801,"point":[0,0,0]}]}`, sid, name)
			if res := do(t, data, request{method: "POST", path: "/v0/events/2c2f0603-8f5c-4ff6-94ed-03542a4df34d?version=2", auth: keyApp, body: ev}); res.status >= 300 {
				t.Errorf("fork %d: ingest: %d %s", i, res.status, res.body)
			}
		}(i)
	}
	wg.Wait()
	for i := range forks {
		pub := publics[i]
		project := string(do(t, pub, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}).body)
		tags := string(do(t, pub, request{method: "GET", path: "/v0/organizations/12/tags/all", auth: keyReadOnly}).body)
		objective := string(do(t, pub, request{method: "GET", path: "/v0/projects/4460/objectives/268", auth: keyReadOnly}).body)
		members := string(do(t, pub, request{method: "GET", path: "/v0/organizations/12/members", auth: keyDomain}).body)
		for j := range forks {
			other := fmt.Sprintf("fork-%d", j)
			if (j == i) != strings.Contains(project, other) || (j == i) != strings.Contains(tags, other) {
				t.Errorf("fork %d sees %s's project name or tag: %.200s / %.200s", i, other, project, tags)
			}
		}
		raw := string(do(t, pub, request{method: "POST", path: "/v0/projects/4460/sessions/" + sid + "/jsonRequests", auth: keyReadOnly, body: `{"jsonType":"ALL","addProperties":true}`}).body)
		for j := range forks {
			if other := fmt.Sprintf("fork-%d", j); (j == i) != strings.Contains(raw, other) {
				t.Errorf("fork %d: session %s events and fork-%d's ingest: %.300s", i, sid, j, raw)
			}
		}
		if (i == 0) != strings.Contains(raw, `"c3d.session_tag.junk":true`) {
			t.Errorf("fork %d: session %s junk tag: only fork 0 set it: %.300s", i, sid, raw)
		}
		if n := strings.Count(objective, `"fixationstep"`); n != baseSteps+1 {
			t.Errorf("fork %d: objective 268 has %d fixationsteps, want %d (its own version only): %.300s", i, n, baseSteps+1, objective)
		}
		if !strings.Contains(members, `"observer"`) {
			t.Errorf("fork %d: member 1003 is not an observer: %.300s", i, members)
		}
	}
	// A fresh fork is the pristine world.
	_, fresh := newDataServers(t, 0)
	if res := do(t, fresh, request{method: "GET", path: "/v0/projects/4460", auth: keyReadOnly}); strings.Contains(string(res.body), "fork-") {
		t.Errorf("a new server sees an earlier fork's write: %.200s", res.body)
	}
	if res := do(t, fresh, request{method: "GET", path: "/v0/projects/4460/objectives/268", auth: keyReadOnly}); string(res.body) != baseObjective {
		t.Errorf("a new server sees an earlier fork's objective version")
	}
}
