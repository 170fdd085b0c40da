package mock

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/spec"
)

// Config configures a Server. Only Spec is required.
type Config struct {
	Spec         *openapi3.T      // the public API document: spec.Load(ctx, spec.Public)
	DataSpec     *openapi3.T      // the Data Collector document: spec.Load(ctx, spec.DataCollector); nil = no data host
	Seed         uint64           // fake-data seed. Default 1.
	Sessions     int              // sessions generated for project 4460. Default 500.
	Now          func() time.Time // the server's clock. Default time.Now.
	Logger       *slog.Logger     // default: discard
	MaxBodyBytes int64            // larger request bodies get 413. Default 10 MiB.
	// StoreBudget caps the bytes clients can store at run time (ingest
	// batches and ExitPoll answers, uploaded scene and object files, media);
	// past it, writes that would store more get 507. Default
	// DefaultStoreBudget (512 MiB); negative: no limit.
	StoreBudget int64
	// Cookie sessions end after CookieIdleTimeout unused or CookieLifetime
	// after login; a user keeps at most CookieSessionsPerUser (a new login
	// ends the oldest). Zero: the Default* constants; negative: no limit.
	CookieIdleTimeout     time.Duration
	CookieLifetime        time.Duration
	CookieSessionsPerUser int
}

// DefaultMaxBodyBytes is the default request body limit.
const DefaultMaxBodyBytes = 10 << 20

// Server is the fake Cognitive3D API. It is an http.Handler; mount it in
// httptest.NewServer for in-process tests.
type Server struct {
	cfg     Config
	store   *Store
	public  *host
	data    *host // nil without Config.DataSpec
	handler http.Handler
	// dataHandler serves the Data Collector by default (datacollector.go).
	dataHandler http.Handler
}

// host is one vendor API served from one OpenAPI document: the public API
// (api.*) or the Data Collector (data.*). Both run through serveAPI.
type host struct {
	name     string
	router   routers.Router
	ops      map[string]spec.Operation     // by operationId
	routes   map[string]apiFunc            // by operationId; absent → 501
	keyKinds []fixtures.KeyKind            // Authorization forms this host accepts
	opKinds  map[string][]fixtures.KeyKind // narrower forms an operation's security names
}

// apiFunc handles one operation after the pipeline has accepted the request.
// It reports failure by returning an error; only writeError renders errors.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

// NewServer fills defaults, builds the seeded world and returns the server.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Spec == nil {
		return nil, errors.New("mock: Config.Spec is required")
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Sessions <= 0 {
		cfg.Sessions = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	st, err := NewStore(fixtures.Options{Seed: cfg.Seed, Now: cfg.Now(), Sessions: cfg.Sessions})
	if err != nil {
		return nil, fmt.Errorf("mock: build world: %w", err)
	}
	st.clock = cfg.Now
	st.lim = storeLimits{
		budget:         orDefault(cfg.StoreBudget, DefaultStoreBudget),
		cookieIdle:     orDefault(cfg.CookieIdleTimeout, DefaultCookieIdleTimeout),
		cookieLifetime: orDefault(cfg.CookieLifetime, DefaultCookieLifetime),
		cookiesPerUser: orDefault(cfg.CookieSessionsPerUser, DefaultCookieSessionsPerUser),
	}
	s := &Server{cfg: cfg, store: st}
	s.public, err = newHost("public", cfg.Spec, publicRoutes(s),
		[]fixtures.KeyKind{fixtures.KeyOrg, fixtures.KeyLegacy, fixtures.KeyDomain})
	if err != nil {
		return nil, err
	}
	if cfg.DataSpec != nil {
		s.data, err = newHost("datacollector", cfg.DataSpec, dataRoutes(s),
			[]fixtures.KeyKind{fixtures.KeyData, fixtures.KeyDeveloper})
		if err != nil {
			return nil, err
		}
		s.dataHandler = s.newMux(s.data)
	}
	s.handler = s.newMux(s.public)
	return s, nil
}

// newMux serves the control endpoints and the vendor API; def is the vendor
// host for requests whose Host header names neither api.* nor data.*.
func (s *Server) newMux(def *host) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /__c3dmock/healthz", s.healthz)
	mux.HandleFunc("POST /__c3dmock/reset", s.reset)
	mux.HandleFunc("GET /__c3dmock/reportEmails", s.reportEmails)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.serveHost(s.hostFor(r, def), w, r) })
	return logRequests(s.cfg.Logger, recoverPanic(s.cfg.Logger, mux))
}

func newHost(name string, doc *openapi3.T, routes map[string]apiFunc, kinds []fixtures.KeyKind) (*host, error) {
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("mock: %s router: %w", name, err)
	}
	h := &host{name: name, router: router, ops: map[string]spec.Operation{}, routes: routes, keyKinds: kinds, opKinds: map[string][]fixtures.KeyKind{}}
	for _, op := range spec.Operations(doc) {
		h.ops[op.ID] = op
		if k := securityKinds(op.Op); len(k) > 0 {
			h.opKinds[op.ID] = k
		}
	}
	for id := range routes {
		if _, ok := h.ops[id]; !ok {
			return nil, fmt.Errorf("mock: %s route %q names no operation of the spec", name, id)
		}
	}
	return h, nil
}

// ServeHTTP serves the vendor API and the /__c3dmock control endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// orDefault is def for zero; any other value is kept (negative: no limit).
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Reset(); err != nil {
		writeError(w, infoFrom(r.Context()), err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

// reportEmails lists the session report emails the API was asked to send
// (none is sent), oldest first.
func (s *Server) reportEmails(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.store.ReportEmails())
}
