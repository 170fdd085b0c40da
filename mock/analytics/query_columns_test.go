package analytics

import (
	"testing"

	"github.com/c3dmock/c3dmock/fixtures/propstore"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// TestPropertyColumnsAgreeWithSessions: filters read session properties
// through the column cache; every answer must be the one the session's own
// properties give, for booleans (one byte a session) and other kinds, for
// absent and mistyped values, and after a session's properties change.
func TestPropertyColumnsAgreeWithSessions(t *testing.T) {
	props := []map[string]any{
		{"c3d.session_tag.test": false, "c3d.app.version": "1.2.0", "c3d.metrics.comfort_score": 72.5},
		{"c3d.session_tag.test": true, "c3d.app.version": "1.0"},
		{"c3d.metrics.comfort_score": 10.0},                     // no tag, no version
		{"c3d.session_tag.test": "yes", "c3d.app.version": 3.0}, // mistyped
	}
	w := &store.View{}
	for i, m := range props {
		w.Sessions = append(w.Sessions, fixtures.Session{SessionID: string(rune('a' + i)), ProjectID: 4460, Properties: propstore.NewProps(m)})
	}
	idx := store.BuildSessionIndex(w.Sessions) // holds the columns, shared by queries
	direct := &evalCtx{w: &store.View{}}
	const (
		test    = `{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.test"}`
		version = `{"nestedFieldName":"textualSessionProp","path":"c3d.app.version"}`
		comfort = `{"nestedFieldName":"numericalSessionProp","path":"c3d.metrics.comfort_score"}`
	)
	filters := []string{
		`{"field":` + test + `,"op":"eq","value":false}`,
		`{"field":` + test + `,"op":"eq","value":true}`,
		`{"field":` + test + `,"op":"neq","value":false}`,
		`{"field":` + test + `,"op":"eq","value":null}`,
		`{"field":` + test + `,"op":"neq","value":null}`,
		`{"field":` + version + `,"op":"eq","value":"1.0"}`,
		`{"field":` + version + `,"op":"neq","value":null}`,
		`{"field":` + comfort + `,"op":"gt","value":50}`,
	}
	check := func(when string) {
		t.Helper()
		for _, f := range filters {
			pred, err := (&compiler{}).rowFilter(mustFilter(t, f), "/sessionFilters/0")
			if err != nil {
				t.Fatalf("compile %s: %v", f, err)
			}
			x := &evalCtx{w: w, idx: idx} // one a query, as the store does
			for i := range w.Sessions {
				s := &w.Sessions[i]
				got, want := pred(x, row{s: s, v: -1, pos: int32(i + 1)}), pred(direct, row{s: s, v: -1})
				if got != want {
					t.Errorf("%s: %s on session %d: column says %v, properties say %v", when, f, i, got, want)
				}
			}
		}
	}
	check("first read")
	check("cached")
	w.Sessions[0].Properties = w.Sessions[0].Properties.With(map[string]any{"c3d.session_tag.test": true, "c3d.app.version": nil})
	w.Sessions[2].Properties = w.Sessions[2].Properties.With(map[string]any{"c3d.session_tag.test": false})
	check("after the properties changed")
}
