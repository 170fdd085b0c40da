package contract

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiffOverRecordings(t *testing.T) {
	dir := t.TempDir()
	xs := []Exchange{
		{Method: "GET", Path: "/v0/things/1?x=1", Status: 200, ResponseHeader: map[string][]string{"Content-Type": {"application/json"}},
			ResponseBody: json.RawMessage(`{"id":1,"kind":"c","at":"yesterday","owner":"not-a-uuid","extra":1,"tags":[{"name":"a","colour":"red"}],"props":{"k":"v"}}`)},
		{Method: "GET", Path: "/v0/things/2", Status: 200, ResponseHeader: map[string][]string{"Content-Type": {"application/json"}},
			ResponseBody: json.RawMessage(`{"id":2,"kind":"a","extra":2}`)},
		{Method: "GET", Path: "/v0/things/3", Status: 418},
		{Method: "GET", Path: "/v0/nowhere", Status: 404},
	}
	for i, x := range xs {
		data, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, string(rune('a'+i))+".json"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadRecordings(dir)
	if err != nil || len(got) != 4 {
		t.Fatalf("ReadRecordings: %d, %v", len(got), err)
	}
	fs := Diff(miniDoc(t), got)
	var buf bytes.Buffer
	if err := WriteDiff(&buf, fs, len(got)); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{
		"getThing 200: field /extra: not in the spec (seen 2×)",
		"getThing 200: enum /kind: value c is not one of [a b]",
		"getThing 200: format /at: value yesterday is not a date-time",
		"getThing 200: format /owner: value not-a-uuid is not a uuid",
		"getThing 200: field /tags/*/colour: not in the spec",
		"getThing 418: status",
		"operation /: no operation of the spec matches GET /v0/nowhere",
		"findings in 4 exchanges",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("diff lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "/props/k") {
		t.Errorf("additionalProperties values reported as undocumented:\n%s", text)
	}
}

func TestReadRecordingsEmptyDir(t *testing.T) {
	if _, err := ReadRecordings(t.TempDir()); err == nil {
		t.Error("ReadRecordings(empty dir) = nil error")
	}
}

// --diff reports fields reality omitted: required ones and those the spec
// says every answer carries (x-c3d-always), with the Data Collector's
// exchanges compared with its own document.
func TestDiffReportsOmittedFields(t *testing.T) {
	json := map[string][]string{"Content-Type": {"application/json"}}
	xs := []Exchange{
		{Method: "GET", Path: "/v0/projects/4460", Status: 200, ResponseHeader: json,
			ResponseBody: []byte(`{"id":4460,"projectName":"Demo"}`)},
		{Method: "GET", Path: "/v0/subscriptions", Status: 200, ResponseHeader: json,
			ResponseBody: []byte(`{"subscriptions":[]}`)},
	}
	var buf bytes.Buffer
	if err := WriteDiff(&buf, Diff(publicDoc(t), xs, dataDoc(t)), len(xs)); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{
		"getProject 200: missing /organizationId: a field every answer carries (x-c3d-always) is missing",
		"getProject 200: missing /name:",
		"getProject 200: field /projectName: not in the spec",
		"getSubscriptions 200: missing /organizationName: a required field is missing",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("diff lacks %q:\n%s", want, text)
		}
	}
}
