package analytics

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// TestSessionPageBytesMatchWriteJSON checks the hand-written page body
// against encoding/json as the server's writeJSON runs it for every row shape: project and scene
// rows, with events, event hashes and objective results.
func TestSessionPageBytesMatchWriteJSON(t *testing.T) {
	st, err := store.NewStore(fixtures.Options{Seed: 3, Sessions: 60, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	limit := 1000
	v := st.View()
	first := v.Sessions[0]
	v.Close()
	vid := first.Visits[0].VersionID
	queries := map[string]*SessionQuery{
		"project": {SessionType: "project", EntityFilters: entityFilters{ProjectID: fixtures.DemoProjectID}, Limit: &limit},
		"scene":   {SessionType: "scene", EntityFilters: entityFilters{ProjectID: first.ProjectID, VersionID: &vid}, Limit: &limit},
		"empty":   {SessionType: "project", EntityFilters: entityFilters{ProjectID: 1}, Limit: &limit},
	}
	for name, q := range queries {
		page, err := NewEngine(st).SessionPage(q)
		if err != nil {
			t.Fatal(name, err)
		}
		if name != "empty" && len(page.Results) == 0 {
			t.Fatalf("%s: no rows", name)
		}
		v := st.View()
		rows := page.Results
		for _, o := range []viewOpts{{events: true, objectives: true}, {events: true, eventHash: true, objectives: true, isoSteps: true}, {noProperties: true}} {
			for i := range rows {
				s, ok := v.FindSession(rows[i].ProjectID, rows[i].SessionID)
				r := row{s: s, v: -1}
				if !ok {
					t.Fatalf("%s: row %s not found", name, rows[i].SessionID)
				}
				if rows[i].ID != nil && rows[i].SceneVersionID != nil {
					for j, v := range r.s.Visits {
						if v.SQLID == *rows[i].ID {
							r.v = j
						}
					}
				}
				page.Results = append(page.Results, newSessionView(v, r, o))
			}
		}
		v.Close()
		var want bytes.Buffer
		enc := json.NewEncoder(&want) // as the server's writeJSON encodes
		enc.SetEscapeHTML(false)
		if err := enc.Encode(page); err != nil {
			t.Fatal(err)
		}
		if got := append(page.AppendJSON(nil), '\n'); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: bytes differ\n got %.600s\nwant %.600s", name, got, want.Bytes())
		}
	}
}
