package contract

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/contract/junit"
)

// Status is the outcome of one check.
type Status string

// The outcomes. DRIFT means the check passed but the target returned something
// the spec does not describe; it counts as passed in the summary.
const (
	StatusPass  Status = "PASS"
	StatusFail  Status = "FAIL"
	StatusSkip  Status = "SKIP"
	StatusDrift Status = "DRIFT"
)

// Result is the outcome of one check.
type Result struct {
	Name           string        `json:"name"`
	Description    string        `json:"description,omitempty"`
	Ops            []string      `json:"operations"`
	Family         string        `json:"family,omitempty"`
	Status         Status        `json:"status"`
	Reason         string        `json:"reason,omitempty"`
	Drift          []string      `json:"drift,omitempty"`
	SpecViolations []string      `json:"specViolations,omitempty"`
	Requests       int           `json:"requests"`
	Duration       time.Duration `json:"durationNs"`
	err            error
}

// Report is the outcome of a run.
type Report struct {
	BaseURL  string        `json:"baseUrl"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"durationNs"`
	Requests int           `json:"requests"`
	Passed   int           `json:"passed"`
	Failed   int           `json:"failed"`
	Skipped  int           `json:"skipped"`
	Drifted  int           `json:"drifted"`
	Results  []Result      `json:"results"`
	// Latency is per operation, sorted by operationId.
	Latency []OpLatency `json:"latency,omitempty"`
	// Coverage is every operation of the documents run against.
	OpCoverage []OpCoverage `json:"coverage,omitempty"`
}

func (r *Report) add(res Result) {
	switch res.Status {
	case StatusPass:
		r.Passed++
	case StatusDrift:
		r.Passed++
		r.Drifted++
	case StatusFail:
		r.Failed++
	default:
		r.Skipped++
	}
	r.Results = append(r.Results, res)
}

// OK reports whether no check failed.
func (r Report) OK() bool { return r.Failed == 0 }

// Summary is the line "N passed, M failed, K skipped".
func (r Report) Summary() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", r.Passed, r.Failed, r.Skipped)
}

// Coverage lists the operationIds exercised by checks that ran (not skipped).
func (r Report) Coverage() []string {
	seen := map[string]bool{}
	for _, res := range r.Results {
		if res.Status != StatusSkip {
			for _, op := range res.Ops {
				seen[op] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for op := range seen {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// WriteJSON writes the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteJUnit writes the report as JUnit XML.
func (r Report) WriteJUnit(w io.Writer) error {
	s := junit.Suite{Name: "c3dmock contract " + r.BaseURL, Time: secs(r.Duration)}
	for _, res := range r.Results {
		// One testcase per check per operation, so CI groups by operation.
		ops := res.Ops
		if len(ops) <= 1 {
			ops = []string{""}
		}
		for _, op := range ops {
			c := junit.Case{Name: res.Name, Classname: "contract." + group(res.Name), Time: secs(res.Duration / time.Duration(len(ops)))}
			if op != "" {
				c.Name += " [" + op + "]"
			}
			switch res.Status {
			case StatusFail:
				c.Failure = &junit.Message{Message: res.Reason, Text: strings.Join(append([]string{res.Reason}, res.SpecViolations...), "\n")}
				s.Failures++
			case StatusSkip:
				c.Skipped = &junit.Message{Message: res.Reason}
				s.Skipped++
			}
			if len(res.Drift) > 0 {
				c.SystemOut = "drift:\n" + strings.Join(res.Drift, "\n")
			}
			s.Cases = append(s.Cases, c)
		}
	}
	return s.Write(w)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func group(name string) string {
	g, _, _ := strings.Cut(name, "/")
	return g
}

// table prints the live table, one row per check as it finishes.
type table struct{ w io.Writer }

func newTable(w io.Writer) table {
	if w == nil {
		w = io.Discard
	}
	return table{w}
}

func (t table) header(n int) {
	fmt.Fprintf(t.w, "%-*s %-36s %-34s %-6s %s\n", progressWidth(n), "#", "CHECK", "OPERATION", "RESULT", "REASON")
}

// row prints check k of n as soon as it has run; k 0 is a verdict on the
// whole run (a latency limit), shown as [+].
func (t table) row(k, n int, r Result) {
	pos := fmt.Sprintf("[%d/%d]", k, n)
	if k == 0 {
		pos = "[+]"
	}
	fmt.Fprintf(t.w, "%-*s %-36s %-34s %-6s %s\n", progressWidth(n), pos,
		r.Name, clip(opsList(r.Ops), 34), r.Status, clip(oneLine(r.Reason), 160))
}

// progressWidth is the width of "[n/n]".
func progressWidth(n int) int { return 2*len(strconv.Itoa(n)) + 3 }

func (t table) summary(r Report) {
	fmt.Fprintln(t.w, r.Summary())
	if len(r.OpCoverage) > 0 {
		fmt.Fprintln(t.w, r.CoverageSummary())
	}
	if r.Drifted > 0 {
		fmt.Fprintf(t.w, "%d passed with drift (the target returned what the spec does not describe)\n", r.Drifted)
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
