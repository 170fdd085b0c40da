package store

import (
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
)

// BenchmarkFork is the cost of a new world of the default size (500 sessions)
// once the process has built it: what a Store, a Reset and (later) a sandbox
// pay. Targets (issue 12): ≤ 5 ms and ≤ 1 MB.
func BenchmarkFork(b *testing.B) {
	opts := fixtures.Options{Seed: 1, Sessions: 500, Now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	built, err := sharedBuild(opts)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = forkWorld(built, opts.Now)
	}
}
