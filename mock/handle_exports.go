package mock

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/mock/analytics"
	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Exports (api.md §6.6 SE14, §6.8 OB7): session reports as PDF (pdf.go),
// report emails (recorded, never sent), and objective results as CSV.

// maxReportSessions caps sessionsReport.pdf when it is selected by filters.
const maxReportSessions = 500

func isoMs(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") }

func durationText(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// sessionReportLines describes one session for report.pdf.
func sessionReportLines(project string, in analytics.RawInput, sceneName string) []string {
	s := in.Session
	lines := []string{
		"Project: " + project,
		"Session: " + s.SessionID,
		"Participant: " + store.FirstNonEmpty(s.ParticipantName.String(), s.ParticipantID, "anonymous"),
		"Start: " + isoMs(s.Start),
		"Duration: " + durationText(s.Duration),
		"Device: " + store.FirstNonEmpty(s.HMD.String(), "unknown"),
		"Tags: " + store.FirstNonEmpty(strings.Join(s.Tags, ", "), "none"),
	}
	if in.VersionID != 0 {
		lines = append(lines, fmt.Sprintf("Scene: %s (version id %d)", sceneName, in.VersionID))
	}
	counts := map[string]int{}
	for _, e := range s.Events {
		if in.VersionID == 0 || e.VersionID == in.VersionID {
			counts[e.Name.String()]++
		}
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	lines = append(lines, "", fmt.Sprintf("Events (%d kinds):", len(names)))
	for _, n := range names {
		lines = append(lines, fmt.Sprintf("  %s: %d", n, counts[n]))
	}
	lines = append(lines, "", "Objectives:")
	for _, o := range s.Objectives { // in version id order
		ok := 0
		for _, step := range o.Steps {
			if step.Result == fixtures.ResultSucceeded {
				ok++
			}
		}
		lines = append(lines, fmt.Sprintf("  objective version %d: %d of %d steps succeeded", o.VersionID, ok, len(o.Steps)))
	}
	return lines
}

// sessionReport serves report.pdf of a project session or a scene session.
func sessionReport(st *store.Store, queries *analytics.Engine, byVersion bool) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in analytics.RawInput
		var err error
		tg := targetsOf(r)
		if byVersion {
			in, err = queries.RawInput(tg.ProjectID, tg.Session, tg.Version, tg.Scene)
		} else {
			in, err = queries.RawInput(tg.ProjectID, tg.Session, 0, "")
		}
		if err != nil {
			return err
		}
		p, err := st.Project(in.ProjectID)
		if err != nil {
			return err
		}
		sceneName := ""
		if byVersion {
			_, sc, _ := st.VersionInfo(in.VersionID)
			sceneName = sc.SceneName
		}
		pdf := renderPDF("Session report "+in.Session.SessionID, sessionReportLines(fmt.Sprintf("%s (%d)", p.Name, p.ID), in, sceneName))
		w.Header().Set("Content-Disposition", `inline; filename="report.pdf"`)
		return writeBytes(w, http.StatusOK, "application/pdf", pdf)
	}
}

// createVersionSessionsReport lists the chosen sessions of a scene version,
// one per line: by sessionIds, else by sessionFilters (all when none).
func createVersionSessionsReport(st *store.Store, queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var body struct {
			SessionFilters []analytics.FilterSpec `json:"sessionFilters"`
		}
		if err := decodeJSON(r, &body); err != nil {
			return err
		}
		vid := targetsOf(r).Version
		v, sc, err := st.VersionInfo(vid)
		if err != nil {
			return err
		}
		sessions, err := queries.VersionSessions(vid, targetsOf(r).Sessions, body.SessionFilters, maxReportSessions)
		if err != nil {
			return err
		}
		lines := []string{fmt.Sprintf("Scene: %s, version %d (id %d)", sc.SceneName, v.VersionNumber, v.ID), fmt.Sprintf("Sessions: %d", len(sessions)), ""}
		for _, s := range sessions {
			lines = append(lines, fmt.Sprintf("%s  %s  %s  %s", s.SessionID, isoMs(s.Start), durationText(s.Duration), store.FirstNonEmpty(s.ParticipantName.String(), s.ParticipantID, "anonymous")))
		}
		w.Header().Set("Content-Disposition", `inline; filename="sessionsReport.pdf"`)
		return writeBytes(w, http.StatusOK, "application/pdf", renderPDF("Sessions report", lines))
	}
}

// createSessionReportEmail records the email; GET /__c3dmock/reportEmails lists it.
func createSessionReportEmail(st *store.Store, queries *analytics.Engine, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var body struct {
			Recipients []string `json:"recipients"`
		}
		if err := decodeJSON(r, &body); err != nil {
			return err
		}
		for i, rcpt := range body.Recipients {
			if a, err := mail.ParseAddress(rcpt); err != nil || a.Address != rcpt {
				return &apierr.Error{Code: apierr.CodeInvalid, Message: fmt.Sprintf("recipient %q is not an email address", rcpt), Field: fmt.Sprintf("/recipients/%d", i), Rule: "format", Expected: "email"}
			}
		}
		tg := targetsOf(r)
		in, err := queries.RawInput(tg.ProjectID, tg.Session, tg.Version, tg.Scene)
		if err != nil {
			return err
		}
		e := st.AddReportEmail(store.ReportEmail{SessionID: in.Session.SessionID, VersionID: in.VersionID, SceneID: in.SceneID, ProjectID: in.ProjectID,
			Recipients: body.Recipients, CreatedAt: now().UnixMilli()})
		return writeJSON(w, http.StatusCreated, e)
	}
}

// getObjectiveVersionResultsCsv writes one row per session and step.
// targetNewObjectives is accepted and has no effect: the mock has one kind
// of objective.
func getObjectiveVersionResultsCsv(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		exclude := r.URL.Query().Get("excludeJunkAndTestSessions") == "true"
		o, ov, rows, err := st.ObjectiveVersionResults(targetsOf(r).ProjectID, targetsOf(r).ObjectiveVersion, exclude)
		if err != nil {
			return err
		}
		stepNames := map[int]string{}
		for _, c := range ov.Components {
			stepNames[c.SequenceNumber] = c.Name
		}
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		header := []string{"sessionId", "participantId", "sessionDate", "objectiveId", "objectiveName", "objectiveVersionId", "objectiveResult", "step", "stepName", "stepResult", "stepTimestamp", "stepDuration"}
		if err := cw.Write(header); err != nil {
			return err
		}
		for _, row := range rows {
			overall := fixtures.ResultSucceeded
			for _, s := range row.Steps {
				if s.Result != fixtures.ResultSucceeded {
					overall = fixtures.ResultFailed
				}
			}
			for _, s := range row.Steps {
				rec := []string{row.SessionID, row.ParticipantID, isoMs(row.Start), strconv.FormatInt(o.ID, 10), o.Name, strconv.FormatInt(ov.ID, 10), overall.String(),
					strconv.FormatInt(int64(s.Step), 10), stepNames[int(s.Step)], s.Result.String(), isoMs(s.Timestamp), strconv.FormatInt(int64(s.Duration), 10)}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="objective_%d_results.csv"`, ov.ID))
		return writeBytes(w, http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	}
}
