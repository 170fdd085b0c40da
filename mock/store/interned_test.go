package store

import (
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/fixtures/propstore"

	"github.com/c3dmock/c3dmock/fixtures"
)

// TestResetDoesNotGrowInterned: a world is a fork of the process's build, so
// new stores and resets add nothing to the process-wide property tables.
func TestResetDoesNotGrowInterned(t *testing.T) {
	opts := fixtures.Options{Seed: 5, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Sessions: 30}
	st, err := NewStore(opts)
	if err != nil {
		t.Fatal(err)
	}
	before := propstore.Interned()
	for range 5 {
		if err := st.Reset(); err != nil {
			t.Fatal(err)
		}
		if _, err := NewStore(opts); err != nil {
			t.Fatal(err)
		}
	}
	if after := propstore.Interned(); after != before {
		t.Errorf("resets and new stores grew the tables: %+v -> %+v", before, after)
	}
}
