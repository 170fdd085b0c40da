package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// slicerBody wraps aggregations in a project slicer request with filters.
func slicerBody(filters, eventFilters, aggs string) string {
	return fmt.Sprintf(`{"sessionType":"project","entityFilters":{"projectId":4460},"sessionFilters":[%s],"eventFilters":[%s],"aggregations":[%s]}`, filters, eventFilters, aggs)
}

func slicerValue(t *testing.T, res response, agg, op string) any {
	t.Helper()
	mustOK(t, res, "slicerQueries")
	var out struct {
		Aggregations map[string]map[string]map[string]any `json:"aggregations"`
	}
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Aggregations[agg][op]["value"]
}

func TestSlicerCountsAgreeWithSessionList(t *testing.T) {
	ts := newTestServer(t)
	date := fmt.Sprintf(`{"field":{"fieldName":"date","fieldParent":"session"},"op":"gte","value":%d}`, testNow.AddDate(0, 0, -30).UnixMilli())
	filterSets := []struct{ name, session, event string }{
		{"none", "", ""},
		{"tags", tagExclusions, ""},
		{"tags+30 days", tagExclusions + "," + date, ""},
		{"duration", `{"field":{"fieldName":"duration","fieldParent":"session"},"op":"gte","value":600000}`, ""},
		{"event name", "", `{"field":{"fieldName":"eventName","fieldParent":"event"},"op":"eq","value":"c3d.sessionEnd"}`},
		{"or", `{"op":"or","children":[{"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.test"},"value":true},{"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.junk"},"value":true}]}`, ""},
	}
	for _, fs := range filterSets {
		t.Run(fs.name, func(t *testing.T) {
			body := strings.Replace(listBody(`,"includeEvents":true`, fs.session, 0, 500), `"eventFilters":[]`, `"eventFilters":[`+fs.event+`]`, 1)
			p := decodePage(t, post(t, ts, "/v0/datasets/sessions/paginatedListQueries", body))
			agg := `{"name":"main","operations":[{"name":"sessions","type":"sessionCount"},{"name":"events","type":"eventCount"},{"name":"dur","type":"sum","field":{"fieldName":"duration","fieldParent":"session"}}]}`
			res := post(t, ts, "/v0/datasets/sessions/slicerQueries", slicerBody(fs.session, fs.event, agg))
			if got := slicerValue(t, res, "main", "sessions"); got != float64(p.Count) {
				t.Errorf("slicer sessionCount = %v, paginatedListQueries count = %d", got, p.Count)
			}
			events, dur := 0, 0.0
			for _, r := range p.Results {
				dur += r["duration"].(float64)
				if fs.event == "" {
					events += len(r["events"].([]any))
				}
			}
			if got := slicerValue(t, res, "main", "dur"); got != dur {
				t.Errorf("slicer sum(duration) = %v, rows sum to %v", got, dur)
			}
			if fs.event == "" {
				if got := slicerValue(t, res, "main", "events"); got != float64(events) {
					t.Errorf("slicer eventCount = %v, rows carry %d events", got, events)
				}
			}
			if p.Count == 0 && fs.name != "or" {
				t.Errorf("filters %s match no session; the default world should have some", fs.name)
			}
		})
	}
}

func TestSlicerOutputTypes(t *testing.T) {
	ts := newTestServer(t)
	day := `{"name":"by_day","timeUnit":"day","timeValue":1,"field":{"fieldName":"date","fieldParent":"session"}}`
	week := `{"name":"by_week","timeUnit":"week","timeValue":1,"dayOfWeekOffset":1,"timeZone":"America/Vancouver","field":{"fieldName":"date","fieldParent":"session"}}`
	terms := `{"name":"by_version","maxTerms":64,"field":{"unnestedFieldName":"textualSessionProp","path":"c3d.app.version"}}`
	hist := `{"name":"by_duration","interval":600000,"field":{"fieldName":"duration","fieldParent":"session"}}`
	ops := `[{"name":"n","type":"sessionCount"},{"name":"avg","type":"average","field":{"fieldName":"duration","fieldParent":"session"}}]`
	for _, out := range []string{"legacy", "json0_keyed", "json0_list", "json0_key_y"} {
		for _, sl := range []string{``, day, terms, hist, terms + "," + week, hist + "," + day} {
			name := out + "/" + sl
			t.Run(name, func(t *testing.T) {
				agg := fmt.Sprintf(`{"name":"main","outputType":%q,"operations":%s,"sliceBys":[%s]}`, out, ops, sl)
				res := post(t, ts, "/v0/datasets/sessions/slicerQueries", slicerBody(tagExclusions, "", agg))
				mustOK(t, res, name)
				var body struct {
					Aggregations map[string]map[string]map[string]any `json:"aggregations"`
				}
				if err := json.Unmarshal(res.body, &body); err != nil {
					t.Fatal(err)
				}
				got := body.Aggregations["main"]["n"]
				dims := strings.Count(sl, `"name"`)
				switch {
				case out == "legacy" && dims == 0:
					if got["dimensionless"] != true || got["label"] != "n" {
						t.Errorf("legacy 0-D: %v", got)
					}
				case out == "legacy":
					if got["dimensionless"] != false || got["labels"] == nil || got["values"] == nil {
						t.Errorf("legacy %d-D: %v", dims, got)
					}
				case dims == 0:
					if _, ok := got["value"]; !ok || got["warnings"] == nil {
						t.Errorf("%s 0-D: %v", out, got)
					}
				case out == "json0_keyed":
					if _, ok := got["values"].(map[string]any); !ok {
						t.Errorf("json0_keyed: values is %T", got["values"])
					}
				default:
					if _, ok := got["values"].([]any); !ok {
						t.Errorf("%s: values is %T", out, got["values"])
					}
				}
			})
		}
	}
	bad := post(t, ts, "/v0/datasets/sessions/slicerQueries", slicerBody("", "", `{"name":"m","operations":[{"name":"x","type":"average","field":{"fieldName":"sessionId"}}]}`))
	if bad.status != http.StatusBadRequest {
		t.Errorf("average of a textual field: status %d, want 400", bad.status)
	}
}

func TestSlicerDiscoveryRoutes(t *testing.T) {
	ts := newTestServer(t)
	opts := do(t, ts, request{method: "GET", path: "/v0/datasets/sessions/slicerOptions", auth: keyReadWrite})
	mustOK(t, opts, "slicerOptions")
	for _, path := range []string{"/v0/datasets/sessions/slicerPropertyNameQueries", "/v0/propertyNameQueries"} {
		res := post(t, ts, path, `{"sessionType":"project","entityFilters":{"projectId":4460}}`)
		mustOK(t, res, path)
		m := res.json(t)
		if bools := m["booleanSessionProp"].([]any); !containsAny(bools, "c3d.session_tag.test") || !containsAny(bools, "c3d.session_tag.junk") {
			t.Errorf("%s: booleanSessionProp %v lacks the session tags", path, bools)
		}
		if len(m["textualSessionProp"].([]any)) == 0 || len(m["numericalSessionProp"].([]any)) == 0 {
			t.Errorf("%s: no textual or numerical session properties", path)
		}
	}
	vals := post(t, ts, "/v0/datasets/sessions/slicerFieldValuesQueries", `{"sessionType":"project","entityFilters":{"projectId":4460},"field":{"unnestedFieldName":"textualSessionProp","path":"c3d.app.version"},"maxTerms":256}`)
	mustOK(t, vals, "slicerFieldValuesQueries")
	if l := vals.list(t); len(l) == 0 {
		t.Error("slicerFieldValuesQueries: no values of c3d.app.version")
	}
	metric := post(t, ts, "/v0/datasets/sessions/slicerObjectMetricQueries", `{"entityFilters":{"projectId":4460,"sceneId":"2c2f0603-8f5c-4ff6-94ed-03542a4df34d","versionId":7012},"gazeType":"gaze","aggregations":"all","objectIds":["dyn_obj_42"]}`)
	mustOK(t, metric, "slicerObjectMetricQueries")
	single := post(t, ts, "/v0/datasets/sessions/slicerSingleObjectPerSessionMetricQueries", `{"projectId":"4460","sceneId":"2c2f0603-8f5c-4ff6-94ed-03542a4df34d","versionId":"7012","gazeType":"gaze","aggregations":"all","objectId":"dyn_obj_42"}`)
	mustOK(t, single, "slicerSingleObjectPerSessionMetricQueries")
	// The per-session metrics add up to the per-object totals.
	var per struct {
		Metrics map[string]map[string]float64 `json:"metrics"`
	}
	var all struct {
		Metrics map[string]map[string]any `json:"metrics"`
	}
	json.Unmarshal(single.body, &per)
	json.Unmarshal(metric.body, &all)
	total := 0.0
	for _, m := range per.Metrics {
		total += m["totalGazeCount"]
	}
	if got := all.Metrics["dyn_obj_42"]["totalGazeCount"]; got != total {
		t.Errorf("object totalGazeCount %v, per-session sum %v", got, total)
	}
}

func containsAny(l []any, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}
