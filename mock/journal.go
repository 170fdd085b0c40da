package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/c3dmock/c3dmock/contract/redact"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// The request journal. Every request to a sandbox's vendor hosts is kept in
// a bounded ring (Config.JournalSize entries, bodies capped at
// Config.JournalBodyBytes, all of it counted against the stored-data budget;
// the oldest entries go first), with what the pipeline decided: the
// operation, the credential (kind and key id, never the secret), the step
// that refused it and the error, the fault rule that fired. Secrets are
// redacted from bodies and headers before they are kept (contract.Redactor:
// credential headers, cookies, and JSON fields such as password, key,
// token, csrf). Alongside the ring, per-operation counts and the spec's
// rejections grouped by rule feed the conformance report (report.go); they
// are bounded by the size of the spec.

// Defaults of Config.JournalSize and Config.JournalBodyBytes.
const (
	DefaultJournalSize      = 1000
	DefaultJournalBodyBytes = 4 << 10
)

// JournalEntry is one request a sandbox served.
type JournalEntry struct {
	Time           time.Time           `json:"time"` // the sandbox's clock
	Host           string              `json:"host"` // public or datacollector
	Method         string              `json:"method"`
	Path           string              `json:"path"`
	Query          map[string][]string `json:"query,omitempty"`
	OperationID    string              `json:"operationId,omitempty"`
	Status         int                 `json:"status"`
	DurationMs     float64             `json:"durationMs"`
	Credential     *JournalCredential  `json:"credential,omitempty"`
	RefusedAt      string              `json:"refusedAt,omitempty"` // the pipeline step that refused it
	Error          *JournalError       `json:"error,omitempty"`
	Fault          string              `json:"fault,omitempty"` // the id of the fault rule that fired
	RequestHeaders map[string][]string `json:"requestHeaders,omitempty"`
	RequestBody    string              `json:"requestBody,omitempty"`
	ResponseBody   string              `json:"responseBody,omitempty"`
	Truncated      bool                `json:"truncated,omitempty"` // a body was cut at the cap

	cost int64
}

// JournalCredential names the credential of a request, never its secret.
type JournalCredential struct {
	Kind  string `json:"kind"` // organization, legacy, domain, data, developer or cookie
	KeyID int64  `json:"keyId,omitempty"`
}

// JournalError is the error a refused request got.
type JournalError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Rule    string `json:"rule,omitempty"`
}

type journal struct {
	budget  *store.Budget
	max     int
	bodyCap int

	mu      sync.Mutex
	entries []JournalEntry // oldest first
	stats   map[string]*opStats
}

func newJournal(budget *store.Budget, max, bodyCap int) *journal {
	return &journal{budget: budget, max: max, bodyCap: bodyCap, stats: map[string]*opStats{}}
}

// costEntry is what an entry holds besides its strings.
const costEntry = 256

func (j *journal) add(e JournalEntry) {
	e.cost = costEntry + int64(len(e.Path)+len(e.RequestBody)+len(e.ResponseBody))
	for k, vs := range e.RequestHeaders {
		for _, v := range vs {
			e.cost += int64(len(k) + len(v))
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.count(e)
	for len(j.entries) > 0 && (len(j.entries) >= j.max || j.budget.Take(e.cost, "the journal") != nil) {
		j.budget.Release(j.entries[0].cost)
		j.entries[0] = JournalEntry{}
		j.entries = j.entries[1:]
	}
	if len(j.entries) == 0 && j.budget.Take(e.cost, "the journal") != nil {
		return // the budget is spent by data: keep counting, keep no entry
	}
	if len(j.entries) == 0 && cap(j.entries) > 4*j.max {
		j.entries = nil // let a long-drained backing array go
	}
	j.entries = append(j.entries, e)
}

// clear empties the ring and the counts.
func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range j.entries {
		j.budget.Release(e.cost)
	}
	j.entries, j.stats = nil, map[string]*opStats{}
}

// close gives the journal's bytes back (a dropped sandbox).
func (j *journal) close() { j.clear() }

// journalFilter selects entries (GET /__c3dmock/requests).
type journalFilter struct {
	operationID string
	status      string // "404" or a class such as "4xx"
	since       time.Time
	limit       int
}

func (f journalFilter) match(e *JournalEntry) bool {
	if f.operationID != "" && e.OperationID != f.operationID {
		return false
	}
	if f.status != "" {
		s := strconv.Itoa(e.Status)
		if len(f.status) == 3 && f.status[1:] == "xx" {
			if s[0] != f.status[0] {
				return false
			}
		} else if s != f.status {
			return false
		}
	}
	return f.since.IsZero() || !e.Time.Before(f.since)
}

// list is the newest limit entries matching f, newest last.
func (j *journal) list(f journalFilter) []JournalEntry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []JournalEntry{}
	for i := len(j.entries) - 1; i >= 0 && (f.limit <= 0 || len(out) < f.limit); i-- {
		if f.match(&j.entries[i]) {
			out = append(out, j.entries[i])
		}
	}
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

// journalWriter keeps the status and the first bytes of a response.
type journalWriter struct {
	http.ResponseWriter
	status int
	body   *bytes.Buffer // from bodyBuffers
	cap    int
	cut    bool
}

// bodyBuffers recycles the buffers bodies are captured in.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// journalRedactor redacts what the journal keeps. It knows no secrets of
// its own (it redacts credential headers and secret JSON fields), so it is
// never changed and is shared.
var journalRedactor = redact.New()

func (w *journalWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *journalWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if room := w.cap - w.body.Len(); room > 0 {
		w.body.Write(b[:min(room, len(b))])
	}
	if w.body.Len()+len(b) > w.cap {
		w.cut = true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (faults
// hijack the connection through it).
func (w *journalWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// teeBody keeps the first bytes of a request body as the pipeline reads it.
type teeBody struct {
	io.ReadCloser
	buf *bytes.Buffer // from bodyBuffers
	cap int
	cut bool
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if room := t.cap - t.buf.Len(); room > 0 {
		t.buf.Write(p[:min(room, n)])
	}
	if t.buf.Len()+n > t.cap {
		t.cut = true
	}
	return n, err
}

// journaled runs serve with the request recorded in the sandbox's journal.
func (s *Server) journaled(h *host, w http.ResponseWriter, r *http.Request, serve func(w http.ResponseWriter, r *http.Request)) {
	start, at := time.Now(), s.now()
	red := journalRedactor
	jw := &journalWriter{ResponseWriter: w, cap: s.journal.bodyCap, body: bodyBuffers.Get().(*bytes.Buffer)}
	defer putBuffer(jw.body)
	var tee *teeBody
	if r.Body != nil && r.Body != http.NoBody {
		tee = &teeBody{ReadCloser: r.Body, cap: s.journal.bodyCap, buf: bodyBuffers.Get().(*bytes.Buffer)}
		defer putBuffer(tee.buf)
		r.Body = tee
	}
	var query map[string][]string
	if r.URL.RawQuery != "" {
		query = r.URL.Query()
	}
	headers := red.Header(r.Header) // a copy: the pipeline may change r.Header
	var aborted any                 // a fault that cuts the connection aborts the handler (faults.go)
	func() {
		defer func() { aborted = recover() }()
		serve(jw, r)
	}()
	defer func() {
		if aborted != nil {
			panic(aborted)
		}
	}()
	info := infoFrom(r.Context())
	e := JournalEntry{Time: at.UTC(), Host: h.name, Method: r.Method, Path: r.URL.Path, Status: jw.status,
		DurationMs: float64(time.Since(start).Microseconds()) / 1000, RequestHeaders: headers}
	if len(query) > 0 {
		e.Query = query
	}
	if tee != nil && tee.buf.Len() > 0 {
		e.RequestBody, e.Truncated = redactedBody(red, tee.buf.Bytes()), tee.cut
	}
	if jw.body.Len() > 0 {
		e.ResponseBody = redactedBody(red, jw.body.Bytes())
		e.Truncated = e.Truncated || jw.cut
	}
	if info != nil {
		e.OperationID, e.Fault = info.operationID, info.fault
		if info.credKind != "" {
			e.Credential = &JournalCredential{Kind: info.credKind, KeyID: info.keyID}
		}
		if info.err != nil && jw.status >= 400 {
			e.RefusedAt = info.step
			e.Error = &JournalError{Code: string(info.err.Code), Message: info.err.Message, Field: info.err.Field, Rule: info.err.Rule}
		}
	}
	s.journal.add(e)
}

// redactedBody is body without secrets. Only a body that names a secret
// field is decoded; one that does but is not whole JSON (cut at the cap) is
// not kept at all.
func redactedBody(red *redact.Redactor, body []byte) string {
	if !redact.MentionsSecretField(body) {
		return string(body)
	}
	if !json.Valid(body) {
		return redact.Redacted
	}
	return string(red.JSON(body))
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		b.Reset()
		bodyBuffers.Put(b)
	}
}

// errNoJournal answers the journal's endpoints on a server without one.
var errNoJournal = &apierr.Error{Code: apierr.CodeConflict, Rule: "journal",
	Message: "this c3dmock runs with --journal-size 0: there is no journal, so no requests, verification or report"}

func (s *Server) listRequests(w http.ResponseWriter, r *http.Request) error {
	if s.journal == nil {
		return errNoJournal
	}
	q := r.URL.Query()
	f := journalFilter{operationID: q.Get("operationId"), status: q.Get("status"), limit: 100}
	if v := q.Get("limit"); v != "" {
		f.limit, _ = strconv.Atoi(v) // validated by the control document
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return &apierr.Error{Code: apierr.CodeInvalid, Field: "query:since", Rule: "format", Expected: "date-time", Message: "since must be an RFC 3339 time: " + err.Error()}
		}
		f.since = t
	}
	return writeJSON(w, http.StatusOK, map[string]any{"requests": s.journal.list(f)})
}

func (s *Server) clearRequests(w http.ResponseWriter, r *http.Request) error {
	if s.journal == nil {
		return errNoJournal
	}
	s.journal.clear()
	return noContent(w)
}

// opStats counts one operation's requests for the conformance report.
type opStats struct {
	count    int
	statuses map[int]int
	rejected map[string]*rejection // by rule and field
}

type rejection struct {
	rule, field string
	count       int
	example     JournalEntry
}

// count adds e to the per-operation counts. Callers hold mu.
func (j *journal) count(e JournalEntry) {
	if e.OperationID == "" {
		return
	}
	st := j.stats[e.OperationID]
	if st == nil {
		st = &opStats{statuses: map[int]int{}, rejected: map[string]*rejection{}}
		j.stats[e.OperationID] = st
	}
	st.count++
	st.statuses[e.Status]++
	if e.Error == nil || !specRejection(e.RefusedAt) {
		return
	}
	key := e.Error.Rule + "\x00" + e.Error.Field
	rj := st.rejected[key]
	if rj == nil {
		rj = &rejection{rule: e.Error.Rule, field: e.Error.Field, example: e}
		st.rejected[key] = rj
	}
	rj.count++
}

// specRejection reports whether a refusal at step is the spec's: the
// request broke the document (media type, size, schema), not a rule of the
// world (unknown IDs, scope) or the client's credential.
func specRejection(step string) bool { return step == stepMedia || step == stepValidate }

// statsCopy returns the per-operation counts, sorted by operationId.
func (j *journal) statsCopy() []opStatsView {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]opStatsView, 0, len(j.stats))
	for id, st := range j.stats {
		v := opStatsView{id: id, count: st.count, statuses: map[int]int{}}
		for k, n := range st.statuses {
			v.statuses[k] = n
		}
		for _, rj := range st.rejected {
			v.rejected = append(v.rejected, *rj)
		}
		sort.Slice(v.rejected, func(a, b int) bool {
			return v.rejected[a].rule+v.rejected[a].field < v.rejected[b].rule+v.rejected[b].field
		})
		out = append(out, v)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].id < out[b].id })
	return out
}

type opStatsView struct {
	id       string
	count    int
	statuses map[int]int
	rejected []rejection
}
