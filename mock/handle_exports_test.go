package mock_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// parsePDF checks a PDF's structure with the standard library: header,
// startxref pointing at the xref table, every xref offset pointing at its
// object, every stream's /Length right. It returns the content streams.
func parsePDF(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatalf("not a PDF 1.4 file: %.40q … %q", b, b[max(len(b)-10, 0):])
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table: %.20q", xref, b[xref:])
	}
	var n int
	fmt.Sscanf(string(b[xref+len("xref\n0 "):]), "%d", &n)
	table := b[bytes.IndexByte(b[xref+5:], '\n')+xref+6:]
	for i := 0; i < n; i++ {
		entry := string(table[i*20 : (i+1)*20])
		if i == 0 {
			if entry != "0000000000 65535 f \n" {
				t.Errorf("xref entry 0 = %q", entry)
			}
			continue
		}
		off, err := strconv.Atoi(entry[:10])
		if err != nil || !strings.HasSuffix(entry, " 00000 n \n") {
			t.Fatalf("xref entry %d = %q", i, entry)
		}
		if want := fmt.Sprintf("%d 0 obj\n", i); !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("xref entry %d: offset %d holds %.12q, want %q", i, off, b[off:], want)
		}
	}
	if !bytes.Contains(b, []byte(fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R", n))) {
		t.Errorf("trailer does not name %d objects and the catalog", n)
	}
	var content strings.Builder
	for _, sm := range regexp.MustCompile(`(?s)<< /Length (\d+) >>\nstream\n(.*?)\nendstream`).FindAllSubmatch(b, -1) {
		if l, _ := strconv.Atoi(string(sm[1])); l != len(sm[2]) {
			t.Errorf("stream /Length %d, actual %d bytes", l, len(sm[2]))
		}
		content.Write(sm[2])
	}
	return content.String()
}

func TestSessionReports(t *testing.T) {
	ts := newTestServer(t)
	sid := sceneSessionID(t, ts, 7012)
	for _, path := range []string{"/v0/projects/4460/sessions/" + sid + "/report.pdf", "/v0/versions/7012/sessions/" + sid + "/report.pdf?projectId=4460"} {
		res := do(t, ts, request{method: "GET", path: path, auth: keyReadOnly})
		if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("GET %s: %d %q %s", path, res.status, res.header.Get("Content-Type"), res.body)
		}
		if content := parsePDF(t, res.body); !strings.Contains(content, "("+"Session: "+sid+")") {
			t.Errorf("%s does not name session %s", path, sid)
		}
	}
	if res := do(t, ts, request{method: "GET", path: "/v0/projects/4460/sessions/1_nope/report.pdf", auth: keyReadOnly}); res.status != http.StatusNotFound {
		t.Errorf("unknown session: %d", res.status)
	}
	other := sceneSessionID(t, ts, 7011)
	res := do(t, ts, request{method: "POST", path: "/v0/versions/7012/sessionsReport.pdf", auth: keyReadOnly, body: `{"sessionIds":["` + sid + `"]}`})
	if content := parsePDF(t, res.body); !strings.Contains(content, sid) {
		t.Errorf("sessionsReport.pdf does not name %s", sid)
	}
	if res := do(t, ts, request{method: "POST", path: "/v0/versions/7012/sessionsReport.pdf", auth: keyReadOnly, body: `{"sessionIds":["` + other + `"]}`}); res.status != http.StatusNotFound && other != sid {
		t.Errorf("session not on the version: %d, want 404", res.status)
	}
	// By filters: every session of the version, many pages.
	all := do(t, ts, request{method: "POST", path: "/v0/versions/7012/sessionsReport.pdf", auth: keyReadOnly, body: `{"sessionFilters":[]}`})
	if content := parsePDF(t, all.body); !strings.Contains(content, sid) || strings.Count(string(all.body), "/Type /Page ") < 1 {
		t.Errorf("filtered sessionsReport.pdf does not name %s", sid)
	}
}

func TestReportEmails(t *testing.T) {
	ts := newTestServer(t)
	sid := sceneSessionID(t, ts, 7012)
	res := do(t, ts, request{method: "POST", path: "/v0/versions/7012/sessions/" + sid + "/reportEmails", auth: keyReadWrite,
		body: `{"sceneId":"2c2f0603-8f5c-4ff6-94ed-03542a4df34d","projectId":"4460","recipients":["analyst@example.com"]}`})
	if res.status != http.StatusCreated || res.json(t)["sessionId"] != sid {
		t.Fatalf("reportEmails: %d %s", res.status, res.body)
	}
	got := do(t, ts, request{method: "GET", path: "/__c3dmock/reportEmails"})
	if !strings.Contains(string(got.body), `"sessionId":"`+sid+`","versionId":7012`) || !strings.Contains(string(got.body), "analyst@example.com") {
		t.Errorf("control API: %s", got.body)
	}
	if res := do(t, ts, request{method: "POST", path: "/v0/versions/7012/sessions/" + sid + "/reportEmails", auth: keyReadWrite, body: `{"recipients":["not-an-email"]}`}); res.status != http.StatusBadRequest {
		t.Errorf("bad recipient: %d, want 400", res.status)
	}
}

func TestObjectiveResultsCSV(t *testing.T) {
	ts := newTestServer(t)
	res := do(t, ts, request{method: "GET", path: "/v0/projects/4460/objectiveVersions/829/results.csv", auth: keyReadOnly})
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("results.csv: %d %q", res.status, res.header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(recs) < 2 || strings.Join(recs[0], ",") != "sessionId,participantId,sessionDate,objectiveId,objectiveName,objectiveVersionId,objectiveResult,step,stepName,stepResult,stepTimestamp,stepDuration" {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	for _, r := range recs[1:] {
		if r[3] != "268" || r[5] != "829" || (r[9] != "succeeded" && r[9] != "failed") {
			t.Fatalf("row %v", r)
		}
	}
	kept := do(t, ts, request{method: "GET", path: "/v0/projects/4460/objectiveVersions/829/results.csv?excludeJunkAndTestSessions=true", auth: keyReadOnly})
	if strings.Count(string(kept.body), "\n") > strings.Count(string(res.body), "\n") {
		t.Errorf("excluding junk and test sessions added rows")
	}
	if res := do(t, ts, request{method: "GET", path: "/v0/projects/4461/objectiveVersions/829/results.csv", auth: keyReadOnly}); res.status != http.StatusNotFound || !strings.Contains(string(res.body), "objective version 829") {
		t.Errorf("other project: %d %s", res.status, res.body)
	}
}
