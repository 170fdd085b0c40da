package mock

import (
	"net/http"
	"sort"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// dcScene is a scene as the editor plugins read it (Unity SceneVersionCollection):
// versions in ascending version number, each with its session count.
type dcScene struct {
	fixtures.Scene
	CustomerID int64       `json:"customerId"`
	Versions   []dcVersion `json:"versions"`
}

type dcVersion struct {
	fixtures.SceneVersion
	SessionCount int `json:"sessionCount"`
}

func newDCScene(st *store.Store, t store.SceneTree) dcScene {
	org, _ := st.ProjectOrg(t.ProjectID)
	ids := make([]int64, len(t.Versions))
	for i, v := range t.Versions {
		ids[i] = v.ID
	}
	stats := st.VersionStats(ids)
	out := dcScene{Scene: t.Scene, CustomerID: org, Versions: make([]dcVersion, 0, len(t.Versions))}
	for _, v := range t.Versions {
		out.Versions = append(out.Versions, dcVersion{SceneVersion: v, SessionCount: stats[v.ID].SessionCount})
	}
	sort.Slice(out.Versions, func(i, j int) bool { return out.Versions[i].VersionNumber < out.Versions[j].VersionNumber })
	return out
}

func writeScene(w http.ResponseWriter, st *store.Store, id string) error {
	t, err := st.Scene(id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newDCScene(st, t))
}

func getSceneWithVersions(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeScene(w, st, targetsOf(r).Scene)
	}
}

func listScenes(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pid, err := st.KeyProject(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		trees, err := st.ProjectScenes(pid)
		if err != nil {
			return err
		}
		out := []dcScene{}
		for _, t := range trees {
			out = append(out, newDCScene(st, t))
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

// dcMediaSource is one entry of GET /v0/media in the shape the editors parse
// (Unreal MediaComponentDetails.cpp, Unity EditorCore.MediaSource).
type dcMediaSource struct {
	UploadID    string `json:"uploadId"`
	Name        string `json:"name"`
	Description string `json:"description"`
	FileName    string `json:"fileName"`
}

// listMediaSources lists the media library of the key's project - the items
// the public API's media routes hold, uploads included - without archived
// items, oldest first: the editors' media pickers offer them.
func listMediaSources(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pid, err := st.KeyProject(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		out := []dcMediaSource{}
		for _, m := range st.Media().List(pid) {
			if m.Archived {
				continue
			}
			out = append(out, dcMediaSource{UploadID: m.UploadID, Name: m.Name, Description: m.Description, FileName: m.FileName})
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func verifyDeveloperKey(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := st.Account(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"valid": true, "keyExpiresAt": a.KeyExpiresAt})
	}
}

func getApplicationKey(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := st.Account(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		if a.AppKey == "" {
			return apierr.Errorf(apierr.CodeNotFound, "project %d has no application key", a.Project.ID)
		}
		return writeJSON(w, http.StatusOK, map[string]any{"apiKey": a.AppKey, "valid": true})
	}
}

type subscription struct {
	Beginning    int64           `json:"beginning"`
	Expiration   int64           `json:"expiration"`
	PlanType     string          `json:"planType"`
	IsFreeTrial  bool            `json:"isFreeTrial"`
	Entitlements map[string]bool `json:"entitlements"`
}

// getSubscriptions reports one enterprise plan that began when the
// organization was created and runs a year past the server clock.
func getSubscriptions(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := st.Account(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		sub := subscription{Beginning: a.Organization.CreatedAt, Expiration: now().Add(365 * 24 * time.Hour).UnixMilli(), PlanType: "enterprise",
			Entitlements: map[string]bool{"can_access_session_audio": true, "can_access_eye_tracking": true, "can_create_ab_test": true}}
		return writeJSON(w, http.StatusOK, map[string]any{"organizationName": a.Organization.Name, "subscriptions": []subscription{sub}})
	}
}

type dcUser struct {
	Email            string `json:"email"`
	UserID           int64  `json:"userId"`
	FirstName        string `json:"firstName"`
	LastName         string `json:"lastName"`
	ProjectID        int64  `json:"projectId"`
	ProjectName      string `json:"projectName"`
	OrganizationID   int64  `json:"organizationId"`
	OrganizationName string `json:"organizationName"`
	KeyExpiresAt     int64  `json:"keyExpiresAt"`
}

func getUser(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := st.Account(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, dcUser{Email: a.User.Email, UserID: a.User.ID, FirstName: a.User.FirstName, LastName: a.User.LastName,
			ProjectID: a.Project.ID, ProjectName: a.Project.Name, OrganizationID: a.Organization.ID, OrganizationName: a.Organization.Name,
			KeyExpiresAt: a.KeyExpiresAt})
	}
}
