package store

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
)

// TestStoredBytesMatchRecount keeps the running count honest: after every
// kind of write and delete the budget covers, it equals a count made from
// the stored items themselves, and it is back to zero when they are gone.
func TestStoredBytesMatchRecount(t *testing.T) {
	st, err := NewStore(fixtures.Options{Seed: 1, Sessions: 20, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	const scene = "2c2f0603-8f5c-4ff6-94ed-03542a4df34d" // project 4460
	check := func(what string) int64 {
		t.Helper()
		st.mu.RLock()
		defer st.mu.RUnlock()
		if got, want := st.w.stored, st.w.recount(); got != want {
			t.Fatalf("%s: stored %d, recount %d", what, got, want)
		}
		return st.w.stored
	}
	gaze := `{"userid":"u","timestamp":1793530800,"sessionid":"1793530800_u","part":1,"properties":{"a":1},"data":[{"time":1793530801,"p":[0,1,0],"r":[0,0,0,1]}]}`
	events := `{"userid":"u","timestamp":1793530800,"sessionid":"1793530800_u","part":1,"data":[{"name":"e","time":1793530802,"point":[1,2,3],"properties":{"k":"v"}}]}`
	sensors := `{"name":"u","timestamp":1793530800,"sessionid":"1793530800_u","part":1,"data":[{"name":"fps","data":[[1793530801,72]]}]}`
	for _, b := range []struct{ stream, body string }{{StreamGaze, gaze}, {StreamEvents, events}, {StreamSensors, sensors}, {StreamGaze, gaze}} {
		if err := st.Ingest(b.stream, scene, 2, []byte(b.body), 0); err != nil {
			t.Fatal(err)
		}
	}
	afterIngest := check("ingest")
	if afterIngest < int64(len(gaze)+len(events)+len(sensors)) {
		t.Fatalf("ingest of %d body bytes counted as %d", len(gaze)+len(events)+len(sensors), afterIngest)
	}
	if err := st.AddExitPollAnswers(4460, ExitPollInput{SessionID: "1793530800_u", Name: "assessment_end_survey", Version: 1, Values: []any{1.0, "yes", nil, 2.0}}, 1); err != nil {
		t.Fatal(err)
	}
	check("exitpoll")
	file := func(name string, n int) UploadedFile { return UploadedFile{Name: name, Data: make([]byte, n)} }
	sc, err := st.CreateScene(4460, "", SceneUpload{Files: []UploadedFile{file("scene.gltf", 100), file("scene.bin", 5000)}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	check("create scene")
	if err := st.PutSceneFiles(sc.ID, 1, SceneUpload{Files: []UploadedFile{file("scene.bin", 10)}}, 0); err != nil {
		t.Fatal(err)
	}
	check("replace a scene file with a smaller one")
	if _, err := st.AddSceneVersion(sc.ID, SceneUpload{Files: []UploadedFile{file("scene.gltf", 100)}, Screenshot: &UploadedFile{Name: "screenshot.png", Data: make([]byte, 300)}}, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.PutScreenshot(sc.ID, 2, file("screenshot.png", 700)); err != nil {
		t.Fatal(err)
	}
	if err := st.PutObjectFiles(sc.ID, 2, "lever", []UploadedFile{file("lever.gltf", 50), file("lever.bin", 900)}, 0); err != nil {
		t.Fatal(err)
	}
	check("versions, screenshot, object files")
	m, err := st.AddMedia(4461, "clip", "d", "image/png", make([]byte, 4000))
	if err != nil {
		t.Fatal(err)
	}
	withMedia := check("media")
	if err := st.Media().Delete(4461, m.ID); err != nil {
		t.Fatal(err)
	}
	if got := check("media deleted"); got >= withMedia {
		t.Fatalf("deleting media left %d of %d stored bytes", got, withMedia)
	}
	if err := st.DeleteProject(4460); err != nil {
		t.Fatal(err)
	}
	if got := check("project deleted"); got != 0 {
		t.Fatalf("after deleting the only project with stored data, %d bytes are still counted", got)
	}
}

// BenchmarkIngestHeapVsBudget ingests 2,000 SDK-shaped gaze batches (16
// devices, 256 snapshots each) and reports how much the live heap grew
// against what the stored-data budget counted: the two should agree.
//
//	go test ./mock/ -run '^$' -bench IngestHeapVsBudget -benchtime 1x
func BenchmarkIngestHeapVsBudget(b *testing.B) {
	for range b.N {
		b.StopTimer()
		st, err := NewStore(fixtures.Options{Seed: 1, Sessions: 500, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		b.StartTimer()
		for i := range 2000 {
			dev, part := i%16, i/16%60+1
			var sb strings.Builder
			fmt.Fprintf(&sb, `{"userid":"d%d","timestamp":1793530800,"sessionid":"%d_d%d","part":%d,"interval":0.1,"properties":{`, dev, 1793530800+i/16/60*3600, dev, part)
			if part == 1 {
				fmt.Fprintf(&sb, `"c3d.participant.id":"p%d","c3d.app.name":"Soak"`, dev)
			}
			sb.WriteString(`},"data":[`)
			for j := range 256 {
				if j > 0 {
					sb.WriteByte(',')
				}
				fmt.Fprintf(&sb, `{"time":%.3f,"p":[1.2345,1.6123,-0.5432],"r":[0.1234,0.5432,0.0123,0.8765],"g":[1.1111,0.2222,2.3333]}`, 1793530800.0+float64(part*256+j)/10)
			}
			sb.WriteString(`]}`)
			if err := st.Ingest(StreamGaze, "2c2f0603-8f5c-4ff6-94ed-03542a4df34d", 2, []byte(sb.String()), 0); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc-base)/1e6, "heap-MB")
		b.ReportMetric(float64(st.StoredBytes())/1e6, "counted-MB")
		runtime.KeepAlive(st)
		b.StartTimer()
	}
}
