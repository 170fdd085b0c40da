package store

import (
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Store methods for the catalogue: organizations, projects, scenes, versions,
// objects and objectives. Other accounts' resources are found here (the pipeline
// answers 403 for them); only absent IDs are 404.

func (w *world) targetOfOrg(id int64) (access.Target, error) {
	o, ok := w.orgs[id]
	if !ok {
		return access.Target{}, apierr.Errorf(apierr.CodeNotFound, "organization %d not found", id)
	}
	return access.Target{DomainID: o.DomainID, OrganizationID: o.ID}, nil
}

func (w *world) targetOfProject(id int64) (access.Target, error) {
	p, ok := w.projects[id]
	if !ok {
		return access.Target{}, apierr.Errorf(apierr.CodeNotFound, "project %d not found", id)
	}
	t, err := w.targetOfOrg(p.OrganizationID)
	t.ProjectID = p.ID
	return t, err
}

func (w *world) targetOfScene(id string) (access.Target, error) {
	s, ok := w.scenes[id]
	if !ok {
		return access.Target{}, apierr.Errorf(apierr.CodeNotFound, "scene %q not found", id)
	}
	return w.targetOfProject(s.ProjectID)
}

func (w *world) targetOfVersion(id int64) (access.Target, error) {
	v, ok := w.versions[id]
	if !ok {
		return access.Target{}, apierr.Errorf(apierr.CodeNotFound, "scene version %d not found", id)
	}
	return w.targetOfScene(v.SceneID)
}

// SceneTree is a scene with its versions, newest version number first.
type SceneTree struct {
	fixtures.Scene
	Versions []fixtures.SceneVersion
}

// ProjectTree is a project with its scenes.
type ProjectTree struct {
	fixtures.Project
	Scenes []SceneTree
}

func (w *world) sceneTree(s fixtures.Scene) SceneTree {
	t := SceneTree{Scene: s}
	for _, v := range w.versions {
		if v.SceneID == s.ID {
			t.Versions = append(t.Versions, v)
		}
	}
	sort.Slice(t.Versions, func(i, j int) bool { return t.Versions[i].VersionNumber > t.Versions[j].VersionNumber })
	return t
}

func (w *world) projectTree(p fixtures.Project) ProjectTree {
	t := ProjectTree{Project: p}
	for _, s := range w.scenes {
		if s.ProjectID == p.ID {
			t.Scenes = append(t.Scenes, w.sceneTree(s))
		}
	}
	sort.Slice(t.Scenes, func(i, j int) bool {
		return t.Scenes[i].CreatedAt < t.Scenes[j].CreatedAt || (t.Scenes[i].CreatedAt == t.Scenes[j].CreatedAt && t.Scenes[i].ID < t.Scenes[j].ID)
	})
	return t
}

// Organization returns an organization and its projects (sorted by ID).
func (st *Store) Organization(id int64) (fixtures.Organization, []fixtures.Project, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	o, ok := st.w.orgs[id]
	if !ok {
		return o, nil, apierr.Errorf(apierr.CodeNotFound, "organization %d not found", id)
	}
	var ps []fixtures.Project
	for _, p := range st.w.projects {
		if p.OrganizationID == id {
			ps = append(ps, p)
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	return o, ps, nil
}

// Project returns a project with its scenes and versions.
func (st *Store) Project(id int64) (ProjectTree, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	p, ok := st.w.projects[id]
	if !ok {
		return ProjectTree{}, apierr.Errorf(apierr.CodeNotFound, "project %d not found", id)
	}
	return st.w.projectTree(p), nil
}

// ProjectInput is what createProject and updateProject may set.
type ProjectInput struct {
	Name        *string
	Description *string
	Type        *string
	EnableGeoIP *bool
}

// CreateProject adds a project to an organization. Names are unique per organization.
func (st *Store) CreateProject(orgID int64, in ProjectInput, nowMs int64) (ProjectTree, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.w.orgs[orgID]; !ok {
		return ProjectTree{}, apierr.Errorf(apierr.CodeNotFound, "organization %d not found", orgID)
	}
	if err := st.w.checkProjectName(orgID, 0, *in.Name); err != nil {
		return ProjectTree{}, err
	}
	p := fixtures.Project{CreatedAt: nowMs, UpdatedAt: nowMs, ID: st.w.newID(), OrganizationID: orgID, ProjectType: "vr"}
	applyProjectInput(&p, in)
	p.Prefix = "auto_cid_" + strings.ReplaceAll(p.Name, " ", "_") + "_" + strconv.FormatInt(p.ID, 10)
	st.w.projects[p.ID] = p
	return st.w.projectTree(p), nil
}

// UpdateProject changes a project's fields.
func (st *Store) UpdateProject(id int64, in ProjectInput, nowMs int64) (ProjectTree, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	p, ok := st.w.projects[id]
	if !ok {
		return ProjectTree{}, apierr.Errorf(apierr.CodeNotFound, "project %d not found", id)
	}
	if in.Name != nil {
		if err := st.w.checkProjectName(p.OrganizationID, id, *in.Name); err != nil {
			return ProjectTree{}, err
		}
	}
	applyProjectInput(&p, in)
	p.UpdatedAt = nowMs
	st.w.projects[id] = p
	return st.w.projectTree(p), nil
}

func (w *world) checkProjectName(orgID, self int64, name string) error {
	if strings.TrimSpace(name) == "" {
		return &apierr.Error{Code: apierr.CodeInvalid, Message: "name must not be blank", Field: "/name", Rule: "minLength", Expected: "a non-blank string"}
	}
	for _, p := range w.projects {
		if p.OrganizationID == orgID && p.ID != self && strings.EqualFold(p.Name, name) {
			return &apierr.Error{Code: apierr.CodeConflict, Message: "organization " + strconv.FormatInt(orgID, 10) + " already has a project named " + p.Name, Field: "/name", Rule: "unique"}
		}
	}
	return nil
}

func applyProjectInput(p *fixtures.Project, in ProjectInput) {
	if in.Name != nil {
		p.Name = *in.Name
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.Type != nil {
		p.ProjectType = *in.Type
	}
	if in.EnableGeoIP != nil {
		p.EnableGeoIP = *in.EnableGeoIP
	}
}

// ProjectScenes lists a project's scenes with versions.
func (st *Store) ProjectScenes(id int64) ([]SceneTree, error) {
	t, err := st.Project(id)
	return t.Scenes, err
}

// Scene returns a scene with its versions.
func (st *Store) Scene(id string) (SceneTree, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	s, ok := st.w.scenes[id]
	if !ok {
		return SceneTree{}, apierr.Errorf(apierr.CodeNotFound, "scene %q not found", id)
	}
	return st.w.sceneTree(s), nil
}

// VersionStats summarises the sessions recorded on one scene version.
type VersionStats struct {
	LatestSession          int64   `json:"latest_session"`
	TotalSessionTime       int64   `json:"total_session_time"`
	AverageSessionDuration float64 `json:"average_session_duration"`
	SessionCount           int     `json:"session_count"`
	TotalGazeTime          int64   `json:"total_gaze_time"`
}

// VersionStats computes stats for the given versions from stored sessions.
func (st *Store) VersionStats(ids []int64) map[int64]VersionStats {
	st.mu.RLock()
	defer st.mu.RUnlock()
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[int64]VersionStats{}
	for _, s := range st.w.sessions {
		for _, v := range s.Visits {
			if !want[v.VersionID] {
				continue
			}
			vs := out[v.VersionID]
			vs.SessionCount++
			vs.TotalSessionTime += v.End - v.Start
			if s.HasGaze {
				vs.TotalGazeTime += v.End - v.Start
			}
			vs.LatestSession = max(vs.LatestSession, v.Start)
			out[v.VersionID] = vs
		}
	}
	for id, vs := range out {
		vs.AverageSessionDuration = float64(vs.TotalSessionTime) / float64(vs.SessionCount)
		out[id] = vs
	}
	return out
}

// Objects lists dynamic objects of one version, or of every version of a
// project when versionID is 0.
func (st *Store) Objects(projectID, versionID int64) []fixtures.Object {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []fixtures.Object
	for _, o := range st.w.objects {
		if versionID != 0 && o.VersionID != versionID {
			continue
		}
		if projectID != 0 {
			if t, err := st.w.targetOfVersion(o.VersionID); err != nil || t.ProjectID != projectID {
				continue
			}
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// DeleteObject removes the object with the given sdkId (or numeric id) from a version.
func (st *Store) DeleteObject(versionID int64, objectID string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	for id, o := range st.w.objects {
		if o.VersionID == versionID && (o.SDKID == objectID || strconv.FormatInt(o.ID, 10) == objectID) {
			delete(st.w.objects, id)
			return nil
		}
	}
	return apierr.Errorf(apierr.CodeNotFound, "object %q not found on scene version %d", objectID, versionID)
}

// Objectives lists a project's objectives by ID.
func (st *Store) Objectives(projectID int64) []fixtures.Objective {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return byProject(st.w.objectives, projectID, func(o fixtures.Objective) (int64, int64) { return o.ID, o.ProjectID })
}

// Objective returns one objective of a project.
func (st *Store) Objective(projectID, id int64) (fixtures.Objective, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	o, ok := st.w.objectives[id]
	if !ok || o.ProjectID != projectID {
		return fixtures.Objective{}, apierr.Errorf(apierr.CodeNotFound, "objective %d not found in project %d", id, projectID)
	}
	return o, nil
}

// OrganizationsOf lists the organizations a principal's grants reach.
func (st *Store) OrganizationsOf(p *access.Principal) []int64 {
	st.mu.RLock()
	defer st.mu.RUnlock()
	seen := map[int64]bool{}
	for _, g := range p.Grants {
		switch g.Scope {
		case "domain":
			for _, o := range st.w.orgs {
				if o.DomainID == g.ID {
					seen[o.ID] = true
				}
			}
		case "organization":
			seen[g.ID] = true
		case "project":
			if pr, ok := st.w.projects[g.ID]; ok {
				seen[pr.OrganizationID] = true
			}
		}
	}
	out := make([]int64, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	return out
}
