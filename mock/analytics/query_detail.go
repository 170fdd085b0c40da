package analytics

import (
	"slices"
	"strconv"

	"github.com/c3dmock/c3dmock/fixtures/propstore"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// sessionDetailView is the body of singleQueries and
// singleProjectSessionQueries (api.md SE2, SE3): a row with every event
// (with eventHash), warnings and objective results.
type sessionDetailView struct {
	sessionView
	Warnings               warningsView               `json:"warnings"`
	Subscriptions          []any                      `json:"subscriptions"`
	SceneSessionProperties map[string]propstore.Props `json:"sceneSessionProperties,omitempty"`
}

type warningsView struct {
	PositionLimited  bool `json:"positionLimited"`
	GazeLimited      bool `json:"gazeLimited"`
	FixationsLimited bool `json:"fixationsLimited"`
	EventsLimited    bool `json:"eventsLimited"`
}

func newDetailView(w *store.View, r row, projectMode bool) sessionDetailView {
	v := sessionDetailView{
		sessionView:   newSessionView(w, r, viewOpts{events: true, eventHash: true, objectives: true, noProperties: projectMode}),
		Subscriptions: []any{},
	}
	v.Warnings = warningsView{v.PositionLimited, v.GazeLimited, v.FixationsLimited, v.EventsLimited}
	if projectMode {
		// singleProjectSessionQueries replaces properties with the
		// properties of each scene session, keyed by scene version id.
		v.SceneSessionProperties = map[string]propstore.Props{}
		for _, vis := range r.s.Visits {
			v.SceneSessionProperties[strconv.FormatInt(vis.VersionID, 10)] = r.s.Properties
		}
	}
	return v
}

// sceneRow picks the scene session of s for a version or scene: the first
// visit that matches; with neither, the first visit.
func sceneRow(s *fixtures.Session, sceneID string, versionID int64) (row, bool) {
	for i, v := range s.Visits {
		if (versionID == 0 || v.VersionID == versionID) && (sceneID == "" || v.SceneID == sceneID) {
			return row{s: s, v: i}, true
		}
	}
	return row{}, false
}

func sessionNotFound(projectID int64, sessionID string) *apierr.Error {
	return &apierr.Error{Code: apierr.CodeNotFound, Message: "session " + sessionID + " not found in project " + strconv.FormatInt(projectID, 10), Field: "/sessionId", Rule: "exists"}
}

// SceneSession returns one scene session with its events (singleQueries).
func (e *Engine) SceneSession(projectID int64, sceneID, sessionID string, versionID int64) (sessionDetailView, error) {
	w := e.st.View()
	defer w.Close()
	s, ok := w.FindSession(projectID, sessionID)
	if !ok {
		return sessionDetailView{}, sessionNotFound(projectID, sessionID)
	}
	r, ok := sceneRow(s, sceneID, versionID)
	if !ok {
		return sessionDetailView{}, &apierr.Error{Code: apierr.CodeNotFound, Message: "session " + sessionID + " has no scene session in that scene version", Field: "/versionId", Rule: "exists"}
	}
	return newDetailView(w, r, false), nil
}

// ProjectSession returns one project session (singleProjectSessionQueries).
func (e *Engine) ProjectSession(projectID int64, sessionID string, withObjectives bool) (sessionDetailView, error) {
	w := e.st.View()
	defer w.Close()
	s, ok := w.FindSession(projectID, sessionID)
	if !ok {
		return sessionDetailView{}, sessionNotFound(projectID, sessionID)
	}
	v := newDetailView(w, row{s: s, v: -1}, true)
	if !withObjectives {
		empty := map[string][]stepOutcomeView{}
		v.ObjectiveResults = &empty
	}
	return v, nil
}

// Sessions returns several sessions keyed by id (multiQueries); unknown ids
// are left out. With a scene or version, each is that scene session.
func (e *Engine) Sessions(projectID int64, sceneID string, versionID int64, ids []string) map[string]sessionDetailView {
	w := e.st.View()
	defer w.Close()
	out := map[string]sessionDetailView{}
	for _, id := range ids {
		s, ok := w.FindSession(projectID, id)
		if !ok {
			continue
		}
		r := row{s: s, v: -1}
		if sceneID != "" || versionID != 0 {
			if r, ok = sceneRow(s, sceneID, versionID); !ok {
				continue
			}
		}
		out[id] = newDetailView(w, r, false)
	}
	return out
}

// ParticipantSessions lists a participant's project sessions across an
// organization, newest first.
func (e *Engine) ParticipantSessions(orgID int64, participantID string) []sessionView {
	w := e.st.View()
	defer w.Close()
	out := []sessionView{}
	for i := len(w.Sessions) - 1; i >= 0; i-- {
		s := &w.Sessions[i]
		if s.OrganizationID == orgID && s.ParticipantID == participantID {
			out = append(out, newSessionView(w, row{s: s, v: -1}, viewOpts{}))
		}
	}
	slices.SortStableFunc(out, func(a, b sessionView) int { return cmpInt(b.CreatedAt, a.CreatedAt) })
	return out
}

// sessionMetadataView is the (undocumented, inferred) metadata of a scene session.
type sessionMetadataView struct {
	SessionID      string          `json:"sessionId"`
	ProjectID      int64           `json:"projectId"`
	SceneID        string          `json:"sceneId"`
	SceneVersionID int64           `json:"sceneVersionId"`
	Properties     propstore.Props `json:"properties"`
}

func metadataOf(r row) sessionMetadataView {
	return sessionMetadataView{SessionID: r.s.SessionID, ProjectID: r.s.ProjectID, SceneID: r.visit().SceneID,
		SceneVersionID: r.versionID(), Properties: r.s.Properties}
}

// SessionMetadata returns the metadata of a session's visit to a version.
func (e *Engine) SessionMetadata(versionID int64, sessionID string) (sessionMetadataView, error) {
	w := e.st.View()
	defer w.Close()
	if s, ok := w.FindSession(0, sessionID); ok {
		if r, ok := sceneRow(s, "", versionID); ok {
			return metadataOf(r), nil
		}
	}
	return sessionMetadataView{}, &apierr.Error{Code: apierr.CodeNotFound, Message: "session " + sessionID + " has no scene session in version " + strconv.FormatInt(versionID, 10), Field: "path:sessionId", Rule: "exists"}
}

// MetadataLookup returns metadata for each (session, scene) pair found.
func (e *Engine) MetadataLookup(projectID int64, pairs []MetadataPair) []sessionMetadataView {
	w := e.st.View()
	defer w.Close()
	out := []sessionMetadataView{}
	for _, p := range pairs {
		if s, ok := w.FindSession(projectID, p.SDKID); ok {
			if r, ok := sceneRow(s, p.SceneID, 0); ok {
				out = append(out, metadataOf(r))
			}
		}
	}
	return out
}

type MetadataPair struct {
	SDKID   string `json:"sdkId"`
	SceneID string `json:"sceneId"`
}
