package mock

import (
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
)

func BenchmarkTmpIngestThenIndex(b *testing.B) {
	st, _ := NewStore(fixtures.Options{Seed: 1, Sessions: 500, Now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)})
	for i := 0; i < b.N; i++ {
		if err := st.Ingest(streamEvents, ingestScene, 2, eventsBody(i, "e"), 0); err != nil {
			b.Fatal(err)
		}
		st.mu.RLock()
		st.w.index()
		st.mu.RUnlock()
	}
}
