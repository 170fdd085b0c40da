package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/proxy"
	"github.com/c3dmock/c3dmock/spec"
)

// proxyConfig is everything "c3dmock proxy" takes from flags and environment.
type proxyConfig struct {
	upstream, dataUpstream string
	addr, dataAddr         string
	maxValidateBytes       int64
	reports                []string
	record                 string
}

// errViolations makes "c3dmock proxy" exit 1 when it saw violations.
var errViolations = fmt.Errorf("%w: the traffic violated the spec", errChecksFailed)

func runProxy(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c proxyConfig
	fs := newFlagSet("proxy", stdout, stderr)
	fs.StringVar(&c.upstream, "upstream", "", "where public API requests go, e.g. https://api.cognitive3d.com or http://127.0.0.1:8080 (required)")
	fs.StringVar(&c.dataUpstream, "data-upstream", "", "where Data Collector requests go (default: --upstream with api. replaced by data.)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8090", "listen address for the public API")
	fs.StringVar(&c.dataAddr, "data-addr", "127.0.0.1:8091", `listen address for the Data Collector ("off": none; a free port when --addr uses port 0)`)
	fs.Int64Var(&c.maxValidateBytes, "max-validate-bytes", proxy.DefaultMaxValidateBytes, "larger request or response bodies stream through unvalidated, with a warning")
	fs.StringArrayVar(&c.reports, "report", nil, "at exit write a report: json=FILE or junit=FILE (repeatable)")
	fs.StringVar(&c.record, "record", "", "append every exchange, secrets redacted, to FILE as JSON lines (for c3dmock contract --diff FILE)")
	if err := parseFlags(fs, args, getenv, false); err != nil {
		return err
	}
	up, dataUp, err := c.upstreams()
	if err != nil {
		return err
	}
	if c.maxValidateBytes <= 0 {
		return usageError{errors.New("--max-validate-bytes must be positive")}
	}
	if !fs.Changed("data-addr") && getenv("C3DMOCK_DATA_ADDR") == "" {
		if _, port, err := net.SplitHostPort(c.addr); err == nil && port == "0" {
			c.dataAddr = "127.0.0.1:0"
		}
	}
	if dataUp == nil && c.dataAddr != "off" {
		if fs.Changed("data-addr") {
			return usageError{fmt.Errorf("--data-addr %s needs --data-upstream (the host of %s does not start with api.)", c.dataAddr, up)}
		}
		c.dataAddr = "off"
	}
	reports, err := parseReports(c.reports)
	if err != nil {
		return err
	}
	pub, err := spec.Load(ctx, spec.Public)
	if err != nil {
		return err
	}
	data, err := spec.Load(ctx, spec.DataCollector)
	if err != nil {
		return err
	}
	cfg := proxy.Config{Public: pub, Data: data, Upstream: up, DataUpstream: dataUp, MaxValidateBytes: c.maxValidateBytes, Out: stdout}
	if c.record != "" {
		f, err := os.OpenFile(c.record, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return usageError{fmt.Errorf("--record: %w", err)}
		}
		defer f.Close()
		cfg.Record = f
	}
	p, err := proxy.New(cfg)
	if err != nil {
		return err
	}
	servers, listeners, err := c.listen(p, up, dataUp, stdout)
	if err != nil {
		return err
	}
	serveErr := serveAll(ctx, servers, listeners, defaultShutdownTimeout)
	rep := p.Report()
	if err := rep.WriteText(stdout); err != nil {
		return err
	}
	for kind, file := range reports {
		if err := writeReport(rep, kind, file); err != nil {
			return err
		}
	}
	if serveErr != nil {
		return serveErr
	}
	if !rep.OK() {
		return errViolations
	}
	return nil
}

// upstreams parses --upstream and --data-upstream; the Data Collector
// upstream defaults to the public one with api. replaced by data.
func (c proxyConfig) upstreams() (*url.URL, *url.URL, error) {
	if c.upstream == "" {
		return nil, nil, usageError{errors.New("--upstream is required, e.g. --upstream https://api.cognitive3d.com")}
	}
	up, err := parseUpstream("--upstream", c.upstream)
	if err != nil {
		return nil, nil, err
	}
	if c.dataUpstream != "" {
		data, err := parseUpstream("--data-upstream", c.dataUpstream)
		return up, data, err
	}
	if rest, ok := strings.CutPrefix(strings.ToLower(up.Host), "api."); ok {
		data := *up
		data.Host = "data." + rest
		return up, &data, nil
	}
	return up, nil, nil
}

func parseUpstream(flag, s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return nil, usageError{fmt.Errorf("%s %q is not an http(s) URL without credentials or query", flag, s)}
	}
	return u, nil
}

// listen opens the listeners and says where each API is served and forwarded.
func (c proxyConfig) listen(p *proxy.Proxy, up, dataUp *url.URL, stdout io.Writer) ([]*http.Server, []net.Listener, error) {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(stdout, "proxy listening on http://%s -> %s (public API)\n", ln.Addr(), up)
	servers := []*http.Server{proxyServer(p.Handler(proxy.Public))}
	listeners := []net.Listener{ln}
	if c.dataAddr != "off" {
		dln, err := net.Listen("tcp", c.dataAddr)
		if err != nil {
			ln.Close()
			return nil, nil, fmt.Errorf("--data-addr: %w", err)
		}
		fmt.Fprintf(stdout, "proxy listening on http://%s -> %s (Data Collector)\n", dln.Addr(), dataUp)
		servers = append(servers, proxyServer(p.Handler(proxy.DataCollector)))
		listeners = append(listeners, dln)
	}
	return servers, listeners, nil
}

func proxyServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
}
