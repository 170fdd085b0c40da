package proxy

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/contract/junit"
	"github.com/c3dmock/c3dmock/contract/redact"

	"github.com/c3dmock/c3dmock/contract"
)

// summary is what the proxy has seen so far (guarded by Proxy.mu).
type summary struct {
	exchanges, unvalidated, upstreamErrors, warnings int
	ops                                              map[string]*OperationStats // by api + operation
	viols                                            map[string]*ViolationCount // by Violation.key
	order                                            []string                   // viols keys in first-seen order
}

func (s *summary) init() {
	s.ops = map[string]*OperationStats{}
	s.viols = map[string]*ViolationCount{}
}

// OperationStats counts the exchanges and violations of one operation.
type OperationStats struct {
	API         API    `json:"api"`
	OperationID string `json:"operationId,omitempty"`
	Method      string `json:"method"`
	Path        string `json:"path"` // the spec's template, or the path sent when no operation matched
	Exchanges   int    `json:"exchanges"`
	Violations  int    `json:"violations"`
}

// ViolationCount is a distinct violation with how often it was seen.
type ViolationCount struct {
	Violation
	Count int `json:"count"`
}

func (s *summary) op(x *exchange) *OperationStats {
	name, path := x.op, x.template
	if name == "" {
		path = pathOnly(x.uri)
		name = x.method + " " + path
	}
	k := string(x.api.api) + " " + name
	o := s.ops[k]
	if o == nil {
		o = &OperationStats{API: x.api.api, OperationID: x.op, Method: x.method, Path: path}
		s.ops[k] = o
	}
	return o
}

// report counts v and prints it the first time it is seen.
func (p *Proxy) report(x *exchange, v Violation) {
	v.API, v.OperationID, v.Method = x.api.api, x.op, x.method
	path := p.redactURI(pathOnly(x.uri))
	v.Path = path
	p.mu.Lock()
	defer p.mu.Unlock()
	x.violations++
	p.sum.op(x).Violations++
	k := v.key()
	if c := p.sum.viols[k]; c != nil {
		c.Count++
		return
	}
	p.sum.viols[k] = &ViolationCount{Violation: v, Count: 1}
	p.sum.order = append(p.sum.order, k)
	fmt.Fprintf(p.cfg.Out, "violation: %s\n", oneLine(p.red.String(v.String())))
}

func (p *Proxy) countExchange(x *exchange, largeResponse bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sum.exchanges++
	if x.reqLarge || largeResponse {
		p.sum.unvalidated++
	}
	p.sum.op(x).Exchanges++
}

// record writes the exchange, redacted, as one JSON line.
func (p *Proxy) record(x *exchange, res *http.Response, body []byte, large bool, d time.Duration) {
	if p.rec == nil {
		return
	}
	uri := p.redactURI(x.uri)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.recErr != nil {
		return
	}
	red := p.red
	reqHeader := red.Header(x.reqHeader)
	if x.host != "" {
		reqHeader["Host"] = []string{red.String(x.host)}
	}
	ex := contract.Exchange{
		Check: "proxy", API: string(x.api.api), OperationID: x.op, Method: x.method, Path: uri,
		RequestHeader: reqHeader, Status: res.StatusCode, ResponseHeader: red.Header(res.Header),
		ResponseBodyLen: len(body), DurationMS: float64(d.Microseconds()) / 1000, Time: p.cfg.Now().UTC(),
	}
	if large {
		ex.ResponseBodyLen = int(max(res.ContentLength, 0))
	}
	if len(x.reqBody) > 0 {
		ex.RequestBody = redactBody(red, x.reqBody)
	}
	if len(body) > 0 {
		if json.Valid(body) {
			ex.ResponseBody = red.JSON(body)
		} else {
			ex.ResponseText = red.String(string(body))
		}
	}
	if err := p.rec.Write(ex); err != nil {
		p.recErr = err
		fmt.Fprintf(p.cfg.Out, "warning: --record: %s; recording stopped\n", oneLine(red.String(err.Error())))
	}
}

// redactBody keeps a JSON body as JSON and anything else as a JSON string.
func redactBody(red *redact.Redactor, b []byte) json.RawMessage {
	if json.Valid(b) {
		return red.JSON(b)
	}
	q, err := json.Marshal(red.String(string(b)))
	if err != nil {
		return nil
	}
	return q
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// Report is the proxy's summary: what went through and what was wrong.
type Report struct {
	Upstream          string            `json:"upstream"`
	DataUpstream      string            `json:"dataUpstream,omitempty"`
	Started           time.Time         `json:"started"`
	Finished          time.Time         `json:"finished"`
	Exchanges         int               `json:"exchanges"`
	UnvalidatedBodies int               `json:"unvalidatedBodies"` // bodies over --max-validate-bytes
	UpstreamErrors    int               `json:"upstreamErrors"`
	Warnings          int               `json:"warnings"`
	ViolationCount    int               `json:"violationCount"` // every occurrence
	Violations        []ViolationCount  `json:"violations"`     // distinct, in first-seen order
	Operations        []*OperationStats `json:"operations"`
}

// OK reports whether no violation was seen.
func (r Report) OK() bool { return len(r.Violations) == 0 }

// Report returns the summary so far.
func (p *Proxy) Report() Report {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := Report{Upstream: p.cfg.Upstream.String(), Started: p.started.UTC(), Finished: p.cfg.Now().UTC(),
		Exchanges: p.sum.exchanges, UnvalidatedBodies: p.sum.unvalidated, UpstreamErrors: p.sum.upstreamErrors,
		Warnings: p.sum.warnings, Violations: []ViolationCount{}}
	if a := p.apis[DataCollector]; a != nil {
		r.DataUpstream = a.upstream.String()
	}
	for _, k := range p.sum.order {
		c := *p.sum.viols[k]
		r.ViolationCount += c.Count
		r.Violations = append(r.Violations, c)
	}
	for _, o := range p.sum.ops {
		c := *o
		r.Operations = append(r.Operations, &c)
	}
	sort.Slice(r.Operations, func(i, j int) bool {
		a, b := r.Operations[i], r.Operations[j]
		if a.API != b.API {
			return a.API > b.API // public first
		}
		return a.Path+" "+a.Method < b.Path+" "+b.Method
	})
	return r
}

// WriteText prints the summary printed at exit.
func (r Report) WriteText(w io.Writer) error {
	ops := map[string]bool{}
	for _, v := range r.Violations {
		ops[string(v.API)+" "+v.Operation()] = true
	}
	fmt.Fprintf(w, "%d exchanges through %d operations; %d violations (%d distinct) in %d operations",
		r.Exchanges, len(r.Operations), r.ViolationCount, len(r.Violations), len(ops))
	if r.UnvalidatedBodies > 0 {
		fmt.Fprintf(w, "; %d bodies too large to validate", r.UnvalidatedBodies)
	}
	if r.UpstreamErrors > 0 {
		fmt.Fprintf(w, "; %d upstream errors", r.UpstreamErrors)
	}
	fmt.Fprintln(w)
	for _, v := range r.Violations {
		if _, err := fmt.Fprintf(w, "  %d× %s\n", v.Count, v.Violation); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteJUnit writes one testcase per operation seen, failed when the
// operation had violations (each listed, with its count).
func (r Report) WriteJUnit(w io.Writer) error {
	suite := junit.Suite{Name: "c3dmock proxy", Time: fmt.Sprintf("%.3f", r.Finished.Sub(r.Started).Seconds())}
	byOp := map[string][]ViolationCount{}
	for _, v := range r.Violations {
		k := string(v.API) + " " + v.Operation()
		byOp[k] = append(byOp[k], v)
	}
	for _, o := range r.Operations {
		name := o.OperationID
		if name == "" {
			name = o.Method + " " + o.Path
		}
		c := junit.Case{Name: name, Classname: "proxy." + string(o.API),
			SystemOut: fmt.Sprintf("%d exchanges (%s %s)", o.Exchanges, o.Method, o.Path)}
		if vs := byOp[string(o.API)+" "+name]; len(vs) > 0 {
			var lines []string
			n := 0
			for _, v := range vs {
				n += v.Count
				lines = append(lines, fmt.Sprintf("%d× %s", v.Count, v.Violation))
			}
			c.Failure = &junit.Message{Type: "violation", Message: fmt.Sprintf("%d violations of the spec", n), Text: strings.Join(lines, "\n")}
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
	}
	return suite.Write(w)
}
