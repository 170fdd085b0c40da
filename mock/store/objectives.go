package store

import (
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Objective writes on the scene-version routes (api.md §6.8, historical
// dashboard routes) and the reads behind results.csv. Objectives created
// here are scoped to the version's scene and version; they are stored with
// the seeded ones, so every objective read (and query) sees them.

// componentTypes are the step types the vendor documents.
var componentTypes = map[string]bool{"eventstep": true, "gazestep": true, "fixationstep": true, "mediapointstep": true, "exitpollstep": true}

// prepareComponents checks and numbers a version's steps: known types,
// unique sequence numbers (400), fresh IDs, sorted by sequence number.
func (w *world) prepareComponents(comps []fixtures.Component) ([]fixtures.Component, error) {
	out := make([]fixtures.Component, 0, len(comps))
	seen := map[int]bool{}
	for i, c := range comps {
		field := "/objectiveComponents/" + strconv.FormatInt(int64(i), 10)
		if !componentTypes[c.Type] {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Message: "step type " + c.Type + " is not one of eventstep, gazestep, fixationstep, mediapointstep, exitpollstep", Field: field + "/type", Rule: "enum"}
		}
		if seen[c.SequenceNumber] {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Message: "two steps have sequenceNumber " + strconv.FormatInt(int64(c.SequenceNumber), 10), Field: field + "/sequenceNumber", Rule: "unique"}
		}
		seen[c.SequenceNumber] = true
		c.ID = w.newID()
		c.DynamicObjectIDs = append([]string{}, c.DynamicObjectIDs...)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SequenceNumber < out[j].SequenceNumber })
	return out, nil
}

// CreateObjective adds an objective with its first, active version to the
// project of a scene version. Names are unique per project (409).
func (st *Store) CreateObjective(versionID int64, o fixtures.Objective, first fixtures.ObjectiveVersion, nowMs int64) (fixtures.Objective, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	t, err := w.targetOfVersion(versionID)
	if err != nil {
		return o, err
	}
	for _, x := range w.objectives {
		if x.ProjectID == t.ProjectID && strings.EqualFold(x.Name, o.Name) {
			return o, &apierr.Error{Code: apierr.CodeConflict, Message: "objective " + x.Name + " already exists in project " + strconv.FormatInt(t.ProjectID, 10), Field: "/name", Rule: "unique"}
		}
	}
	if first.Components, err = w.prepareComponents(first.Components); err != nil {
		return o, err
	}
	sceneID, vid := w.versions[versionID].SceneID, versionID
	o.ID, o.ProjectID, o.SceneID, o.VersionID = w.newID(), t.ProjectID, &sceneID, &vid
	o.CreatedAt, o.UpdatedAt = nowMs, nowMs
	first.ID, first.IsActive = w.newID(), true
	o.Versions = []fixtures.ObjectiveVersion{first}
	w.objectives[o.ID] = o
	return o, nil
}

// versionObjective finds an objective of the scene version's project (404).
func (w *world) versionObjective(versionID, id int64) (fixtures.Objective, error) {
	t, err := w.targetOfVersion(versionID)
	if err != nil {
		return fixtures.Objective{}, err
	}
	o, ok := w.objectives[id]
	if !ok || o.ProjectID != t.ProjectID {
		return o, apierr.Errorf(apierr.CodeNotFound, "objective %d not found in the project of scene version %d", id, versionID)
	}
	return o, nil
}

// VersionObjective returns an objective through a scene version of its project.
func (st *Store) VersionObjective(versionID, id int64) (fixtures.Objective, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.versionObjective(versionID, id)
}

// AddObjectiveVersion appends a version to an objective; an active new
// version deactivates the others, as only one version is active.
func (st *Store) AddObjectiveVersion(versionID, id int64, v fixtures.ObjectiveVersion, nowMs int64) (fixtures.ObjectiveVersion, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	o, err := w.versionObjective(versionID, id)
	if err != nil {
		return v, err
	}
	if v.Components, err = w.prepareComponents(v.Components); err != nil {
		return v, err
	}
	v.ID = w.newID()
	versions := make([]fixtures.ObjectiveVersion, 0, len(o.Versions)+1)
	for _, x := range o.Versions {
		if v.IsActive {
			x.IsActive = false
		}
		versions = append(versions, x)
	}
	o.Versions = append(versions, v)
	o.UpdatedAt = nowMs
	w.objectives[id] = o
	return v, nil
}

// DeleteObjective removes an objective of the scene version's project.
func (st *Store) DeleteObjective(versionID, id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, err := st.w.versionObjective(versionID, id); err != nil {
		return err
	}
	delete(st.w.objectives, id)
	return nil
}

// objectiveCSVRow is one session's step results for an objective version.
type objectiveCSVRow struct {
	SessionID, ParticipantID string
	Start                    int64
	Steps                    []fixtures.StepResult
}

// ObjectiveVersionResults returns an objective version of a project with
// every session result for it, oldest session first; junk and test
// sessions are left out if asked.
func (st *Store) ObjectiveVersionResults(projectID, objectiveVersionID int64, excludeJunkAndTest bool) (fixtures.Objective, fixtures.ObjectiveVersion, []objectiveCSVRow, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	w := st.w
	o, ok := w.objectiveOfVersion(objectiveVersionID)
	if !ok || o.ProjectID != projectID {
		return o, fixtures.ObjectiveVersion{}, nil, apierr.Errorf(apierr.CodeNotFound, "objective version %d not found in project %d", objectiveVersionID, projectID)
	}
	var ov fixtures.ObjectiveVersion
	for _, v := range o.Versions {
		if v.ID == objectiveVersionID {
			ov = v
		}
	}
	var out []objectiveCSVRow
	for _, pos := range w.index().ByProject[projectID] {
		s := &w.sessions[pos]
		steps, ok := s.ObjectiveSteps(objectiveVersionID)
		if !ok || (excludeJunkAndTest && (HasTag(s, "junk") || HasTag(s, "test"))) {
			continue
		}
		out = append(out, objectiveCSVRow{s.SessionID, s.ParticipantID, s.Start, append([]fixtures.StepResult(nil), steps...)})
	}
	return o, ov, out, nil
}
