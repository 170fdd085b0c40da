package mock_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/mock"
)

// multipartBody builds a multipart body; each part is {form name, file name, content type, bytes}.
func multipartBody(t testing.TB, parts ...[4]string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p[0], p[1]))
		if p[2] != "" {
			h.Set("Content-Type", p[2])
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p[3])
	}
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

const (
	pngBytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	gltfDoc  = `{"asset":{"version":"2.0"},"buffers":[{"uri":"scene.bin","byteLength":4}]}`
)

func TestUploadFlow(t *testing.T) {
	data, public := newDataServers(t, 0)
	body, ct := multipartBody(t,
		[4]string{"scene.bin", "scene.bin", "application/octet-stream", "\x00\x01\x02\x03"},
		[4]string{"scene.gltf", "scene.gltf", "application/octet-stream", gltfDoc},
		[4]string{"screenshot.png", "screenshot.png", "image/png", pngBytes},
		[4]string{"settings.json", "settings.json", "application/json", `{"scale":1,"sceneName":"Upload Test","sdkVersion":"cli-bash-v1.1.0"}`})
	res := do(t, data, request{method: "POST", path: "/v0/scenes", auth: keyDeveloper, body: body, contentType: ct})
	mustStatus(t, res, http.StatusCreated, "create scene")
	id := string(res.body)
	if len(id) != 36 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("create scene: body %q (%s), want a bare UUID as text/plain", id, res.header.Get("Content-Type"))
	}

	body, ct = multipartBody(t,
		[4]string{"file", "scene.gltf", "", gltfDoc},
		[4]string{"file", "settings.json", "", `{"scale":2,"sceneName":"Upload Test","sdkVersion":"2.3.1"}`},
		[4]string{"screenshot", "screenshot.png", "image/png", pngBytes})
	mustStatus(t, do(t, data, request{method: "POST", path: "/v0/scenes/" + id, auth: keyDeveloper, body: body, contentType: ct}), 200, "new version")
	body, ct = multipartBody(t, [4]string{"file", "wall.png", "image/png", pngBytes})
	mustStatus(t, do(t, data, request{method: "POST", path: "/v0/scenes/" + id, auth: keyDeveloper, body: body, contentType: ct,
		header: map[string]string{"X-HTTP-Method-Override": "PUT"}}), 200, "phase 2 (override PUT)")
	body, ct = multipartBody(t, [4]string{"screenshot", "screenshot.png", "image/png", pngBytes})
	mustStatus(t, do(t, data, request{method: "POST", path: "/v0/scenes/" + id + "/screenshot?version=1", auth: keyDeveloper, body: body, contentType: ct}), 200, "screenshot")
	body, ct = multipartBody(t,
		[4]string{"cvr_object_thumbnail.png", "cvr_object_thumbnail.png", "image/png", pngBytes},
		[4]string{"lever.gltf", "lever.gltf", "", gltfDoc},
		[4]string{"lever.bin", "lever.bin", "", "\x00"})
	mustStatus(t, do(t, data, request{method: "POST", path: "/v0/objects/" + id + "/lever-1?version=2", auth: keyDeveloper, body: body, contentType: ct}), 200, "object mesh")
	mustStatus(t, do(t, data, request{method: "POST", path: "/v0/objects/" + id + "?version=2", auth: keyDeveloper,
		body: `{"objects":[{"id":"lever-1","mesh":"lever","name":"Lever","scaleCustom":[1,1,1],"initialPosition":[0,0,0],"initialRotation":[0,0,0,1]}]}`}), 200, "manifest")
	mustStatus(t, do(t, data, request{method: "POST", path: "/v0/scenes/" + id, auth: keyDeveloper, body: `{"sceneName":"Renamed"}`,
		header: map[string]string{"X-HTTP-Method-Override": "PATCH"}}), 200, "rename (override PATCH)")

	res = do(t, data, request{method: "GET", path: "/v0/scenes/" + id, auth: keyDeveloper})
	mustStatus(t, res, 200, "get scene")
	var sc struct {
		SceneName string `json:"sceneName"`
		ProjectID int64  `json:"projectId"`
		Versions  []struct {
			ID            int64   `json:"id"`
			VersionNumber int     `json:"versionNumber"`
			Scale         float64 `json:"scale"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(res.body, &sc); err != nil {
		t.Fatal(err)
	}
	if sc.SceneName != "Renamed" || sc.ProjectID != 4460 || len(sc.Versions) != 2 || sc.Versions[0].VersionNumber != 1 || sc.Versions[1].Scale != 2 {
		t.Fatalf("scene after uploads: %s", res.body)
	}
	v2 := sc.Versions[1].ID
	res = do(t, data, request{method: "GET", path: fmt.Sprintf("/v0/versions/%d/objects", v2), auth: keyDeveloper})
	mustStatus(t, res, 200, "list objects")
	if objs := res.list(t); len(objs) != 1 || objs[0].(map[string]any)["sdkId"] != "lever-1" || objs[0].(map[string]any)["meshName"] != "lever" {
		t.Errorf("objects of the new version: %s", res.body)
	}
	res = do(t, public, request{method: "GET", path: "/v0/projects/4460", auth: keyReadWrite})
	mustOK(t, res, "public getProject")
	if !bytes.Contains(res.body, []byte(id)) {
		t.Errorf("public getProject lacks the uploaded scene %s", id)
	}
	if mock.ImplementedOperations()["getVersionSceneFile"] {
		res = do(t, public, request{method: "GET", path: fmt.Sprintf("/v0/versions/%d/files/scene/scene.gltf", v2), auth: keyReadWrite})
		if res.status != 200 || string(res.body) != gltfDoc {
			t.Errorf("public scene file: %d %.100s", res.status, res.body)
		}
	}

	bad := []struct {
		name  string
		parts [][4]string
	}{
		{"png that is not a PNG", [][4]string{{"scene.gltf", "scene.gltf", "", gltfDoc}, {"screenshot.png", "screenshot.png", "image/png", "GIF89a"}}},
		{"gltf that is not JSON", [][4]string{{"scene.gltf", "scene.gltf", "", "glTF\x02\x00"}}},
		{"no gltf", [][4]string{{"scene.bin", "scene.bin", "", "\x00"}}},
		{"bad settings", [][4]string{{"scene.gltf", "scene.gltf", "", gltfDoc}, {"settings.json", "settings.json", "", `{"scale":"big"}`}}},
	}
	for _, b := range bad {
		body, ct := multipartBody(t, b.parts...)
		res := do(t, data, request{method: "POST", path: "/v0/scenes", auth: keyDeveloper, body: body, contentType: ct})
		if res.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400: %s", b.name, res.status, res.body)
		}
	}
	res = do(t, data, request{method: "POST", path: "/v0/scenes", auth: keyDeveloper, body: "--x\r\nbroken", contentType: "multipart/form-data; boundary=x"})
	if res.status != http.StatusBadRequest {
		t.Errorf("broken multipart: status %d, want 400", res.status)
	}
	body, ct = multipartBody(t, [4]string{"scene.gltf", "scene.gltf", "", gltfDoc})
	res = do(t, data, request{method: "POST", path: "/v0/scenes?sceneId=" + id, auth: keyDeveloper, body: body, contentType: ct})
	if res.status != http.StatusConflict {
		t.Errorf("create with a taken sceneId: %d, want 409", res.status)
	}
}
