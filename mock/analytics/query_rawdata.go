package analytics

import (
	"slices"
	"sort"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Per-session reads of the public API: raw session data (api.md §6.6).

// rawInput is what the raw-data routes read of one session: a copy of the
// session, the dynamic objects of the versions it visited, and the batches
// the Data Collector received for it (empty for generated sessions).
type RawInput struct {
	Session   fixtures.Session
	ProjectID int64
	VersionID int64 // 0: the whole project session
	SceneID   string
	Objects   []fixtures.Object
	Batches   []store.RawBatch
}

// RawInput finds a session of a project or, with versionID set, a session
// that visited that scene version (404 naming what is missing). projectID
// and sceneID, when set alongside versionID, must be the version's.
func (e *Engine) RawInput(projectID int64, sessionID string, versionID int64, sceneID string) (RawInput, error) {
	w := e.st.View()
	in := RawInput{ProjectID: projectID, VersionID: versionID}
	if versionID != 0 {
		v, ok := w.Versions[versionID]
		if !ok {
			w.Close()
			return in, apierr.Errorf(apierr.CodeNotFound, "scene version %d not found", versionID)
		}
		sc := w.Scenes[v.SceneID]
		if sceneID != "" && sceneID != sc.ID {
			w.Close()
			return in, &apierr.Error{Code: apierr.CodeNotFound, Message: "scene version " + strconv.FormatInt(versionID, 10) + " is not a version of scene " + sceneID, Field: "query:sceneId", Rule: "exists"}
		}
		if projectID != 0 && projectID != sc.ProjectID {
			w.Close()
			return in, &apierr.Error{Code: apierr.CodeNotFound, Message: "scene version " + strconv.FormatInt(versionID, 10) + " is not in project " + strconv.FormatInt(projectID, 10), Field: "query:projectId", Rule: "exists"}
		}
		in.ProjectID, in.SceneID = sc.ProjectID, sc.ID
	}
	s, ok := w.FindSession(in.ProjectID, sessionID)
	if !ok {
		w.Close()
		return in, apierr.Errorf(apierr.CodeNotFound, "session %s not found in project %d", sessionID, in.ProjectID)
	}
	in.Session = *s
	visited := map[int64]bool{}
	for _, v := range s.Visits {
		visited[v.VersionID] = true
	}
	w.Close()
	if versionID != 0 && !visited[versionID] {
		return in, apierr.Errorf(apierr.CodeNotFound, "session %s has no data on scene version %d", sessionID, versionID)
	}
	for vid := range visited {
		if versionID == 0 || vid == versionID {
			in.Objects = append(in.Objects, e.st.Objects(0, vid)...)
		}
	}
	sort.Slice(in.Objects, func(i, j int) bool { return in.Objects[i].ID < in.Objects[j].ID })
	in.Batches = e.st.RawBatches(in.ProjectID, sessionID)
	return in, nil
}

// VersionSessions lists copies of sessions that visited a scene version:
// the given ids (404 for one that did not), else those passing the session
// filters, oldest first, at most limit.
func (e *Engine) VersionSessions(versionID int64, ids []string, filters []FilterSpec, limit int) ([]fixtures.Session, error) {
	w := e.st.View()
	defer w.Close()
	t, err := w.TargetOfVersion(versionID)
	if err != nil {
		return nil, err
	}
	var out []fixtures.Session
	for i, id := range ids {
		s, ok := w.FindSession(t.ProjectID, id)
		if !ok || !slices.ContainsFunc(s.Visits, func(v fixtures.SceneVisit) bool { return v.VersionID == versionID }) {
			return nil, &apierr.Error{Code: apierr.CodeNotFound, Message: "session " + id + " has no data on scene version " + strconv.FormatInt(versionID, 10), Field: "/sessionIds/" + strconv.FormatInt(int64(i), 10), Rule: "exists"}
		}
		out = append(out, *s)
	}
	if len(ids) > 0 {
		return out, nil
	}
	p, err := compileQuery(&SessionQuery{SessionType: "scene", EntityFilters: entityFilters{ProjectID: t.ProjectID, VersionID: &versionID}, SessionFilters: filters})
	if err != nil {
		return nil, err
	}
	rows, err := match(w, p)
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
