package mock

import (
	"fmt"
	"net/http"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// projectView is the vendor's project body (api.md §6.3 P1).
type projectView struct {
	fixtures.Project
	CategoryGroup   categoryGroup `json:"categoryGroup"`
	Categories      []any         `json:"categories"`
	SessionTagTypes []any         `json:"sessionTagTypes"`
	Stats           any           `json:"stats"`
	Scenes          []sceneView   `json:"scenes,omitempty"`
}

type categoryGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type sceneView struct {
	fixtures.Scene
	LatestScreenshotLocation *string       `json:"latestScreenshotLocation"`
	Versions                 []versionView `json:"versions"`
}

type versionView struct {
	fixtures.SceneVersion
	DynamicsUpdateKey *string             `json:"dynamicsUpdateKey"`
	Stats             *store.VersionStats `json:"stats,omitempty"`
}

func newProjectView(t store.ProjectTree, withScenes bool) projectView {
	v := projectView{Project: t.Project, CategoryGroup: categoryGroup{ID: 1, Name: "Training"}, Categories: []any{}, SessionTagTypes: []any{}}
	if withScenes {
		v.Scenes = make([]sceneView, 0, len(t.Scenes))
		for _, s := range t.Scenes {
			v.Scenes = append(v.Scenes, newSceneView(s, nil))
		}
	}
	return v
}

func newSceneView(s store.SceneTree, stats map[int64]store.VersionStats) sceneView {
	v := sceneView{Scene: s.Scene, Versions: make([]versionView, 0, len(s.Versions))}
	if len(s.Versions) > 0 {
		loc := fmt.Sprintf("versions/%d/files/screenshot_small/screenshot.png", s.Versions[0].ID)
		v.LatestScreenshotLocation = &loc
	}
	for _, sv := range s.Versions {
		vv := versionView{SceneVersion: sv}
		if stats != nil {
			st := stats[sv.ID]
			vv.Stats = &st
		}
		v.Versions = append(v.Versions, vv)
	}
	return v
}

func getProject(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := st.Project(targetsOf(r).ProjectID)
		if err != nil {
			return err
		}
		v := newProjectView(t, true)
		if v.Scenes == nil {
			v.Scenes = []sceneView{}
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

// projectBody is createProject's and updateProject's body. The vendor's
// create example names the type "type"; responses call it "projectType".
type projectBody struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Type        *string `json:"type"`
	EnableGeoIP *bool   `json:"enableGeoIp"`
}

func (b projectBody) input() store.ProjectInput {
	return store.ProjectInput(b)
}

func createProject(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in projectBody
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		if in.Name == nil {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "name and organizationId are required", Field: "/name", Rule: "required"}
		}
		t, err := st.CreateProject(targetsOf(r).OrganizationID, in.input(), now().UnixMilli())
		if err != nil {
			return err
		}
		v := newProjectView(t, true)
		v.Scenes = []sceneView{}
		return writeJSON(w, http.StatusCreated, v)
	}
}

func updateProject(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in projectBody
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		t, err := st.UpdateProject(targetsOf(r).ProjectID, in.input(), now().UnixMilli())
		if err != nil {
			return err
		}
		v := newProjectView(t, true)
		if v.Scenes == nil {
			v.Scenes = []sceneView{}
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func deleteProject(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := st.DeleteProject(targetsOf(r).ProjectID); err != nil {
			return err
		}
		return noContent(w)
	}
}

func listProjectScenes(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		scenes, err := st.ProjectScenes(targetsOf(r).ProjectID)
		if err != nil {
			return err
		}
		out := make([]sceneView, 0, len(scenes))
		for _, s := range scenes {
			out = append(out, newSceneView(s, nil))
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func getScene(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		s, err := st.Scene(targetsOf(r).Scene)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(s.Versions))
		for _, v := range s.Versions {
			ids = append(ids, v.ID)
		}
		return writeJSON(w, http.StatusOK, newSceneView(s, st.VersionStats(ids)))
	}
}
