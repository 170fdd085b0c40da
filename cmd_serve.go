package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// serveConfig is everything "c3dmock serve" takes from flags and environment.
type serveConfig struct {
	addr                            string
	dataAddr, caCert, caKey         string // Data Collector listener; where --tls writes its CA and keeps its key (cmd_serve_tls.go)
	tls                             bool
	seed                            uint64
	sessions                        int
	now                             string
	logFormat                       string
	quiet                           bool
	maxBodyBytes                    int64
	errorCode                       string
	readTimeout, writeTimeout, idle time.Duration
	shutdownTimeout                 time.Duration // 0: --write-timeout
	controlToken                    string
	storeBudget                     byteSize
	cookieIdle, cookieLifetime      time.Duration
	cookiesPerUser                  int
	sandboxTTL                      time.Duration
	maxSandboxes                    int
	stateFile                       string
	snapshots                       bool
	worldFile                       string
	journalSize, journalBodyBytes   int
	faultsFile                      string
	rateLimit                       int
	reports                         []string
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c serveConfig
	fs := newFlagSet("serve", stdout, stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address of the public API")
	fs.StringVar(&c.dataAddr, "data-addr", "127.0.0.1:8081", `listen address of the Data Collector ("off": none; a free port when --addr uses port 0)`)
	fs.BoolVar(&c.tls, "tls", false, "serve HTTPS with a certificate for the vendor hosts, signed by a CA generated at start-up")
	fs.StringVar(&c.caCert, "ca-cert", "", "with --tls: write the CA certificate (PEM) clients must trust to this file")
	fs.StringVar(&c.caKey, "ca-key", "", "with --tls: keep the CA across restarts: sign with the CA in --ca-cert and this key file when both exist, else create both")
	fs.Uint64Var(&c.seed, "seed", 1, "fake-data seed; the same seed and --now give the same world (0 = random)")
	fs.IntVar(&c.sessions, "sessions", 500, "sessions generated for project 4460 (other projects get a tenth, 5 to 1000)")
	fs.StringVar(&c.now, "now", "", "pin the server clock to this RFC 3339 time (default: real time)")
	fs.StringVar(&c.logFormat, "log-format", "text", "request log format: text or json")
	fs.BoolVar(&c.quiet, "quiet", false, "log only errors")
	fs.Int64Var(&c.maxBodyBytes, "max-body-bytes", mock.DefaultMaxBodyBytes, "request bodies larger than this get 413")
	fs.StringVar(&c.errorCode, "error-code", mock.ErrorCodeName, `what an error body's "code" holds on both hosts: name (the string, e.g. "not_found") or status (the integer HTTP status, for clients such as the vendor's older C++ SDK; the name moves to "error")`)
	fs.DurationVar(&c.readTimeout, "read-timeout", 30*time.Second, "server read timeout")
	fs.DurationVar(&c.writeTimeout, "write-timeout", 60*time.Second, "server write timeout")
	fs.DurationVar(&c.idle, "idle-timeout", 120*time.Second, "server idle (keep-alive) timeout")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 0, "on SIGINT/SIGTERM, how long in-flight requests get to finish (0 = the --write-timeout, or 1m when that is 0)")
	fs.StringVar(&c.controlToken, "control-token", "", "require this token in the C3dmock-Control-Token header on /__c3dmock control endpoints (all but healthz); prefer C3DMOCK_CONTROL_TOKEN")
	c.storeBudget = store.DefaultStoreBudget
	fs.Var(&c.storeBudget, "store-budget", `bytes clients may store (ingest batches, uploads, media), e.g. 512MiB, 1GiB, or "off"; past it writes get 507`)
	fs.DurationVar(&c.cookieIdle, "cookie-idle-timeout", store.DefaultCookieIdleTimeout, "a cookie session unused this long ends")
	fs.DurationVar(&c.cookieLifetime, "cookie-lifetime", store.DefaultCookieLifetime, "a cookie session ends this long after login")
	fs.IntVar(&c.cookiesPerUser, "cookie-sessions-per-user", store.DefaultCookieSessionsPerUser, "live cookie sessions per user; a new login ends the oldest")
	fs.DurationVar(&c.sandboxTTL, "sandbox-ttl", mock.DefaultSandboxTTL, "a named sandbox unused this long is dropped (its next request starts a fresh one)")
	fs.IntVar(&c.maxSandboxes, "max-sandboxes", mock.DefaultMaxSandboxes, "named sandboxes alive at once; a new one evicts the least recently used")
	fs.BoolVar(&c.snapshots, "snapshots", false, "keep each sandbox's write log so GET/PUT /__c3dmock/snapshot can export and restore it (counts against --store-budget)")
	fs.StringVar(&c.worldFile, "world", "", "a YAML or JSON file of organizations, projects, scenes, users and keys that add to or override the built-in world (see fixtures/examples/world.yaml)")
	fs.IntVar(&c.journalSize, "journal-size", mock.DefaultJournalSize, "requests each sandbox's journal keeps (GET /__c3dmock/requests); the oldest go first; 0: no journal (≈ 14% more throughput on the cheapest routes; no verify or report)")
	fs.IntVar(&c.journalBodyBytes, "journal-body-bytes", mock.DefaultJournalBodyBytes, "request and response bodies in the journal are cut at this many bytes")
	fs.StringVar(&c.faultsFile, "faults", "", "a YAML or JSON list of fault rules in force from the start (see POST /__c3dmock/faults)")
	fs.IntVar(&c.rateLimit, "rate-limit", 0, "requests a minute each credential may make per sandbox, then 429 with Retry-After (0: no limit)")
	fs.StringArrayVar(&c.reports, "report", nil, "at shutdown write the default sandbox's client conformance report: json=FILE or junit=FILE (repeatable)")
	fs.StringVar(&c.stateFile, "state", "", "keep the default sandbox in this file: loaded at start, written atomically at shutdown and on POST /__c3dmock/snapshot/save (implies --snapshots)")
	if err := parseFlags(fs, args, getenv, false); err != nil {
		return err
	}
	if err := c.checkListeners(fs.Changed("data-addr")); err != nil {
		return err
	}
	if c.shutdownTimeout < 0 {
		return usageError{errors.New("--shutdown-timeout must not be negative")}
	}
	restoreGC := func() {}
	if startupGCOff(c.sessions, getenv) {
		// Start-up allocates ≈ 45 MB in a fresh heap (both OpenAPI
		// documents and the default world); collecting it while it grows
		// cost a third of the start-up time (≈ 150 ms against ≈ 105 ms).
		// Collection resumes once the server is built.
		pct := debug.SetGCPercent(-1)
		restoreGC = func() { debug.SetGCPercent(pct) }
	}
	cfg, err := c.mockConfig(stderr)
	if err != nil {
		return err
	}
	c.seed = cfg.Seed // the banner names the seed --seed 0 picked
	srv, err := c.newServer(ctx, cfg, stderr)
	restoreGC()
	if err != nil {
		return err
	}
	if pct, ok := servingGCPercent(c.sessions, getenv); ok {
		debug.SetGCPercent(pct) // after the build, which runs at Go's default (twice as fast)
	}
	settle := func() {
		// Building the world leaves garbage almost the size of the world;
		// hand it back to the OS now instead of when the scavenger gets to
		// it (100000 sessions: RSS 1.43 GB to 0.98 GB). Then the heap is
		// the world, which the memory limit is measured from.
		debug.FreeOSMemory()
		if limit, ok := servingMemoryLimit(int64(c.storeBudget), getenv); ok {
			debug.SetMemoryLimit(limit)
		}
	}
	if c.sessions < largeWorld {
		go settle() // a small world's garbage is small: listen first
	} else {
		settle()
	}
	if err := srv.LoadState(); err != nil {
		return err
	}
	err = c.serve(ctx, srv, cfg.Logger, stdout, stderr)
	if files, _ := c.reportFiles(); len(files) > 0 {
		if rerr := srv.WriteReports(files); rerr != nil {
			err = errors.Join(err, fmt.Errorf("--report: %w", rerr))
		}
	}
	if c.stateFile != "" {
		if n, serr := srv.SaveState(); serr != nil {
			cfg.Logger.Error("state not saved", slog.String("file", c.stateFile), slog.String("error", serr.Error()))
			err = errors.Join(err, serr)
		} else {
			cfg.Logger.Info("state saved", slog.String("file", c.stateFile), slog.Int("bytes", n))
		}
	}
	return err
}

// servingMemoryLimit is the soft memory limit serve sets once the world is
// built, and false to leave Go's default (no limit). Stored data (ingest
// batches, uploads, media) is nearly all pointer-free bytes, so the default
// GOGC=100 lets the heap grow to twice what is stored between collections,
// while marking it is cheap. The limit is the world's heap twice over, the
// budget and a quarter more, and 64 MiB for the runtime: a server holding a
// full 512 MiB budget stays near 0.75 GB instead of 1.1 GB. It is soft: Go
// collects harder near it but never fails an allocation. An explicit
// GOMEMLIMIT wins, and --store-budget off sets none.
func servingMemoryLimit(budget int64, getenv func(string) string) (int64, bool) {
	if budget <= 0 || getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms) // just after FreeOSMemory: HeapAlloc is the world
	return 2*int64(ms.HeapAlloc) + budget + budget/4 + 64<<20, true
}

// largeWorld is the --sessions count from which serve collects garbage
// more often than Go's default (see servingGCPercent).
const largeWorld = 20000

// servingGCPercent is the GC percent serve sets once it has built a world
// of sessions, and false to keep Go's default. A large world is nearly all
// of the live heap and never shrinks, so the default GOGC=100 lets the heap
// grow to twice the world between collections. 10 caps that growth at a
// tenth. Marking that often is cheap because most of the world has no
// pointers to scan (events, property values and step results: see
// fixtures.Event and fixtures.Props). At 100000 sessions (bench/
// paginated_list.sh): VmRSS 295 MB at 20 and 277 MB at 10, the
// paginatedListQueries p50 about 7 ms either way. An explicit GOGC wins.
func servingGCPercent(sessions int, getenv func(string) string) (int, bool) {
	if sessions < largeWorld || getenv("GOGC") != "" {
		return 0, false
	}
	return 10, true
}

// startupGCOff reports whether serve holds garbage collection off until the
// server is built: for worlds below largeWorld (at most a few hundred MB
// allocated) and when GOGC is not set.
func startupGCOff(sessions int, getenv func(string) string) bool {
	return sessions < largeWorld && getenv("GOGC") == ""
}

// httpServer is the http.Server of one listener.
func (c serveConfig) httpServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       c.readTimeout,
		WriteTimeout:      c.writeTimeout,
		IdleTimeout:       c.idle,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// mockConfig is the server's configuration from the flags, without the
// OpenAPI documents (loadSpecs adds them while the world generates).
func (c serveConfig) mockConfig(stderr io.Writer) (mock.Config, error) {
	cfg := mock.Config{Seed: c.seed, Sessions: c.sessions, MaxBodyBytes: c.maxBodyBytes,
		ControlToken: c.controlToken, ErrorCode: c.errorCode, StoreBudget: int64(c.storeBudget),
		CookieIdleTimeout: c.cookieIdle, CookieLifetime: c.cookieLifetime, CookieSessionsPerUser: c.cookiesPerUser,
		SandboxTTL: c.sandboxTTL, MaxSandboxes: c.maxSandboxes, Snapshots: c.snapshots, StateFile: c.stateFile,
		JournalSize: c.journalSize, JournalBodyBytes: c.journalBodyBytes, RateLimit: c.rateLimit}
	if c.sessions < 0 {
		return cfg, usageError{errors.New("--sessions must not be negative")}
	}
	if c.journalSize < 0 || c.journalBodyBytes <= 0 || c.rateLimit < 0 {
		return cfg, usageError{errors.New("--journal-size and --rate-limit must not be negative, --journal-body-bytes must be positive")}
	}
	if c.journalSize == 0 {
		cfg.JournalSize = -1 // off
	}
	if _, err := c.reportFiles(); err != nil {
		return cfg, err
	}
	if c.faultsFile != "" {
		rules, err := mock.LoadFaults(c.faultsFile)
		if err != nil {
			return cfg, usageError{fmt.Errorf("--faults: %w", err)}
		}
		cfg.Faults = rules
	}
	if c.worldFile != "" {
		w, err := fixtures.LoadWorldFile(c.worldFile)
		if err != nil {
			return cfg, usageError{fmt.Errorf("--world: %w", err)}
		}
		cfg.World = w
	}
	switch {
	case c.cookieIdle <= 0:
		return cfg, usageError{errors.New("--cookie-idle-timeout must be positive")}
	case c.cookieLifetime <= 0:
		return cfg, usageError{errors.New("--cookie-lifetime must be positive")}
	case c.cookiesPerUser <= 0:
		return cfg, usageError{errors.New("--cookie-sessions-per-user must be positive")}
	case c.sandboxTTL <= 0:
		return cfg, usageError{errors.New("--sandbox-ttl must be positive")}
	case c.maxSandboxes <= 0:
		return cfg, usageError{errors.New("--max-sandboxes must be positive")}
	}
	if c.now != "" {
		t, err := time.Parse(time.RFC3339, c.now)
		if err != nil {
			return cfg, usageError{fmt.Errorf("--now: %w", err)}
		}
		cfg.Now = func() time.Time { return t }
	}
	level := slog.LevelInfo
	if c.quiet {
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		cfg.Logger = slog.New(slog.NewTextHandler(stderr, opts))
	case "json":
		cfg.Logger = slog.New(slog.NewJSONHandler(stderr, opts))
	default:
		return cfg, usageError{fmt.Errorf("--log-format must be text or json, not %q", c.logFormat)}
	}
	if cfg.Seed == 0 {
		cfg.Seed = rand.Uint64() | 1 // --seed 0: a random world; the log line names the seed to replay it
		cfg.Logger.Info("random seed", slog.Uint64("seed", cfg.Seed))
	}
	return cfg, nil
}

// reportFiles reads the --report values: format → file.
func (c serveConfig) reportFiles() (map[string]string, error) {
	out := map[string]string{}
	for _, v := range c.reports {
		format, file, ok := strings.Cut(v, "=")
		if !ok || file == "" || (format != "json" && format != "junit") {
			return nil, usageError{fmt.Errorf("--report %q: want json=FILE or junit=FILE", v)}
		}
		out[format] = file
	}
	return out, nil
}

// loadSpecs loads both OpenAPI documents into cfg.
func loadSpecs(ctx context.Context, cfg *mock.Config) error {
	var err error
	if cfg.Spec, err = spec.Load(ctx, spec.Public); err != nil {
		return err
	}
	cfg.DataSpec, err = spec.Load(ctx, spec.DataCollector)
	return err
}

// defaultShutdownTimeout bounds the drain when neither --shutdown-timeout
// nor --write-timeout sets one, so an interrupted serve always ends.
const defaultShutdownTimeout = 60 * time.Second

// drainTimeout is how long in-flight requests get once serve is told to
// stop: --shutdown-timeout, else --write-timeout, the longest a request can
// still be writing its answer.
func (c serveConfig) drainTimeout() time.Duration {
	switch {
	case c.shutdownTimeout > 0:
		return c.shutdownTimeout
	case c.writeTimeout > 0:
		return c.writeTimeout
	}
	return defaultShutdownTimeout
}

// serveUntilDone serves on ln until ctx ends, then shuts down gracefully:
// it stops accepting, closes idle connections and gives in-flight requests
// up to timeout to finish. It returns nil after a clean drain; requests
// still running at the deadline are cut and reported as an error naming
// --shutdown-timeout.
func serveUntilDone(ctx context.Context, hs *http.Server, ln net.Listener, timeout time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		<-errc
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("shutdown: requests still running after --shutdown-timeout %s were cut", timeout)
		}
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
