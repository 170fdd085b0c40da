package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// Faults: rules that make matching requests fail, slow down, break or hit a
// rate limit, declared through POST /__c3dmock/faults or serve --faults FILE.
// A rule applies once a request is routed and authenticated (so it can match
// the operation and the credential) and before its body is read. Rules are
// tried in the order they were added; the first whose match and schedule
// hold fires, and the journal names it. Probabilistic schedules draw from a
// generator seeded per rule, so a run repeats exactly. With no rule and no
// rate limit the step is one atomic load.

// FaultRule is one rule.
type FaultRule struct {
	ID        string        `json:"id,omitempty"` // given by the server: f1, f2, …
	Match     FaultMatch    `json:"match"`
	Action    FaultAction   `json:"action"`
	Schedule  FaultSchedule `json:"schedule,omitzero"`
	ExpiresAt *time.Time    `json:"expiresAt,omitempty"`
	TTL       string        `json:"ttl,omitempty"` // a Go duration from the rule's creation

	mu      sync.Mutex
	matched int
	rng     *rand.Rand
	expires time.Time
	limiter *rateLimiter
}

// FaultMatch selects requests; an empty field matches anything.
type FaultMatch struct {
	OperationID    string `json:"operationId,omitempty"`
	Method         string `json:"method,omitempty"`
	Path           string `json:"path,omitempty"` // a pattern: * for one segment, e.g. /v0/projects/*/sessions
	CredentialKind string `json:"credentialKind,omitempty"`
	KeyID          int64  `json:"keyId,omitempty"`
	Sandbox        string `json:"sandbox,omitempty"`
}

// FaultAction is what a firing rule does; a latency alone delays the
// request, which then goes on.
type FaultAction struct {
	Status     int             `json:"status,omitempty"`     // one of the operation's documented responses, unless Force
	Body       json.RawMessage `json:"body,omitempty"`       // default: the documented example, else an error body
	RetryAfter string          `json:"retryAfter,omitempty"` // a Go duration, sent in whole seconds
	Latency    *FaultLatency   `json:"latency,omitempty"`
	Reset      bool            `json:"reset,omitempty"`     // close the connection with a TCP reset, answering nothing
	Truncate   *int            `json:"truncate,omitempty"`  // answer normally but cut the body after this many bytes
	RateLimit  int             `json:"rateLimit,omitempty"` // requests a minute per credential among matching ones; past it 429
	Force      bool            `json:"force,omitempty"`     // allow a status the operation does not document
}

// FaultLatency is a fixed delay ("200ms") or a uniform range
// ({"min": "100ms", "max": "1s"}) drawn from the rule's generator.
type FaultLatency struct {
	Min, Max time.Duration
}

// UnmarshalJSON takes "200ms" or {"min": "…", "max": "…"}.
func (l *FaultLatency) UnmarshalJSON(b []byte) error {
	var fixed string
	if json.Unmarshal(b, &fixed) == nil {
		d, err := time.ParseDuration(fixed)
		if err != nil {
			return err
		}
		l.Min, l.Max = d, d
		return nil
	}
	var r struct{ Min, Max string }
	if err := json.Unmarshal(b, &r); err != nil {
		return errors.New(`latency must be a duration such as "200ms" or {"min": "100ms", "max": "1s"}`)
	}
	var err error
	if l.Min, err = time.ParseDuration(r.Min); err != nil {
		return fmt.Errorf("latency min: %w", err)
	}
	if l.Max, err = time.ParseDuration(r.Max); err != nil {
		return fmt.Errorf("latency max: %w", err)
	}
	return nil
}

// MarshalJSON writes the form UnmarshalJSON reads.
func (l FaultLatency) MarshalJSON() ([]byte, error) {
	if l.Min == l.Max {
		return json.Marshal(l.Min.String())
	}
	return json.Marshal(map[string]string{"min": l.Min.String(), "max": l.Max.String()})
}

// FaultSchedule says which matching requests the rule fires on: every one
// (empty), the first N, every Nth, or each with probability p.
type FaultSchedule struct {
	First       int      `json:"first,omitempty"`
	Every       int      `json:"every,omitempty"`
	Probability *float64 `json:"probability,omitempty"`
	Seed        uint64   `json:"seed,omitempty"` // for probability and latency ranges; default 1
}

// faultSet is the server's rules and rate limit, shared by every sandbox.
type faultSet struct {
	mu    sync.Mutex
	rules []*FaultRule
	next  int
	any   atomic.Bool // rules or a rate limit exist: the fast path checks only this
	rate  *rateLimiter
	now   func() time.Time
}

func newFaultSet(now func() time.Time, ratePerMinute int) *faultSet {
	f := &faultSet{now: now}
	if ratePerMinute > 0 {
		f.rate = newRateLimiter(ratePerMinute)
		f.any.Store(true)
	}
	return f
}

// add checks rule against the documents' operations and keeps it.
func (f *faultSet) add(rule *FaultRule, ops map[string]spec.Operation, at string) (*FaultRule, error) {
	if err := checkRule(rule, ops, at); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	rule.ID = "f" + strconv.Itoa(f.next)
	seed := rule.Schedule.Seed
	if seed == 0 {
		seed = 1
	}
	rule.rng = rand.New(rand.NewPCG(seed, 0x63336d6f636b))
	if rule.TTL != "" {
		d, _ := time.ParseDuration(rule.TTL) // checked
		rule.expires = f.now().Add(d)
	}
	if rule.ExpiresAt != nil {
		rule.expires = *rule.ExpiresAt
	}
	if rule.Action.RateLimit > 0 {
		rule.limiter = newRateLimiter(rule.Action.RateLimit)
	}
	f.rules = append(f.rules, rule)
	f.any.Store(true)
	return rule, nil
}

func (f *faultSet) list() []*FaultRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	out := []*FaultRule{}
	for _, r := range f.rules {
		if r.expires.IsZero() || now.Before(r.expires) {
			out = append(out, r)
		}
	}
	return out
}

func (f *faultSet) remove(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rules {
		if r.ID == id {
			f.rules = append(f.rules[:i:i], f.rules[i+1:]...)
			f.any.Store(len(f.rules) > 0 || f.rate != nil)
			return true
		}
	}
	return false
}

func (f *faultSet) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
	f.any.Store(f.rate != nil)
}

// faultRequest is what rules match on.
type faultRequest struct {
	op       spec.Operation
	method   string
	path     string
	credKind string
	keyID    int64
	sandbox  string
}

func (m FaultMatch) matches(q faultRequest) bool {
	return (m.OperationID == "" || m.OperationID == q.op.ID) &&
		(m.Method == "" || strings.EqualFold(m.Method, q.method)) &&
		(m.Path == "" || pathMatches(m.Path, q.path)) &&
		(m.CredentialKind == "" || m.CredentialKind == q.credKind) &&
		(m.KeyID == 0 || m.KeyID == q.keyID) &&
		(m.Sandbox == "" || m.Sandbox == q.sandbox)
}

// pathMatches matches a path against a pattern whose * or {name} segments
// stand for any one segment.
func pathMatches(pattern, p string) bool {
	ps, xs := strings.Split(strings.Trim(pattern, "/"), "/"), strings.Split(strings.Trim(p, "/"), "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] == "*" || strings.HasPrefix(ps[i], "{") {
			continue
		}
		if ok, _ := path.Match(ps[i], xs[i]); !ok {
			return false
		}
	}
	return true
}

// fires counts a match and reports whether the schedule fires on it.
func (r *FaultRule) fires(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.expires.IsZero() && !now.Before(r.expires) {
		return false
	}
	r.matched++
	s := r.Schedule
	switch {
	case s.First > 0:
		return r.matched <= s.First
	case s.Every > 0:
		return r.matched%s.Every == 0
	case s.Probability != nil:
		return r.rng.Float64() < *s.Probability
	}
	return true
}

func (r *FaultRule) latency() time.Duration {
	l := r.Action.Latency
	if l == nil {
		return 0
	}
	if l.Max <= l.Min {
		return l.Min
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return l.Min + time.Duration(r.rng.Int64N(int64(l.Max-l.Min)+1))
}

// errAborted ends a request whose connection a fault took over: nothing
// more is written.
var errAborted = errors.New("the connection was taken over by a fault")

// applyFaults is the pipeline's fault step.
func (s *Server) applyFaults(w http.ResponseWriter, r *http.Request, h *host, op spec.Operation, info *requestInfo) error {
	f := s.faults
	if !f.any.Load() {
		return nil
	}
	q := faultRequest{op: op, method: r.Method, path: r.URL.Path, credKind: info.credKind, keyID: info.keyID, sandbox: s.sandboxName()}
	now := s.cfg.Now()
	if f.rate != nil && q.credKind != "" {
		if wait, ok := f.rate.allow(s.sandboxName()+"|"+q.credKind+"|"+strconv.FormatInt(q.keyID, 10), s.now()); !ok {
			return rateLimited(wait, "--rate-limit", f.rate.perMinute)
		}
	}
	for _, rule := range f.list() {
		if !rule.Match.matches(q) {
			continue
		}
		if rule.Action.Status != 0 && !rule.Action.Force && !documents(op, rule.Action.Status) {
			continue // this operation does not document the rule's status
		}
		if !rule.fires(now) {
			continue
		}
		info.fault = rule.ID
		return s.act(w, r, rule, op, q)
	}
	return nil
}

func rateLimited(wait time.Duration, by string, perMinute int) error {
	return &apierr.Error{Code: apierr.CodeTooManyRequests, Rule: "rateLimit", RetryAfter: wait,
		Message: fmt.Sprintf("rate limit: at most %d requests a minute per credential (%s); retry after %s", perMinute, by, wait.Round(time.Second))}
}

// act performs a rule's action.
func (s *Server) act(w http.ResponseWriter, r *http.Request, rule *FaultRule, op spec.Operation, q faultRequest) error {
	a := rule.Action
	if d := rule.latency(); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return r.Context().Err()
		}
	}
	if a.RateLimit > 0 {
		if wait, ok := rule.limiter.allow(q.sandbox+"|"+q.credKind+"|"+strconv.FormatInt(q.keyID, 10), s.now()); !ok {
			return rateLimited(wait, "fault rule "+rule.ID, a.RateLimit)
		}
	}
	switch {
	case a.Reset:
		return resetConnection(w)
	case a.Truncate != nil:
		if t, ok := w.(*truncatable); ok {
			t.limit, t.on = *a.Truncate, true
		}
		return nil
	case a.Status != 0:
		return s.injectedResponse(w, rule, op)
	}
	return nil
}

// injectedResponse answers a rule's status with its body: the rule's own,
// the documented example of that response, else an error body.
func (s *Server) injectedResponse(w http.ResponseWriter, rule *FaultRule, op spec.Operation) error {
	a := rule.Action
	if a.RetryAfter != "" {
		d, _ := time.ParseDuration(a.RetryAfter) // checked
		w.Header().Set("Retry-After", strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
	}
	body := []byte(a.Body)
	if len(body) == 0 {
		if res := documented(op, a.Status); res != nil && res.Value != nil {
			if c := res.Value.Content.Get("application/json"); c != nil && c.Example != nil {
				body, _ = json.Marshal(c.Example)
			}
		}
	}
	if len(body) == 0 {
		msg := fmt.Sprintf("injected by fault rule %s", rule.ID)
		body, _ = json.Marshal(errorBody{Code: apierr.Code(strings.ReplaceAll(strings.ToLower(http.StatusText(a.Status)), " ", "_")), Message: msg, Status: a.Status})
	}
	return writeBytes(w, a.Status, "application/json", append(body, '\n'))
}

// documents reports whether op documents a response of status.
func documents(op spec.Operation, status int) bool { return documented(op, status) != nil }

// documented is op's response for status: its own, else its range (5XX).
func documented(op spec.Operation, status int) *openapi3.ResponseRef {
	if r := op.Op.Responses.Status(status); r != nil {
		return r
	}
	return op.Op.Responses.Value(strconv.Itoa(status/100) + "XX")
}

// resetConnection closes the client's connection with a TCP reset.
func resetConnection(w http.ResponseWriter) error {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
	return errAborted
}

// truncatable cuts a response after limit body bytes once a truncate rule
// has fired: the headers (with the full Content-Length) go out, then limit
// bytes, then the connection is dropped, so the client sees an unexpected
// end of the body.
type truncatable struct {
	http.ResponseWriter
	limit int
	on    bool
	sent  int
}

func (t *truncatable) Write(b []byte) (int, error) {
	if !t.on {
		return t.ResponseWriter.Write(b)
	}
	if room := t.limit - t.sent; room > 0 {
		n, _ := t.ResponseWriter.Write(b[:min(room, len(b))])
		t.sent += n
	}
	if t.sent >= t.limit {
		http.NewResponseController(t.ResponseWriter).Flush()
		panic(http.ErrAbortHandler) // net/http drops the connection without a log line
	}
	return len(b), nil
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *truncatable) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// checkRule validates a rule; at is where it came from, for messages.
func checkRule(r *FaultRule, ops map[string]spec.Operation, at string) error {
	bad := func(field, rule, format string, args ...any) error {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: at + field, Rule: rule, Message: fmt.Sprintf(format, args...)}
	}
	a := r.Action
	if a.Status == 0 && a.Latency == nil && !a.Reset && a.Truncate == nil && a.RateLimit == 0 {
		return bad("/action", "required", "an action needs one of status, latency, reset, truncate or rateLimit")
	}
	if a.Status != 0 && (a.Status < 100 || a.Status > 599) {
		return bad("/action/status", "range", "status %d is not an HTTP status", a.Status)
	}
	if a.Reset && (a.Status != 0 || a.Truncate != nil) {
		return bad("/action/reset", "oneAction", "reset answers nothing: it cannot go with status or truncate")
	}
	if a.Truncate != nil && (*a.Truncate < 0 || a.Status != 0) {
		return bad("/action/truncate", "oneAction", "truncate cuts the operation's own answer after N >= 0 bytes; it cannot go with status")
	}
	if a.RetryAfter != "" {
		if _, err := time.ParseDuration(a.RetryAfter); err != nil {
			return bad("/action/retryAfter", "format", "retryAfter must be a Go duration such as \"1s\": %v", err)
		}
	}
	if a.Latency != nil && (a.Latency.Min < 0 || a.Latency.Max < a.Latency.Min) {
		return bad("/action/latency", "range", "latency must be >= 0, with min <= max")
	}
	if r.Match.OperationID != "" {
		op, ok := ops[r.Match.OperationID]
		if !ok {
			return bad("/match/operationId", "exists", "no operation %q in the vendor documents", r.Match.OperationID)
		}
		if a.Status != 0 && !a.Force && !documents(op, a.Status) {
			return bad("/action/status", "documented", "%s does not document a %d response; pick a documented one or set \"force\": true", op.ID, a.Status)
		}
	}
	if r.Match.Sandbox != "" && !validSandboxName(r.Match.Sandbox) {
		return bad("/match/sandbox", "pattern", "sandbox names are [A-Za-z0-9_.-]{1,64}")
	}
	s := r.Schedule
	n := 0
	for _, set := range []bool{s.First > 0, s.Every > 0, s.Probability != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return bad("/schedule", "oneOf", "a schedule is one of first, every or probability")
	}
	if s.First < 0 || s.Every < 0 {
		return bad("/schedule", "minimum", "first and every must be positive")
	}
	if s.Probability != nil && (*s.Probability < 0 || *s.Probability > 1) {
		return bad("/schedule/probability", "range", "probability must be between 0 and 1")
	}
	if r.TTL != "" {
		if d, err := time.ParseDuration(r.TTL); err != nil || d <= 0 {
			return bad("/ttl", "format", "ttl must be a positive Go duration such as \"10m\"")
		}
	}
	return nil
}

// LoadFaults reads serve --faults FILE: a YAML or JSON list of rules (or
// {"faults": [...]}).
func LoadFaults(file string) ([]FaultRule, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: not YAML or JSON: %w", file, err)
	}
	if m, ok := doc.(map[string]any); ok {
		doc = m["faults"]
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var rules []FaultRule
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rules); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return rules, nil
}

// rateLimiter allows perMinute requests per key in each fixed minute.
type rateLimiter struct {
	perMinute int
	mu        sync.Mutex
	windows   map[string]*rateWindow
}

type rateWindow struct {
	start time.Time
	n     int
}

func newRateLimiter(perMinute int) *rateLimiter {
	return &rateLimiter{perMinute: perMinute, windows: map[string]*rateWindow{}}
}

// allow counts a request of key at now; past the limit it reports how long
// until the window ends.
func (l *rateLimiter) allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= time.Minute || now.Before(w.start) {
		if len(l.windows) > 10000 { // forget idle keys rather than grow
			for k, x := range l.windows {
				if now.Sub(x.start) >= time.Minute {
					delete(l.windows, k)
				}
			}
		}
		w = &rateWindow{start: now}
		l.windows[key] = w
	}
	if w.n >= l.perMinute {
		return w.start.Add(time.Minute).Sub(now), false
	}
	w.n++
	return 0, true
}

// The control handlers (spec/control.yaml: createFault, listFaults,
// deleteFault, clearFaults).

func (s *Server) createFault(w http.ResponseWriter, r *http.Request) error {
	var rule FaultRule
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rule); err != nil {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/", Rule: "schema", Message: "fault rule: " + err.Error(), Err: err}
	}
	added, err := s.faults.add(&rule, s.vendorOps(), "")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, added)
}

func (s *Server) listFaults(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"faults": s.faults.list()})
}

func (s *Server) deleteFault(w http.ResponseWriter, r *http.Request) error {
	if !s.faults.remove(r.PathValue("id")) {
		return &apierr.Error{Code: apierr.CodeNotFound, Field: "path:id", Rule: "exists", Message: "no fault rule " + r.PathValue("id")}
	}
	return noContent(w)
}

func (s *Server) clearFaults(w http.ResponseWriter, r *http.Request) error {
	s.faults.clear()
	return noContent(w)
}

// vendorOps are the operations of both vendor documents, by operationId.
func (s *Server) vendorOps() map[string]spec.Operation {
	out := map[string]spec.Operation{}
	for _, h := range []*host{s.public, s.data} {
		if h == nil {
			continue
		}
		for id, op := range h.ops {
			out[id] = op
		}
	}
	return out
}

// sandboxName is the sandbox's name as selectors write it.
func (s *Server) sandboxName() string {
	if s.name == "" {
		return defaultSandbox
	}
	return s.name
}
