package mock_test

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// conformingControlServer serves a mock whose every answer, control
// endpoints included, is validated against its document (conform); cfg's
// Spec, Now and Sessions are filled in.
func conformingControlServer(t *testing.T, cfg mock.Config) *httptest.Server {
	t.Helper()
	cfg.Spec, cfg.Now = publicDoc(t), func() time.Time { return testNow }
	if cfg.Sessions == 0 {
		cfg.Sessions = 10
	}
	srv, err := mock.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return serveConforming(t, srv)
}

// TestControlOperationsConform walks every operation of spec/control.yaml
// against a live mock: each call gets the status the test expects, and
// conform checks that status is documented and the body matches its schema
// (an array that comes back null, a field the document does not name with
// additionalProperties: false, an undocumented 4xx all fail). The empty
// cases come first (a fresh sandbox's journal, report and email list, no
// fault rules), then the same operations with content, then the refusals.
// The answers of healthz, reset and reportEmails are pinned byte for byte
// (the shapes c3dmock has always served). Every operation of the document
// must be called, so a new control operation cannot go unchecked.
func TestControlOperationsConform(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	ts := conformingControlServer(t, mock.Config{Snapshots: true, StateFile: state})
	bare := conformingControlServer(t, mock.Config{})                         // no --snapshots, no --state
	locked := conformingControlServer(t, mock.Config{ControlToken: "s3cret"}) // --control-token

	ctlDoc := loadDoc(t, spec.Control)
	router := controlRouter(t)
	called := map[string]bool{}
	const box = "specwalk"
	type call struct {
		on     *httptest.Server
		method string
		path   string
		body   string
		header map[string]string // on top of C3dmock-Control: 1 and C3dmock-Sandbox: box
		status int
		want   string // exact body, when set
	}
	run := func(c call) response {
		t.Helper()
		on := c.on
		if on == nil {
			on = ts
		}
		h := map[string]string{mock.ControlHeader: "1", mock.SandboxHeader: box}
		for k, v := range c.header {
			if v == "" {
				delete(h, k)
			} else {
				h[k] = v
			}
		}
		got := do(t, on, request{method: c.method, path: c.path, body: c.body, header: h})
		if got.status != c.status {
			t.Errorf("%s %s %s: %d %s, want %d", c.method, c.path, c.body, got.status, got.body, c.status)
		}
		if c.want != "" && strings.TrimSpace(string(got.body)) != c.want {
			t.Errorf("%s %s: body %s, want %s", c.method, c.path, got.body, c.want)
		}
		req := httptest.NewRequest(c.method, c.path, nil)
		if route, _, err := router.FindRoute(req); err == nil {
			called[route.Operation.OperationID] = true
		} else {
			t.Errorf("%s %s: not an operation of the control document: %v", c.method, c.path, err)
		}
		return got
	}

	// Fresh: nothing recorded, nothing configured.
	run(call{method: "GET", path: "/__c3dmock/healthz", status: 200, want: `{"status":"ok"}`})
	run(call{method: "GET", path: "/__c3dmock/reportEmails", status: 200, want: `[]`})
	run(call{method: "GET", path: "/__c3dmock/requests", status: 200})
	run(call{method: "GET", path: "/__c3dmock/report", status: 200})
	run(call{method: "GET", path: "/__c3dmock/faults", status: 200, want: `{"faults":[]}`})
	run(call{method: "GET", path: "/__c3dmock/clock", status: 200, want: `{"now":"2026-11-01T12:00:00Z","frozen":false}`})

	// Content: a good and a refused vendor request in the sandbox.
	vendor := func(method, path, body string, status int) {
		t.Helper()
		got := do(t, ts, request{method: method, path: path, body: body, auth: keyReadWrite, header: map[string]string{mock.SandboxHeader: box}})
		if got.status != status {
			t.Fatalf("%s %s: %d %s, want %d", method, path, got.status, got.body, status)
		}
	}
	vendor("GET", "/v0/projects/4460", "", 200)
	vendor("PUT", "/v0/projects/4460", `{"name":"Renamed"}`, 200)
	vendor("POST", "/v0/datasets/sessions/paginatedListQueries", `{"limit":"ten"}`, 400)
	run(call{method: "GET", path: "/__c3dmock/requests?operationId=getProject&status=2xx&since=2026-11-01T00:00:00Z&limit=10", status: 200})
	run(call{method: "GET", path: "/__c3dmock/requests?status=400", status: 200})
	run(call{method: "GET", path: "/__c3dmock/report", status: 200})
	run(call{method: "POST", path: "/__c3dmock/verify", body: `{"operationId":"getProject","count":1}`, status: 200})
	run(call{method: "POST", path: "/__c3dmock/verify", body: `{"operationId":"getProject","min":1,"where":{"header":{"Accept":"text/csv"}}}`, status: 422})
	run(call{method: "POST", path: "/__c3dmock/verify", body: `{"operationId":"noSuchOperation","count":1}`, status: 400})
	run(call{method: "GET", path: "/__c3dmock/sandboxes", status: 200})

	// The clock: each of the three forms, then two at once.
	run(call{method: "PUT", path: "/__c3dmock/clock", body: `{"advance":"2184h"}`, status: 200, want: `{"now":"2027-01-31T12:00:00Z","frozen":false}`})
	run(call{method: "PUT", path: "/__c3dmock/clock", body: `{"frozen":true}`, status: 200})
	run(call{method: "PUT", path: "/__c3dmock/clock", body: `{"now":"2027-01-01T00:00:00Z"}`, status: 200, want: `{"now":"2027-01-01T00:00:00Z","frozen":true}`})
	run(call{method: "PUT", path: "/__c3dmock/clock", body: `{"now":"2027-01-01T00:00:00Z","frozen":false}`, status: 400})
	run(call{method: "PUT", path: "/__c3dmock/clock", body: `{"advance":"3d"}`, status: 400})

	// Snapshots: export, restore the export, save; a server without the write log refuses.
	snap := run(call{method: "GET", path: "/__c3dmock/snapshot", status: 200})
	run(call{method: "PUT", path: "/__c3dmock/snapshot", body: string(snap.body), status: 200, want: `{"writes":1}`})
	saved := run(call{method: "POST", path: "/__c3dmock/snapshot/save", status: 200})
	var sv struct {
		Path  string
		Bytes int
	}
	if err := json.Unmarshal(saved.body, &sv); err != nil || sv.Path != state || sv.Bytes <= 0 {
		t.Errorf("save: %s (%v), want the --state path and its size", saved.body, err)
	}
	run(call{on: bare, method: "GET", path: "/__c3dmock/snapshot", status: 409})
	run(call{on: bare, method: "POST", path: "/__c3dmock/snapshot/save", status: 409})

	// Faults: add, list, delete one, delete an unknown one, clear.
	added := run(call{method: "POST", path: "/__c3dmock/faults", status: 201,
		body: `{"match":{"operationId":"getProject","sandbox":"` + box + `"},"action":{"status":404,"latency":{"min":"1ms","max":"2ms"}},"schedule":{"first":1}}`})
	var rule struct{ ID string }
	if err := json.Unmarshal(added.body, &rule); err != nil || rule.ID == "" {
		t.Fatalf("createFault: %s, want the rule with its id", added.body)
	}
	run(call{method: "POST", path: "/__c3dmock/faults", body: `{"match":{"operationId":"getProject"},"action":{"status":418}}`, status: 400})
	run(call{method: "GET", path: "/__c3dmock/faults", status: 200})
	run(call{method: "DELETE", path: "/__c3dmock/faults/" + rule.ID, status: 204})
	run(call{method: "DELETE", path: "/__c3dmock/faults/" + rule.ID, status: 404})
	run(call{method: "DELETE", path: "/__c3dmock/faults", status: 204})

	// Emptying and resetting.
	run(call{method: "DELETE", path: "/__c3dmock/requests", status: 204})
	run(call{method: "POST", path: "/__c3dmock/reset", status: 200, want: `{"status":"reset"}`})
	run(call{method: "DELETE", path: "/__c3dmock/sandboxes/" + box, status: 204})
	run(call{method: "DELETE", path: "/__c3dmock/sandboxes/" + box, status: 404})
	run(call{method: "DELETE", path: "/__c3dmock/sandboxes/default", status: 400})

	// The guards and the selector.
	run(call{method: "POST", path: "/__c3dmock/reset", header: map[string]string{mock.ControlHeader: ""}, status: 403})
	run(call{method: "GET", path: "/__c3dmock/clock", header: map[string]string{mock.SandboxHeader: "no spaces"}, status: 400})
	run(call{on: locked, method: "POST", path: "/__c3dmock/reset", status: 401})
	run(call{on: locked, method: "GET", path: "/__c3dmock/reportEmails", status: 401})
	run(call{on: locked, method: "GET", path: "/__c3dmock/healthz", status: 200, want: `{"status":"ok"}`})

	var missed []string
	for _, op := range spec.Operations(ctlDoc) {
		if !called[op.ID] {
			missed = append(missed, op.ID)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("control operations this test never calls: %v", missed)
	}
}

// TestControlExamplesAccepted: the request examples of spec/control.yaml
// are requests the mock accepts, so a user who copies one from the
// document (or a tool that replays them, as Dredd does) gets the documented
// success.
func TestControlExamplesAccepted(t *testing.T) {
	ts := conformingControlServer(t, mock.Config{Snapshots: true})
	doc := loadDoc(t, spec.Control)
	hdr := map[string]string{mock.ControlHeader: "1", mock.SandboxHeader: "examples"}
	// A request to journal, so that the verify example has something to count.
	if got := do(t, ts, request{method: "POST", path: "/v0/datasets/sessions/paginatedListQueries", auth: keyReadWrite, header: hdr,
		body: `{"sessionType":"project","entityFilters":{"projectId":4460},"page":0,"limit":1}`}); got.status != 200 {
		t.Fatalf("sessionPaginatedListQuery: %d %s", got.status, got.body)
	}
	n := 0
	for _, op := range spec.Operations(doc) {
		rb := op.Op.RequestBody
		if rb == nil || rb.Value == nil {
			continue
		}
		mt := rb.Value.Content.Get("application/json")
		if mt == nil {
			t.Errorf("%s: no JSON request body", op.ID)
			continue
		}
		examples := map[string]any{}
		if mt.Example != nil {
			examples["example"] = mt.Example
		}
		for name, ex := range mt.Examples {
			examples[name] = ex.Value.Value
		}
		success := ""
		for code := range op.Op.Responses.Map() {
			if strings.HasPrefix(code, "2") {
				success = code
			}
		}
		for name, ex := range examples {
			if op.ID == "putSnapshot" {
				// A snapshot belongs to one world (seed, sessions, --now, secret):
				// the document's example stands for the shape; restore this
				// server's own export instead.
				got := do(t, ts, request{method: "GET", path: "/__c3dmock/snapshot", header: hdr})
				var snap map[string]any
				if err := json.Unmarshal(got.body, &snap); err != nil {
					t.Fatalf("getSnapshot: %s", got.body)
				}
				for _, k := range []string{"format", "seed", "sessions", "worldNow", "secret", "clock", "writes"} {
					if _, ok := ex.(map[string]any)[k]; !ok {
						t.Errorf("putSnapshot example %s has no %s", name, k)
					}
				}
				ex = snap
			}
			b, err := json.Marshal(ex)
			if err != nil {
				t.Fatal(err)
			}
			got := do(t, ts, request{method: op.Method, path: op.Path, body: string(b), header: hdr})
			n++
			if want, _ := strconv.Atoi(success); got.status != want {
				t.Errorf("%s example %s %s: %d %s, want %s", op.ID, name, b, got.status, got.body, success)
			}
		}
	}
	if n < 6 {
		t.Errorf("only %d request examples", n)
	}
}
