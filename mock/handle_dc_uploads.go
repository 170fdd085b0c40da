package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// Scene and dynamic-object uploads (api.md §8.3, appendix §5). Parts are
// named as the vendor tools send them: the upload tools name each part after
// its file (scene.gltf, scene.bin, screenshot.png, settings.json, textures,
// cvr_object_thumbnail.png), Unity names every file part "file" and the
// screenshot part "screenshot".

func createScene(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := principalFrom(r.Context())
		pid, err := st.KeyProject(p)
		if err != nil {
			return err
		}
		if err := allowsProject(st, p, pid); err != nil {
			return err
		}
		up, err := readSceneUpload(r, true, now().UnixMilli())
		if err != nil {
			return err
		}
		sc, err := st.CreateScene(pid, r.URL.Query().Get("sceneId"), up, now().UnixMilli())
		if err != nil {
			return err
		}
		return writeBytes(w, http.StatusCreated, "text/plain; charset=utf-8", []byte(sc.ID))
	}
}

// allowsProject checks write access to a project the route does not name
// (POST /v0/scenes creates the scene in the key's project).
func allowsProject(st *store.Store, p *access.Principal, projectID int64) error {
	t, err := st.ProjectTarget(projectID)
	if err != nil {
		return err
	}
	return p.Allows(t, "project", true, "")
}

func createSceneVersion(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		up, err := readSceneUpload(r, true, now().UnixMilli())
		if err != nil {
			return err
		}
		if _, err := st.AddSceneVersion(targetsOf(r).Scene, up, now().UnixMilli()); err != nil {
			return err
		}
		return empty(w)
	}
}

func updateSceneFiles(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		up, err := readSceneUpload(r, false, now().UnixMilli())
		if err != nil {
			return err
		}
		n, _ := strconv.Atoi(r.URL.Query().Get("version")) // validated; absent = newest
		if err := st.PutSceneFiles(targetsOf(r).Scene, n, up, now().UnixMilli()); err != nil {
			return err
		}
		return empty(w)
	}
}

func renameScene(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var b struct {
			SceneName string `json:"sceneName"`
		}
		if err := decodeJSON(r, &b); err != nil {
			return err
		}
		id := targetsOf(r).Scene
		if err := st.RenameScene(id, b.SceneName, now().UnixMilli()); err != nil {
			return err
		}
		return writeScene(w, st, id)
	}
}

func uploadSceneScreenshot(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		files, err := readParts(r, now().UnixMilli())
		if err != nil {
			return err
		}
		var shot *store.UploadedFile
		for i := range files {
			if files[i].form == "screenshot" || strings.HasPrefix(files[i].Name, "screenshot") || shot == nil && isImage(files[i].Name) {
				shot = &files[i].UploadedFile
			}
		}
		if shot == nil {
			return &apierr.Error{Code: apierr.CodeInvalid, Field: "part:screenshot", Rule: "required", Expected: "an image part named screenshot",
				Message: "the upload has no screenshot: send the image in a multipart part named screenshot"}
		}
		n, _ := strconv.Atoi(r.URL.Query().Get("version"))
		if err := st.PutScreenshot(targetsOf(r).Scene, n, *shot); err != nil {
			return err
		}
		return empty(w)
	}
}

func uploadObjectMesh(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		parts, err := readParts(r, now().UnixMilli())
		if err != nil {
			return err
		}
		if len(parts) == 0 {
			return &apierr.Error{Code: apierr.CodeInvalid, Field: "/", Rule: "required", Message: "the upload has no files"}
		}
		files := make([]store.UploadedFile, len(parts))
		for i, p := range parts {
			files[i] = p.UploadedFile
		}
		n, _ := strconv.Atoi(r.URL.Query().Get("version"))
		if err := st.PutObjectFiles(targetsOf(r).Scene, n, r.PathValue("objectId"), files, now().UnixMilli()); err != nil {
			return err
		}
		return empty(w)
	}
}

func uploadObjectManifest(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var b struct {
			Objects []store.ManifestObject `json:"objects"`
		}
		if err := decodeJSON(r, &b); err != nil {
			return err
		}
		n, _ := strconv.Atoi(r.URL.Query().Get("version"))
		if err := st.UpsertObjects(targetsOf(r).Scene, n, b.Objects, now().UnixMilli()); err != nil {
			return err
		}
		return empty(w)
	}
}

// empty answers 200 with no body, as the vendor does for uploads.
func empty(w http.ResponseWriter) error {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// part is one file of a multipart upload.
type part struct {
	store.UploadedFile
	form string // the part's form name
}

// readParts reads every file part, checking that its bytes match its type.
func readParts(r *http.Request, nowMs int64) ([]part, error) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return nil, &apierr.Error{Code: apierr.CodeInvalid, Field: "header:Content-Type", Rule: "boundary", Message: "multipart body without a boundary"}
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var out []part
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Field: "/", Rule: "multipart", Message: "malformed multipart body: " + err.Error(), Err: err}
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Field: "/", Rule: "multipart", Message: "malformed multipart body: " + err.Error(), Err: err}
		}
		form, name := p.FormName(), path.Base(p.FileName())
		if form != "file" && form != "screenshot" || name == "." || name == "/" {
			name = form // the upload tools name the part after the file
		}
		if name == "" {
			continue
		}
		f := store.UploadedFile{Name: name, ContentType: p.Header.Get("Content-Type"), Data: data, UploadedAt: nowMs}
		if err := checkContent(form, &f); err != nil {
			return nil, err
		}
		out = append(out, part{UploadedFile: f, form: form})
	}
}

// readSceneUpload reads a scene upload; settings.json becomes the version's
// scale, name and SDK version. A new scene or version needs its glTF.
func readSceneUpload(r *http.Request, needScene bool, nowMs int64) (store.SceneUpload, error) {
	parts, err := readParts(r, nowMs)
	if err != nil {
		return store.SceneUpload{}, err
	}
	var up store.SceneUpload
	hasScene := false
	for _, p := range parts {
		lower := strings.ToLower(p.Name)
		switch {
		case lower == "settings.json":
			var set struct {
				Scale      json.Number `json:"scale"`
				SceneName  string      `json:"sceneName"`
				SDKVersion string      `json:"sdkVersion"`
			}
			if err := json.Unmarshal(p.Data, &set); err != nil {
				return up, &apierr.Error{Code: apierr.CodeInvalid, Field: "part:settings.json", Rule: "type", Expected: `{"scale":1,"sceneName":"…","sdkVersion":"…"}`,
					Message: "settings.json is not the expected JSON object: " + err.Error()}
			}
			up.Scale, _ = set.Scale.Float64()
			up.SceneName, up.SDKVersion = set.SceneName, set.SDKVersion
			up.Files = append(up.Files, p.UploadedFile)
		case p.form == "screenshot" || lower == "screenshot.png":
			f := p.UploadedFile
			up.Screenshot = &f
		default:
			hasScene = hasScene || strings.HasSuffix(lower, ".gltf") || strings.HasSuffix(lower, ".glb")
			up.Files = append(up.Files, p.UploadedFile)
		}
	}
	if needScene && !hasScene {
		return up, &apierr.Error{Code: apierr.CodeInvalid, Field: "part:scene.gltf", Rule: "required", Expected: "a .gltf or .glb part",
			Message: "the scene upload has no scene.gltf (or .glb) part"}
	}
	return up, nil
}

// contentTypes maps upload file extensions to the type they are served with
// when the part declared none (or only application/octet-stream).
var contentTypes = map[string]string{
	".gltf": "model/gltf+json", ".glb": "model/gltf-binary", ".bin": "application/octet-stream",
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".json": "application/json",
}

func isImage(name string) bool {
	return strings.HasPrefix(contentTypes[strings.ToLower(path.Ext(name))], "image/")
}

// checkContent refuses a part whose bytes contradict its name or declared
// type, and settles the content type the file is served back with.
func checkContent(form string, f *store.UploadedFile) error {
	ext := strings.ToLower(path.Ext(f.Name))
	declared, _, _ := mime.ParseMediaType(f.ContentType)
	want := contentTypes[ext]
	if declared == "" || declared == "application/octet-stream" && want != "" {
		f.ContentType = want
		if want == "" {
			f.ContentType = "application/octet-stream"
		}
	}
	kind := want
	if strings.HasPrefix(declared, "image/") {
		kind = declared
	}
	bad := func(what string) error {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "part:" + form, Rule: "content", Expected: what,
			Message: "part " + f.Name + " is not " + what + " (its bytes do not match its name or Content-Type)"}
	}
	switch kind {
	case "image/png":
		if !bytes.HasPrefix(f.Data, []byte("\x89PNG\r\n\x1a\n")) {
			return bad("a PNG image")
		}
	case "image/jpeg":
		if !bytes.HasPrefix(f.Data, []byte{0xff, 0xd8, 0xff}) {
			return bad("a JPEG image")
		}
	case "image/webp":
		if len(f.Data) < 12 || string(f.Data[:4]) != "RIFF" || string(f.Data[8:12]) != "WEBP" {
			return bad("a WebP image")
		}
	case "model/gltf+json", "application/json":
		if !json.Valid(f.Data) || !bytes.HasPrefix(bytes.TrimSpace(f.Data), []byte("{")) {
			return bad("a JSON document")
		}
	case "model/gltf-binary":
		if !bytes.HasPrefix(f.Data, []byte("glTF")) {
			return bad("a binary glTF (glb) file")
		}
	}
	return nil
}
