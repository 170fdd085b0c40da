package store

import (
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
)

func TestDeleteProjectLeavesNothingBehind(t *testing.T) {
	st, err := NewStore(fixtures.Options{Seed: 1, Sessions: 20, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	const id = 4461
	count := func() map[string]int {
		st.mu.RLock()
		defer st.mu.RUnlock()
		w, n := st.w, map[string]int{}
		for _, v := range w.remoteVars.m {
			n["remote variables"] += b2i(v.ProjectID == id)
		}
		for _, v := range w.abTests.m {
			n["A/B tests"] += b2i(v.ProjectID == id)
		}
		for _, d := range w.dashboards.m {
			n["dashboards"] += b2i(d.ProjectID == id)
		}
		for _, s := range w.sessions {
			n["sessions"] += b2i(s.ProjectID == id)
		}
		for _, s := range w.scenes {
			n["scenes"] += b2i(s.ProjectID == id)
		}
		return n
	}
	before := count()
	for _, what := range []string{"remote variables", "A/B tests", "dashboards", "sessions", "scenes"} {
		if before[what] == 0 {
			t.Fatalf("seed world has no %s in project %d; the test proves nothing", what, id)
		}
	}
	if err := st.DeleteProject(id); err != nil {
		t.Fatal(err)
	}
	for what, n := range count() {
		if n != 0 {
			t.Errorf("%d %s of deleted project %d remain", n, what, id)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
