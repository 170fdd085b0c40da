package mock_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/http"
	"testing"
)

func TestVersionFiles(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path, contentType string
		want              int
	}{
		{"/v0/versions/7011/files/scene/scene.gltf", "model/gltf+json", 200},
		{"/v0/versions/7011/files/scene/scene.bin", "application/octet-stream", 200},
		{"/v0/versions/7011/files/optimized/scene/scene.gltf", "model/gltf+json", 200},
		{"/v0/versions/7011/files/screenshot/screenshot.png", "image/png", 200},
		{"/v0/versions/7011/files/screenshot_small/screenshot.png", "image/png", 200},
		{"/v0/versions/7011/files/scene/texture.png", "", 404},
		{"/v0/versions/999999/files/scene/scene.gltf", "", 404},
	}
	for _, tt := range tests {
		res := do(t, ts, request{method: "GET", path: tt.path, auth: keyReadOnly})
		if res.status != tt.want || (tt.want == 200 && res.header.Get("Content-Type") != tt.contentType) {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, res.status, res.header.Get("Content-Type"), tt.want, tt.contentType)
			continue
		}
		switch tt.contentType {
		case "model/gltf+json":
			var doc struct {
				Asset   struct{ Version string }
				Buffers []struct {
					URI        string
					ByteLength int
				}
			}
			if err := json.Unmarshal(res.body, &doc); err != nil || doc.Asset.Version != "2.0" || len(doc.Buffers) != 1 || doc.Buffers[0].ByteLength != 36 {
				t.Errorf("%s is not the expected glTF: %v %s", tt.path, err, res.body)
			}
		case "application/octet-stream":
			if len(res.body) != 36 {
				t.Errorf("scene.bin has %d bytes, want 36", len(res.body))
			}
		case "image/png":
			if _, err := png.Decode(bytes.NewReader(res.body)); err != nil {
				t.Errorf("%s: %v", tt.path, err)
			}
		}
	}
	if res := do(t, ts, request{method: "GET", path: "/v0/versions/7011/files/scene/scene.gltf", auth: keyOther}); res.status != http.StatusForbidden {
		t.Errorf("other organization: %d, want 403", res.status)
	}
}
