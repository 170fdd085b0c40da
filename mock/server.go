package mock

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/c3dmock/c3dmock/mock/analytics"
	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

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
	// ControlToken, when set, is required in the C3dmock-Control-Token
	// header of every /__c3dmock request but the health check (control.go).
	ControlToken string
	// Progress, if set, reports the generation of the world NewServer
	// builds (fixtures.Options.Progress); resets report nothing.
	Progress func(done, total int)
	// ErrorCode is what an error body's "code" holds on both hosts: "name"
	// (default, the string such as "not_found") or "status" (the integer
	// HTTP status, the name moving to "error"), for clients such as the
	// vendor's older C++ SDK that read code as the status. Every error body
	// carries the integer "status" either way.
	ErrorCode string
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

	// Sandboxes (sandbox.go): an idle sandbox is dropped after SandboxTTL
	// (default DefaultSandboxTTL); at most MaxSandboxes named sandboxes
	// live at once (default DefaultMaxSandboxes), the least recently used
	// making room for a new one.
	SandboxTTL   time.Duration
	MaxSandboxes int
	// StateFile, when set, is where the default sandbox is kept between
	// runs (serve --state): LoadState restores it, SaveState and POST
	// /__c3dmock/snapshot/save write it (snapshot.go).
	StateFile string
	// Snapshots turns on the write log snapshots are made of (snapshot.go):
	// each sandbox keeps the requests that changed it, counted against the
	// stored-data budget, until it is reset. Off, GET /__c3dmock/snapshot is
	// 409. StateFile turns it on.
	Snapshots bool
	// World, if set, adds to and overrides the built-in world (serve
	// --world: fixtures.LoadWorldFile).
	World *fixtures.WorldFile
	// The journal of each sandbox keeps JournalSize requests (default
	// DefaultJournalSize; negative: no journal, and no verification or
	// report), bodies cut at JournalBodyBytes (default
	// DefaultJournalBodyBytes); journal.go.
	JournalSize      int
	JournalBodyBytes int
	// Faults are fault rules in force from the start (serve --faults FILE);
	// RateLimit, when positive, allows each credential that many requests a
	// minute per sandbox, then 429 with Retry-After (faults.go).
	Faults    []FaultRule
	RateLimit int

	worldNow time.Time // the world's "now", pinned by Prepare
}

// The values of Config.ErrorCode.
const (
	ErrorCodeName   = "name"
	ErrorCodeStatus = "status"
)

// DefaultMaxBodyBytes is the default request body limit.
const DefaultMaxBodyBytes = 10 << 20

// Server is the fake Cognitive3D API. It is an http.Handler; mount it in
// httptest.NewServer for in-process tests.
//
// A Server is also a sandbox (sandbox.go): each named sandbox is a shallow
// copy of the default one over its own world, clock and handlers, sharing
// the hosts, the configuration and the stored-data budget.
type Server struct {
	cfg     Config
	store   *store.Store
	queries *analytics.Engine // reads store for the analytics routes
	clock   *Clock
	journal *journal                      // the sandbox's requests (journal.go)
	faults  *faultSet                     // shared by every sandbox (faults.go)
	name    string                        // the sandbox's name; "" for the default sandbox
	routes  map[string]map[string]apiFunc // by host name, then operationId; absent → 501
	public  *host
	data    *host // nil without Config.DataSpec
	control *host // spec/control.yaml: the /__c3dmock endpoints (control.go)
	// controlOps are the control endpoints' handlers, by operationId.
	controlOps map[string]controlFunc
	boxes      *sandboxes
	handler    http.Handler
	// dataHandler serves the Data Collector by default (datacollector.go).
	dataHandler http.Handler
}

// host is one vendor API served from one OpenAPI document: the public API
// (api.*) or the Data Collector (data.*). Both run through serveAPI.
type host struct {
	name   string
	router routers.Router
	ops    map[string]spec.Operation  // by operationId
	creds  map[string]credentialKinds // by operationId: what its security schemes take
}

// apiFunc handles one operation after the pipeline has accepted the request.
// It reports failure by returning an error; only writeError renders errors.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

// NewServer fills defaults, builds the seeded world and returns the server.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Spec == nil {
		return nil, errors.New("mock: Config.Spec is required")
	}
	cfg = cfg.withWorldDefaults()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	switch cfg.ErrorCode {
	case "":
		cfg.ErrorCode = ErrorCodeName
	case ErrorCodeName, ErrorCodeStatus:
	default:
		return nil, fmt.Errorf("mock: Config.ErrorCode %q: want %q or %q", cfg.ErrorCode, ErrorCodeName, ErrorCodeStatus)
	}
	if cfg.SandboxTTL <= 0 {
		cfg.SandboxTTL = DefaultSandboxTTL
	}
	if cfg.MaxSandboxes <= 0 {
		cfg.MaxSandboxes = DefaultMaxSandboxes
	}
	if cfg.StateFile != "" {
		cfg.Snapshots = true
	}
	if cfg.JournalSize == 0 {
		cfg.JournalSize = DefaultJournalSize
	}
	if cfg.JournalBodyBytes <= 0 {
		cfg.JournalBodyBytes = DefaultJournalBodyBytes
	}
	opts := cfg.worldOptions()
	st, err := store.NewStore(opts)
	if err != nil {
		return nil, fmt.Errorf("mock: build world: %w", err)
	}
	opts.Progress = nil // sandboxes fork the same build
	s := &Server{cfg: cfg}
	s.boxes = newSandboxes(s, opts)
	s.public, err = newHost("public", cfg.Spec, publicRoutes(&Server{}))
	if err != nil {
		return nil, err
	}
	if cfg.DataSpec != nil {
		s.data, err = newHost("datacollector", cfg.DataSpec, dataRoutes(&Server{}))
		if err != nil {
			return nil, err
		}
		s.dataHandler = s.newMux(s.data)
	}
	if s.control, s.controlOps, err = newControlHost(); err != nil {
		return nil, err
	}
	s.faults = newFaultSet(cfg.Now, cfg.RateLimit)
	for i := range cfg.Faults {
		if _, err := s.faults.add(&cfg.Faults[i], s.vendorOps(), "/"+strconv.Itoa(i)); err != nil {
			var e *apierr.Error
			if errors.As(err, &e) {
				return nil, fmt.Errorf("mock: fault rules: %s: %s (%s)", e.Field, e.Message, e.Rule)
			}
			return nil, fmt.Errorf("mock: fault rule %d: %w", i, err)
		}
	}
	s.bind(st, "")
	s.handler = s.newMux(s.public)
	return s, nil
}

// withWorldDefaults fills the fields that decide the world: seed 1, 500
// sessions, the system clock.
func (cfg Config) withWorldDefaults() Config {
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Sessions <= 0 {
		cfg.Sessions = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// worldOptions is what the world is generated from; its clock reading is
// the one Prepare pinned, if any.
func (cfg Config) worldOptions() fixtures.Options {
	now := cfg.worldNow
	if now.IsZero() {
		now = cfg.Now()
	}
	return fixtures.Options{Seed: cfg.Seed, Now: now, Sessions: cfg.Sessions, World: cfg.World, Progress: cfg.Progress}
}

// Prepare starts generating the world cfg describes in the background and
// returns cfg pinned to it: NewServer with the returned Config (its specs
// filled in meanwhile) waits for that build instead of starting another.
// serve loads both OpenAPI documents while the world generates.
func Prepare(cfg Config) Config {
	cfg = cfg.withWorldDefaults()
	cfg.worldNow = cfg.Now()
	opts := cfg.worldOptions()
	go store.Prebuild(opts) // an error comes back from NewServer's wait for the same build
	go controlDoc()         // spec/control.yaml, loaded once per process
	return cfg
}

// newMux serves the control endpoints and the vendor API; def is the vendor
// host for requests whose Host header names neither api.* nor data.*.
func (s *Server) newMux(def *host) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/__c3dmock/", s.serveControl)
	mux.HandleFunc("OPTIONS /__c3dmock/", refusePreflight)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		sb, err := s.sandboxOf(r)
		if err != nil {
			writeError(w, infoFrom(r.Context()), err)
			return
		}
		sb.serveHost(s.hostFor(r, def), w, r)
	})
	var h http.Handler = recoverPanic(s.cfg.Logger, mux)
	if s.cfg.ErrorCode == ErrorCodeStatus {
		h = errorCodeAsStatus(h)
	}
	return logRequests(s.cfg.Logger, h)
}

// newHost reads the operations of doc; routes is checked against them.
func newHost(name string, doc *openapi3.T, routes map[string]apiFunc) (*host, error) {
	h := &host{name: name, router: newRouter(doc), ops: map[string]spec.Operation{}, creds: map[string]credentialKinds{}}
	for _, op := range spec.Operations(doc) {
		h.ops[op.ID] = op
		c := credentialKinds{}
		for _, k := range op.Credentials {
			if k == credentialCookie {
				c.cookie = true
			} else {
				c.keys = append(c.keys, fixtures.KeyKind(k))
			}
		}
		h.creds[op.ID] = c
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

// now is the sandbox's clock.
func (s *Server) now() time.Time { return s.clock.Now() }
