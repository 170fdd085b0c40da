package mock

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/mock/store"
)

// dataRoutes maps each operationId of spec/datacollector.yaml to its handler.
// Which key kind each operation takes (application vs developer key) comes
// from its security in the spec and is checked by the pipeline's authn step.
func dataRoutes(s *Server) map[string]apiFunc {
	st := s.store
	return map[string]apiFunc{
		// ingest
		"postGaze":      postBatch(st, s.now, store.StreamGaze),
		"postEvents":    postBatch(st, s.now, store.StreamEvents),
		"postSensors":   postBatch(st, s.now, store.StreamSensors),
		"postDynamics":  postBatch(st, s.now, store.StreamDynamics),
		"postFixations": postBatch(st, s.now, store.StreamFixations),
		"postBoundary":  postBatch(st, s.now, store.StreamBoundary),
		"postAudio":     postAudio(),
		// exit poll and remote variables
		"getHookQuestionSet":       getHookQuestionSet(st),
		"listHooks":                listHooks(st),
		"postQuestionSetResponses": postQuestionSetResponses(st, s.now),
		"getRemoteVariables":       getRemoteVariables(st),
		"getAppVariables":          getRemoteVariables(st),
		"exchangeIdentity":         exchangeIdentity(st),
		// scenes and objects
		"listScenes":              listScenes(st),
		"createScene":             createScene(st, s.now),
		"getSceneWithVersions":    getSceneWithVersions(st),
		"createSceneVersion":      createSceneVersion(st, s.now),
		"updateSceneFiles":        updateSceneFiles(st, s.now),
		"renameScene":             renameScene(st, s.now),
		"uploadSceneScreenshot":   uploadSceneScreenshot(st, s.now),
		"uploadObjectManifest":    uploadObjectManifest(st, s.now),
		"uploadObjectMesh":        uploadObjectMesh(st, s.now),
		"listSceneVersionObjects": listVersionObjects(st), // same answer as the public route
		// account
		"listMediaSources":   listMediaSources(st),
		"verifyDeveloperKey": verifyDeveloperKey(st),
		"getApplicationKey":  getApplicationKey(st),
		"getSubscriptions":   getSubscriptions(st, s.now),
		"getUser":            getUser(st),
	}
}

// DataImplementedOperations reports the Data Collector operationIds that have a handler.
func DataImplementedOperations() map[string]bool {
	out := map[string]bool{}
	for id := range dataRoutes(&Server{}) {
		out[id] = true
	}
	return out
}

// hostFor picks the vendor host a request is for: a data.* Host header goes to
// the Data Collector and an api.* Host to the public API on either listener,
// so one TLS front serves both vendor hosts; other hosts get the listener's own.
func (s *Server) hostFor(r *http.Request, def *host) *host {
	name := r.Host
	if h, _, err := net.SplitHostPort(name); err == nil {
		name = h
	}
	name = strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "data.") && s.data != nil:
		return s.data
	case strings.HasPrefix(name, "api."):
		return s.public
	}
	return def
}

// serveHost runs a request through the pipeline of h. Data Collector
// requests also get the vendor's response header, CORS for browser SDKs and
// the method override Unity's editor sends.
func (s *Server) serveHost(h *host, w http.ResponseWriter, r *http.Request) {
	if s.journal == nil {
		s.serveHostPlain(h, w, r)
		return
	}
	s.journaled(h, w, r, func(w http.ResponseWriter, r *http.Request) { s.serveHostPlain(h, w, r) })
}

// serveHostPlain is serveHost without the journal (a snapshot's replay).
func (s *Server) serveHostPlain(h *host, w http.ResponseWriter, r *http.Request) {
	if h != s.data {
		s.serveAPI(h, w, r)
		return
	}
	tw := &timedWriter{ResponseWriter: w, clock: s.clock, start: s.clock.Now()}
	if allowCORS(tw, r) {
		return
	}
	overrideMethod(r)
	s.serveAPI(h, tw, r)
}

// overrideMethod applies X-HTTP-Method-Override: Unity's editor sends scene
// phase-2 uploads and renames as POST with PUT or PATCH in this header
// (api.md appendix §5).
func overrideMethod(r *http.Request) {
	if r.Method != http.MethodPost {
		return
	}
	switch m := strings.ToUpper(strings.TrimSpace(r.Header.Get("X-HTTP-Method-Override"))); m {
	case http.MethodPut, http.MethodPatch, http.MethodDelete:
		r.Method = m
	}
}

// allowCORS lets browser SDKs (WebXR) call the Data Collector from any page
// and read cvr-request-time. It answers preflights itself and reports so.
func allowCORS(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "cvr-request-time")
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// timedWriter adds cvr-request-time (processing time in ms) to every Data
// Collector response: SDKs treat a response without it as intercepted by a
// captive portal and keep their data cached (api.md §5.4).
type timedWriter struct {
	http.ResponseWriter
	clock *Clock // the sandbox's: a frozen clock answers 0
	start time.Time
	wrote bool
}

func (t *timedWriter) WriteHeader(code int) {
	if !t.wrote {
		t.wrote = true
		t.Header().Set("cvr-request-time", strconv.FormatInt(t.clock.Now().Sub(t.start).Milliseconds(), 10))
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *timedWriter) Write(b []byte) (int, error) {
	if !t.wrote {
		t.WriteHeader(http.StatusOK)
	}
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *timedWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// DataHandler serves the Data Collector by default (the --data-addr
// listener); Host headers still pick the vendor host as in ServeHTTP.
func (s *Server) DataHandler() http.Handler {
	if s.dataHandler == nil {
		return s.handler
	}
	return s.dataHandler
}
