package store

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
)

const (
	ingestScene   = "2c2f0603-8f5c-4ff6-94ed-03542a4df34d" // project 4460; version 2 is 7012
	ingestSession = "1793530800_0123456789abcdef0123456789abcdef"
)

func newIngestStore(t *testing.T) *Store {
	t.Helper()
	st, err := NewStore(fixtures.Options{Seed: 1, Sessions: 20, Now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func eventsBody(part int, names ...string) []byte {
	data := make([]map[string]any, len(names))
	for i, n := range names {
		data[i] = map[string]any{"name": n, "time": 1793530800 + float64(part*10+i), "point": []float64{1, 2, 3}}
	}
	b, _ := json.Marshal(map[string]any{"userid": "u", "timestamp": 1793530800, "sessionid": ingestSession, "part": part, "data": data})
	return b
}

func TestIngestPartOrdering(t *testing.T) {
	st := newIngestStore(t)
	now := int64(1793531000000)
	for _, part := range []int{3, 1, 2} {
		if err := st.Ingest(StreamEvents, ingestScene, 2, eventsBody(part, fmt.Sprintf("e%d", part)), now); err != nil {
			t.Fatalf("part %d: %v", part, err)
		}
	}
	// An SDK retry of part 2 (its first answer was lost) must not duplicate events.
	if err := st.Ingest(StreamEvents, ingestScene, 2, eventsBody(2, "e2"), now); err != nil {
		t.Fatal(err)
	}
	batches := st.RawBatches(4460, ingestSession)
	if len(batches) != 3 {
		t.Fatalf("%d raw batches, want 3", len(batches))
	}
	for i, b := range batches {
		if b.Part != i+1 || b.Stream != StreamEvents || b.VersionID != 7012 || b.VersionNumber != 2 {
			t.Errorf("batch %d: part %d stream %s version %d/%d", i, b.Part, b.Stream, b.VersionID, b.VersionNumber)
		}
	}
	raw := st.RawData(0, ingestSession)
	if len(raw["events"]) != 3 || string(raw["events"][0]) != string(eventsBody(1, "e1")) {
		t.Errorf("RawData events: %d batches, first %s", len(raw["events"]), raw["events"][0])
	}
	s, ok := st.SessionByID(4460, ingestSession)
	if !ok {
		t.Fatal("session not created")
	}
	if len(s.Events) != 3 || s.Events[0].Name.String() != "e1" || s.Events[2].Name.String() != "e3" {
		t.Errorf("events not in time order: %+v", s.Events)
	}
	for _, e := range s.Events {
		if e.Hash <= 1<<53 || e.VersionID != 7012 {
			t.Errorf("event %s: hash %d version %d", e.Name, e.Hash, e.VersionID)
		}
	}
	if s.Start != 1793530800000 || s.Duration != 30000 || !s.HasEvent || len(s.Visits) != 1 || s.Visits[0].VersionID != 7012 {
		t.Errorf("session: start %d duration %d hasEvent %v visits %+v", s.Start, s.Duration, s.HasEvent, s.Visits)
	}
}

func TestIngestVisitsAndExitPoll(t *testing.T) {
	st := newIngestStore(t)
	gaze := func(sec float64) []byte {
		return []byte(fmt.Sprintf(`{"timestamp":1793530800,"sessionid":%q,"part":1,"properties":{"c3d.participant.id":"p9"},"data":[{"time":%g,"p":[0,0,0],"r":[0,0,0,1]}]}`, ingestSession, sec))
	}
	if err := st.Ingest(StreamGaze, ingestScene, 1, gaze(1793530801), 0); err != nil {
		t.Fatal(err)
	}
	if err := st.Ingest(StreamGaze, ingestScene, 2, gaze(1793530900), 0); err != nil {
		t.Fatal(err)
	}
	if err := st.Ingest(StreamGaze, ingestScene, 9, gaze(1793530900), 0); err == nil {
		t.Error("unknown version number accepted")
	}
	err := st.AddExitPollAnswers(4460, ExitPollInput{Hook: "training_end", SessionID: ingestSession, SceneID: ingestScene,
		Name: "assessment_end_survey", Version: 1, Values: []any{1.0}}, 1793531000000)
	if err == nil {
		t.Error("answers that do not match the question count were accepted")
	}
	q, err := st.HookQuestionSet(4460, "training_end")
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]any, len(q.Questions))
	if err := st.AddExitPollAnswers(4460, ExitPollInput{Hook: "training_end", SessionID: ingestSession, SceneID: ingestScene,
		Name: q.Name, Version: q.Version, Values: vals}, 1793531000000); err != nil {
		t.Fatal(err)
	}
	s, _ := st.SessionByID(4460, ingestSession)
	if len(s.Visits) != 2 || s.Visits[0].VersionID != 7011 || s.Visits[1].VersionID != 7012 || s.ParticipantID != "p9" || s.UserKey() != "p9" {
		t.Errorf("visits %+v participant %q", s.Visits, s.ParticipantID)
	}
	if len(s.Answers) != 1 || s.Answers[0].VersionID != 7012 || len(s.Answers[0].Hashes) != len(q.Questions) {
		t.Errorf("answers: %+v", s.Answers)
	}
}

// TestIngestConcurrent runs ingest against readers of the session list; run with -race.
func TestIngestConcurrent(t *testing.T) {
	st := newIngestStore(t)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for part := 1; part <= 20; part++ {
				if err := st.Ingest(StreamEvents, ingestScene, 2, eventsBody(part+g*100, "e"), 0); err != nil {
					t.Error(err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if s, ok := st.SessionByID(0, ingestSession); ok {
					for k := range s.Properties.All() {
						_, _ = s.Properties.Get(k)
					}
					_ = len(s.Events)
				}
				_ = st.RawData(0, ingestSession)
			}
		}()
	}
	wg.Wait()
	if s, _ := st.SessionByID(4460, ingestSession); len(s.Events) != 80 {
		t.Errorf("%d events after 80 batches", len(s.Events))
	}
}

func TestUploadStore(t *testing.T) {
	st := newIngestStore(t)
	gltf := UploadedFile{Name: "scene.gltf", ContentType: "model/gltf+json", Data: []byte(`{}`)}
	sc, err := st.CreateScene(4460, "", SceneUpload{Files: []UploadedFile{gltf}, SceneName: "S", SDKVersion: "1"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := st.Scene(sc.ID)
	if err != nil || len(tree.Versions) != 1 {
		t.Fatalf("scene %v versions %d", err, len(tree.Versions))
	}
	vid := tree.Versions[0].ID
	f, err := st.VersionFile(vid, "scene/scene.gltf")
	if err != nil || string(f.Data) != `{}` || f.ContentType != "model/gltf+json" {
		t.Errorf("VersionFile: %v %+v", err, f)
	}
	if names := st.VersionFileNames(vid); len(names) != 1 || names[0] != "scene/scene.gltf" {
		t.Errorf("VersionFileNames: %v", names)
	}
	if _, err := st.VersionFile(vid, "scene/missing.bin"); err == nil {
		t.Error("missing file found")
	}
	if _, err := st.CreateScene(4460, sc.ID, SceneUpload{}, 5); err == nil {
		t.Error("duplicate scene id accepted")
	}
}
