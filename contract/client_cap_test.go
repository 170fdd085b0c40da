package contract

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// getProjectCheck is a check that reads one project.
var getProjectCheck = Check{Name: "cap/get-project", Ops: []string{"getProject"},
	Run: func(ctx context.Context, s *Session) error {
		_, err := s.As(RoleMain).Get(ctx, "/v0/projects/4460")
		return err
	}}

// TestResponseCapStopsEndlessBody: a target that streams a body without end
// fails the check with the cap named, after reading about the cap, not the
// stream.
func TestResponseCapStopsEndlessBody(t *testing.T) {
	var sent atomic.Int64
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		chunk := []byte(strings.Repeat(`{"id":4460},`, 1<<12))
		w.Write([]byte("["))
		for sent.Load() < 1<<30 { // stops when the client hangs up; 1 GiB at most
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	tgt := testTarget(t, ts)
	tgt.MaxResponseBytes = 1 << 20
	rep := Run(context.Background(), tgt, []Check{getProjectCheck})
	r := rep.Results[0]
	if r.Status != StatusFail || !strings.Contains(r.Reason, "over the 1 MiB cap (--max-response-bytes)") {
		t.Errorf("endless body: %s %q, want FAIL naming the 1 MiB cap", r.Status, r.Reason)
	}
	ts.Close() // waits for the handler: it ends once the client has hung up
	if got := sent.Load(); got > 64<<20 {
		t.Errorf("the target got to send %d bytes before the runner hung up, want about the 1 MiB cap", got)
	}
}

// TestResponseCapRefusesDeclaredLength: a Content-Length over the cap fails
// before any of the body is read; a body at the cap passes through.
func TestResponseCapRefusesDeclaredLength(t *testing.T) {
	var size atomic.Int64
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) {
		body := `{"id":4460,"name":"` + strings.Repeat("x", int(size.Load())-len(`{"id":4460,"name":""}`)) + `"}`
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write([]byte(body))
	})
	tgt := testTarget(t, ts)
	tgt.MaxResponseBytes = 4096
	size.Store(4097)
	r := Run(context.Background(), tgt, []Check{getProjectCheck}).Results[0]
	if r.Status != StatusFail || !strings.Contains(r.Reason, "Content-Length is 4097 bytes, over the 4 KiB cap") {
		t.Errorf("declared 4097 bytes: %s %q, want FAIL naming Content-Length and the cap", r.Status, r.Reason)
	}
	size.Store(4096)
	r = Run(context.Background(), tgt, []Check{getProjectCheck}).Results[0]
	if strings.Contains(r.Reason, "cap") {
		t.Errorf("a body exactly at the cap was refused: %s %q", r.Status, r.Reason)
	}
}
