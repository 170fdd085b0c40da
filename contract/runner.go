package contract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/c3dmock/c3dmock/contract/redact"

	"github.com/getkin/kin-openapi/openapi3"
)

// Target is the deployment under test and how to treat it.
type Target struct {
	BaseURL string      // e.g. https://api.cognitive3d.com (paths start with /v0)
	Spec    *openapi3.T // the document responses are validated against

	APIKey      string // Authorization value of the main key (orgkey-… or APIKEY:…)
	ReadOnlyKey string // optional: a read-only key of the same organization
	LegacyKey   string // optional: the same organization's key in APIKEY:ORGANIZATION form

	// Optional credentials of other kinds. DomainKey (APIKEY:DOMAIN …) runs the
	// admin and domain operations; DataKey (APIKEY:DATA …) and DeveloperKey
	// (APIKEY:DEVELOPER …) run the Data Collector's.
	DomainKey, DataKey, DeveloperKey string

	// DataURL is the Data Collector (e.g. https://data.cognitive3d.com) and
	// DataSpec its document; without them its operations are skipped.
	DataURL  string
	DataSpec *openapi3.T

	// IngestScene and IngestVersion (a scene version NUMBER) are where the
	// Data Collector's ingest operations may write; without both they are
	// skipped even with AllowWrites, because ingest pollutes analytics.
	IngestScene   string
	IngestVersion int

	MaxLatency  time.Duration // > 0: operations whose p95 exceeds it fail
	FailOnDrift bool          // DRIFT counts as a failure

	ProjectID        int64 // project to read; 0 discovers the first one of the key's organization
	ForeignProjectID int64 // optional: a project of another organization (must be refused)

	AllowWrites bool          // run checks that create and delete resources
	Rate        float64       // requests per second; <= 0 means unlimited
	MaxRequests int           // request budget of the run; <= 0 means unlimited
	Timeout     time.Duration // per check; 0 means 60s
	// MaxResponseBytes caps each response body: a larger one fails its
	// check at once. <= 0 means DefaultMaxResponseBytes.
	MaxResponseBytes int64

	Out       io.Writer    // live table; nil discards
	RecordDir string       // if set, one redacted JSON file per exchange
	HTTP      *http.Client // default: a client with a 30s timeout

	Now   func() time.Time                           // default time.Now
	Sleep func(context.Context, time.Duration) error // default: a timer honouring ctx
}

// runState is shared by all sessions of one run. Requests are sequential, so
// it needs no lock: checks run one after another.
type runState struct {
	target  *Target
	limiter *limiter
	used    int
	val     *validator
	dval    *validator // the Data Collector's document
	lat     latencies
	redact  *redact.Redactor
	rec     *recorder
	nonce   int
	found   discovered
	now     func() time.Time
}

func (rs *runState) httpClient() *http.Client {
	if rs.target.HTTP != nil {
		return rs.target.HTTP
	}
	return defaultHTTP
}

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

func (t *Target) maxResponseBytes() int64 {
	if t.MaxResponseBytes > 0 {
		return t.MaxResponseBytes
	}
	return DefaultMaxResponseBytes
}

// take waits for the rate limiter and counts the request against the budget.
func (rs *runState) take(ctx context.Context) error {
	if ctx.Value(cleanupKey{}) == nil && rs.target.MaxRequests > 0 && rs.used >= rs.target.MaxRequests {
		return fmt.Errorf("%w (%d requests)", ErrBudget, rs.target.MaxRequests)
	}
	if err := rs.limiter.wait(ctx); err != nil {
		return err
	}
	rs.used++
	return nil
}

// Run runs checks in order against t and returns the report. Checks that
// write are skipped without AllowWrites; checks that need a read-only key are
// skipped without one. Once the budget is exhausted the rest are skipped.
func Run(ctx context.Context, t Target, checks []Check) Report {
	if t.Now == nil {
		t.Now = time.Now
	}
	if t.Sleep == nil {
		t.Sleep = sleepCtx
	}
	if t.Timeout <= 0 {
		t.Timeout = 60 * time.Second
	}
	rs := &runState{target: &t, now: t.Now, redact: redact.New(t.APIKey, t.ReadOnlyKey, t.LegacyKey, t.DomainKey, t.DataKey, t.DeveloperKey)}
	rs.nonce = int(t.Now().UnixNano() % 100000)
	rs.limiter = &limiter{now: t.Now, sleep: t.Sleep}
	if t.Rate > 0 {
		rs.limiter.interval = time.Duration(float64(time.Second) / t.Rate)
	}
	rs.val = newValidator(t.Spec)
	if t.DataSpec != nil {
		rs.dval = newValidator(t.DataSpec)
	}
	if t.RecordDir != "" {
		rs.rec = &recorder{dir: t.RecordDir}
	}
	rep := Report{BaseURL: t.BaseURL, Started: t.Now()}
	tw := newTable(t.Out)
	tw.header(len(checks))
	stopped := ""
	for i, c := range checks {
		r := Result{Name: c.Name, Ops: c.Ops, Description: c.Description, Family: c.family()}
		switch {
		case stopped != "":
			r.Status, r.Reason = StatusSkip, stopped
		case c.Writes && !t.AllowWrites:
			r.Status, r.Reason = StatusSkip, "writes: needs --allow-writes"
		case c.NeedsReadOnlyKey && t.ReadOnlyKey == "":
			r.Status, r.Reason = StatusSkip, "needs a read-only key (--read-only-key-env)"
		case ctx.Err() != nil:
			r.Status, r.Reason = StatusSkip, "interrupted"
		default:
			r = rs.runOne(ctx, c, r)
			if errors.Is(r.err, ErrBudget) {
				stopped = "not run: request budget exhausted"
			}
		}
		r.Reason = rs.redact.String(r.Reason)
		rep.add(r)
		tw.row(i+1, len(checks), r)
	}
	rep.Requests = rs.used
	rep.Latency = rs.lat.report(t.MaxLatency)
	for _, l := range rep.Latency {
		if l.Slow {
			r := Result{Name: "latency/" + l.Op, Ops: []string{l.Op}, Family: FamilyLatency, Status: StatusFail,
				Description: "the operation's p95 latency is within --max-latency",
				Reason:      fmt.Sprintf("%s: p95 %s exceeds --max-latency %s (p50 %s, %d requests)", l.Op, l.P95, t.MaxLatency, l.P50, l.Count)}
			rep.add(r)
			tw.row(0, len(checks), r)
		}
	}
	rep.OpCoverage = coverage(rep.Results, t.Spec, t.DataSpec)
	rep.Duration = t.Now().Sub(rep.Started)
	tw.summary(rep)
	return rep
}

func (rs *runState) runOne(ctx context.Context, c Check, r Result) Result {
	s := &Session{run: rs, check: c.Name}
	start := rs.now()
	cctx, cancel := context.WithTimeout(ctx, rs.target.Timeout)
	err := runGuarded(cctx, c, s)
	cancel()
	if cerr := s.runCleanups(ctx); cerr != nil && err == nil {
		err = cerr
	}
	r.err = err
	r.Duration = rs.now().Sub(start)
	r.Requests = s.requests
	r.Drift = s.drift
	r.SpecViolations = s.failures
	switch {
	case errors.Is(err, ErrSkip):
		r.Status, r.Reason = StatusSkip, err.Error()
	case err != nil:
		r.Status, r.Reason = StatusFail, err.Error()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			r.Reason = fmt.Sprintf("timed out after %s: %v", rs.target.Timeout, err)
		}
	case len(s.failures) > 0:
		r.Status, r.Reason = StatusFail, s.failures[0]
	case len(s.drift) > 0 && rs.target.FailOnDrift:
		r.Status, r.Reason = StatusFail, "drift (--fail-on-drift): "+s.drift[0]
	case len(s.drift) > 0:
		r.Status, r.Reason = StatusDrift, s.drift[0]
	default:
		r.Status = StatusPass
	}
	for i, d := range r.Drift {
		r.Drift[i] = rs.redact.String(d)
	}
	for i, d := range r.SpecViolations {
		r.SpecViolations[i] = rs.redact.String(d)
	}
	return r
}

// runGuarded runs the check, turning a panic into a failure.
func runGuarded(ctx context.Context, c Check, s *Session) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("check panicked: %v", p)
		}
	}()
	return c.Run(ctx, s)
}

// Probe sends one unauthenticated GET to baseURL and reports transport
// failures (connection refused, DNS): any HTTP answer means reachable.
func Probe(ctx context.Context, baseURL string, hc *http.Client) error {
	if hc == nil {
		hc = defaultHTTP
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/", nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "c3dmock-contract")
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	return res.Body.Close()
}
