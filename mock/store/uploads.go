package store

import (
	"fmt"
	"sort"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// UploadedFile is a file the upload tools or an editor plugin sent to the
// Data Collector. Data is never modified once stored, so it is shared.
type UploadedFile struct {
	Name        string // file name, e.g. "scene.gltf"
	ContentType string // as uploaded (the part's Content-Type, else derived from the name)
	Data        []byte
	UploadedAt  int64 // epoch ms
}

// Paths of uploaded files within a scene version, as the public file routes
// (GET /v0/versions/{versionId}/files/...) name them.
const (
	FileScene      = "scene/"                    // + file name: scene.gltf, scene.bin, textures
	FileScreenshot = "screenshot/screenshot.png" // the version's screenshot
	fileObjects    = "objects/"                  // + objectId + "/" + file name: meshes, thumbnail, textures
)

// uploadState holds uploaded files by scene version id, then path.
type uploadState struct {
	files map[int64]map[string]UploadedFile
}

func newUploadState() *uploadState {
	return &uploadState{files: map[int64]map[string]UploadedFile{}}
}

// growth is what storing files (by path) on a version adds to the
// stored-data budget: their cost less that of the files they replace.
func (u *uploadState) growth(versionID int64, files map[string]UploadedFile) int64 {
	var n int64
	for p, f := range files {
		n += fileCost(p, f)
		if old, ok := u.files[versionID][p]; ok {
			n -= fileCost(p, old)
		}
	}
	return n
}

// versionCost is what a version's files hold of the budget.
func (u *uploadState) versionCost(versionID int64) int64 {
	var n int64
	for p, f := range u.files[versionID] {
		n += fileCost(p, f)
	}
	return n
}

// putFiles stores files (by path) on a version and charges the budget;
// callers have reserved growth(versionID, files).
func (w *world) putFiles(versionID int64, files map[string]UploadedFile) {
	w.charge(w.uploads.growth(versionID, files))
	m := w.uploads.files[versionID]
	if m == nil {
		m = map[string]UploadedFile{}
		w.uploads.files[versionID] = m
	}
	for p, f := range files {
		m[p] = f
	}
}

// SceneUpload is a scene (version) upload: the scene files, the screenshot
// and what settings.json said.
type SceneUpload struct {
	Files      []UploadedFile // stored under scene/<name>
	Screenshot *UploadedFile
	Scale      float64
	SceneName  string
	SDKVersion string
}

// paths names the upload's files by the path they are stored under.
func (u SceneUpload) paths() map[string]UploadedFile {
	m := make(map[string]UploadedFile, len(u.Files)+1)
	for _, f := range u.Files {
		m[FileScene+f.Name] = f
	}
	if u.Screenshot != nil {
		m[FileScreenshot] = *u.Screenshot
	}
	return m
}

func (u SceneUpload) fileType() string {
	for _, f := range u.Files {
		if strings.HasSuffix(strings.ToLower(f.Name), ".glb") {
			return "glb"
		}
	}
	return "gltf"
}

// CreateScene adds a scene with version 1 to a project. sceneID "" picks a
// new UUID; an id already in use is 409.
func (st *Store) CreateScene(projectID int64, sceneID string, up SceneUpload, nowMs int64) (fixtures.Scene, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if _, ok := w.projects[projectID]; !ok {
		return fixtures.Scene{}, apierr.Errorf(apierr.CodeNotFound, "project %d not found", projectID)
	}
	if sceneID == "" {
		sceneID = w.newUUID()
	}
	sceneID = strings.ToLower(sceneID)
	if _, ok := w.scenes[sceneID]; ok {
		return fixtures.Scene{}, &apierr.Error{Code: apierr.CodeConflict, Field: "query:sceneId", Rule: "unique", Message: "scene " + sceneID + " already exists; upload a new version with POST /v0/scenes/" + sceneID}
	}
	if err := st.reserve(w.uploads.growth(0, up.paths())); err != nil {
		return fixtures.Scene{}, err
	}
	name := up.SceneName
	if name == "" {
		name = "Scene " + sceneID[:8]
	}
	sc := fixtures.Scene{CreatedAt: nowMs, UpdatedAt: nowMs, ID: sceneID, ProjectID: projectID, SceneName: name,
		SDKFacingID: sceneID, SceneCreationMethod: "NORMAL"}
	w.scenes[sceneID] = sc
	w.addVersion(sc, up, nowMs)
	return sc, nil
}

// AddSceneVersion uploads the next version of a scene.
func (st *Store) AddSceneVersion(sceneID string, up SceneUpload, nowMs int64) (fixtures.SceneVersion, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	sc, ok := st.w.scenes[sceneID]
	if !ok {
		return fixtures.SceneVersion{}, apierr.Errorf(apierr.CodeNotFound, "scene %q not found", sceneID)
	}
	if err := st.reserve(st.w.uploads.growth(0, up.paths())); err != nil {
		return fixtures.SceneVersion{}, err
	}
	if up.SceneName != "" {
		sc.SceneName = up.SceneName
	}
	sc.UpdatedAt = nowMs
	st.w.scenes[sceneID] = sc
	return st.w.addVersion(sc, up, nowMs), nil
}

func (w *world) addVersion(sc fixtures.Scene, up SceneUpload, nowMs int64) fixtures.SceneVersion {
	n := 0
	for _, v := range w.versions {
		if v.SceneID == sc.ID {
			n = max(n, v.VersionNumber)
		}
	}
	scale := up.Scale
	if scale == 0 {
		scale = 1
	}
	v := fixtures.SceneVersion{CreatedAt: nowMs, UpdatedAt: nowMs, ID: w.newID(), SceneID: sc.ID, VersionNumber: n + 1,
		Scale: scale, SDKVersion: up.SDKVersion, SceneFileType: up.fileType()}
	w.versions[v.ID] = v
	w.putSceneFiles(v.ID, up)
	return v
}

func (w *world) putSceneFiles(versionID int64, up SceneUpload) {
	w.putFiles(versionID, up.paths())
}

// PutSceneFiles adds files to (or replaces same-named files of) a scene
// version: version 0 means the newest. Settings in the upload update the version.
func (st *Store) PutSceneFiles(sceneID string, versionNumber int, up SceneUpload, nowMs int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	v, err := st.w.sceneVersion(sceneID, versionNumber)
	if err != nil {
		return err
	}
	if err := st.reserve(st.w.uploads.growth(v.ID, up.paths())); err != nil {
		return err
	}
	if up.Scale != 0 {
		v.Scale = up.Scale
	}
	if up.SDKVersion != "" {
		v.SDKVersion = up.SDKVersion
	}
	v.UpdatedAt = nowMs
	st.w.versions[v.ID] = v
	st.w.putSceneFiles(v.ID, up)
	return nil
}

// sceneVersion finds a version by number, 0 meaning the newest. Callers hold mu.
func (w *world) sceneVersion(sceneID string, number int) (fixtures.SceneVersion, error) {
	if _, ok := w.scenes[sceneID]; !ok {
		return fixtures.SceneVersion{}, apierr.Errorf(apierr.CodeNotFound, "scene %q not found", sceneID)
	}
	if number > 0 {
		return w.versionByNumber(sceneID, number)
	}
	var newest fixtures.SceneVersion
	for _, v := range w.versions {
		if v.SceneID == sceneID && v.VersionNumber > newest.VersionNumber {
			newest = v
		}
	}
	if newest.ID == 0 {
		return newest, apierr.Errorf(apierr.CodeNotFound, "scene %q has no versions yet", sceneID)
	}
	return newest, nil
}

// RenameScene changes a scene's name.
func (st *Store) RenameScene(sceneID, name string, nowMs int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	sc, ok := st.w.scenes[sceneID]
	if !ok {
		return apierr.Errorf(apierr.CodeNotFound, "scene %q not found", sceneID)
	}
	sc.SceneName, sc.UpdatedAt = name, nowMs
	st.w.scenes[sceneID] = sc
	return nil
}

// PutScreenshot stores the screenshot of a scene version.
func (st *Store) PutScreenshot(sceneID string, versionNumber int, f UploadedFile) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	v, err := st.w.sceneVersion(sceneID, versionNumber)
	if err != nil {
		return err
	}
	files := map[string]UploadedFile{FileScreenshot: f}
	if err := st.reserve(st.w.uploads.growth(v.ID, files)); err != nil {
		return err
	}
	st.w.putFiles(v.ID, files)
	return nil
}

// PutObjectFiles stores a dynamic object's mesh, thumbnail and textures on a
// scene version, and points objects whose sdkId or mesh is objectID at the thumbnail.
func (st *Store) PutObjectFiles(sceneID string, versionNumber int, objectID string, files []UploadedFile, nowMs int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	v, err := w.sceneVersion(sceneID, versionNumber)
	if err != nil {
		return err
	}
	byPath := make(map[string]UploadedFile, len(files))
	for _, f := range files {
		byPath[fileObjects+objectID+"/"+f.Name] = f
	}
	if err := st.reserve(w.uploads.growth(v.ID, byPath)); err != nil {
		return err
	}
	w.putFiles(v.ID, byPath)
	for id, o := range w.objects {
		if o.VersionID == v.ID && (o.SDKID == objectID || o.MeshName == objectID) {
			o.ThumbnailLocation = w.thumbnailOf(v.ID, objectID, o.ThumbnailLocation)
			o.UpdatedAt = nowMs
			w.objects[id] = o
		}
	}
	return nil
}

func (w *world) thumbnailOf(versionID int64, objectID, fallback string) string {
	p := fileObjects + objectID + "/cvr_object_thumbnail.png"
	if _, ok := w.uploads.files[versionID][p]; ok {
		return fmt.Sprintf("versions/%d/files/%s", versionID, p)
	}
	return fallback
}

// ManifestObject is one entry of an object manifest upload.
type ManifestObject struct {
	ID   string `json:"id"`
	Mesh string `json:"mesh"`
	Name string `json:"name"`
}

// UpsertObjects registers the dynamic objects of a manifest on a scene
// version; an object whose id (sdkId) is already there is updated.
func (st *Store) UpsertObjects(sceneID string, versionNumber int, objs []ManifestObject, nowMs int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	v, err := w.sceneVersion(sceneID, versionNumber)
	if err != nil {
		return err
	}
	bySDK := map[string]int64{}
	for id, o := range w.objects {
		if o.VersionID == v.ID {
			bySDK[o.SDKID] = id
		}
	}
	for _, m := range objs {
		o, ok := w.objects[bySDK[m.ID]]
		if !ok {
			o = fixtures.Object{CreatedAt: nowMs, ID: w.newID(), VersionID: v.ID, SDKID: m.ID, DynamicFileType: "gltf"}
			bySDK[m.ID] = o.ID
		}
		o.UpdatedAt = nowMs
		o.Name, o.MeshName = FirstNonEmpty(m.Name, o.Name, m.ID), FirstNonEmpty(m.Mesh, o.MeshName, m.ID)
		o.ThumbnailLocation = w.thumbnailOf(v.ID, m.ID, w.thumbnailOf(v.ID, o.MeshName, o.ThumbnailLocation))
		w.objects[o.ID] = o
	}
	return nil
}

func FirstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// VersionFile returns a file uploaded to a scene version. path is what
// follows /v0/versions/{versionId}/files/ on the public API:
// "scene/<name>", "screenshot/screenshot.png" or "objects/<objectId>/<name>".
// Unknown versions or files are 404.
func (st *Store) VersionFile(versionID int64, path string) (UploadedFile, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if _, ok := st.w.versions[versionID]; !ok {
		return UploadedFile{}, apierr.Errorf(apierr.CodeNotFound, "scene version %d not found", versionID)
	}
	f, ok := st.w.uploads.files[versionID][path]
	if !ok {
		return UploadedFile{}, apierr.Errorf(apierr.CodeNotFound, "scene version %d has no uploaded file %s", versionID, path)
	}
	return f, nil
}

// VersionFileNames lists the paths of the files uploaded to a scene version, sorted.
func (st *Store) VersionFileNames(versionID int64) []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]string, 0, len(st.w.uploads.files[versionID]))
	for p := range st.w.uploads.files[versionID] {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// newUUID makes a random version-4 UUID for a scene or upload the server
// names, from the world's generator. Callers hold mu for writing.
func (w *world) newUUID() string {
	w.draws++
	var b [16]byte
	w.rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
