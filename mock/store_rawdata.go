package mock

import (
	"slices"
	"sort"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Store methods for per-session reads and writes of the public API: raw
// session data, session tags and report emails (api.md §6.6 SE8–SE14).

// VersionInfo returns a scene version with its scene.
func (st *Store) VersionInfo(versionID int64) (fixtures.SceneVersion, fixtures.Scene, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	v, ok := st.w.versions[versionID]
	if !ok {
		return v, fixtures.Scene{}, errorf(CodeNotFound, "scene version %d not found", versionID)
	}
	return v, st.w.scenes[v.SceneID], nil
}

// rawInput is what the raw-data routes read of one session: a copy of the
// session, the dynamic objects of the versions it visited, and the batches
// the Data Collector received for it (empty for generated sessions).
type rawInput struct {
	Session   fixtures.Session
	ProjectID int64
	VersionID int64 // 0: the whole project session
	SceneID   string
	Objects   []fixtures.Object
	Batches   []RawBatch
}

// RawInput finds a session of a project or, with versionID set, a session
// that visited that scene version (404 naming what is missing). projectID
// and sceneID, when set alongside versionID, must be the version's.
func (st *Store) RawInput(projectID int64, sessionID string, versionID int64, sceneID string) (rawInput, error) {
	st.mu.RLock()
	w := st.w
	in := rawInput{ProjectID: projectID, VersionID: versionID}
	if versionID != 0 {
		v, ok := w.versions[versionID]
		if !ok {
			st.mu.RUnlock()
			return in, errorf(CodeNotFound, "scene version %d not found", versionID)
		}
		sc := w.scenes[v.SceneID]
		if sceneID != "" && sceneID != sc.ID {
			st.mu.RUnlock()
			return in, &Error{Code: CodeNotFound, Message: "scene version " + itoa(versionID) + " is not a version of scene " + sceneID, Field: "query:sceneId", Rule: "exists"}
		}
		if projectID != 0 && projectID != sc.ProjectID {
			st.mu.RUnlock()
			return in, &Error{Code: CodeNotFound, Message: "scene version " + itoa(versionID) + " is not in project " + itoa(projectID), Field: "query:projectId", Rule: "exists"}
		}
		in.ProjectID, in.SceneID = sc.ProjectID, sc.ID
	}
	s, ok := w.findSession(in.ProjectID, sessionID)
	if !ok {
		st.mu.RUnlock()
		return in, errorf(CodeNotFound, "session %s not found in project %d", sessionID, in.ProjectID)
	}
	in.Session = *s
	visited := map[int64]bool{}
	for _, v := range s.Visits {
		visited[v.VersionID] = true
	}
	st.mu.RUnlock()
	if versionID != 0 && !visited[versionID] {
		return in, errorf(CodeNotFound, "session %s has no data on scene version %d", sessionID, versionID)
	}
	for vid := range visited {
		if versionID == 0 || vid == versionID {
			in.Objects = append(in.Objects, st.Objects(0, vid)...)
		}
	}
	sort.Slice(in.Objects, func(i, j int) bool { return in.Objects[i].ID < in.Objects[j].ID })
	in.Batches = st.RawBatches(in.ProjectID, sessionID)
	return in, nil
}

// SetSessionTag tags or untags a session. Both places a tag lives are
// updated: the session's tags (by title) and its c3d.session_tag.<title>
// property, which the query filters read. The tag must be a system tag or
// one of the organization's (404 otherwise); its title is matched without
// regard to case. The tags and properties are replaced, not written in
// place, because readers may hold copies of the session.
func (st *Store) SetSessionTag(projectID int64, sessionID, tagName string, value bool) (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	s, ok := w.findSession(projectID, sessionID)
	if !ok {
		return "", errorf(CodeNotFound, "session %s not found in project %d", sessionID, projectID)
	}
	title := ""
	for _, t := range w.tags {
		if strings.EqualFold(t.Title, tagName) && (t.IsDefault || (t.OrganizationID != nil && *t.OrganizationID == s.OrganizationID)) {
			title = t.Title
			break
		}
	}
	if title == "" {
		return "", &Error{Code: CodeNotFound, Message: "tag " + tagName + " not found; create it with POST /v0/organizations/" + itoa(s.OrganizationID) + "/tags", Field: "path:tagName", Rule: "exists"}
	}
	tags := make([]string, 0, len(s.Tags)+1)
	for _, t := range s.Tags {
		if !strings.EqualFold(t, title) {
			tags = append(tags, t)
		}
	}
	if value {
		tags = append(tags, title)
	}
	s.Tags = tags
	s.Properties = s.Properties.With(map[string]any{"c3d.session_tag." + title: value})
	return title, nil
}

// ReportEmail is a session report the mock was asked to email. Nothing is
// sent; GET /__c3dmock/reportEmails lists them.
type ReportEmail struct {
	ID         int64    `json:"id"`
	SessionID  string   `json:"sessionId"`
	VersionID  int64    `json:"versionId"`
	SceneID    string   `json:"sceneId"`
	ProjectID  int64    `json:"projectId"`
	Recipients []string `json:"recipients"`
	CreatedAt  int64    `json:"createdAt"`
}

// AddReportEmail records a report email.
func (st *Store) AddReportEmail(e ReportEmail) ReportEmail {
	st.mu.Lock()
	defer st.mu.Unlock()
	e.ID = st.w.newID()
	e.Recipients = append([]string(nil), e.Recipients...)
	st.w.reportEmails = append(st.w.reportEmails, e)
	return e
}

// ReportEmails lists the recorded report emails, oldest first.
func (st *Store) ReportEmails() []ReportEmail {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]ReportEmail, len(st.w.reportEmails))
	for i, e := range st.w.reportEmails {
		e.Recipients = append([]string(nil), e.Recipients...)
		out[i] = e
	}
	return out
}

// VersionSessions lists copies of sessions that visited a scene version:
// the given ids (404 for one that did not), else those passing the session
// filters, oldest first, at most limit.
func (st *Store) VersionSessions(versionID int64, ids []string, filters []filterSpec, limit int) ([]fixtures.Session, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	w := st.w
	t, err := w.targetOfVersion(versionID)
	if err != nil {
		return nil, err
	}
	var out []fixtures.Session
	for i, id := range ids {
		s, ok := w.findSession(t.ProjectID, id)
		if !ok || !slices.ContainsFunc(s.Visits, func(v fixtures.SceneVisit) bool { return v.VersionID == versionID }) {
			return nil, &Error{Code: CodeNotFound, Message: "session " + id + " has no data on scene version " + itoa(versionID), Field: "/sessionIds/" + itoa(int64(i)), Rule: "exists"}
		}
		out = append(out, *s)
	}
	if len(ids) > 0 {
		return out, nil
	}
	p, err := compileQuery(&sessionQuery{SessionType: "scene", EntityFilters: entityFilters{ProjectID: t.ProjectID, VersionID: &versionID}, SessionFilters: filters})
	if err != nil {
		return nil, err
	}
	rows, err := w.match(p)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if len(out) == limit {
			break
		}
		if !seen[r.s.SessionID] {
			seen[r.s.SessionID] = true
			out = append(out, *r.s)
		}
	}
	return out, nil
}
