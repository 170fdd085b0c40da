package mock_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// Demo Data Collector credentials of the default world (README: "Data Collector").
const (
	keyApp        = "APIKEY:DATA demo-app-key"
	keyDeveloper  = "APIKEY:DEVELOPER demo-developer-key"
	keyDevExpired = "APIKEY:DEVELOPER demo-expired-developer-key"
	sceneDemo     = "2c2f0603-8f5c-4ff6-94ed-03542a4df34d" // project 4460, versions 1 (7011) and 2 (7012)
	sceneOther    = "de704574-b03f-424e-be87-4985f85ed2e8" // project 2797
)

// dataDoc is the Data Collector's spec.
func dataDoc(t testing.TB) *openapi3.T { return loadDoc(t, spec.DataCollector) }

// newDataServers serves one mock twice: the Data Collector (every response
// checked against spec/datacollector.yaml) and the public API (checked
// against spec/public.yaml). Both share one store.
func newDataServers(t testing.TB, maxBody int64) (data, public *httptest.Server) {
	t.Helper()
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Seed: 1, Sessions: 60, MaxBodyBytes: maxBody,
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	return serveBoth(t, srv)
}

// serveBoth serves both hosts of srv on 127.0.0.1, every response checked
// against its document (conform).
func serveBoth(t testing.TB, srv *mock.Server) (data, public *httptest.Server) {
	t.Helper()
	dr, err := gorillamux.NewRouter(dataDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	pr, err := gorillamux.NewRouter(publicDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	data = httptest.NewServer(conform(t, dr, srv.DataHandler()))
	public = httptest.NewServer(conform(t, pr, srv))
	t.Cleanup(data.Close)
	t.Cleanup(public.Close)
	return data, public
}

const sdkSession = "1793530800_6826c6d546130967474184c118bfbc90" // testNow - 1h

func gazeBatch(part int, props string, times ...float64) string {
	var data []string
	for _, tm := range times {
		data = append(data, fmt.Sprintf(`{"time":%g,"p":[0,1.6,0],"r":[0,0,0,1],"g":[0,1.5,2]}`, tm))
	}
	return fmt.Sprintf(`{"userid":"6826c6d546130967474184c118bfbc90","timestamp":1793530800,"sessionid":%q,"part":%d,`+
		`"formatversion":"1.0","hmdtype":"Meta Quest 3","interval":0.1,"properties":{%s},"data":[%s]}`,
		sdkSession, part, props, strings.Join(data, ","))
}

func eventsBatch(part int, names ...string) string {
	var data []string
	for i, n := range names {
		data = append(data, fmt.Sprintf(`{"name":%q,"time":%g,"point":[1,2,3],"properties":{"score":%d}}`, n, 1793530801.5+float64(10*part+i), i))
	}
	return fmt.Sprintf(`{"userid":"d","timestamp":1793530800,"sessionid":%q,"part":%d,"data":[%s]}`, sdkSession, part, strings.Join(data, ","))
}

func mustStatus(t testing.TB, res response, want int, what string) {
	t.Helper()
	if res.status != want {
		t.Fatalf("%s: status %d, want %d: %s", what, res.status, want, res.body)
	}
	if res.header.Get("cvr-request-time") == "" && res.header.Get("Content-Type") != "" && want < 300 {
		t.Errorf("%s: no cvr-request-time header", what)
	}
}

func TestDataCollectorSDKSession(t *testing.T) {
	data, public := newDataServers(t, 0)
	ingest := func(stream, body string) {
		t.Helper()
		res := do(t, data, request{method: "POST", path: "/v0/" + stream + "/" + sceneDemo + "?version=2", auth: keyApp, body: body})
		mustStatus(t, res, http.StatusOK, "POST "+stream)
		if res.header.Get("cvr-request-time") == "" {
			t.Errorf("POST %s: no cvr-request-time header", stream)
		}
	}
	ingest("gaze", gazeBatch(1, `"c3d.participant.id":"sdk-e2e","c3d.participant.name":"Ada","c3d.app.name":"e2e","c3d.device.hmd.type":"Quest 3"`,
		1793530800.1, 1793530800.2))
	ingest("events", eventsBatch(1, "c3d.sessionStart", "lever_pulled"))
	ingest("sensors", `{"name":"dev","timestamp":1793530800,"sessionid":"`+sdkSession+`","part":1,"data":[{"name":"c3d.fps.avg","data":[[1793530801,72],[1793530802,70]]}]}`)
	ingest("dynamics", `{"userid":"d","timestamp":1793530800,"sessionid":"`+sdkSession+`","part":1,"formatversion":"1.0",`+
		`"manifest":{"obj1":{"name":"Lever","mesh":"lever","fileType":"gltf"}},"data":[{"id":"obj1","time":1793530803,"p":[0,0,0],"r":[0,0,0,1]}]}`)
	ingest("fixations", `{"userid":"d","timestamp":1793530800,"sessionid":"`+sdkSession+`","part":1,"data":[{"time":1793530804,"duration":250,"maxradius":0.1,"p":[1,1,1]}]}`)
	ingest("boundary", `{"userid":"d","timestamp":1793530800,"sessionid":"`+sdkSession+`","part":1,"data":[{"time":1793530805,"p":[0,0,0],"r":[0,0,0,1]}],"shapes":[{"time":1793530805,"points":[[0,0,0],[1,0,0],[1,0,1]]}]}`)
	ingest("gaze", gazeBatch(2, ``, 1793530860))

	qs := do(t, data, request{method: "GET", path: "/v0/questionSetHooks/training_end/questionSet", auth: keyApp})
	mustStatus(t, qs, http.StatusOK, "hook question set")
	q := qs.json(t)
	if q["id"] != "assessment_end_survey:1" {
		t.Fatalf("hook training_end: id %v, want assessment_end_survey:1", q["id"])
	}
	answers := make([]string, len(q["questions"].([]any)))
	for i, qq := range q["questions"].([]any) {
		answers[i] = fmt.Sprintf(`{"type":%q,"value":1}`, qq.(map[string]any)["type"])
	}
	res := do(t, data, request{method: "POST", path: "/v0/questionSets/assessment_end_survey/1/responses", auth: keyApp,
		body: `{"hook":"training_end","userId":"d","sceneId":"` + sceneDemo + `","sessionId":"` + sdkSession + `","questionSetId":"assessment_end_survey:1",` +
			`"questionSetName":"assessment_end_survey","questionSetVersion":1,"answers":[` + strings.Join(answers, ",") + `]}`})
	mustStatus(t, res, http.StatusOK, "post answers")

	if !mock.ImplementedOperations()["sessionPaginatedListQuery"] {
		t.Skip("paginatedListQueries not implemented yet")
	}
	filter := `{"op":"eq","field":{"fieldName":"sessionId","fieldParent":"session"},"value":"` + sdkSession + `"}`
	list := decodePage(t, post(t, public, "/v0/datasets/sessions/paginatedListQueries", listBody(`,"includeEvents":true`, filter, 0, 10)))
	if list.Count != 1 || len(list.Results) != 1 {
		t.Fatalf("paginatedListQueries for the SDK session: count %d, %d rows", list.Count, len(list.Results))
	}
	row := list.Results[0]
	props, _ := row["properties"].(map[string]any)
	for k, want := range map[string]any{"c3d.participant.id": "sdk-e2e", "c3d.app.name": "e2e", "c3d.session.sensor.c3d.fps.avg.max": 72.0} {
		if props[k] != want {
			t.Errorf("properties[%s] = %v, want %v", k, props[k], want)
		}
	}
	for _, f := range []string{"hasGaze", "hasEvent", "hasSensor", "hasDynamic", "hasFixation", "hasBoundary"} {
		if row[f] != true {
			t.Errorf("%s = %v, want true", f, row[f])
		}
	}
	if row["participantId"] != "sdk-e2e" || row["friendlyName"] != "Ada" || row["hmd"] != "Quest 3" {
		t.Errorf("identity columns: participantId %v friendlyName %v hmd %v", row["participantId"], row["friendlyName"], row["hmd"])
	}
	if row["startTime"] != float64(1793530800000) || row["duration"] != float64(60000) {
		t.Errorf("startTime %v duration %v, want 1793530800000 and 60000 (latest gaze)", row["startTime"], row["duration"])
	}
	evs, _ := row["events"].([]any)
	if len(evs) != 2 || evs[0].(map[string]any)["name"] != "c3d.sessionStart" {
		t.Errorf("events: %v", evs)
	}

	scene := fmt.Sprintf(`{"page":0,"limit":10,"sessionType":"scene","entityFilters":{"projectId":4460,"sceneId":%q,"versionId":7012},"sessionFilters":[%s]}`, sceneDemo, filter)
	if p := decodePage(t, post(t, public, "/v0/datasets/sessions/paginatedListQueries", scene)); p.Count != 1 {
		t.Errorf("scene-mode list of version 7012: count %d, want 1", p.Count)
	}
	single := post(t, public, "/v0/datasets/sessions/singleProjectSessionQueries", `{"projectId":4460,"sessionId":"`+sdkSession+`"}`)
	mustOK(t, single, "singleProjectSessionQueries")
	if !bytes.Contains(single.body, []byte(`"lever_pulled"`)) {
		t.Errorf("singleProjectSessionQueries lacks the uploaded event: %.400s", single.body)
	}
	if mock.ImplementedOperations()["listQuestionSetResponses"] {
		r := do(t, public, request{method: "GET", path: "/v0/projects/4460/questionSets/assessment_end_survey/1/responses?limit=1000&page=0", auth: keyReadWrite})
		mustOK(t, r, "listQuestionSetResponses")
		if !bytes.Contains(r.body, []byte(sdkSession)) {
			t.Errorf("ExitPoll responses lack the SDK session's answers: %.300s", r.body)
		}
	}
}

func TestDataCollectorErrors(t *testing.T) {
	data, _ := newDataServers(t, 4096)
	good := gazeBatch(1, ``, 1793530800.1)
	tests := []struct {
		name, path, auth, body string
		want                   int
		field                  string
	}{
		{"ok", "/v0/gaze/" + sceneDemo + "?version=1", keyApp, good, 200, ""},
		{"missing sessionid", "/v0/gaze/" + sceneDemo + "?version=1", keyApp, `{"timestamp":1}`, 400, "/sessionid"},
		{"short position", "/v0/gaze/" + sceneDemo + "?version=1", keyApp, strings.Replace(good, "[0,1.6,0]", "[0,1.6]", 1), 400, "/data/0/p"},
		{"string timestamp", "/v0/events/" + sceneDemo + "?version=1", keyApp, `{"sessionid":"s","timestamp":"now","data":[]}`, 400, "/timestamp"},
		{"missing version", "/v0/gaze/" + sceneDemo, keyApp, good, 400, "query:version"},
		{"unknown scene", "/v0/gaze/00000000-0000-4000-8000-000000000000?version=1", keyApp, good, 404, ""},
		{"unknown version number", "/v0/gaze/" + sceneDemo + "?version=7011", keyApp, good, 404, "query:version"},
		{"other project's scene", "/v0/gaze/" + sceneOther + "?version=1", keyApp, good, 403, ""},
		{"organization key", "/v0/gaze/" + sceneDemo + "?version=1", keyReadWrite, good, 401, ""},
		{"developer key on ingest", "/v0/gaze/" + sceneDemo + "?version=1", keyDeveloper, good, 401, ""},
		{"wrong key kind beats a bad batch", "/v0/gaze/" + sceneDemo + "?version=1", keyDeveloper, `{"timestamp":1}`, 401, "header:Authorization"},
		{"unknown key", "/v0/gaze/" + sceneDemo + "?version=1", "APIKEY:DATA nope", good, 401, ""},
		{"oversize", "/v0/gaze/" + sceneDemo + "?version=1", keyApp, gazeBatch(1, `"pad":"`+strings.Repeat("x", 5000)+`"`, 1), 413, ""},
		{"application key on uploads", "/v0/scenes", keyApp, "", 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "POST"
			if tt.body == "" {
				method = "GET"
			}
			res := do(t, data, request{method: method, path: tt.path, auth: tt.auth, body: tt.body})
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if res.header.Get("cvr-request-time") == "" {
				t.Error("no cvr-request-time header")
			}
			if tt.field != "" {
				if got := res.json(t)["field"]; got != tt.field {
					t.Errorf("field %v, want %s (%s)", got, tt.field, res.body)
				}
			}
		})
	}
}

func TestDataCollectorExpiredDeveloperKey(t *testing.T) {
	data, _ := newDataServers(t, 0)
	res := do(t, data, request{method: "GET", path: "/v0/apiKeys/verify", auth: keyDevExpired})
	if res.status != http.StatusUnauthorized || !strings.Contains(strings.ToLower(string(res.body)), "key expired") {
		t.Errorf("expired developer key: %d %s, want 401 saying key expired", res.status, res.body)
	}
	res = do(t, data, request{method: "GET", path: "/v0/user", auth: keyDeveloper})
	mustStatus(t, res, http.StatusOK, "GET /v0/user")
	u := res.json(t)
	if u["projectId"] != json.Number("4460") || u["organizationName"] != "Demo Org" || u["keyExpiresAt"] == json.Number("0") {
		t.Errorf("GET /v0/user: %s", res.body)
	}
	res = do(t, data, request{method: "GET", path: "/v0/applicationKey", auth: keyDeveloper})
	mustStatus(t, res, http.StatusOK, "GET /v0/applicationKey")
	if k := res.json(t); k["apiKey"] != "demo-app-key" || k["valid"] != true {
		t.Errorf("GET /v0/applicationKey: %s", res.body)
	}
	for _, p := range []string{"/v0/subscriptions", "/v0/media", "/v0/scenes", "/v0/hooks"} {
		mustStatus(t, do(t, data, request{method: "GET", path: p, auth: keyDeveloper}), http.StatusOK, "GET "+p)
	}
	for _, p := range []string{"/v0/remotevariables?identifier=p1", "/v0/appvariables?identifier=p1", "/v0/hooks"} {
		res := do(t, data, request{method: "GET", path: p, auth: keyApp})
		mustStatus(t, res, http.StatusOK, "GET "+p)
	}
}

func TestHostRouting(t *testing.T) {
	data, public := newDataServers(t, 0)
	get := func(ts *httptest.Server, host, path, auth string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Host = host
		req.Header.Set("Authorization", auth)
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	cases := []struct {
		ts         *httptest.Server
		host, path string
		auth       string
		want       int
	}{
		{public, "data.cognitive3d.com", "/v0/scenes/" + sceneDemo, keyDeveloper, 200},
		{public, "data.c3ddev.com:443", "/v0/user", keyDeveloper, 200},
		{data, "api.cognitive3d.com", "/v0/projects/4460", keyReadWrite, 200},
		{data, "127.0.0.1", "/v0/user", keyDeveloper, 200},                      // the listener's own host
		{public, "127.0.0.1", "/v0/user", keyDeveloper, 404},                    // not a public route
		{data, "api.c3ddev.com", "/v0/user", keyDeveloper, http.StatusNotFound}, // api.* is the public API
	}
	for _, c := range cases {
		if got := get(c.ts, c.host, c.path, c.auth); got != c.want {
			t.Errorf("Host %s GET %s: %d, want %d", c.host, c.path, got, c.want)
		}
	}
}

func TestDataCollectorCORS(t *testing.T) {
	data, _ := newDataServers(t, 0)
	res := do(t, data, request{method: "OPTIONS", path: "/v0/gaze/" + sceneDemo + "?version=1",
		header: map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}})
	if res.status != http.StatusNoContent || res.header.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		!strings.Contains(res.header.Get("Access-Control-Allow-Headers"), "authorization") {
		t.Errorf("preflight: %d %v", res.status, res.header)
	}
	res = do(t, data, request{method: "POST", path: "/v0/gaze/" + sceneDemo + "?version=1", auth: keyApp, body: gazeBatch(1, ``, 1793530800.1),
		header: map[string]string{"Origin": "https://app.example"}})
	if res.status != 200 || res.header.Get("Access-Control-Expose-Headers") != "cvr-request-time" {
		t.Errorf("CORS POST: %d %v", res.status, res.header)
	}
}

func TestDataCollectorCoverage(t *testing.T) {
	impl := mock.DataImplementedOperations()
	for _, op := range spec.Operations(dataDoc(t)) {
		if !impl[op.ID] {
			t.Errorf("%s %s (%s) has no handler", op.Method, op.Path, op.ID)
		}
	}
}

func TestTLSWithGeneratedCA(t *testing.T) {
	cfg, caPEM, err := mock.NewTLS(mock.DefaultTLSHosts, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Sessions: 5, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.DataHandler())
	ts.TLS = cfg
	ts.StartTLS()
	t.Cleanup(ts.Close)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA PEM does not parse")
	}
	for _, name := range []string{"data.cognitive3d.com", "api.c3ddev.com"} {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: name}}}
		req, _ := http.NewRequest("GET", ts.URL+"/v0/user", nil)
		req.Host = name
		req.Header.Set("Authorization", keyDeveloper)
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res.Body.Close()
		want := 200
		if strings.HasPrefix(name, "api.") {
			want = 404 // api.* is the public API, which has no /v0/user
		}
		if res.StatusCode != want {
			t.Errorf("%s GET /v0/user: %d, want %d", name, res.StatusCode, want)
		}
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "data.cognitive3d.com"}}}
	if _, err := client.Get(ts.URL + "/__c3dmock/healthz"); err == nil {
		t.Error("a client that does not trust the CA connected")
	}
}
