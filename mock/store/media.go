package store

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// mediaState is the media library (api.md §6.11): items, their bytes and
// their points of interest. Seeded items get a rendered PNG.
type mediaState struct {
	items *rows[fixtures.Media]
	files map[int64][]byte // never modified once stored, so shared
	pois  map[int64][]PointOfInterest
	cost  map[int64]int64 // uploaded items' bytes charged to the stored-data budget
}

// PointOfInterest is a spot on a media item (the vendor's shape is
// undocumented; spec: PointOfInterest).
type PointOfInterest struct {
	ID      int64   `json:"id"`
	MediaID int64   `json:"mediaId"`
	Name    string  `json:"name"`
	X       float64 `json:"x"`
	Y       float64 `json:"y"`
	Z       float64 `json:"z"`
}

func newMediaState(s fixtures.Seed) mediaState {
	items := newRows("media", "project", func(m fixtures.Media) (int64, int64) { return m.ID, m.ProjectID },
		func(m fixtures.Media, id, pid int64) fixtures.Media { m.ID, m.ProjectID = id, pid; return m })
	items.name, items.nameField = func(m fixtures.Media) string { return m.Name }, "query:name"
	items.counts = func(m fixtures.Media) bool { return !m.Archived } // an archived item's name is free again
	items.afterDelete = func(w *world, m fixtures.Media) { w.dropMediaFiles(m.ID) }
	ms := mediaState{items: items, files: map[int64][]byte{}, pois: map[int64][]PointOfInterest{}, cost: map[int64]int64{}}
	for _, m := range s.Media {
		ms.items.m[m.ID] = m
		ms.files[m.ID] = seedMediaPNG(m.ID)
		ms.pois[m.ID] = defaultPOIs(m.ID, m.ID*10)
	}
	return ms
}

// seedMediaPNGs holds the image of each seeded media item, rendered once per
// process and shared read-only by every world (media bytes are never written
// in place). Bounded by the seed's media items.
var seedMediaPNGs sync.Map // media ID → []byte

func seedMediaPNG(id int64) []byte {
	if b, ok := seedMediaPNGs.Load(id); ok {
		return b.([]byte)
	}
	b, _ := seedMediaPNGs.LoadOrStore(id, RenderPNG(64, 64, id))
	return b.([]byte)
}

// defaultPOIs places two points of interest on a still image.
func defaultPOIs(mediaID, firstID int64) []PointOfInterest {
	return []PointOfInterest{
		{ID: firstID + 1, MediaID: mediaID, Name: "Center", X: 0.5, Y: 0.5},
		{ID: firstID + 2, MediaID: mediaID, Name: "Top left", X: 0.1, Y: 0.1},
	}
}

// renderPNG draws a deterministic gradient, seeded by seed.
func RenderPNG(w, h int, seed int64) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	base := uint8(seed * 37)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{R: uint8(x*255/max(w-1, 1)) ^ base, G: uint8(y * 255 / max(h-1, 1)), B: base, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	return buf.Bytes()
}

// Media is the projects' media libraries.
func (st *Store) Media() Table[fixtures.Media] {
	return Table[fixtures.Media]{st: st, rows: func(w *world) *rows[fixtures.Media] { return w.media.items }}
}

// MediaFile returns a media item's bytes if fileName is its file name.
func (st *Store) MediaFile(projectID, id int64, fileName string) (fixtures.Media, []byte, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	m, err := st.w.media.items.get(projectID, id, "")
	if err != nil {
		return m, nil, err
	}
	if fileName != m.FileName {
		return m, nil, apierr.Errorf(apierr.CodeNotFound, "media %d has no file %s (its file is %s)", id, fileName, m.FileName)
	}
	return m, st.w.media.files[id], nil
}

// PointsOfInterest lists a media item's points of interest.
func (st *Store) PointsOfInterest(projectID, id int64) ([]PointOfInterest, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if _, err := st.w.media.items.get(projectID, id, ""); err != nil {
		return nil, err
	}
	return append([]PointOfInterest{}, st.w.media.pois[id]...), nil
}

// AddMedia stores an uploaded file as a new media item. Names are unique per
// project among items that are not archived (409). The file is called
// source_<name>.<ext>, like the vendor's source_albedo.png.
func (st *Store) AddMedia(projectID int64, name, description, contentType string, data []byte) (fixtures.Media, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if err := w.media.items.checkName(projectID, 0, fixtures.Media{Name: name}); err != nil {
		return fixtures.Media{}, err
	}
	cost := mediaCost(data, name, description)
	if err := st.reserve(cost); err != nil {
		return fixtures.Media{}, err
	}
	id := w.newID()
	static := strings.HasPrefix(contentType, "image/")
	thumb := "thumbnail/full.png"
	m := fixtures.Media{ID: id, ProjectID: projectID, Name: name, UploadID: w.newUUID(), StaticMedia: static, Description: description,
		ThumbnailLocation: &thumb, FileName: "source_" + slug(name) + extensionOf[contentType], ContentType: contentType}
	w.media.items.m[id] = m
	w.media.files[id] = data
	w.media.cost[id] = cost
	w.charge(cost)
	if static {
		w.media.pois[id] = defaultPOIs(id, w.newID())
	}
	return m, nil
}

// dropMediaFiles drops a deleted media item's file and points of interest
// and gives its bytes back to the budget.
func (w *world) dropMediaFiles(id int64) {
	w.charge(-w.media.cost[id])
	delete(w.media.files, id)
	delete(w.media.pois, id)
	delete(w.media.cost, id)
}

// slug makes a file-name-safe lower-case version of a name.
func slug(name string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			under = false
		case !under && b.Len() > 0:
			b.WriteByte('_')
			under = true
		}
	}
	s := strings.TrimSuffix(b.String(), "_")
	if s == "" {
		return "media"
	}
	return s
}

// extensionOf gives the file extension of each type uploadMedia accepts.
var extensionOf = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp",
	"video/mp4": ".mp4", "audio/mpeg": ".mp3", "audio/wav": ".wav",
}
