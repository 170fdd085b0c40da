package mock_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/c3dmock/c3dmock/mock"
)

// The payloads below replay the shapes the vendor's SDKs send (api.md,
// appendix "third research pass" §1): media gaze, GPS and room anchors on
// gaze samples and Unity's subscriptions on the batch; sensor batches with
// formatversion "2.0" and per-sensor rate limits (sensorHzLimited as the
// STRING "true"); dynamic snapshots whose properties are an array of
// single-key objects and manifest entries with controller properties and an
// external video source.
const fidelitySession = "1793530900_0a1b2c3d4e5f60718293a4b5c6d7e8f9"

var fidelityBatches = []struct{ stream, body string }{
	{"gaze", `{"userid":"0a1b2c3d4e5f60718293a4b5c6d7e8f9","timestamp":1793530900,"sessionid":"` + fidelitySession + `","part":1,` +
		`"formatversion":"1.0","hmdtype":"Meta Quest 3","interval":0.1,` +
		`"subscriptions":{"planType":"pro","entitlements":{"can_access_eye_tracking":true}},` +
		`"data":[{"time":1793530900.1,"p":[0,1.6,0],"r":[0,0,0,1],"g":[0,1.5,2],"mediaId":"video_abc","mediatime":1250,"uvs":[0.25,0.75]},` +
		`{"time":1793530900.2,"p":[0,1.6,0],"r":[0,0,0,1],"gpsloc":[49.28,-123.12,70],"compass":182.5,"ra":[0.5,0,0.5]}]}`},
	{"sensors", `{"userid":"0a1b2c3d4e5f60718293a4b5c6d7e8f9","timestamp":1793530900,"sessionid":"` + fidelitySession + `","part":1,` +
		`"formatversion":"2.0","sessiontype":"sensor","data":[{"name":"c3d.fps.avg","sensorHzLimitType":"throttle","sensorHzLimited":"true",` +
		`"data":[[1793530901,72],[1793530902,71]]}]}`},
	{"dynamics", `{"userid":"0a1b2c3d4e5f60718293a4b5c6d7e8f9","timestamp":1793530900,"sessionid":"` + fidelitySession + `","part":1,` +
		`"formatversion":"1.0","manifest":{"ctrl_left":{"name":"Left Controller","mesh":"vivecontroller","fileType":"gltf",` +
		`"controllerType":"vivecontroller","properties":{"controller":"left"}},"video_wall":{"name":"Video Wall","mesh":"plane",` +
		`"fileType":"gltf","externalVideoSource":"https://example.com/intro.mp4"}},` +
		`"data":[{"id":"video_wall","time":1793530903,"p":[0,2,4],"r":[0,0,0,1],"properties":[{"enabled":true},{"c3d.video.isPlaying":true}]}]}`},
}

func postFidelityBatches(t *testing.T, data *httptest.Server) {
	t.Helper()
	for _, b := range fidelityBatches {
		res := do(t, data, request{method: "POST", path: "/v0/" + b.stream + "/" + sceneDemo + "?version=2", auth: keyApp, body: b.body})
		mustStatus(t, res, http.StatusOK, "POST "+b.stream)
	}
}

// TestSDKFieldsKept posts the SDK shapes and reads every modelled field back
// from jsonRequests (ALL, with metadata) and from jsonZipRequest.
func TestSDKFieldsKept(t *testing.T) {
	data, public := newDataServers(t, 0)
	postFidelityBatches(t, data)

	res := post(t, public, "/v0/projects/4460/sessions/"+fidelitySession+"/jsonRequests",
		`{"sessionId":"`+fidelitySession+`","jsonType":"ALL","addMetadata":true}`)
	mustOK(t, res, "jsonRequests")
	var doc struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(res.body, &doc); err != nil {
		t.Fatal(err)
	}
	checkFidelity(t, "jsonRequests", doc.Data)

	zres := do(t, public, request{method: "GET", path: "/v0/projects/4460/sessions/" + fidelitySession + "/jsonZipRequest", auth: keyReadWrite})
	mustOK(t, zres, "jsonZipRequest")
	zr, err := zip.NewReader(bytes.NewReader(zres.body), int64(len(zres.body)))
	if err != nil {
		t.Fatal(err)
	}
	merged := map[string]json.RawMessage{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		var d struct {
			Data map[string]json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for k, v := range d.Data {
			merged[k] = v
		}
	}
	checkFidelity(t, "jsonZipRequest", merged)
}

func checkFidelity(t *testing.T, where string, data map[string]json.RawMessage) {
	t.Helper()
	has := func(key string, parts ...string) {
		t.Helper()
		for _, p := range parts {
			if !bytes.Contains(data[key], []byte(p)) {
				t.Errorf("%s: data.%s lacks %s: %.600s", where, key, p, data[key])
			}
		}
	}
	has("gaze", `"mediaId":"video_abc"`, `"mediatime":1250`, `"uvs":[0.25,0.75]`, `"gpsloc":[49.28,-123.12,70]`, `"compass":182.5`, `"ra":[0.5,0,0.5]`)
	has("sensors", `"sensorHzLimitType":"throttle"`, `"sensorHzLimited":"true"`)
	has("dynamics", `"properties":[{"enabled":true},{"c3d.video.isPlaying":true}]`)
	has("dynamics.manifest", `"properties":{"controller":"left"}`, `"externalVideoSource":"https://example.com/intro.mp4"`)
	var sensors []map[string]any
	if err := json.Unmarshal(data["sensors"], &sensors); err != nil || len(sensors) != 2 {
		t.Errorf("%s: sensors %v %.300s: want both samples", where, err, data["sensors"])
	}
	if where == "jsonRequests" {
		has("metadata", `"subscriptions":{"entitlements":{"can_access_eye_tracking":true},"planType":"pro"}`, `"formatVersions":{`, `"sensors":"2.0"`)
	}
}

// TestSDKFieldTypes: the modelled fields are typed; a wrong type is a 400
// naming the field, the types the SDKs really send are accepted.
func TestSDKFieldTypes(t *testing.T) {
	data, _ := newDataServers(t, 0)
	gaze := func(extra string) string {
		return `{"timestamp":1793530900,"sessionid":"` + fidelitySession + `","data":[{"time":1793530900.1,"p":[0,1,0],"r":[0,0,0,1]` + extra + `}]}`
	}
	sensor := func(extra string) string {
		return `{"timestamp":1793530900,"sessionid":"` + fidelitySession + `","formatversion":"2.0","data":[{"name":"s"` + extra + `,"data":[[1793530901,1]]}]}`
	}
	dyn := func(props string) string {
		return `{"timestamp":1793530900,"sessionid":"` + fidelitySession + `","data":[{"id":"x","time":1793530901,"properties":` + props + `}]}`
	}
	for _, tt := range []struct {
		stream, body string
		want         int
		field        string
	}{
		{"gaze", gaze(`,"mediaId":"m","mediatime":0,"uvs":[0,1]`), 200, ""},
		{"gaze", gaze(`,"mediaId":7`), 400, "/data/0/mediaId"},
		{"gaze", gaze(`,"uvs":[0.5]`), 400, "/data/0/uvs"},
		{"gaze", gaze(`,"compass":"north"`), 400, "/data/0/compass"},
		{"sensors", sensor(`,"sensorHzLimited":"true","sensorHzLimitType":"throttle"`), 200, ""},
		{"sensors", sensor(`,"sensorHzLimited":true`), 200, ""},
		{"sensors", sensor(`,"sensorHzLimited":1`), 400, "/data/0/sensorHzLimited"},
		{"dynamics", dyn(`{"enabled":true}`), 200, ""},
		{"dynamics", dyn(`[{"enabled":true},{"c3d.video.isPlaying":false}]`), 200, ""},
		{"dynamics", dyn(`[{"a":1,"b":2}]`), 400, "/data/0/properties"},
		{"dynamics", dyn(`"enabled"`), 400, "/data/0/properties"},
	} {
		res := do(t, data, request{method: "POST", path: "/v0/" + tt.stream + "/" + sceneDemo + "?version=2", auth: keyApp, body: tt.body})
		if res.status != tt.want {
			t.Errorf("%s %s: status %d, want %d: %s", tt.stream, tt.body, res.status, tt.want, res.body)
			continue
		}
		if tt.field != "" && !strings.Contains(string(res.body), `"field":"`+tt.field) {
			t.Errorf("%s %s: error does not name %s: %s", tt.stream, tt.body, tt.field, res.body)
		}
	}
}

// TestExitPollSDKFields replays Unity's FormatExitpoll body: versionNumber,
// versionId and lobbyId ride along, skipped answers are -32768. The version
// it names is the one the answers are filed under.
func TestExitPollSDKFields(t *testing.T) {
	data, public := newDataServers(t, 0)
	qs := do(t, data, request{method: "GET", path: "/v0/questionSetHooks/training_end/questionSet", auth: keyApp})
	mustStatus(t, qs, http.StatusOK, "hook question set")
	n := len(qs.json(t)["questions"].([]any))
	answers := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = `{"type":"SCALE","value":-32768}`
		}
		out[0] = `{"type":"SCALE","value":3}`
		return strings.Join(out, ",")
	}
	body := func(version string, k int) string {
		return `{"hook":"training_end","userId":"u","sceneId":"` + sceneDemo + `","sessionId":"` + fidelitySession + `",` +
			`"questionSetId":"assessment_end_survey:1","questionSetName":"assessment_end_survey","questionSetVersion":1,` +
			version + `"lobbyId":"lobby-7","answers":[` + answers(k) + `]}`
	}
	path := "/v0/questionSets/assessment_end_survey/1/responses"
	mustStatus(t, do(t, data, request{method: "POST", path: path, auth: keyApp, body: body(`"versionNumber":1,"versionId":7011,`, n)}), 200, "answers with versionId")
	for _, tt := range []struct{ version, field string }{
		{`"versionId":7012,"versionNumber":2,"sceneId":"` + sceneOther + `",`, "/versionId"},
		{`"versionId":999999,`, "/versionId"},
		{`"versionNumber":9,`, "/versionNumber"},
	} {
		b := strings.Replace(body(tt.version, n), `"sceneId":"`+sceneDemo+`",`, "", strings.Count(tt.version, "sceneId"))
		res := do(t, data, request{method: "POST", path: path, auth: keyApp, body: b})
		if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: status %d, want 400 naming %s: %s", tt.version, res.status, tt.field, res.body)
		}
	}
	// The count rule is inferred ([I]) but enforced: one answer per question.
	res := do(t, data, request{method: "POST", path: path, auth: keyApp, body: body(`"versionNumber":1,`, n+1)})
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), `"rule":"length"`) {
		t.Errorf("answer count %d of %d: status %d: %s", n+1, n, res.status, res.body)
	}

	r := do(t, public, request{method: "GET", path: "/v0/projects/4460/questionSets/assessment_end_survey/1/responses?limit=1000&page=0", auth: keyReadWrite})
	mustOK(t, r, "listQuestionSetResponses")
	var page struct {
		Results []struct {
			SessionID          string `json:"sessionId"`
			SceneVersionNumber *int   `json:"sceneVersionNumber"`
			Skipped            bool   `json:"skipped"`
		} `json:"results"`
	}
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	got, skipped := 0, 0
	for _, row := range page.Results {
		if row.SessionID != fidelitySession {
			continue
		}
		got++
		if row.SceneVersionNumber == nil || *row.SceneVersionNumber != 1 {
			t.Errorf("answer filed under version %v, want 1 (versionId 7011)", row.SceneVersionNumber)
		}
		if row.Skipped {
			skipped++
		}
	}
	if got != n || skipped != n-1 {
		t.Errorf("%d rows (%d skipped), want %d (%d skipped): %s", got, skipped, n, n-1, fmt.Sprint(page.Results))
	}
}

// TestEditorHooksShape reads GET /v0/hooks as Unity's editor does: a bare
// array of {name, description, active, questionSetId}.
func TestEditorHooksShape(t *testing.T) {
	data, _ := newDataServers(t, 0)
	for _, key := range []string{keyDeveloper, keyApp} {
		res := do(t, data, request{method: "GET", path: "/v0/hooks", auth: key})
		mustStatus(t, res, http.StatusOK, "GET /v0/hooks")
		var hooks []struct {
			Name          string  `json:"name"`
			Description   *string `json:"description"`
			Active        *bool   `json:"active"`
			QuestionSetID string  `json:"questionSetId"`
		}
		if err := json.Unmarshal(res.body, &hooks); err != nil {
			t.Fatalf("hooks are not a bare array of objects: %v: %s", err, res.body)
		}
		got := map[string]string{}
		for _, h := range hooks {
			if h.Description == nil || h.Active == nil {
				t.Fatalf("hook %s lacks description or active: %s", h.Name, res.body)
			}
			got[h.Name] = fmt.Sprintf("%s|%v|%s", *h.Description, *h.Active, h.QuestionSetID)
		}
		want := map[string]string{
			"training_start": "Before the training starts|true|assessment_begin_survey:2",
			"training_end":   "After the training ends|true|assessment_end_survey:1",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("hooks of project 4460: %v, want %v", got, want)
		}
	}
}

// TestEditorMediaShape: media uploaded through the public API is listed on
// the Data Collector in the editors' shape; archived items are not, and a
// deleted item disappears.
func TestEditorMediaShape(t *testing.T) {
	data, public := newDataServers(t, 0)
	type source struct {
		UploadID    string `json:"uploadId"`
		Name        string `json:"name"`
		Description string `json:"description"`
		FileName    string `json:"fileName"`
	}
	list := func() map[string]source {
		t.Helper()
		res := do(t, data, request{method: "GET", path: "/v0/media", auth: keyDeveloper})
		mustStatus(t, res, http.StatusOK, "GET /v0/media")
		var l []source
		if err := json.Unmarshal(res.body, &l); err != nil {
			t.Fatalf("media is not a bare array: %v: %s", err, res.body)
		}
		out := map[string]source{}
		for _, s := range l {
			out[s.Name] = s
		}
		return out
	}
	before := list()
	if len(before) == 0 {
		t.Fatal("the default world's project 4460 lists no media on the Data Collector")
	}
	if _, ok := before["Old Safety Poster"]; ok {
		t.Error("an archived media item is listed")
	}
	if a := before["Breaker Panel Diagram"]; a.FileName != "source_breaker_panel_diagram.png" || a.Description != "Wiring of the main breaker panel" || a.UploadID == "" {
		t.Errorf("seeded item: %+v", a)
	}
	up := do(t, public, request{method: "POST", path: "/v0/projects/4460/media?name=Lobby%20Video&description=Welcome", auth: keyReadWrite,
		body: string(encodePNG(t)), contentType: "image/png"})
	if up.status != http.StatusCreated && up.status != http.StatusOK {
		t.Fatalf("upload: %d %s", up.status, up.body)
	}
	m := up.json(t)
	after := list()
	got := after["Lobby Video"]
	if got.UploadID != fmt.Sprint(m["uploadId"]) || got.Description != "Welcome" || got.FileName != fmt.Sprint(m["fileName"]) {
		t.Errorf("uploaded item on the Data Collector: %+v, public answer %v", got, m)
	}
	if len(after) != len(before)+1 {
		t.Errorf("%d items after one upload, want %d", len(after), len(before)+1)
	}
	mustStatus(t, do(t, public, request{method: "DELETE", path: fmt.Sprintf("/v0/projects/4460/media/%v", m["id"]), auth: keyReadWrite}), http.StatusNoContent, "delete media")
	if _, ok := list()["Lobby Video"]; ok {
		t.Error("a deleted media item is still listed")
	}
}

// TestFloatRemoteVariables: a `float` variable (Unreal RemoteControls.cpp
// reads type "float" from valueFloat) created through the public API, with a
// float override and a float A/B arm, reaches the SDK through the Data
// Collector with valueFloat.
func TestFloatRemoteVariables(t *testing.T) {
	data, public := newDataServers(t, 0)
	pub := func(method, path, body string) response {
		t.Helper()
		return do(t, public, request{method: method, path: "/v0/projects/4460" + path, auth: keyReadWrite, body: body})
	}
	created := func(r response, what string) {
		t.Helper()
		if r.status != http.StatusCreated {
			t.Fatalf("%s: %d %s", what, r.status, r.body)
		}
	}
	res := pub("POST", "/remoteVariables", `{"name":"JumpHeight","valueFloat":2.5}`)
	created(res, "create float variable")
	v := res.json(t)
	if v["type"] != "float" || fmt.Sprint(v["valueFloat"]) != "2.5" {
		t.Fatalf("created variable: %s", res.body)
	}
	vid := fmt.Sprint(v["id"])
	if got := pub("GET", "/remoteVariables/"+vid, ""); !bytes.Contains(got.body, []byte(`"valueFloat":2.5`)) {
		t.Errorf("read back: %d %s", got.status, got.body)
	}
	for _, tt := range []struct{ path, body, field string }{
		{"/remoteVariables", `{"name":"Both","valueFloat":1.5,"valueInt":2}`, "/valueFloat"},
		{"/remoteVariables", `{"name":"Bad","valueFloat":"fast"}`, "/valueFloat"},
		{"/remoteConfigurations", `{"name":"wrong-type","remoteVariableId":` + vid + `,"overrideValueInt":3}`, "/overrideValueInt"},
	} {
		if r := pub("POST", tt.path, tt.body); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `"field":"`+tt.field+`"`) {
			t.Errorf("POST %s %s: %d %s, want 400 naming %s", tt.path, tt.body, r.status, r.body, tt.field)
		}
	}
	created(pub("POST", "/remoteConfigurations", `{"name":"high-jump","remoteVariableId":`+vid+`,"overrideValueFloat":3.75}`), "float override")
	created(pub("POST", "/abTests", `{"name":"jump-test","remoteVariableId":`+vid+`,"remoteVariableProbability":0,"isEnabled":true,`+
		`"abTestVariables":[{"valueFloat":9.5,"probability":100}]}`), "float A/B test")

	for _, path := range []string{"/v0/remotevariables?identifier=p1", "/v0/appvariables?identifier=p1"} {
		got := do(t, data, request{method: "GET", path: path, auth: keyApp})
		mustStatus(t, got, http.StatusOK, path)
		for _, want := range []string{
			`"name":"high-jump","remoteVariableName":"JumpHeight","type":"float","valueFloat":3.75`,
			`"name":"jump-test","remoteVariableName":"JumpHeight","type":"float","valueFloat":9.5`,
		} {
			if !bytes.Contains(got.body, []byte(want)) {
				t.Errorf("%s lacks %s: %s", path, want, got.body)
			}
		}
	}
}

// TestErrorBodyStatus: error bodies are one shape on both hosts and carry
// the integer HTTP status; with ErrorCode "status" (serve --error-code
// status) code itself is that integer - the vendor's C++ SDK reads it so -
// and the name moves to "error".
func TestErrorBodyStatus(t *testing.T) {
	type body struct {
		Code   any    `json:"code"`
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	for _, mode := range []string{"", mock.ErrorCodeName, mock.ErrorCodeStatus} {
		srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Seed: 1, Sessions: 20, ErrorCode: mode})
		if err != nil {
			t.Fatal(err)
		}
		public := httptest.NewServer(srv)
		data := httptest.NewServer(srv.DataHandler())
		for _, tt := range []struct {
			ts                 *httptest.Server
			method, path, auth string
			status             int
			name               string
		}{
			{public, "GET", "/v0/projects/4460", "", 401, "unauthorized"},
			{public, "GET", "/v0/projects/999999", keyReadWrite, 404, "not_found"},
			{public, "DELETE", "/v0/organizations/apiKeys/whoami", keyReadWrite, 405, "method_not_allowed"},
			{data, "POST", "/v0/gaze/" + sceneDemo + "?version=2", keyApp, 400, "invalid_request"},
			{data, "GET", "/v0/user", keyDevExpired, 401, "key_expired"},
			{data, "GET", "/v0/questionSetHooks/nope/questionSet", keyApp, 404, "not_found"},
		} {
			res := do(t, tt.ts, request{method: tt.method, path: tt.path, auth: tt.auth, body: map[bool]string{true: `{"sessionid":""}`}[tt.method == "POST"]})
			var b body
			if err := json.Unmarshal(res.body, &b); err != nil || res.status != tt.status {
				t.Fatalf("mode %q %s %s: %d %s", mode, tt.method, tt.path, res.status, res.body)
			}
			if b.Status != tt.status {
				t.Errorf("mode %q %s %s: status field %d, want %d", mode, tt.method, tt.path, b.Status, tt.status)
			}
			if mode == mock.ErrorCodeStatus {
				if b.Code != float64(tt.status) || b.Error != tt.name {
					t.Errorf("mode status %s %s: code %v error %q, want %d and %s: %s", tt.method, tt.path, b.Code, b.Error, tt.status, tt.name, res.body)
				}
			} else if b.Code != tt.name || b.Error != "" {
				t.Errorf("mode %q %s %s: code %v error %q, want %s: %s", mode, tt.method, tt.path, b.Code, b.Error, tt.name, res.body)
			}
		}
		public.Close()
		data.Close()
	}
	if _, err := mock.NewServer(mock.Config{Spec: publicDoc(t), ErrorCode: "number"}); err == nil || !strings.Contains(err.Error(), "ErrorCode") {
		t.Errorf("ErrorCode number: %v, want an error naming ErrorCode", err)
	}
}

// TestIdentifyExchange replays Unity's Cognitive3D.Identify call: POST
// {code} with the application key, answer {participantId, name, email}.
func TestIdentifyExchange(t *testing.T) {
	data, _ := newDataServers(t, 0)
	ex := func(auth, body string) response {
		return do(t, data, request{method: "POST", path: "/v0/identify/exchange", auth: auth, body: body})
	}
	for _, code := range []string{"482913", " c3d-qr-7f3a9c21 "} {
		res := ex(keyApp, `{"code":"`+code+`"}`)
		mustStatus(t, res, http.StatusOK, "exchange "+code)
		m := res.json(t)
		if m["participantId"] == "" || m["name"] == "" || m["email"] == "" {
			t.Errorf("exchange %q: %s", code, res.body)
		}
	}
	if m := ex(keyApp, `{"code":"482913"}`).json(t); m["participantId"] != "trainee-0042" || m["name"] != "Ada Okafor" || m["email"] != "ada.okafor@example.com" {
		t.Errorf("PIN 482913: %v", m)
	}
	for _, tt := range []struct {
		auth, body string
		status     int
		field      string
	}{
		{keyApp, `{"code":"000000"}`, 404, "/code"},
		{keyApp, `{"code":"559120"}`, 404, "/code"}, // project 2797's code, not the key's project
		{keyApp, `{"code":""}`, 400, "/code"},
		{keyApp, `{}`, 400, "/code"},
		{keyDeveloper, `{"code":"482913"}`, 401, "header:Authorization"},
	} {
		res := ex(tt.auth, tt.body)
		if res.status != tt.status || !strings.Contains(string(res.body), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: %d %s, want %d naming %s", tt.body, res.status, res.body, tt.status, tt.field)
		}
	}
}

// TestTrailingSlash: the vendor's skill document writes GET
// /v0/scenes/:sceneId/ with a trailing slash; both forms answer the same.
// Paths no vendor source writes with a slash stay 404.
func TestTrailingSlash(t *testing.T) {
	ts := newTestServer(t)
	plain := do(t, ts, request{method: "GET", path: "/v0/scenes/" + sceneDemo, auth: keyReadWrite})
	slash := do(t, ts, request{method: "GET", path: "/v0/scenes/" + sceneDemo + "/", auth: keyReadWrite})
	mustOK(t, plain, "GET /v0/scenes/{id}")
	mustOK(t, slash, "GET /v0/scenes/{id}/")
	if !bytes.Equal(plain.body, slash.body) {
		t.Errorf("the two forms differ:\n%.300s\n%.300s", plain.body, slash.body)
	}
	if res := do(t, ts, request{method: "GET", path: "/v0/scenes/" + sceneOther + "/", auth: keyReadOnly}); res.status != http.StatusOK && res.status != http.StatusForbidden {
		t.Errorf("another scene with a slash: %d %s", res.status, res.body)
	}
	if res := do(t, ts, request{method: "GET", path: "/v0/projects/4460/", auth: keyReadWrite}); res.status != http.StatusNotFound {
		t.Errorf("GET /v0/projects/4460/: %d, want 404 (no vendor source writes it with a slash)", res.status)
	}
}
