package mock

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/contract/junit"
)

// The client conformance report (GET /__c3dmock/report, serve --report):
// for one sandbox, which operations its clients called and with what
// statuses, every request the spec rejected (the media and validation
// steps), grouped by operation, rule and field with one example, and the
// operations never called. It counts every request since the sandbox was
// made or its journal cleared, not only those the journal still holds.

// ConformanceReport is the report of one sandbox.
type ConformanceReport struct {
	Sandbox     string           `json:"sandbox"`
	Called      []CalledOp       `json:"called"`
	Rejected    []RejectionGroup `json:"rejected"`
	NeverCalled []OpRef          `json:"neverCalled"`
}

// CalledOp counts the requests of one operation by status.
type CalledOp struct {
	OperationID string         `json:"operationId"`
	Method      string         `json:"method"`
	Path        string         `json:"path"`
	Count       int            `json:"count"`
	Statuses    map[string]int `json:"statuses"`
}

// RejectionGroup is the requests of one operation that broke one rule of
// the spec at one field.
type RejectionGroup struct {
	OperationID string           `json:"operationId"`
	Rule        string           `json:"rule"`
	Field       string           `json:"field,omitempty"`
	Count       int              `json:"count"`
	Example     RejectionExample `json:"example"`
}

// RejectionExample is the first such request.
type RejectionExample struct {
	Method  string `json:"method"`
	Path    string `json:"path"`
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// OpRef names an operation.
type OpRef struct {
	OperationID string `json:"operationId"`
	Method      string `json:"method"`
	Path        string `json:"path"`
}

// Report is the sandbox's conformance report.
func (s *Server) Report() ConformanceReport {
	ops := s.vendorOps()
	rep := ConformanceReport{Sandbox: s.sandboxName(), Called: []CalledOp{}, Rejected: []RejectionGroup{}, NeverCalled: []OpRef{}}
	called := map[string]bool{}
	for _, st := range s.journal.statsCopy() {
		op := ops[st.id]
		called[st.id] = true
		c := CalledOp{OperationID: st.id, Method: op.Method, Path: op.Path, Count: st.count, Statuses: map[string]int{}}
		for code, n := range st.statuses {
			c.Statuses[strconv.Itoa(code)] = n
		}
		rep.Called = append(rep.Called, c)
		for _, rj := range st.rejected {
			msg := ""
			if rj.example.Error != nil {
				msg = rj.example.Error.Message
			}
			rep.Rejected = append(rep.Rejected, RejectionGroup{OperationID: st.id, Rule: rj.rule, Field: rj.field, Count: rj.count,
				Example: RejectionExample{Method: rj.example.Method, Path: rj.example.Path, Status: rj.example.Status, Message: msg}})
		}
	}
	for id, op := range ops {
		if !called[id] && !op.Dead {
			rep.NeverCalled = append(rep.NeverCalled, OpRef{OperationID: id, Method: op.Method, Path: op.Path})
		}
	}
	sort.Slice(rep.NeverCalled, func(a, b int) bool { return rep.NeverCalled[a].OperationID < rep.NeverCalled[b].OperationID })
	return rep
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	if s.journal == nil {
		return errNoJournal
	}
	return writeJSON(w, http.StatusOK, s.Report())
}

// WriteJUnit writes the report as JUnit XML: a failing testcase per called
// operation with requests the spec rejected (one failure listing each rule),
// a passing one per other called operation, a skipped one per operation
// never called.
func (rep ConformanceReport) WriteJUnit(w io.Writer) error {
	suite := junit.Suite{Name: "c3dmock client conformance (sandbox " + rep.Sandbox + ")", Time: "0"}
	rejected := map[string][]RejectionGroup{}
	for _, g := range rep.Rejected {
		rejected[g.OperationID] = append(rejected[g.OperationID], g)
	}
	for _, c := range rep.Called {
		tc := junit.Case{Name: c.OperationID, Classname: c.Method + " " + c.Path}
		if gs := rejected[c.OperationID]; len(gs) > 0 {
			var text strings.Builder
			for _, g := range gs {
				fmt.Fprintf(&text, "%d× rule %s at %s: %s (e.g. %s %s → %d)\n", g.Count, g.Rule, g.Field, g.Example.Message, g.Example.Method, g.Example.Path, g.Example.Status)
			}
			tc.Failure = &junit.Message{Message: fmt.Sprintf("%d kind(s) of request the spec rejects", len(gs)), Type: "contract", Text: text.String()}
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, tc)
	}
	for _, op := range rep.NeverCalled {
		suite.Cases = append(suite.Cases, junit.Case{Name: op.OperationID, Classname: op.Method + " " + op.Path, Skipped: &junit.Message{Message: "never called"}})
		suite.Skipped++
	}
	return suite.Write(w)
}

// WriteReports writes the default sandbox's report to the files of serve
// --report: json=FILE and junit=FILE.
func (s *Server) WriteReports(files map[string]string) error {
	base, err := s.boxes.get(defaultSandbox)
	if err != nil {
		return err
	}
	if base.journal == nil {
		return errNoJournal
	}
	rep := base.Report()
	for format, file := range files {
		f, err := os.Create(file)
		if err != nil {
			return err
		}
		switch format {
		case "json":
			enc := json.NewEncoder(f)
			enc.SetIndent("", "  ")
			err = enc.Encode(rep)
		case "junit":
			err = rep.WriteJUnit(f)
		default:
			err = fmt.Errorf("report format %q: want json or junit", format)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}
