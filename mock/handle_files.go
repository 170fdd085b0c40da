package mock

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"math"
	"net/http"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Scene version files (api.md §4, §6.4 S2). Files the Data Collector received
// (Store.VersionFile) are served byte for byte with their upload type; seeded
// versions, which were never uploaded, get a small generated glTF scene (one
// triangle in scene.bin) and a rendered screenshot.

func getVersionSceneFile(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return serveSceneFile(w, st, targetsOf(r).Version, r.PathValue("fileName"), false)
	}
}

// getVersionOptimizedSceneFile serves the optimized variant, which exists
// only when the version isOptimized; without an optimized upload it is the
// uploaded (or generated) scene file itself.
func getVersionOptimizedSceneFile(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return serveSceneFile(w, st, targetsOf(r).Version, r.PathValue("fileName"), true)
	}
}

func serveSceneFile(w http.ResponseWriter, st *store.Store, versionID int64, name string, optimized bool) error {
	v, sc, err := st.VersionInfo(versionID)
	if err != nil {
		return err
	}
	if optimized && !v.IsOptimized {
		return apierr.Errorf(apierr.CodeNotFound, "scene version %d is not optimized; use files/scene/%s", versionID, name)
	}
	paths := []string{store.FileScene + name}
	if optimized {
		paths = append([]string{"optimized/" + store.FileScene + name}, paths...)
	}
	for _, p := range paths {
		if f, ok := uploadedFile(st, versionID, p); ok {
			return writeBytes(w, http.StatusOK, f.ContentType, f.Data)
		}
	}
	if len(st.VersionFileNames(versionID)) == 0 {
		switch name {
		case "scene.gltf":
			return writeBytes(w, http.StatusOK, "model/gltf+json", generatedGLTF(sc))
		case "scene.bin":
			return writeBytes(w, http.StatusOK, "application/octet-stream", generatedBin())
		}
	}
	return apierr.Errorf(apierr.CodeNotFound, "scene version %d has no file scene/%s", versionID, name)
}

// uploadedFile is the seam to the Data Collector's uploads: a missing file is
// not an error here, the caller falls back to generated content.
func uploadedFile(st *store.Store, versionID int64, path string) (store.UploadedFile, bool) {
	f, err := st.VersionFile(versionID, path)
	return f, err == nil
}

func getVersionScreenshot(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return serveScreenshot(w, st, targetsOf(r).Version, 512)
	}
}

// getVersionScreenshotSmall serves the screenshot scaled down to 128 pixels wide.
func getVersionScreenshotSmall(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return serveScreenshot(w, st, targetsOf(r).Version, 128)
	}
}

func serveScreenshot(w http.ResponseWriter, st *store.Store, versionID int64, width int) error {
	if _, _, err := st.VersionInfo(versionID); err != nil {
		return err
	}
	f, ok := uploadedFile(st, versionID, store.FileScreenshot)
	if !ok {
		return writeBytes(w, http.StatusOK, "image/png", store.RenderPNG(width, width*9/16, versionID))
	}
	if width < 512 {
		if small, err := scaleDown(f.Data, width); err == nil {
			return writeBytes(w, http.StatusOK, "image/png", small)
		}
	}
	return writeBytes(w, http.StatusOK, f.ContentType, f.Data)
}

// scaleDown shrinks an image to width pixels (nearest neighbour) as a PNG.
func scaleDown(data []byte, width int) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	if b.Dx() <= width {
		return nil, errors.New("already small")
	}
	height := max(b.Dy()*width/b.Dx(), 1)
	dst := image.NewNRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			dst.Set(x, y, src.At(b.Min.X+x*b.Dx()/width, b.Min.Y+y*b.Dy()/height))
		}
	}
	var buf bytes.Buffer
	err = png.Encode(&buf, dst)
	return buf.Bytes(), err
}

// generatedBin is one triangle: three float32 VEC3 positions.
func generatedBin() []byte {
	pts := []float32{0, 0, 0, 1, 0, 0, 0, 1, 0}
	b := make([]byte, 4*len(pts))
	for i, p := range pts {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(p))
	}
	return b
}

func generatedGLTF(sc fixtures.Scene) []byte {
	doc := map[string]any{
		"asset":       map[string]any{"version": "2.0", "generator": "c3dmock"},
		"scene":       0,
		"scenes":      []any{map[string]any{"name": sc.SceneName, "nodes": []int{0}}},
		"nodes":       []any{map[string]any{"name": sc.SceneName, "mesh": 0}},
		"meshes":      []any{map[string]any{"primitives": []any{map[string]any{"attributes": map[string]int{"POSITION": 0}}}}},
		"buffers":     []any{map[string]any{"uri": "scene.bin", "byteLength": 36}},
		"bufferViews": []any{map[string]any{"buffer": 0, "byteOffset": 0, "byteLength": 36}},
		"accessors": []any{map[string]any{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
			"min": []float64{0, 0, 0}, "max": []float64{1, 1, 0}}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // a literal of maps and slices always marshals
	}
	return b
}
