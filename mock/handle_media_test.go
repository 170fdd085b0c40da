package mock_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

func encodePNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Minimal files with the right magic numbers.
var (
	webpBytes = []byte("RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	wavBytes  = []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x44\xac\x00\x00\x88\x58\x01\x00\x02\x00\x10\x00data\x00\x00\x00\x00")
	mp4Bytes  = []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08free")
	mp3Bytes  = []byte("ID3\x03\x00\x00\x00\x00\x00\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00")
)

func TestMediaBinaryRoundTrip(t *testing.T) {
	ts := newTestServer(t)
	files := []struct {
		contentType, ext string
		data             []byte
	}{
		{"image/png", ".png", encodePNG(t)}, {"image/jpeg", ".jpg", jpegBytes(t)}, {"image/webp", ".webp", webpBytes},
		{"video/mp4", ".mp4", mp4Bytes}, {"audio/mpeg", ".mp3", mp3Bytes}, {"audio/wav", ".wav", wavBytes},
	}
	for i, f := range files {
		t.Run(f.contentType, func(t *testing.T) {
			name := fmt.Sprintf("Upload %d", i)
			res := do(t, ts, request{method: "POST", path: "/v0/projects/4460/media?name=" + strings.ReplaceAll(name, " ", "%20") + "&description=d", auth: keyReadWrite, body: string(f.data), contentType: f.contentType})
			if res.status != http.StatusCreated {
				t.Fatalf("upload: %d %s", res.status, res.body)
			}
			m := res.json(t)
			wantFile := fmt.Sprintf("source_upload_%d%s", i, f.ext)
			if m["contentType"] != f.contentType || m["fileName"] != wantFile || m["staticMedia"] != strings.HasPrefix(f.contentType, "image/") {
				t.Errorf("created media = %s, want contentType %s, fileName %s", res.body, f.contentType, wantFile)
			}
			got := do(t, ts, request{method: "GET", path: fmt.Sprintf("/v0/projects/4460/media/%v/files/%s", m["id"], wantFile), auth: keyReadOnly})
			if got.status != http.StatusOK || !bytes.Equal(got.body, f.data) || got.header.Get("Content-Type") != f.contentType {
				t.Errorf("download: %d, Content-Type %q, %d bytes; want 200, %s, the %d uploaded bytes", got.status, got.header.Get("Content-Type"), len(got.body), f.contentType, len(f.data))
			}
			if res := do(t, ts, request{method: "POST", path: "/v0/projects/4460/media?name=" + strings.ReplaceAll(name, " ", "%20"), auth: keyReadWrite, body: string(f.data), contentType: f.contentType}); res.status != http.StatusConflict {
				t.Errorf("same name again: %d, want 409", res.status)
			}
		})
	}
}

func TestMediaUploadRefusals(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, contentType string
		body              []byte
		want              int
		wantIn            string
	}{
		{"PNG bytes declared as JPEG", "image/jpeg", encodePNG(t), 415, "image/png file"},
		{"text declared as PNG", "image/png", []byte("hello, not an image"), 415, "unrecognised"},
		{"MP3 declared as WAV", "audio/wav", mp3Bytes, 415, "audio/mpeg"},
		{"JSON to a raw-file route", "application/json", []byte(`{"name":"x"}`), 415, "image/png"},
		{"type the spec does not list", "image/gif", []byte("GIF89a......"), 415, "image/gif"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, ts, request{method: "POST", path: "/v0/projects/4460/media?name=x", auth: keyReadWrite, body: string(tt.body), contentType: tt.contentType})
			if res.status != tt.want || !strings.Contains(string(res.body), tt.wantIn) {
				t.Errorf("%d %s, want %d mentioning %q", res.status, res.body, tt.want, tt.wantIn)
			}
		})
	}
	if res := do(t, ts, request{method: "POST", path: "/v0/projects/4460/media", auth: keyReadWrite, body: string(encodePNG(t)), contentType: "image/png"}); res.status != http.StatusBadRequest {
		t.Errorf("no name: %d, want 400", res.status)
	}
}

func TestMediaLibrary(t *testing.T) {
	ts := newTestServer(t)
	all := do(t, ts, request{method: "GET", path: "/v0/projects/4460/media", auth: keyReadOnly}).list(t)
	live := do(t, ts, request{method: "GET", path: "/v0/projects/4460/media?excludeArchived=true", auth: keyReadOnly}).list(t)
	if len(all) != 3 || len(live) != 2 {
		t.Errorf("media: %d items, %d not archived; want 3 and 2", len(all), len(live))
	}
	f := do(t, ts, request{method: "GET", path: "/v0/projects/4460/media/189/files/source_albedo.png", auth: keyReadOnly})
	if _, err := png.Decode(bytes.NewReader(f.body)); err != nil || f.header.Get("Content-Type") != "image/png" {
		t.Errorf("seeded file: %v, Content-Type %q", err, f.header.Get("Content-Type"))
	}
	if res := do(t, ts, request{method: "GET", path: "/v0/projects/4460/media/189/files/other.png", auth: keyReadOnly}); res.status != http.StatusNotFound || !strings.Contains(string(res.body), "source_albedo.png") {
		t.Errorf("wrong file name: %d %s", res.status, res.body)
	}
	pois := do(t, ts, request{method: "GET", path: "/v0/projects/4460/media/189/pointOfInterests", auth: keyReadOnly}).list(t)
	if len(pois) == 0 {
		t.Errorf("no points of interest on media 189")
	}
	if res := do(t, ts, request{method: "DELETE", path: "/v0/projects/4460/media/189", auth: keyReadWrite}); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d", res.status)
	}
	for _, p := range []string{"/v0/projects/4460/media/189/files/source_albedo.png", "/v0/projects/4460/media/189/pointOfInterests"} {
		if res := do(t, ts, request{method: "GET", path: p, auth: keyReadOnly}); res.status != http.StatusNotFound || !strings.Contains(string(res.body), "media 189") {
			t.Errorf("GET %s after delete: %d %s", p, res.status, res.body)
		}
	}
}
