package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"testing"

	"github.com/c3dmock/c3dmock/contract/junit"
)

func sampleReport(t *testing.T) Report {
	ts := stub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{"organizationId": 12}) })
	return Run(context.Background(), Target{BaseURL: ts.URL, Spec: publicDoc(t), APIKey: testKey}, []Check{
		whoamiCheck("r/pass"),
		{Name: "r/fail", Ops: []string{"whoami"}, Run: func(context.Context, *Session) error { return errors.New(`bad <"&'> thing`) }},
		{Name: "r/writes", Writes: true, Run: func(context.Context, *Session) error { return nil }},
	})
}

func TestJUnitParsesBack(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	var got junit.Suites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("JUnit does not parse: %v\n%s", err, buf.String())
	}
	if len(got.Suites) != 1 {
		t.Fatalf("%d suites", len(got.Suites))
	}
	s := got.Suites[0]
	if s.Tests != 3 || s.Failures != 1 || s.Skipped != 1 || len(s.Cases) != 3 {
		t.Errorf("suite tests=%d failures=%d skipped=%d cases=%d, want 3 1 1 3", s.Tests, s.Failures, s.Skipped, len(s.Cases))
	}
	if f := s.Cases[1].Failure; f == nil || f.Message != `bad <"&'> thing` {
		t.Errorf("failure of r/fail = %+v", f)
	}
	if s.Cases[2].Skipped == nil || s.Cases[0].Failure != nil {
		t.Errorf("cases: %+v", s.Cases)
	}
}

func TestJSONReportDecodes(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got Report
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Passed != 1 || got.Failed != 1 || got.Skipped != 1 || len(got.Results) != 3 || got.Results[1].Status != StatusFail {
		t.Errorf("decoded %+v", got)
	}
	if got.Summary() != "1 passed, 1 failed, 1 skipped" {
		t.Errorf("summary %q", got.Summary())
	}
	if cov := rep.Coverage(); len(cov) != 1 || cov[0] != "whoami" {
		t.Errorf("coverage %v, want [whoami]", cov)
	}
}
