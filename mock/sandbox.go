package mock

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/mock/analytics"
	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// Sandboxes. A request selects a sandbox with the header C3dmock-Sandbox:
// NAME, or - for clients that only let you set a key - with @NAME after the
// key in the Authorization header (orgkey-demo-readwrite@job42, APIKEY:DATA
// demo-app-key@job42); a login made in a sandbox sets its cookie with the
// same suffix, so the cookie stays in it. No selector (or the name
// "default") is the default sandbox. A named sandbox is made on first use:
// a fork of the process's one build of the world (store/fork.go), with its
// own writes, ingest, uploads, keys, audit log and clock. Idle sandboxes are
// dropped after Config.SandboxTTL and at most Config.MaxSandboxes live at
// once, the least recently used making room; every sandbox's data counts
// against the one stored-data budget, as does each sandbox's own world
// (sandboxCost).

// SandboxHeader selects the sandbox of a request.
const SandboxHeader = "C3dmock-Sandbox"

// Defaults of Config.SandboxTTL and Config.MaxSandboxes.
const (
	DefaultSandboxTTL   = 30 * time.Minute
	DefaultMaxSandboxes = 100
)

// defaultSandbox names the default sandbox in selectors and listings.
const defaultSandbox = "default"

// sandboxCost is what a named sandbox's own world holds against the
// stored-data budget besides what its clients store: its fork of the build
// (≈ 231 KB for the default world, BenchmarkFork), rounded up.
const sandboxCost = 256 << 10

// validSandboxName reports whether name matches [A-Za-z0-9_.-]{1,64}.
func validSandboxName(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

type sandbox struct {
	srv      *Server
	created  time.Time
	lastUsed time.Time
	requests int64
}

// sandboxes is a server's registry of sandboxes, the default one included.
type sandboxes struct {
	base   *Server
	opts   fixtures.Options // the build every sandbox forks
	budget *store.Budget    // shared by every sandbox's store

	mu sync.Mutex
	m  map[string]*sandbox // by name; defaultSandbox is the base server
}

func newSandboxes(base *Server, opts fixtures.Options) *sandboxes {
	b := &sandboxes{base: base, opts: opts, m: map[string]*sandbox{}}
	b.budget = store.NewBudgetFor(store.Limits{Budget: base.cfg.StoreBudget})
	return b
}

// bind makes s the server of sandbox name over st: its own clock, query
// engine and handlers, the shared budget.
func (s *Server) bind(st *store.Store, name string) {
	s.name, s.store = name, st
	s.bindHandlers()
	if name == "" {
		now := s.cfg.Now()
		s.boxes.mu.Lock()
		s.boxes.m[defaultSandbox] = &sandbox{srv: s, created: now, lastUsed: now}
		s.boxes.mu.Unlock()
	}
}

// bindHandlers gives s, over s.store, a clock, a query engine and handlers.
func (s *Server) bindHandlers() {
	s.queries = analytics.NewEngine(s.store)
	s.journal = nil
	if s.cfg.JournalSize > 0 {
		s.journal = newJournal(s.boxes.budget, s.cfg.JournalSize, s.cfg.JournalBodyBytes)
	}
	s.clock = newClock(s.cfg.Now)
	s.store.Configure(s.clock.Now, store.Limits{Budget: s.cfg.StoreBudget, CookieIdle: s.cfg.CookieIdleTimeout,
		CookieLifetime: s.cfg.CookieLifetime, CookiesPerUser: s.cfg.CookieSessionsPerUser}, s.boxes.budget)
	s.routes = map[string]map[string]apiFunc{}
	if s.public != nil {
		s.routes[s.public.name] = publicRoutes(s)
	}
	if s.data != nil {
		s.routes[s.data.name] = dataRoutes(s)
	}
}

// get returns the server of sandbox name, making it (a fresh fork) when it
// does not exist or has been idle past the TTL.
func (b *sandboxes) get(name string) (*Server, error) {
	now := b.base.cfg.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	sb := b.m[name]
	if sb != nil && name != defaultSandbox && now.Sub(sb.lastUsed) > b.base.cfg.SandboxTTL {
		b.drop(name)
		sb = nil
	}
	if sb == nil {
		var err error
		if sb, err = b.create(name, now); err != nil {
			return nil, err
		}
	}
	sb.lastUsed = now
	sb.requests++
	return sb.srv, nil
}

// create forks a new sandbox, first dropping expired ones and, at the cap,
// the least recently used. Callers hold mu.
func (b *sandboxes) create(name string, now time.Time) (*sandbox, error) {
	b.expire(now)
	if len(b.m)-1 >= b.base.cfg.MaxSandboxes { // the default sandbox does not count
		oldest := ""
		for n, sb := range b.m {
			if n != defaultSandbox && (oldest == "" || sb.lastUsed.Before(b.m[oldest].lastUsed)) {
				oldest = n
			}
		}
		b.drop(oldest)
	}
	if err := b.budget.Take(sandboxCost, "sandbox "+name); err != nil {
		if e, ok := err.(*apierr.Error); ok {
			e.Field = "sandbox"
		}
		return nil, err
	}
	st, err := store.NewStore(b.opts)
	if err != nil {
		b.budget.Release(sandboxCost)
		return nil, err
	}
	srv := *b.base
	srv.bind(st, name)
	sb := &sandbox{srv: &srv, created: now, lastUsed: now}
	b.m[name] = sb
	return sb, nil
}

// expire drops every named sandbox idle past the TTL. Callers hold mu.
func (b *sandboxes) expire(now time.Time) {
	for name, sb := range b.m {
		if name != defaultSandbox && now.Sub(sb.lastUsed) > b.base.cfg.SandboxTTL {
			b.drop(name)
		}
	}
}

// drop forgets a named sandbox and gives its bytes back. Callers hold mu.
func (b *sandboxes) drop(name string) {
	sb, ok := b.m[name]
	if !ok {
		return
	}
	delete(b.m, name)
	sb.srv.store.Close()
	if sb.srv.journal != nil {
		sb.srv.journal.close()
	}
	b.budget.Release(sandboxCost)
}

// SandboxInfo describes a sandbox (GET /__c3dmock/sandboxes).
type SandboxInfo struct {
	Name        string    `json:"name"`
	CreatedAt   time.Time `json:"createdAt"`
	LastUsedAt  time.Time `json:"lastUsedAt"`
	Requests    int64     `json:"requests"`
	StoredBytes int64     `json:"storedBytes"`
}

// list describes the live sandboxes by name, dropping expired ones first.
func (b *sandboxes) list() []SandboxInfo {
	now := b.base.cfg.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expire(now)
	out := make([]SandboxInfo, 0, len(b.m))
	for name, sb := range b.m {
		out = append(out, SandboxInfo{Name: name, CreatedAt: sb.created.UTC(), LastUsedAt: sb.lastUsed.UTC(), Requests: sb.requests, StoredBytes: sb.srv.store.StoredBytes()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// sandboxOf selects the sandbox of a request and strips the selector from
// its key and cookie, so that authentication reads the key as issued. The
// header, the key suffix and the cookie suffix must agree (400).
func (s *Server) sandboxOf(r *http.Request) (*Server, error) {
	var names []string
	var fields []string
	if v, ok := r.Header[http.CanonicalHeaderKey(SandboxHeader)]; ok {
		name := strings.TrimSpace(strings.Join(v, ","))
		if !validSandboxName(name) {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Message: "sandbox name " + quoteShort(name) + " must be 1 to 64 of A-Z a-z 0-9 _ . -",
				Field: "header:" + SandboxHeader, Rule: "pattern", Expected: "[A-Za-z0-9_.-]{1,64}"}
		}
		names, fields = append(names, name), append(fields, "header:"+SandboxHeader)
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
		if i := strings.LastIndexByte(auth, '@'); i >= 0 && validSandboxName(auth[i+1:]) {
			names, fields = append(names, auth[i+1:]), append(fields, "header:Authorization")
			r.Header.Set("Authorization", auth[:i])
		}
	}
	if name, ok := stripCookieSandbox(r); ok {
		names, fields = append(names, name), append(fields, "cookie:"+store.CookieName)
	}
	name := ""
	for i, n := range names {
		if name != "" && n != name {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Message: fields[i] + " selects sandbox " + n + " but " + fields[0] + " selects " + name,
				Field: fields[i], Rule: "sandboxAgree", Expected: name}
		}
		name = n
	}
	if name == "" {
		name = defaultSandbox
	}
	return s.boxes.get(name)
}

// stripCookieSandbox takes the @NAME suffix off the session cookie.
func stripCookieSandbox(r *http.Request) (string, bool) {
	c, err := r.Cookie(store.CookieName)
	if err != nil {
		return "", false
	}
	i := strings.LastIndexByte(c.Value, '@')
	if i < 0 || !validSandboxName(c.Value[i+1:]) {
		return "", false
	}
	old, stripped := store.CookieName+"="+c.Value, store.CookieName+"="+c.Value[:i]
	for k, v := range r.Header["Cookie"] {
		r.Header["Cookie"][k] = strings.ReplaceAll(v, old, stripped)
	}
	return c.Value[i+1:], true
}

// cookieValue is the session cookie a login in this sandbox sets.
func (s *Server) cookieValue(token string) string {
	if s.sandboxName() == defaultSandbox {
		return token
	}
	return token + "@" + s.name
}

func quoteShort(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return `"` + s + `"`
}

func (s *Server) listSandboxes(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"sandboxes": s.boxes.list()})
}

func (s *Server) deleteSandbox(w http.ResponseWriter, r *http.Request) error {
	if err := s.boxes.remove(r.PathValue("name")); err != nil {
		return err
	}
	return noContent(w)
}

// remove deletes a named sandbox: 404 when there is none; the default
// sandbox cannot be deleted (POST /__c3dmock/reset empties it).
func (b *sandboxes) remove(name string) error {
	if name == defaultSandbox {
		return &apierr.Error{Code: apierr.CodeInvalid, Message: "the default sandbox cannot be deleted; POST /__c3dmock/reset gives it a fresh world",
			Field: "path:name", Rule: "defaultSandbox"}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.m[name]; !ok {
		return &apierr.Error{Code: apierr.CodeNotFound, Message: "no sandbox " + quoteShort(name) + " (it may have expired or been evicted)", Field: "path:name", Rule: "exists"}
	}
	b.drop(name)
	return nil
}
