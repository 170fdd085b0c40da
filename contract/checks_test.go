package contract

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// Every check must be able to fail: against a server that answers 200 {} to
// everything, each one fails, or SKIPs naming the discovery check it needs
// (whoami answered {} there, so its organization is unknown).
func TestChecksFailAgainstAcceptAll(t *testing.T) {
	ts := stub(t, acceptAll)
	tg := testTarget(t, ts)
	tg.ProjectID = 4460
	rep := Run(context.Background(), tg, Checks())
	for _, r := range rep.Results {
		needs := r.Status == StatusSkip && strings.Contains(r.Reason, "needs discovery/whoami, which failed: whoami: organizationId is null")
		if r.Status != StatusFail && !needs {
			t.Errorf("%s against accept-all: %s (%s), want FAIL or SKIP needing discovery/whoami", r.Name, r.Status, r.Reason)
		}
	}
}

// When whoami breaks, the checks that need the organization SKIP with
// "needs discovery/whoami" instead of failing with the same cause.
func TestBrokenWhoamiSkipsDependents(t *testing.T) {
	tg := mockTarget(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/whoami") {
				writeJSON(w, 500, map[string]any{"code": "internal", "message": "boom"})
				return
			}
			h.ServeHTTP(w, r)
		})
	}, nil)
	tg.ProjectID = 0
	rep := Run(context.Background(), tg, allChecks(t))
	failed, needs := 0, 0
	for _, r := range rep.Results {
		switch {
		case r.Status == StatusFail && strings.Contains(r.Reason, "discover organization"):
			failed++
		case r.Status == StatusSkip && strings.Contains(r.Reason, "needs discovery/whoami"):
			needs++
		}
	}
	if failed != 1 {
		t.Errorf("%d checks failed because whoami broke, want 1 (the rest SKIP)", failed)
	}
	if needs < 20 {
		t.Errorf("%d checks SKIP with \"needs discovery/whoami\", want the organization's dependents (>= 20)", needs)
	}
}

// Against a server with plausible, schema-valid data that checks nothing,
// discovery passes (so the data is realistic) and every other check fails for
// its own reason, not because of a broken shape.
func TestChecksFailAgainstLenient(t *testing.T) {
	ts := stub(t, lenient)
	rep := Run(context.Background(), testTarget(t, ts), Checks())
	for _, r := range rep.Results {
		// discovery/sessions checks the page size, which lenient ignores.
		discovery := strings.HasPrefix(r.Name, "discovery/") && r.Name != "discovery/sessions"
		switch {
		case discovery && r.Status != StatusPass && r.Status != StatusDrift:
			t.Errorf("%s against lenient: %s (%s), want PASS", r.Name, r.Status, r.Reason)
		case !discovery && r.Status != StatusFail:
			t.Errorf("%s against lenient: %s (%s), want FAIL", r.Name, r.Status, r.Reason)
		case !discovery && strings.Contains(r.Reason, "does not match the spec"):
			t.Errorf("%s against lenient failed on a shape, not its own assertion: %s", r.Name, r.Reason)
		}
	}
}

// Wrong shapes are failures even when the check's own assertions hold.
func TestWrongShapeFails(t *testing.T) {
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"organizationId": "12"})
	})
	rep := Run(context.Background(), testTarget(t, ts), Checks()[:1])
	if r := rep.Results[0]; r.Status != StatusFail || !strings.Contains(r.Reason, "whoami") {
		t.Errorf("whoami with a string organizationId: %s %q, want FAIL naming whoami", r.Status, r.Reason)
	}
}

func TestCatalogue(t *testing.T) {
	doc := publicDoc(t)
	ops := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = true
		}
	}
	names := map[string]bool{}
	for _, c := range Checks() {
		if names[c.Name] {
			t.Errorf("duplicate check name %s", c.Name)
		}
		names[c.Name] = true
		if c.Description == "" || c.Run == nil || len(c.Ops) == 0 {
			t.Errorf("%s: needs a description, ops and Run", c.Name)
		}
		for _, op := range c.Ops {
			if !ops[op] {
				t.Errorf("%s names operation %s, which the spec does not have", c.Name, op)
			}
		}
	}
}

func TestFilter(t *testing.T) {
	got, err := Filter(Checks(), "auth/*, semantics/pagination")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		if !strings.HasPrefix(c.Name, "auth/") && c.Name != "semantics/pagination" {
			t.Errorf("Filter kept %s", c.Name)
		}
	}
	if len(got) < 2 {
		t.Errorf("Filter kept %d checks", len(got))
	}
	if _, err := Filter(Checks(), "[bad"); err == nil {
		t.Error("Filter accepted a malformed glob")
	}
}
