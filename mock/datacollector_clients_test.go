package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The local loop c3dmock exists for: an SDK uploads a whole session to the
// Data Collector, then the official Python and R clients read the project
// with their default requests. The session must be in every answer, with
// one start, end and duration everywhere.

// clientFilters are the sessionFilters both official clients send by
// default (spec/spec_test.go: testJunkFilters): the test/junk exclusions, a
// start date and a minimum duration of 0.
func clientFilters(sinceMs int64) string {
	return tagExclusions + fmt.Sprintf(`,{"op":"gte","field":{"fieldName":"date","fieldParent":"session"},"value":%d},`+
		`{"op":"gte","field":{"fieldName":"duration","fieldParent":"session"},"value":0}`, sinceMs)
}

// The request bodies of the clients' defaults (api.md SE1, OB8, OB9, EP6).
func clientBodies(since int64) map[string]string {
	f := clientFilters(since)
	objectives := `"sessionFilters":[` + f + `],"eventFilters":[],"separableEventFilters":[],"userFilters":[]`
	return map[string]string{
		"sessions": `{"page":0,"limit":100,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},` +
			`"entityFilters":{"projectId":4460},"sessionFilters":[` + f + `],"eventFilters":[],"objectiveFilters":[],` +
			`"userFilters":[],"sessionType":"project","includeEvents":false,"includeAllObjectiveData":false}`,
		"events": `{"page":0,"limit":100,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},` +
			`"entityFilters":{"projectId":4460},"sessionFilters":[` + f + `],"sessionType":"project","includeEvents":true}`,
		"scene": `{"page":0,"limit":100,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},` +
			`"entityFilters":{"projectId":4460,"sceneId":"` + sceneDemo + `","versionId":7012},"sessionFilters":[` + f + `],` +
			`"sessionType":"scene","includeAllObjectiveData":true}`,
		"byVersion":   `{"projectId":4460,"sliceByObjectiveVersion":true,` + objectives + `}`,
		"byObjective": `{"projectId":4460,"sliceByObjective":true,` + objectives + `}`,
		"steps829":    `{"projectId":4460,"objectiveVersionId":829,` + objectives + `}`,
		"exitpoll":    `{"sessionFilters":[{"op":"and","children":[` + f + `]}]}`,
	}
}

// clientAnswers is what the default requests return, reduced to counts.
type clientAnswers struct {
	succeeded, failed map[string]float64 // "v<version>" and "o<objective>" → counts
	steps829          map[float64]float64
	scale7            float64 // responseCountQueries: answers "7" to question 1 (SCALE)
}

func readClientAnswers(t *testing.T, public *httptest.Server, bodies map[string]string) clientAnswers {
	t.Helper()
	a := clientAnswers{succeeded: map[string]float64{}, failed: map[string]float64{}, steps829: map[float64]float64{}}
	var rows []map[string]any
	for _, k := range []string{"byVersion", "byObjective"} {
		res := post(t, public, "/v0/datasets/objectives/objectiveResultQueries", bodies[k])
		mustOK(t, res, "objectiveResultQueries "+k)
		decodeInto(t, res.body, &rows)
		for _, r := range rows {
			key := fmt.Sprintf("o%v", r["objectiveId"])
			if k == "byVersion" {
				key = fmt.Sprintf("v%v", r["objectiveVersionId"])
			}
			a.succeeded[key], a.failed[key] = r["succeeded"].(float64), r["failed"].(float64)
		}
	}
	res := post(t, public, "/v0/datasets/objectives/objectiveStepResultQueries", bodies["steps829"])
	mustOK(t, res, "objectiveStepResultQueries")
	decodeInto(t, res.body, &rows)
	for _, r := range rows {
		a.steps829[r["step"].(float64)] = r["succeeded"].(float64)
	}
	// The Python client also asks for every version's steps at once.
	mustOK(t, post(t, public, "/v0/datasets/objectives/objectiveStepResultQueries", bodies["byVersion"]), "objectiveStepResultQueries by version")
	res = post(t, public, "/v0/projects/4460/questionSets/assessment_end_survey/1/responseCountQueries", bodies["exitpoll"])
	mustOK(t, res, "responseCountQueries")
	var counts [][]map[string]any
	decodeInto(t, res.body, &counts)
	for _, c := range counts[1] {
		if c["value"] == "7" {
			a.scale7 = c["count"].(float64)
		}
	}
	return a
}

func decodeInto(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %.300s: %v", b, err)
	}
}

// findRow returns the row of a session in a paginatedListQueries answer.
func findRow(t *testing.T, res response, id, what string) map[string]any {
	t.Helper()
	mustOK(t, res, what)
	for _, r := range decodePage(t, res).Results {
		if r["sessionId"] == id {
			return r
		}
	}
	t.Fatalf("%s: the uploaded session %s is not in the answer", what, id)
	return nil
}

func TestUploadedSessionInClientDefaults(t *testing.T) {
	data, public := newDataServers(t, 0)
	const (
		t0      = 1793527200 // testNow − 2h, epoch seconds
		device  = "c0ffee00c0ffee00c0ffee00c0ffee00"
		session = "1793527200_" + device
	)
	start, end := int64(t0)*1000, int64(t0+90)*1000
	bodies := clientBodies(testNow.Add(-30 * 24 * time.Hour).UnixMilli())
	before := readClientAnswers(t, public, bodies)

	// An SDK-shaped session: the batches' timestamp is 15 ms after its first
	// event; the SDK's own c3d.session_tag.test is ignored.
	ingest := func(stream string, part int, extra, items string) {
		t.Helper()
		body := fmt.Sprintf(`{"userid":%q,"timestamp":%.3f,"sessionid":%q,"part":%d,"formatversion":"1.0"%s,"data":[%s]}`,
			device, float64(t0)+0.015, session, part, extra, items)
		res := do(t, data, request{method: "POST", path: "/v0/" + stream + "/" + sceneDemo + "?version=2", auth: keyApp, body: body})
		mustStatus(t, res, 200, "POST "+stream)
	}
	gaze := func(sec float64, obj string) string {
		o := ""
		if obj != "" {
			o = fmt.Sprintf(`,"o":%q`, obj)
		}
		return fmt.Sprintf(`{"time":%.3f,"p":[0,1.6,0],"r":[0,0,0,1],"g":[0,1.5,2]%s}`, float64(t0)+sec, o)
	}
	event := func(name string, sec float64) string {
		return fmt.Sprintf(`{"name":%q,"time":%.3f,"point":[1,2,3],"properties":{}}`, name, float64(t0)+sec)
	}
	ingest("gaze", 1, `,"hmdtype":"Quest 3","interval":0.1,"properties":{"c3d.participant.id":"loop-1","c3d.participant.name":"Loop",`+
		`"c3d.app.name":"loop","c3d.device.hmd.type":"Quest 3","c3d.session_tag.test":true}`,
		gaze(0.1, "")+","+gaze(5, "obj_abc")+","+gaze(10, ""))
	ingest("events", 1, "", event("c3d.sessionStart", 0)+","+event("c3d.tutorial.start", 2)+","+
		event("c3d.tutorial.finish", 20)+","+event("c3d.nav.open_menu", 25))
	ingest("sensors", 1, "", fmt.Sprintf(`{"name":"c3d.fps.avg","data":[[%d,72],[%d,70]]}`, t0+1, t0+30))
	ingest("gaze", 2, "", gaze(30, "")+","+gaze(40, ""))
	// The exit poll, as the SDK sends it: the hook's question set, then the answers.
	mustStatus(t, do(t, data, request{method: "GET", path: "/v0/questionSetHooks/training_end/questionSet", auth: keyApp}), 200, "hook")
	res := do(t, data, request{method: "POST", path: "/v0/questionSets/assessment_end_survey/1/responses", auth: keyApp,
		body: `{"hook":"training_end","userId":"` + device + `","sceneId":"` + sceneDemo + `","sessionId":"` + session + `",` +
			`"questionSetId":"assessment_end_survey:1","answers":[{"type":"THUMBS","value":1},{"type":"SCALE","value":7},` +
			`{"type":"HAPPYSAD","value":1},{"type":"VOICE","value":"UklGRg=="}]}`})
	mustStatus(t, res, 200, "post answers")
	ingest("fixations", 1, "", fmt.Sprintf(`{"time":%d,"duration":250,"maxradius":0.1,"objectid":"checkout_btn","p":[1,1,1]}`, t0+50))
	ingest("events", 2, "", event("c3d.sessionEnd", 90))
	ingest("gaze", 3, "", gaze(90, ""))

	// Times: one definition everywhere.
	checkTimes := func(what string, row map[string]any) {
		t.Helper()
		if row["startTime"] != float64(start) || row["date"] != isoUTC(start) || row["endDate"] != isoUTC(end) || row["duration"] != float64(end-start) {
			t.Errorf("%s: startTime %v date %v endDate %v duration %v; want %d %s %s %d", what,
				row["startTime"], row["date"], row["endDate"], row["duration"], start, isoUTC(start), isoUTC(end), end-start)
		}
	}
	row := findRow(t, post(t, public, "/v0/datasets/sessions/paginatedListQueries", bodies["sessions"]), session, "sessions")
	checkTimes("project row", row)
	props := row["properties"].(map[string]any)
	if props["c3d.session_tag.test"] != false || props["c3d.session_tag.junk"] != false {
		t.Errorf("tag properties: test %v junk %v, want false and false", props["c3d.session_tag.test"], props["c3d.session_tag.junk"])
	}

	row = findRow(t, post(t, public, "/v0/datasets/sessions/paginatedListQueries", bodies["events"]), session, "events")
	var names []string
	for _, e := range row["events"].([]any) {
		ev := e.(map[string]any)
		names = append(names, ev["name"].(string))
		if d := ev["date"].(string); d < isoUTC(start) || d > isoUTC(end) {
			t.Errorf("event %v at %s lies outside the session [%s, %s]", ev["name"], d, isoUTC(start), isoUTC(end))
		}
	}
	if len(names) < 5 || names[0] != "c3d.sessionStart" || names[len(names)-1] != "c3d.sessionEnd" {
		t.Errorf("events: %v", names)
	}

	row = findRow(t, post(t, public, "/v0/datasets/sessions/paginatedListQueries", bodies["scene"]), session, "scene sessions")
	checkTimes("scene row", row)
	results := row["objectiveResults"].(map[string]any)
	for version, want := range map[string]string{"829": "succeeded", "900": "succeeded", "910": "failed"} {
		steps, _ := results[version].([]any)
		if len(steps) == 0 {
			t.Errorf("objectiveResults[%s]: none", version)
			continue
		}
		first := steps[0].(map[string]any)
		if first["timestamp"] != float64(start) {
			t.Errorf("objectiveResults[%s]: step 1 begins at %v, want the session start %d", version, first["timestamp"], start)
		}
		last := steps[len(steps)-1].(map[string]any)
		if last["result"] != want {
			t.Errorf("objectiveResults[%s]: last step %v, want %s", version, last["result"], want)
		}
	}

	single := post(t, public, "/v0/datasets/sessions/singleQueries", fmt.Sprintf(`{"projectId":4460,"sceneId":%q,"sessionId":%q,"versionId":7012}`, sceneDemo, session))
	mustOK(t, single, "singleQueries")
	var detail map[string]any
	decodeInto(t, single.body, &detail)
	checkTimes("singleQueries", detail)
	proj := post(t, public, "/v0/datasets/sessions/singleProjectSessionQueries", fmt.Sprintf(`{"projectId":4460,"sessionId":%q,"attachSceneSessionData":true,"includeObjectiveData":true}`, session))
	mustOK(t, proj, "singleProjectSessionQueries")
	decodeInto(t, proj.body, &detail)
	checkTimes("singleProjectSessionQueries", detail)
	multi := post(t, public, "/v0/datasets/sessions/multiQueries", fmt.Sprintf(`{"projectId":4460,"sceneId":%q,"versionId":7012,"sdkSessionIds":[%q]}`, sceneDemo, session))
	mustOK(t, multi, "multiQueries")
	var byID map[string]map[string]any
	decodeInto(t, multi.body, &byID)
	checkTimes("multiQueries", byID[session])
	for _, e := range detail["events"].([]any) {
		if ev := e.(map[string]any); strings.Contains(ev["name"].(string), "exitpoll") {
			if d := ev["date"].(string); d < isoUTC(start) || d > isoUTC(end) {
				t.Errorf("ExitPoll answer at %s lies outside the session", d)
			}
		}
	}

	csv := do(t, public, request{method: "GET", path: "/v0/projects/4460/objectiveVersions/829/results.csv?excludeJunkAndTestSessions=true&targetNewObjectives=true", auth: keyReadWrite})
	mustOK(t, csv, "results.csv")
	if !strings.Contains(string(csv.body), session+",loop-1,"+isoUTC(start)) {
		t.Errorf("results.csv lacks the session with its start %s", isoUTC(start))
	}

	after := readClientAnswers(t, public, bodies)
	for key, d := range map[string][2]float64{"v829": {1, 0}, "v900": {1, 0}, "v910": {0, 1}, "o268": {1, 0}, "o310": {1, 0}, "o315": {0, 1}} {
		if got := [2]float64{after.succeeded[key] - before.succeeded[key], after.failed[key] - before.failed[key]}; got != d {
			t.Errorf("objectiveResultQueries %s: succeeded/failed grew by %v, want %v", key, got, d)
		}
	}
	for step := 1.0; step <= 3; step++ {
		if got := after.steps829[step] - before.steps829[step]; got != 1 {
			t.Errorf("objectiveStepResultQueries 829 step %v: succeeded grew by %v, want 1", step, got)
		}
	}
	if got := after.scale7 - before.scale7; got != 1 {
		t.Errorf("responseCountQueries: answers 7 to the SCALE question grew by %v, want 1", got)
	}
}

func isoUTC(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") }

// A session that answered its ExitPoll before any batch starts where its
// data start, keeps its answer inside its span, and keeps a tag set through
// the public API while more batches arrive.
func TestUploadedSessionStartAndTags(t *testing.T) {
	data, public := newDataServers(t, 0)
	const session = "1793527200_feed"
	res := do(t, data, request{method: "POST", path: "/v0/questionSets/assessment_end_survey/1/responses", auth: keyApp,
		body: `{"hook":"training_end","sceneId":"` + sceneDemo + `","sessionId":"` + session + `","answers":[{"type":"THUMBS","value":1},` +
			`{"type":"SCALE","value":5},{"type":"HAPPYSAD","value":0},{"type":"VOICE","value":null}]}`})
	mustStatus(t, res, 200, "answers first")
	batch := func(part int, sec float64) {
		t.Helper()
		body := fmt.Sprintf(`{"userid":"feed","timestamp":1793527200,"sessionid":%q,"part":%d,"data":[{"name":"tick","time":%.3f,"point":[0,0,0]}]}`,
			session, part, 1793527200+sec)
		mustStatus(t, do(t, data, request{method: "POST", path: "/v0/events/" + sceneDemo + "?version=2", auth: keyApp, body: body}), 200, "events")
	}
	batch(1, 30)
	batch(2, -5) // a batch with data before the session id's second
	bodies := clientBodies(testNow.Add(-30 * 24 * time.Hour).UnixMilli())
	start, end := int64(1793527195000), int64(1793527230000)
	row := findRow(t, post(t, public, "/v0/datasets/sessions/paginatedListQueries", bodies["sessions"]), session, "sessions")
	if row["startTime"] != float64(start) || row["duration"] != float64(end-start) {
		t.Errorf("startTime %v duration %v, want %d and %d", row["startTime"], row["duration"], start, end-start)
	}
	scene := findRow(t, post(t, public, "/v0/datasets/sessions/paginatedListQueries", bodies["scene"]), session, "scene sessions")
	if scene["startTime"] != row["startTime"] || scene["endDate"] != row["endDate"] {
		t.Errorf("scene row %v–%v, project row %v–%v", scene["startTime"], scene["endDate"], row["startTime"], row["endDate"])
	}
	r := do(t, public, request{method: "GET", path: "/v0/projects/4460/questionSets/assessment_end_survey/1/responses?limit=1000&page=0", auth: keyReadWrite})
	mustOK(t, r, "responses")
	var page struct {
		Results []map[string]any `json:"results"`
	}
	decodeInto(t, r.body, &page)
	n := 0
	for _, a := range page.Results {
		if a["sessionId"] == session {
			n++
			if ts := int64(a["timestamp"].(float64)); ts < start || ts > end {
				t.Errorf("answer at %d lies outside the session [%d, %d]", ts, start, end)
			}
		}
	}
	if n == 0 {
		t.Errorf("ExitPoll responses lack the session's answers")
	}

	res = do(t, public, request{method: "PUT", path: "/v0/projects/4460/sessions/" + session + "/tags/junk", auth: keyReadWrite, body: `{"value":true}`})
	mustOK(t, res, "tag junk")
	batch(3, 40)
	list := post(t, public, "/v0/datasets/sessions/paginatedListQueries", bodies["sessions"])
	mustOK(t, list, "sessions")
	for _, r := range decodePage(t, list).Results {
		if r["sessionId"] == session {
			t.Errorf("a session tagged junk is in the clients' default list: %v", r["properties"].(map[string]any)["c3d.session_tag.junk"])
		}
	}
}
