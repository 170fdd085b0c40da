package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// sweepCredential is one credential kind the scope sweep sends.
type sweepCredential struct {
	name   string
	auth   string
	cookie *http.Cookie
	csrf   string
}

func (c sweepCredential) apply(rq request) request {
	rq.auth, rq.cookie, rq.header = c.auth, c.cookie, nil
	if c.csrf != "" {
		rq.header = map[string]string{"c3d-csrf": c.csrf}
	}
	return rq
}

// errorKeys are the only members an error body may carry.
var errorKeys = map[string]bool{"code": true, "error": true, "status": true, "message": true, "field": true, "rule": true, "expected": true, "operationId": true, "nearest": true}

// TestScopeSweep is generated from the spec (issue 11): for every operation of
// both documents and every target location it declares (x-c3d-targets), it
// builds the operation's valid request (reachRequest, as the reachability
// suite does), then points that one location at (a) another tenant's resource
// and (b) an ID that exists nowhere, and sends it with every credential kind.
// None may get a 2xx, none may get a 5xx, and every answer must be an error
// body, never data. New operations and locations are covered without editing
// this test.
func TestScopeSweep(t *testing.T) {
	data, public := newDataServers(t, 0)
	// The other tenant: organization 300 of domain 2, which no demo
	// credential of organization 12 or domain 1 reaches. The world has no
	// objectives there, so objectives are attacked from organization 76 instead.
	foreign := map[string]string{
		spec.KindDomain:       "2",
		spec.KindOrganization: "300",
		spec.KindProject:      "3001",
		spec.KindScene:        "a3c5e7f9-2b4d-4f6a-8c1e-9d0b2f4a6c8e",
		spec.KindVersion:      "7031",
		spec.KindSession:      foreignSession(t, 3001),
	}
	missing := map[string]string{
		spec.KindDomain: "999", spec.KindOrganization: "999999", spec.KindProject: "999999",
		spec.KindScene: "00000000-0000-4000-8000-000000000000", spec.KindVersion: "999999",
		spec.KindSession: "1700000000_00000000000000000000000000000000", spec.KindObjective: "999999",
		spec.KindObjectiveVersion: "999999",
	}
	creds := sweepCredentials(t, public, false)
	objectiveAttackers := sweepCredentials(t, public, true)

	checked := 0
	for _, name := range []string{spec.Public, spec.DataCollector} {
		doc := loadDoc(t, name)
		ts := public
		if name == spec.DataCollector {
			ts = data
		}
		for _, op := range spec.Operations(doc) {
			if len(op.Targets) == 0 {
				continue
			}
			base := reachRequest(t, doc, op, public, linkedValues(t, doc, op, ts, public))
			for _, loc := range op.Targets {
				cases := []struct{ what, value string }{{"another tenant's", foreign[loc.Kind]}, {"a missing", missing[loc.Kind]}}
				attackers := creds
				switch loc.Kind {
				case spec.KindObjective:
					cases[0].value, attackers = "268", objectiveAttackers
				case spec.KindObjectiveVersion:
					cases[0].value, attackers = "829", objectiveAttackers
				}
				for _, c := range cases {
					rq := retarget(t, doc, op, base, loc, c.value)
					for _, cred := range attackers {
						res := do(t, ts, cred.apply(rq))
						checked++
						where := fmt.Sprintf("%s: %s names %s %s %s, credential %s: %s %s", op.ID, loc, c.what, loc.Kind, c.value, cred.name, rq.method, rq.path)
						if res.status < 400 || res.status >= 500 {
							t.Errorf("%s\n→ %d, want a 4xx: %.300s", where, res.status, res.body)
							continue
						}
						var body map[string]any
						if err := json.Unmarshal(res.body, &body); err != nil {
							t.Errorf("%s\n→ %d with a body that is not an error: %.200s", where, res.status, res.body)
							continue
						}
						for k := range body {
							if !errorKeys[k] {
								t.Errorf("%s\n→ %d carries %q besides the error: %.200s", where, res.status, k, res.body)
							}
						}
					}
				}
			}
		}
	}
	if checked < 2000 {
		t.Errorf("the sweep sent %d requests; the spec declares fewer target locations than expected", checked)
	}
	t.Logf("scope sweep: %d requests", checked)
}

// sweepCredentials logs in the demo users and lists every credential kind.
// With objectiveAttackers it lists organization 76's credentials instead.
func sweepCredentials(t testing.TB, public *httptest.Server, objectiveAttackers bool) []sweepCredential {
	login := func(name, email string) sweepCredential {
		c, csrf := loginAs(t, public, email)
		return sweepCredential{name: name, cookie: c, csrf: csrf}
	}
	if objectiveAttackers {
		return []sweepCredential{{name: "org 76 key", auth: keyOther}, login("org 76 admin cookie", "other@demo.example")}
	}
	return []sweepCredential{
		{name: "org key", auth: keyReadWrite},
		{name: "read-only key", auth: keyReadOnly},
		{name: "legacy key", auth: keyLegacy},
		{name: "domain key of domain 1", auth: keyDomain},
		{name: "data key", auth: keyApp},
		{name: "developer key", auth: keyDeveloper},
		login("observer cookie", "observer@demo.example"),
		login("member cookie", "member@demo.example"),
		login("admin cookie", "admin@demo.example"),
	}
}

// foreignSession is a session of another tenant's project, from a world built
// like newDataServers' (same seed, size and clock, so the same sessions).
func foreignSession(t *testing.T, projectID int64) string {
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Seed: 1, Sessions: 60, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	id := mock.SessionOf(srv, projectID)
	if id == "" {
		t.Fatalf("project %d has no session", projectID)
	}
	return id
}

// retarget points one target location of a valid request at value.
func retarget(t *testing.T, doc *openapi3.T, op spec.Operation, rq request, loc spec.TargetLocation, value string) request {
	switch loc.In {
	case spec.InPath:
		segs := strings.Split(strings.TrimPrefix(strings.SplitN(rq.path, "?", 2)[0], "/"), "/")
		tpl := strings.Split(strings.TrimPrefix(op.Path, "/"), "/")
		for i, s := range tpl {
			if s == "{"+loc.Name+"}" && i < len(segs) {
				segs[i] = url.PathEscape(value)
			}
		}
		rest := ""
		if _, q, ok := strings.Cut(rq.path, "?"); ok {
			rest = "?" + q
		}
		rq.path = "/" + strings.Join(segs, "/") + rest
	case spec.InQuery:
		p, q, _ := strings.Cut(rq.path, "?")
		vals, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		vals.Set(loc.Name, value)
		rq.path = p + "?" + vals.Encode()
	case spec.InBody:
		var body any = map[string]any{}
		if rq.body != "" {
			if err := json.Unmarshal([]byte(rq.body), &body); err != nil {
				t.Fatalf("%s: body is not JSON: %v", op.ID, err)
			}
		}
		var v any = value
		if loc.Kind != spec.KindScene && loc.Kind != spec.KindSession {
			v = json.Number(value)
		}
		body = setPointer(body, strings.Split(strings.TrimPrefix(loc.Name, "/"), "/"), v)
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rq.body, rq.contentType = string(b), "application/json"
	}
	return rq
}

// setPointer sets the value at a pointer, creating objects on the way; "*"
// sets every element of an existing array, or makes a one-element array.
func setPointer(doc any, tokens []string, v any) any {
	if len(tokens) == 0 {
		return v
	}
	if tokens[0] == "*" {
		arr, _ := doc.([]any)
		if len(arr) == 0 {
			arr = []any{nil}
			if len(tokens) > 1 {
				arr[0] = map[string]any{}
			}
		}
		for i := range arr {
			arr[i] = setPointer(arr[i], tokens[1:], v)
		}
		return arr
	}
	m, ok := doc.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	m[tokens[0]] = setPointer(m[tokens[0]], tokens[1:], v)
	return m
}
