package contract

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// OpCoverage says how an operation was exercised: by a positive check, a
// negative one, or not at all and why (the reasons of its skipped checks).
type OpCoverage struct {
	Op       string   `json:"operationId"`
	Document string   `json:"document"` // public | datacollector
	Positive bool     `json:"positive"`
	Negative bool     `json:"negative"`
	Skipped  []string `json:"skipped,omitempty"`
}

// Covered reports whether any check ran on the operation.
func (c OpCoverage) Covered() bool { return c.Positive || c.Negative }

func coverage(results []Result, docs ...*openapi3.T) []OpCoverage {
	idx := map[string]*OpCoverage{}
	var out []*OpCoverage
	for i, doc := range docs {
		if doc == nil {
			continue
		}
		name := "public"
		if i == 1 {
			name = "datacollector"
		}
		for _, item := range doc.Paths.Map() {
			for _, op := range item.Operations() {
				if idx[op.OperationID] == nil {
					c := &OpCoverage{Op: op.OperationID, Document: name}
					idx[op.OperationID] = c
					out = append(out, c)
				}
			}
		}
	}
	for _, r := range results {
		for _, op := range r.Ops {
			c := idx[op]
			if c == nil {
				continue
			}
			switch {
			case r.Status == StatusSkip:
				reason := r.Name + ": " + r.Reason
				if !contains(c.Skipped, reason) {
					c.Skipped = append(c.Skipped, reason)
				}
			case r.Family == FamilyNegative:
				c.Negative = true
			case r.Family == FamilyPositive:
				c.Positive = true
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Document != out[j].Document {
			return out[i].Document > out[j].Document // public first
		}
		return out[i].Op < out[j].Op
	})
	res := make([]OpCoverage, len(out))
	for i, c := range out {
		res[i] = *c
	}
	return res
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// CoverageSummary is "149/149 operations covered (120 positively, 29 only negatively)".
func (r Report) CoverageSummary() string {
	var cov, pos, neg int
	for _, c := range r.OpCoverage {
		switch {
		case c.Positive:
			cov++
			pos++
		case c.Negative:
			cov++
			neg++
		}
	}
	return fmt.Sprintf("%d/%d operations covered (%d positively, %d only negatively)", cov, len(r.OpCoverage), pos, neg)
}

// WriteCoverage prints one row per operation: how it was covered, and for
// operations without a positive check the first reason one was skipped.
func (r Report) WriteCoverage(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "%-42s %-13s %-8s %-8s %s\n", "OPERATION", "DOCUMENT", "POSITIVE", "NEGATIVE", "SKIPPED (first reason)"); err != nil {
		return err
	}
	for _, c := range r.OpCoverage {
		why := "-"
		if !c.Positive && len(c.Skipped) > 0 {
			why = clip(oneLine(c.Skipped[0]), 120)
		}
		if _, err := fmt.Fprintf(w, "%-42s %-13s %-8s %-8s %s\n", c.Op, c.Document, yesNo(c.Positive), yesNo(c.Negative), why); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, r.CoverageSummary())
	return err
}

// WriteLatency prints p50/p95 per operation.
func (r Report) WriteLatency(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "%-42s %6s %10s %10s %10s\n", "OPERATION", "COUNT", "P50", "P95", "MAX"); err != nil {
		return err
	}
	for _, l := range r.Latency {
		mark := ""
		if l.Slow {
			mark = "  exceeds --max-latency"
		}
		if _, err := fmt.Fprintf(w, "%-42s %6d %10s %10s %10s%s\n", l.Op, l.Count, roundDur(l.P50), roundDur(l.P95), roundDur(l.Max), mark); err != nil {
			return err
		}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func roundDur(d time.Duration) string {
	if d >= time.Millisecond {
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}
