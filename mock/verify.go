package mock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// Verification (POST /__c3dmock/verify): how many requests of an operation
// the sandbox's journal holds that meet the conditions, against count, min
// or max. It answers 200 when the expectation holds, else 422 with the
// nearest misses: the operation's other requests, each with the conditions
// it failed. The journal is bounded (Config.JournalSize), so verification
// sees its window.

// VerifyRequest is the body of POST /__c3dmock/verify.
type VerifyRequest struct {
	OperationID string      `json:"operationId"`
	Count       *int        `json:"count,omitempty"`
	Min         *int        `json:"min,omitempty"`
	Max         *int        `json:"max,omitempty"`
	Where       VerifyWhere `json:"where,omitzero"`
}

// VerifyWhere are conditions on a request: query parameters, body values by
// JSON pointer (compared as JSON) and headers.
type VerifyWhere struct {
	Query  map[string]any    `json:"query,omitempty"`
	Body   map[string]any    `json:"body,omitempty"`
	Header map[string]string `json:"header,omitempty"`
}

// VerifyResult is the answer.
type VerifyResult struct {
	Holds    bool         `json:"holds"`
	Matched  int          `json:"matched"`
	Expected string       `json:"expected"`
	Nearest  []VerifyMiss `json:"nearest,omitempty"`
}

// VerifyMiss is a request of the operation that failed a condition.
type VerifyMiss struct {
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Failed []string  `json:"failed"`
}

// Verify checks q against the journal's entries.
func (j *journal) Verify(q VerifyRequest) VerifyResult {
	var res VerifyResult
	var misses []VerifyMiss
	for _, e := range j.list(journalFilter{operationID: q.OperationID}) {
		failed := q.Where.failures(&e)
		if len(failed) == 0 {
			res.Matched++
			continue
		}
		misses = append(misses, VerifyMiss{Time: e.Time, Method: e.Method, Path: e.Path, Failed: failed})
	}
	var want []string
	res.Holds = true
	if q.Count != nil {
		want = append(want, "count "+strconv.Itoa(*q.Count))
		res.Holds = res.Holds && res.Matched == *q.Count
	}
	if q.Min != nil {
		want = append(want, "min "+strconv.Itoa(*q.Min))
		res.Holds = res.Holds && res.Matched >= *q.Min
	}
	if q.Max != nil {
		want = append(want, "max "+strconv.Itoa(*q.Max))
		res.Holds = res.Holds && res.Matched <= *q.Max
	}
	res.Expected = strings.Join(want, ", ")
	if !res.Holds {
		sort.SliceStable(misses, func(a, b int) bool { return len(misses[a].Failed) < len(misses[b].Failed) })
		res.Nearest = misses[:min(len(misses), 5)]
	}
	return res
}

// failures lists the conditions e does not meet.
func (w VerifyWhere) failures(e *JournalEntry) []string {
	var out []string
	for _, name := range sortedKeys(w.Query) {
		want := fmt.Sprint(w.Query[name])
		got := e.Query[name]
		if !contains(got, want) {
			out = append(out, fmt.Sprintf("query:%s want %q got %q", name, want, strings.Join(got, ",")))
		}
	}
	if len(w.Body) > 0 {
		var doc any
		_ = json.Unmarshal([]byte(e.RequestBody), &doc)
		for _, ptr := range sortedKeys(w.Body) {
			got, ok := pointerValue(doc, ptr)
			want := normalizeJSON(w.Body[ptr])
			if !ok {
				out = append(out, fmt.Sprintf("body:%s want %s got nothing", ptr, jsonString(want)))
			} else if !reflect.DeepEqual(got, want) {
				out = append(out, fmt.Sprintf("body:%s want %s got %s", ptr, jsonString(want), jsonString(got)))
			}
		}
	}
	for _, name := range sortedKeys(w.Header) {
		got := e.RequestHeaders[http.CanonicalHeaderKey(name)]
		if !contains(got, w.Header[name]) {
			out = append(out, fmt.Sprintf("header:%s want %q got %q", name, w.Header[name], strings.Join(got, ",")))
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// pointerValue resolves an RFC 6901 JSON pointer in doc.
func pointerValue(doc any, ptr string) (any, bool) {
	if ptr == "" || ptr == "/" {
		return doc, ptr == "" || doc != nil
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := doc.(type) {
		case map[string]any:
			x, ok := v[tok]
			if !ok {
				return nil, false
			}
			doc = x
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			doc = v[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

// normalizeJSON gives v the types json.Unmarshal into any gives.
func normalizeJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) error {
	if s.journal == nil {
		return errNoJournal
	}
	var q VerifyRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/", Rule: "schema", Message: "verify: " + err.Error(), Err: err}
	}
	if _, ok := s.vendorOps()[q.OperationID]; !ok {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/operationId", Rule: "exists", Message: fmt.Sprintf("no operation %q in the vendor documents", q.OperationID)}
	}
	if q.Count == nil && q.Min == nil && q.Max == nil {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/count", Rule: "required", Message: "say what to expect: count, min or max"}
	}
	res := s.journal.Verify(q)
	status := http.StatusOK
	if !res.Holds {
		status = http.StatusUnprocessableEntity
	}
	return writeJSON(w, status, res)
}
