package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/mock"
)

// progressFrom is the --sessions count above which serve reports the
// world's generation (tests lower it).
var progressFrom = largeWorld

// isTerminal reports whether w is a terminal, where progress rewrites one
// line in place (tests replace it).
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// newServer builds the server and its world. A world of more than
// progressFrom sessions reports its generation on a terminal (percent,
// sessions per second, time left) and, wherever stderr goes, one summary
// line (build time, sessions, live heap); with --log-format json the
// summary is one structured line and there is no progress line.
// The world generates while the OpenAPI documents load (mock.Prepare).
func (c serveConfig) newServer(ctx context.Context, cfg mock.Config, stderr io.Writer) (*mock.Server, error) {
	report := c.sessions > progressFrom && !c.quiet
	start := time.Now()
	if report && c.logFormat == "text" && isTerminal(stderr) {
		p := &progressLine{w: stderr, start: start}
		cfg.Progress = p.update
	}
	cfg = mock.Prepare(cfg)
	if err := loadSpecs(ctx, &cfg); err != nil {
		return nil, err
	}
	srv, err := mock.NewServer(cfg)
	if err != nil {
		return nil, err
	}
	if report {
		debug.FreeOSMemory() // so the summary's heap is the world (run settles again)
		took := time.Since(start)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		sessions := worldSessions(c.sessions)
		if c.logFormat == "json" {
			cfg.Logger.Info("world built", slog.Int64("duration_ms", took.Milliseconds()),
				slog.Int("sessions", sessions), slog.Uint64("heap_bytes", ms.HeapAlloc))
		} else {
			fmt.Fprintf(stderr, "built the world in %s: %d sessions, heap %d MB\n",
				took.Round(100*time.Millisecond), sessions, ms.HeapAlloc>>20)
		}
	}
	return srv, nil
}

// progressLine rewrites one terminal line as the world is generated, at
// most four times a second, and clears it when generation is done.
type progressLine struct {
	w           io.Writer
	start, last time.Time
}

func (p *progressLine) update(done, total int) {
	now := time.Now()
	if done < total && now.Sub(p.last) < 250*time.Millisecond {
		return
	}
	p.last = now
	elapsed := max(now.Sub(p.start).Seconds(), 1e-3)
	rate := float64(done) / elapsed
	left := time.Duration(float64(total-done) / max(rate, 1e-9) * float64(time.Second))
	fmt.Fprintf(p.w, "\rbuilding the world: %3d%% (%d of %d sessions, %.0f sessions/s, %s left)\x1b[K",
		done*100/max(total, 1), done, total, rate, left.Round(time.Second))
	if done == total {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// worldSessions is how many sessions a world of --sessions n holds, every
// project counted (mock.NewServer makes 0 the default 500).
func worldSessions(n int) int {
	n = defaultSessions(n)
	seed, err := fixtures.Load()
	if err != nil {
		return n
	}
	total := 0
	for _, p := range seed.Projects {
		total += fixtures.ProjectSessions(p.ID, n)
	}
	return total
}

// defaultSessions is --sessions as mock.NewServer takes it: 0 is 500.
func defaultSessions(n int) int {
	if n <= 0 {
		return 500
	}
	return n
}

// announce tells the user where the server is. With --quiet only the Data
// Collector's address and the CA file (with --tls) are printed, as scripts
// need them; otherwise the start-up banner, one line per item: both
// addresses, the world, the demo credentials with the header to send and
// a curl line to paste. With --log-format json the banner is one
// structured line. The public API's address is always on stdout as well.
func (c serveConfig) announce(stderr io.Writer, log *slog.Logger, scheme string, public, data net.Addr) {
	dataURL := ""
	if data != nil {
		dataURL = fmt.Sprintf("%s://%s", scheme, data)
	}
	publicURL := fmt.Sprintf("%s://%s", scheme, public)
	if c.quiet {
		if dataURL != "" {
			fmt.Fprintf(stderr, "data collector listening on %s\n", dataURL)
		}
		if c.tls {
			fmt.Fprintf(stderr, "CA certificate in %s (the server certificate covers %v)\n", c.caCert, mock.DefaultTLSHosts)
		}
		return
	}
	b := c.banner(scheme, public)
	if c.logFormat == "json" {
		attrs := []any{slog.String("version", b.version), slog.String("public", publicURL)}
		if dataURL != "" {
			attrs = append(attrs, slog.String("data", dataURL))
		}
		if c.tls {
			attrs = append(attrs, slog.String("ca_cert", c.caCert))
		}
		attrs = append(attrs, slog.Uint64("seed", c.seed), slog.String("now", b.now), slog.Bool("real_clock", b.realClock), slog.Int("sessions", b.sessions),
			slog.Any("credentials", b.credentials), slog.String("login", b.login), slog.String("try", b.curl))
		log.Info("ready", attrs...)
		return
	}
	var w strings.Builder
	fmt.Fprintf(&w, "c3dmock %s ready\n", b.version)
	fmt.Fprintf(&w, "public API listening on %s\n", publicURL)
	if dataURL != "" {
		fmt.Fprintf(&w, "data collector listening on %s\n", dataURL)
	}
	if c.tls {
		fmt.Fprintf(&w, "CA certificate in %s (the server certificate covers %v)\n", c.caCert, mock.DefaultTLSHosts)
	}
	clock := ""
	if b.realClock {
		clock = " (real clock)"
	}
	fmt.Fprintf(&w, "world: seed %d, now %s%s, %d sessions (%d in project %d)\n",
		c.seed, b.now, clock, b.sessions, fixtures.ProjectSessions(fixtures.DemoProjectID, defaultSessions(c.sessions)), fixtures.DemoProjectID)
	if len(b.credentials) > 0 {
		fmt.Fprintln(&w, `demo credentials (send the header as shown; README "Demo credentials" has them all):`)
		for _, cr := range b.credentials {
			fmt.Fprintf(&w, "  Authorization: %s\n", cr)
		}
	}
	if b.login != "" {
		fmt.Fprintf(&w, "  login: %s\n", b.login)
	}
	if b.curl != "" {
		fmt.Fprintf(&w, "try: %s\n", b.curl)
	}
	io.WriteString(stderr, w.String())
}

// bannerInfo is what the banner says about the build and the world.
type bannerInfo struct {
	version     string
	now         string // RFC 3339
	realClock   bool   // now is the real clock's, not --now
	sessions    int
	credentials []string // "orgkey-demo-readwrite  (org 12, read-write)"
	login       string   // a demo user's email and password
	curl        string
}

// banner gathers the banner's facts. The credentials are those of the
// world's seed (fixtures/world.json): every key that is neither revoked
// nor expired, in the header form it is sent with.
func (c serveConfig) banner(scheme string, public net.Addr) bannerInfo {
	bi, ok := readBuildInfo()
	b := bannerInfo{version: readVersion(bi, ok).short(), now: c.now, sessions: worldSessions(c.sessions)}
	if b.now == "" {
		b.now, b.realClock = time.Now().UTC().Format(time.RFC3339), true
	}
	seed, err := fixtures.Load()
	if err != nil {
		return b
	}
	clock := time.Now().UnixMilli()
	if t, err := time.Parse(time.RFC3339, c.now); err == nil {
		clock = t.UnixMilli()
	}
	var try string
	for _, k := range seed.APIKeys {
		if k.Revoked || k.ExpiresAt < 0 || (k.ExpiresAt > 0 && k.ExpiresAt <= clock) {
			continue
		}
		b.credentials = append(b.credentials, fmt.Sprintf("%s  (%s)", k.Header(), keyReach(k)))
		if try == "" && k.Kind == fixtures.KeyOrg && !k.ReadOnly {
			try = k.Header()
		}
	}
	for _, u := range seed.Users {
		if u.Password != "" && len(u.Grants) > 0 {
			g := u.Grants[0]
			b.login = fmt.Sprintf("%s / %s  (POST /v0/sessions, then the cookie; %s %d, %s)", u.Email, u.Password, scopeName(g.Scope), g.ID, g.Role)
			break
		}
	}
	if try != "" {
		host := public.String()
		if ta, ok := public.(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
			host = net.JoinHostPort("127.0.0.1", fmt.Sprint(ta.Port))
		}
		cacert := ""
		if c.tls {
			cacert = " --cacert " + c.caCert
		}
		b.curl = fmt.Sprintf("curl -s%s -H 'Authorization: %s' %s://%s/v0/organizations/apiKeys/whoami", cacert, try, scheme, host)
	}
	return b
}

// keyReach says what a key reaches: "org 12, read-write".
func keyReach(k fixtures.APIKey) string {
	access := "read-write"
	if k.ReadOnly {
		access = "read-only"
	}
	switch k.Kind {
	case fixtures.KeyData:
		return fmt.Sprintf("Data Collector, application key of project %d", k.ProjectID)
	case fixtures.KeyDeveloper:
		return fmt.Sprintf("Data Collector, developer key of user %d", k.UserID)
	case fixtures.KeyDomain:
		return fmt.Sprintf("domain %d, every organization in it, %s", k.DomainID, access)
	}
	return fmt.Sprintf("org %d, %s", k.OrganizationID, access)
}

func scopeName(scope string) string {
	if scope == "organization" {
		return "org"
	}
	return scope
}
