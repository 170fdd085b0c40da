package contract

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// DiffFinding is one thing a recorded response held that the spec does not
// describe, with how often it was seen.
type DiffFinding struct {
	OperationID string `json:"operationId"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Status      int    `json:"status"`
	Finding
	Count int `json:"count"`
}

func (d DiffFinding) String() string {
	op := d.OperationID
	if op == "" {
		op = d.Method + " " + d.Path
	}
	return fmt.Sprintf("%s %d: %s (seen %d×)", op, d.Status, d.Finding, d.Count)
}

// Diff compares recorded exchanges with doc: undocumented statuses, fields,
// enum values, formats and types, each listed once with a count.
//
// more are further documents (the Data Collector's): an exchange is compared
// with the first document that has a matching operation.
func Diff(doc *openapi3.T, xs []Exchange, more ...*openapi3.T) []DiffFinding {
	vals := []*validator{newValidator(doc)}
	for _, d := range more {
		vals = append(vals, newValidator(d))
	}
	pick := func(x Exchange) *validator {
		if x.API == APIDataCollector && len(vals) > 1 { // recorded by c3dmock proxy: the host is known
			return vals[1]
		}
		for _, v := range vals {
			if _, _, err := v.route(x.Method, x.Path); err == nil {
				return v
			}
		}
		return vals[0]
	}
	type key struct {
		op, method string
		status     int
		f          Finding
	}
	counts := map[key]int{}
	paths := map[key]string{}
	for _, x := range xs {
		val := pick(x)
		for _, f := range diffOne(val, x) {
			k := key{x.OperationID, x.Method, x.Status, f}
			route, _, err := val.route(x.Method, x.Path)
			if err == nil {
				k.op = route.Operation.OperationID
			}
			counts[k]++
			paths[k] = pathOnly(x.Path)
		}
	}
	out := make([]DiffFinding, 0, len(counts))
	for k, n := range counts {
		out = append(out, DiffFinding{OperationID: k.op, Method: k.method, Path: paths[k], Status: k.status, Finding: k.f, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.OperationID != b.OperationID {
			return a.OperationID < b.OperationID
		}
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		return a.Finding.String() < b.Finding.String()
	})
	return out
}

func diffOne(val *validator, x Exchange) []Finding {
	route, _, err := val.route(x.Method, x.Path)
	if err != nil {
		return []Finding{{Kind: "operation", Detail: "no operation of the spec matches " + x.Method + " " + pathOnly(x.Path)}}
	}
	if x.Status == http.StatusNotImplemented {
		return nil // the target's own gap, not a fact about the API
	}
	resp := route.Operation.Responses.Status(x.Status)
	if resp == nil {
		resp = route.Operation.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		return []Finding{{Kind: "status", Detail: fmt.Sprintf("status %d is not documented", x.Status)}}
	}
	if len(x.ResponseBody) == 0 {
		return nil
	}
	ct := ""
	if v := http.Header(x.ResponseHeader).Get("Content-Type"); v != "" {
		ct, _, _ = mime.ParseMediaType(v)
	}
	media := resp.Value.Content.Get(ct)
	if media == nil {
		return []Finding{{Kind: "content-type", Detail: fmt.Sprintf("Content-Type %q is not documented", ct)}}
	}
	if media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	body, err := decodeLoose(x.ResponseBody)
	if err != nil {
		return nil
	}
	return walk(media.Schema.Value, body)
}

// WriteDiff prints findings, one per line, and a count line.
func WriteDiff(w io.Writer, fs []DiffFinding, exchanges int) error {
	for _, f := range fs {
		if _, err := fmt.Fprintln(w, f); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d findings in %d exchanges\n", len(fs), exchanges)
	return err
}
