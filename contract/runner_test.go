package contract

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func whoamiCheck(name string) Check {
	return Check{Name: name, Ops: []string{"whoami"}, Description: "d", Run: func(ctx context.Context, s *Session) error {
		res, err := s.As(RoleMain).Get(ctx, "/v0/organizations/apiKeys/whoami")
		return want(res, err, http.StatusOK)
	}}
}

func TestRunOutcomes(t *testing.T) {
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"organizationId": 12})
	})
	var order []string
	checks := []Check{
		whoamiCheck("g/pass"),
		{Name: "g/fail", Ops: []string{"x"}, Run: func(ctx context.Context, s *Session) error {
			s.Cleanup(func(context.Context) error { order = append(order, "first"); return nil })
			s.Cleanup(func(context.Context) error { order = append(order, "second"); return nil })
			return errors.New("boom")
		}},
		{Name: "g/skip", Run: func(ctx context.Context, s *Session) error { return Skipf("nothing to see") }},
		{Name: "g/writes", Writes: true, Run: func(ctx context.Context, s *Session) error { return nil }},
		{Name: "g/ro", NeedsReadOnlyKey: true, Run: func(ctx context.Context, s *Session) error { return nil }},
		{Name: "g/panic", Run: func(ctx context.Context, s *Session) error { panic("oops") }},
		{Name: "g/slow", Run: func(ctx context.Context, s *Session) error { <-ctx.Done(); return ctx.Err() }},
	}
	tg := Target{BaseURL: ts.URL, Spec: publicDoc(t), APIKey: testKey, Timeout: 50 * time.Millisecond}
	var out strings.Builder
	tg.Out = &out
	rep := Run(context.Background(), tg, checks)
	want := map[string]Status{"g/pass": StatusPass, "g/fail": StatusFail, "g/skip": StatusSkip, "g/writes": StatusSkip,
		"g/ro": StatusSkip, "g/panic": StatusFail, "g/slow": StatusFail}
	for _, r := range rep.Results {
		if r.Status != want[r.Name] {
			t.Errorf("%s: %s (%s), want %s", r.Name, r.Status, r.Reason, want[r.Name])
		}
	}
	if got := []string{"second", "first"}; !reflect.DeepEqual(order, got) {
		t.Errorf("cleanups ran %v, want %v", order, got)
	}
	if r := rep.Results[6]; !strings.Contains(r.Reason, "timed out") {
		t.Errorf("slow check reason %q, want a timeout", r.Reason)
	}
	if got, want := rep.Summary(), "1 passed, 3 failed, 3 skipped"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if !strings.Contains(out.String(), "1 passed, 3 failed, 3 skipped\n") || !strings.Contains(out.String(), "[2/7] g/fail ") ||
		!strings.Contains(out.String(), "[7/7] g/slow ") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestBudgetStopsRun(t *testing.T) {
	var hits atomic.Int32
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeJSON(w, 200, map[string]any{"organizationId": 12})
	})
	tg := Target{BaseURL: ts.URL, Spec: publicDoc(t), APIKey: testKey, MaxRequests: 3}
	rep := Run(context.Background(), tg, []Check{whoamiCheck("a/1"), whoamiCheck("a/2"), whoamiCheck("a/3"), whoamiCheck("a/4"), whoamiCheck("a/5")})
	got := []Status{}
	for _, r := range rep.Results {
		got = append(got, r.Status)
	}
	if want := []Status{StatusPass, StatusPass, StatusPass, StatusFail, StatusSkip}; !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if hits.Load() != 3 || rep.Requests != 3 {
		t.Errorf("server saw %d requests, report says %d; want 3", hits.Load(), rep.Requests)
	}
}

func TestDriftAndUndocumentedStatus(t *testing.T) {
	var status atomic.Int32
	status.Store(200)
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, int(status.Load()), map[string]any{"organizationId": 12, "c3dmockExtra": true})
	})
	tg := Target{BaseURL: ts.URL, Spec: publicDoc(t), APIKey: testKey}
	rep := Run(context.Background(), tg, []Check{whoamiCheck("d/field")})
	if r := rep.Results[0]; r.Status != StatusDrift || !strings.Contains(r.Reason, "/c3dmockExtra") {
		t.Errorf("undocumented field: %s %q, want DRIFT naming /c3dmockExtra", r.Status, r.Reason)
	}
	status.Store(418)
	c := Check{Name: "d/status", Run: func(ctx context.Context, s *Session) error {
		res, err := s.As(RoleMain).Get(ctx, "/v0/organizations/apiKeys/whoami")
		return want(res, err, 418)
	}}
	rep = Run(context.Background(), tg, []Check{c})
	if r := rep.Results[0]; r.Status != StatusDrift || !strings.Contains(r.Reason, "418") {
		t.Errorf("undocumented status: %s %q, want DRIFT naming 418", r.Status, r.Reason)
	}
	if rep.Summary() != "1 passed, 0 failed, 0 skipped" || !rep.OK() {
		t.Errorf("drift counts as passed: %s", rep.Summary())
	}
}

func TestNotImplementedFails(t *testing.T) {
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 501, map[string]any{"code": "x", "message": "y"})
	})
	rep := Run(context.Background(), Target{BaseURL: ts.URL, Spec: publicDoc(t), APIKey: testKey}, []Check{whoamiCheck("n/501")})
	if r := rep.Results[0]; r.Status != StatusFail || !strings.Contains(r.Reason, "target does not implement whoami") {
		t.Errorf("501: %s %q", r.Status, r.Reason)
	}
}

// The limiter spaces requests by 1/rate using the injected clock.
func TestLimiterFakeClock(t *testing.T) {
	now := time.Unix(0, 0)
	var slept []time.Duration
	l := &limiter{interval: 250 * time.Millisecond, now: func() time.Time { return now },
		sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); now = now.Add(d); return nil }}
	for range 4 {
		if err := l.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if want := []time.Duration{250 * time.Millisecond, 250 * time.Millisecond, 250 * time.Millisecond}; !reflect.DeepEqual(slept, want) {
		t.Errorf("slept %v, want %v", slept, want)
	}
}

// With a real clock, 5 requests at 50/s take at least 4 intervals (80ms).
func TestRateHonoured(t *testing.T) {
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{"organizationId": 1}) })
	c := Check{Name: "r/five", Run: func(ctx context.Context, s *Session) error {
		for range 5 {
			if _, err := s.As(RoleMain).Get(ctx, "/v0/organizations/apiKeys/whoami"); err != nil {
				return err
			}
		}
		return nil
	}}
	start := time.Now()
	rep := Run(context.Background(), Target{BaseURL: ts.URL, Spec: publicDoc(t), APIKey: testKey, Rate: 50}, []Check{c})
	if d := time.Since(start); d < 80*time.Millisecond || !rep.OK() {
		t.Errorf("5 requests at 50/s took %v (%s), want >= 80ms", d, rep.Summary())
	}
}

func TestProbe(t *testing.T) {
	ts := stub(t, acceptAll)
	if err := Probe(context.Background(), ts.URL, ts.Client()); err != nil {
		t.Errorf("Probe(up): %v", err)
	}
	ts.Close()
	if err := Probe(context.Background(), ts.URL, nil); err == nil {
		t.Error("Probe(closed server) = nil, want an error")
	}
}
