package analytics

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/fixtures/propstore"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// filterSession is a hand-made session for operator tests.
func filterSession() *fixtures.Session {
	s := &fixtures.Session{
		SessionID: "1770000000_aa", ProjectID: 4460, OrganizationID: 76, ParticipantID: "p1", DeviceID: "aa",
		Start: 1_770_000_000_000, Duration: 300_000, HMD: propstore.Intern("Meta Quest 3"), HasGaze: true, UserSessionNumber: 2,
		Properties: propstore.NewProps(map[string]any{
			"c3d.session_tag.test":      false,
			"c3d.session_tag.junk":      true,
			"c3d.app.version":           "1.2.0",
			"c3d.device.model":          "Oculus Quest",
			"c3d.metrics.comfort_score": 72.5,
		}),
		Visits: []fixtures.SceneVisit{{SceneID: "scene-a", VersionID: 141, SQLID: 9, Start: 1_770_000_000_000, End: 1_770_000_300_000}},
		Events: []fixtures.Event{
			{Name: propstore.Intern("c3d.sessionStart"), Time: 1_770_000_000_000, VersionID: 141},
			{Name: propstore.Intern("grab"), Time: 1_770_000_060_000, Object: propstore.Intern("obj-1"), VersionID: 141, Properties: propstore.NewProps(map[string]any{"Power": 85.5, "Reason": "battery", "ispaused": false})},
		},
	}
	s.Events[1].SetPos(1.5, 0, 0)
	return s
}

func mustFilter(t *testing.T, js string) FilterSpec {
	t.Helper()
	var f FilterSpec
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("decode %s: %v", js, err)
	}
	return f
}

func TestFilterOperators(t *testing.T) {
	const (
		test    = `{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.test"}`
		junk    = `{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.junk"}`
		version = `{"nestedFieldName":"textualSessionProp","path":"c3d.app.version"}`
		comfort = `{"unnestedFieldName":"numericalSessionProp","path":"c3d.metrics.comfort_score"}`
		missing = `{"nestedFieldName":"textualSessionProp","path":"c3d.geo.city"}`
		noBool  = `{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.Crash"}`
		date    = `{"fieldName":"date","fieldParent":"session"}`
		dur     = `{"fieldName":"duration","fieldParent":"session"}`
		power   = `{"nestedFieldName":"numericalEventProp","path":"Power"}`
		evName  = `{"fieldName":"eventName","fieldParent":"event"}`
	)
	leaf := func(field, op, rest string) string { return `{"field":` + field + `,"op":"` + op + `"` + rest + `}` }
	tests := []struct {
		name, filter string
		want         bool
	}{
		{"eq bool", leaf(test, "eq", `,"value":false`), true},
		{"eq bool other", leaf(junk, "eq", `,"value":false`), false},
		{"neq bool", leaf(junk, "neq", `,"value":false`), true},
		// Inferred (README "Data Collector"): a session lacking a boolean
		// property is neither true nor false, so eq drops it and neq keeps it.
		{"eq false on missing bool", leaf(noBool, "eq", `,"value":false`), false},
		{"eq true on missing bool", leaf(noBool, "eq", `,"value":true`), false},
		{"neq true on missing bool", leaf(noBool, "neq", `,"value":true`), true},
		{"neq false on missing bool", leaf(noBool, "neq", `,"value":false`), true},
		{"eq null means present", leaf(version, "eq", `,"value":null`), true},
		{"eq null on missing", leaf(missing, "eq", `,"value":null`), false},
		{"neq null means absent", leaf(missing, "neq", `,"value":null`), true},
		{"neq null on present", leaf(version, "neq", `,"value":null`), false},
		{"eq on missing", leaf(missing, "eq", `,"value":"Paris"`), false},
		{"neq on missing passes", leaf(missing, "neq", `,"value":"Paris"`), true},
		{"type mismatch eq string vs number", leaf(version, "eq", `,"value":1.2`), false},
		{"type mismatch neq", leaf(version, "neq", `,"value":1.2`), true},
		{"textual lookup of numeric property is absent", leaf(`{"nestedFieldName":"textualSessionProp","path":"c3d.metrics.comfort_score"}`, "eq", `,"value":null`), false},
		{"gt number", leaf(comfort, "gt", `,"value":70`), true},
		{"gte equal", leaf(comfort, "gte", `,"value":72.5`), true},
		{"lt number", leaf(comfort, "lt", `,"value":70`), false},
		{"lte equal", leaf(comfort, "lte", `,"value":72.5`), true},
		{"gt on missing", leaf(missing, "gt", `,"value":"a"`), false},
		{"gt string lexical", leaf(version, "gt", `,"value":"1.1"`), true},
		{"gt number vs string field", leaf(version, "gt", `,"value":1`), false},
		{"in", leaf(version, "in", `,"values":["1.0","1.2.0"]`), true},
		{"in none", leaf(version, "in", `,"values":["1.0"]`), false},
		{"notIn", leaf(version, "notIn", `,"values":["1.0"]`), true},
		{"notIn on missing passes", leaf(missing, "notIn", `,"values":["x"]`), true},
		{"in on missing", leaf(missing, "in", `,"values":["x"]`), false},
		{"in numbers", leaf(comfort, "in", `,"values":[72.5, 1]`), true},
		{"range inside", leaf(dur, "range", `,"min":1000,"max":300000`), true},
		{"range min only", leaf(dur, "range", `,"min":300001`), false},
		{"outsideRange", leaf(dur, "outsideRange", `,"min":1000,"max":200000`), true},
		{"outsideRange inside", leaf(dur, "outsideRange", `,"min":1000,"max":400000`), false},
		{"outsideRange on missing", leaf(missing, "outsideRange", `,"min":1,"max":2`), false},
		{"date gte", leaf(date, "gte", `,"value":1770000000000`), true},
		{"date lt", leaf(date, "lt", `,"value":1770000000000`), false},
		{"wildcard", leaf(`{"nestedFieldName":"textualSessionProp","path":"c3d.device.model"}`, "wildcard", `,"value":"*quest*"`), true},
		{"wildcard miss", leaf(`{"nestedFieldName":"textualSessionProp","path":"c3d.device.model"}`, "wildcard", `,"value":"Pico*"`), false},
		{"event prop: some event matches", leaf(power, "gt", `,"value":80`), true},
		{"event prop: none matches", leaf(power, "gt", `,"value":90`), false},
		{"event name", leaf(evName, "eq", `,"value":"grab"`), true},
		{"and", `{"op":"and","children":[` + leaf(test, "eq", `,"value":false`) + `,` + leaf(junk, "eq", `,"value":false`) + `]}`, false},
		{"or", `{"op":"or","children":[` + leaf(test, "eq", `,"value":false`) + `,` + leaf(junk, "eq", `,"value":false`) + `]}`, true},
		{"none", `{"op":"none","children":[` + leaf(junk, "eq", `,"value":false`) + `]}`, true},
		{"uppercase AND", `{"op":"AND","children":[` + leaf(test, "eq", `,"value":false`) + `]}`, true},
		{"nested", `{"op":"or","children":[{"op":"and","children":[` + leaf(junk, "eq", `,"value":true`) + `,` + leaf(comfort, "gt", `,"value":50`) + `]}]}`, true},
		{"empty and", `{"op":"and","children":[]}`, true},
	}
	s := filterSession()
	x := &evalCtx{w: &store.View{}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pred, err := (&compiler{}).rowFilter(mustFilter(t, tt.filter), "/sessionFilters/0")
			if err != nil {
				t.Fatalf("compile %s: %v", tt.filter, err)
			}
			for _, r := range []row{{s: s, v: -1}, {s: s, v: 0}} {
				if got := pred(x, r); got != tt.want {
					t.Errorf("%s on %v row: got %v, want %v", tt.filter, map[bool]string{true: "scene", false: "project"}[r.scene()], got, tt.want)
				}
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	tests := []struct{ name, filter, field string }{
		{"no field", `{"op":"eq","value":1}`, "/sessionFilters/0/field"},
		{"unknown field", `{"field":{"fieldName":"nope"},"op":"eq","value":1}`, "/sessionFilters/0/field/fieldName"},
		{"property without path", `{"field":{"nestedFieldName":"textualSessionProp"},"op":"eq","value":"a"}`, "/sessionFilters/0/field/path"},
		{"missing value", `{"field":{"fieldName":"date"},"op":"gte"}`, "/sessionFilters/0/value"},
		{"in without values", `{"field":{"fieldName":"date"},"op":"in","value":1}`, "/sessionFilters/0/values"},
		{"range without bounds", `{"field":{"fieldName":"date"},"op":"range"}`, "/sessionFilters/0/min"},
		{"wildcard number", `{"field":{"fieldName":"sessionId"},"op":"wildcard","value":3}`, "/sessionFilters/0/value"},
		{"nested child", `{"op":"and","children":[{"op":"bogus","field":{"fieldName":"date"},"value":1}]}`, "/sessionFilters/0/children/0/op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := (&compiler{}).rowFilter(mustFilter(t, tt.filter), "/sessionFilters/0")
			e, ok := err.(*apierr.Error)
			if !ok || e.Code != apierr.CodeInvalid || e.Field != tt.field {
				t.Errorf("compile %s: got %v (field %q), want 400 naming %s", tt.filter, err, fieldOf(err), tt.field)
			}
		})
	}
}

func fieldOf(err error) string {
	if e, ok := err.(*apierr.Error); ok {
		return e.Field
	}
	return ""
}

func TestUserAndObjectiveFilters(t *testing.T) {
	dates := []int64{100, 200, 300}
	users := []struct {
		f    userFilterSpec
		want bool
	}{
		{userFilterSpec{Field: "latestSession", Op: "gte", Value: ptr(300.0)}, true},
		{userFilterSpec{Field: "earliestSession", Op: "lt", Value: ptr(100.0)}, false},
		{userFilterSpec{Field: "2ndLatestSession", Op: "eq", Value: ptr(200.0)}, true},
		{userFilterSpec{Field: "sessionDatesArray", Op: "outsideRange", Min: ptr(150.0), Max: ptr(250.0)}, false},
		{userFilterSpec{Field: "sessionDatesArray", Op: "outsideRange", Min: ptr(210.0), Max: ptr(250.0)}, true},
		{userFilterSpec{Field: "sessionDatesArray", Op: "range", Min: ptr(210.0), Max: ptr(300.0)}, true},
	}
	for _, tt := range users {
		p, err := compileUserFilter(tt.f, "/userFilters/0")
		if err != nil {
			t.Fatal(err)
		}
		if got := p(dates); got != tt.want {
			t.Errorf("user filter %+v: got %v, want %v", tt.f, got, tt.want)
		}
	}

	s := filterSession()
	s.Objectives = []fixtures.ObjectiveResult{{VersionID: 829, Steps: []fixtures.StepResult{
		{Step: 1, Timestamp: s.Start + 5000, Duration: 5000, Result: fixtures.ResultSucceeded}, {Step: 2, Timestamp: s.Start + 20000, Duration: 15000, Result: fixtures.ResultFailed}}}}
	w := &store.View{Objectives: map[int64]fixtures.Objective{268: {ID: 268, ProjectID: 4460, Versions: []fixtures.ObjectiveVersion{{ID: 829, Components: []fixtures.Component{{SequenceNumber: 1, IsStep: true}, {SequenceNumber: 2, IsStep: true}}}}}}}
	objs := []struct {
		f    objectiveFilterSpec
		want bool
	}{
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "passed"}, false},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "failed"}, true},
		{objectiveFilterSpec{ObjectiveVersionID: 900, Type: "failed"}, false},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "numStepsCompleted", Op: "eq", Value: ptr(1.0)}, true},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "percentageStepsCompleted", Op: "gte", Value: ptr(50.0)}, true},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "stepPassed", Step: ptr(1)}, true},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "stepFailed", Step: ptr(2)}, true},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "stepTime", Step: ptr(1), Op: "lte", Value: ptr(60000.0)}, true},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "stepDuration", Step: ptr(2), Op: "gt", Value: ptr(20000.0)}, false},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "stepTimeToSessionEnd", Step: ptr(2), Op: "eq", Value: ptr(265000.0)}, true},
		{objectiveFilterSpec{ObjectiveVersionID: 829, Type: "stepTimeProportion", Step: ptr(1), Op: "lt", Value: ptr(0.1)}, true},
	}
	for _, tt := range objs {
		p, err := compileObjectiveFilter(tt.f, "/objectiveFilters/0")
		if err != nil {
			t.Fatal(err)
		}
		if got := p(&evalCtx{w: w}, row{s: s, v: -1}); got != tt.want {
			t.Errorf("objective filter %+v: got %v, want %v", tt.f, got, tt.want)
		}
	}
	if _, err := compileObjectiveFilter(objectiveFilterSpec{ObjectiveVersionID: 829, Type: "stepTime"}, "/objectiveFilters/0"); fieldOf(err) != "/objectiveFilters/0/step" {
		t.Errorf("stepTime without step: got %v, want 400 naming /objectiveFilters/0/step", err)
	}
}
