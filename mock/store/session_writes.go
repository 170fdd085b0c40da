package store

import (
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Store methods for per-session writes of the public API: session tags and
// report emails (api.md §6.6 SE8–SE14), and the scene version lookup they share.

// VersionInfo returns a scene version with its scene.
func (st *Store) VersionInfo(versionID int64) (fixtures.SceneVersion, fixtures.Scene, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	v, ok := st.w.versions[versionID]
	if !ok {
		return v, fixtures.Scene{}, apierr.Errorf(apierr.CodeNotFound, "scene version %d not found", versionID)
	}
	return v, st.w.scenes[v.SceneID], nil
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
		return "", apierr.Errorf(apierr.CodeNotFound, "session %s not found in project %d", sessionID, projectID)
	}
	title := ""
	for _, t := range w.tags {
		if strings.EqualFold(t.Title, tagName) && (t.IsDefault || (t.OrganizationID != nil && *t.OrganizationID == s.OrganizationID)) {
			title = t.Title
			break
		}
	}
	if title == "" {
		return "", &apierr.Error{Code: apierr.CodeNotFound, Message: "tag " + tagName + " not found; create it with POST /v0/organizations/" + strconv.FormatInt(s.OrganizationID, 10) + "/tags", Field: "path:tagName", Rule: "exists"}
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
