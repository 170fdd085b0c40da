// Package proxy is c3dmock's validating reverse proxy: clients (SDKs, test
// suites) talk to it as they would to the Cognitive3D APIs; it forwards every
// request unchanged to an upstream (the real API, a staging host or c3dmock),
// validates the request and the response against the embedded OpenAPI
// documents, reports violations as they happen and can record the exchanges,
// secrets redacted, for "c3dmock contract --diff".
package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/c3dmock/c3dmock/contract/redact"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/c3dmock/c3dmock/contract"
)

// API names one of the two vendor APIs.
type API string

// The two APIs, as they appear in output and reports.
const (
	Public        API = "public"        // api.cognitive3d.com, spec/public.yaml
	DataCollector API = "datacollector" // data.cognitive3d.com, spec/datacollector.yaml
)

// DefaultMaxValidateBytes is the default cap on a body buffered for validation.
const DefaultMaxValidateBytes = 10 << 20

// Config configures a Proxy. Public, Upstream and Out are required.
type Config struct {
	Public, Data           *openapi3.T // the documents; Data nil = no Data Collector
	Upstream, DataUpstream *url.URL    // where each API's requests go; DataUpstream nil = Data Collector not proxied
	// MaxValidateBytes caps a request or response body buffered for
	// validation; larger bodies stream through unvalidated, with a warning.
	MaxValidateBytes int64
	Out              io.Writer         // violation and warning lines, one each
	Record           io.Writer         // exchanges as JSON lines (redacted); nil = not recorded
	Transport        http.RoundTripper // default: a clone of http.DefaultTransport
	Now              func() time.Time  // default time.Now
}

// Proxy validates traffic to the Cognitive3D APIs. Its methods are safe for
// concurrent use.
type Proxy struct {
	cfg  Config
	apis map[API]*apiProxy

	mu      sync.Mutex // guards everything below and writes to Out and Record
	red     *redact.Redactor
	rec     *contract.ExchangeWriter
	recErr  error
	sum     summary
	started time.Time
}

// apiProxy is one API: its document's router and its reverse proxy.
type apiProxy struct {
	api      API
	doc      *openapi3.T
	router   routers.Router
	upstream *url.URL
	rp       *httputil.ReverseProxy
}

// New builds a Proxy.
func New(cfg Config) (*Proxy, error) {
	if cfg.Public == nil || cfg.Upstream == nil || cfg.Out == nil {
		return nil, errors.New("proxy: Config.Public, Upstream and Out are required")
	}
	if cfg.MaxValidateBytes <= 0 {
		cfg.MaxValidateBytes = DefaultMaxValidateBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil // never chain through HTTP(S)_PROXY by surprise: the upstream is what the user named
		cfg.Transport = t
	}
	p := &Proxy{cfg: cfg, apis: map[API]*apiProxy{}, red: redact.New(), started: cfg.Now()}
	p.sum.init()
	if cfg.Record != nil {
		p.rec = contract.NewExchangeWriter(cfg.Record)
	}
	if err := p.addAPI(Public, cfg.Public, cfg.Upstream); err != nil {
		return nil, err
	}
	if cfg.Data != nil && cfg.DataUpstream != nil {
		if err := p.addAPI(DataCollector, cfg.Data, cfg.DataUpstream); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *Proxy) addAPI(api API, doc *openapi3.T, up *url.URL) error {
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return fmt.Errorf("proxy: %s document: %w", api, err)
	}
	a := &apiProxy{api: api, doc: doc, router: r, upstream: up}
	a.rp = &httputil.ReverseProxy{
		// Rewrite (not Director): no X-Forwarded-* headers are added; the
		// request goes out as the client sent it, to the upstream's host.
		Rewrite:        func(pr *httputil.ProxyRequest) { pr.SetURL(up) },
		Transport:      p.cfg.Transport,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.upstreamError,
		FlushInterval:  -1,
	}
	p.apis[api] = a
	return nil
}

// Handler serves one listener; def is the API of requests whose Host header
// names neither api.* nor data.* (as c3dmock serve routes them).
func (p *Proxy) Handler(def API) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { p.serve(def, w, r) })
}

// apiFor routes by Host like c3dmock serve: data.* → Data Collector, api.* → public API.
func apiFor(r *http.Request, def API) API {
	name := r.Host
	if h, _, err := net.SplitHostPort(name); err == nil {
		name = h
	}
	name = strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "data."):
		return DataCollector
	case strings.HasPrefix(name, "api."):
		return Public
	}
	return def
}

// exchange is what the proxy knows about one request while it is in flight.
type exchange struct {
	api        *apiProxy
	route      *routers.Route    // nil when no operation matched
	params     map[string]string // its path parameters
	op         string            // operationId; "" when no operation matched
	template   string            // the operation's path template
	method     string
	uri        string // path and query as the client sent them
	reqHeader  http.Header
	host       string
	reqBody    []byte // nil when there was none or it was too large
	reqLarge   bool
	start      time.Time
	violations int
}

type ctxKey struct{}

func (p *Proxy) serve(def API, w http.ResponseWriter, r *http.Request) {
	which := apiFor(r, def)
	a := p.apis[which]
	if a == nil {
		p.warnf("%s %s: no upstream for the %s API (set --data-upstream); answered 502", r.Method, p.redactURI(r.URL.RequestURI()), which)
		writeProxyError(w, http.StatusBadGateway, fmt.Sprintf("c3dmock proxy: no upstream is configured for the %s API", which))
		return
	}
	x := &exchange{api: a, method: r.Method, uri: r.URL.RequestURI(), reqHeader: r.Header.Clone(), host: r.Host, start: p.cfg.Now()}
	p.learnRequest(r.Header)
	if r.Body != nil && r.Body != http.NoBody {
		body, large, err := capBody(r.Body, r.ContentLength, p.cfg.MaxValidateBytes)
		if err != nil {
			writeProxyError(w, http.StatusBadRequest, "c3dmock proxy: reading the request body: "+err.Error())
			return
		}
		x.reqLarge = large
		if large {
			r.Body = body
			p.warnf("%s %s: request body larger than --max-validate-bytes (%d): forwarded unvalidated", r.Method, p.redactURI(x.uri), p.cfg.MaxValidateBytes)
		} else {
			x.reqBody, _ = io.ReadAll(body)
			r.Body = io.NopCloser(bytes.NewReader(x.reqBody))
			p.mu.Lock()
			p.red.LearnJSON(x.reqBody) // passwords, keys and tokens the client sends
			p.mu.Unlock()
		}
	}
	p.validateRequest(x, r)
	a.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, x)))
}

// capBody reads up to limit bytes of body. When the body is larger it
// returns a reader of the whole body (what was read, then the rest) and true.
func capBody(body io.ReadCloser, length, limit int64) (io.ReadCloser, bool, error) {
	if length > limit {
		return body, true, nil
	}
	buf, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(buf)) > limit {
		return struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(buf), body), body}, true, nil
	}
	body.Close()
	return io.NopCloser(bytes.NewReader(buf)), false, nil
}

// modifyResponse validates and records the upstream's answer before it goes back.
func (p *Proxy) modifyResponse(res *http.Response) error {
	x, _ := res.Request.Context().Value(ctxKey{}).(*exchange)
	if x == nil {
		return nil
	}
	var body []byte
	large := false
	if res.Body != nil && res.Body != http.NoBody {
		rc, big, err := capBody(res.Body, res.ContentLength, p.cfg.MaxValidateBytes)
		if err != nil {
			return err
		}
		if big {
			large = true
			res.Body = rc
			p.warnf("%s %s: response body larger than --max-validate-bytes (%d): passed on unvalidated", x.method, p.redactURI(x.uri), p.cfg.MaxValidateBytes)
		} else {
			body, _ = io.ReadAll(rc)
			res.Body = io.NopCloser(bytes.NewReader(body))
		}
	}
	plain := body
	if !large && len(body) > 0 && strings.EqualFold(res.Header.Get("Content-Encoding"), "gzip") {
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			plain, err = io.ReadAll(io.LimitReader(zr, p.cfg.MaxValidateBytes+1))
			if err != nil || int64(len(plain)) > p.cfg.MaxValidateBytes {
				plain, large = nil, true
			}
		}
	}
	p.mu.Lock()
	for _, c := range res.Cookies() { // session cookies handed out
		p.red.Add(c.Value)
	}
	p.red.LearnJSON(plain) // csrf tokens, created keys and other secret fields
	p.mu.Unlock()
	d := p.cfg.Now().Sub(x.start)
	p.validateResponse(x, res, plain, large)
	p.record(x, res, plain, large, d)
	return nil
}

// upstreamError answers 502 when the upstream cannot be reached.
func (p *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	p.mu.Lock()
	p.sum.upstreamErrors++
	msg := p.red.String(err.Error())
	p.mu.Unlock()
	p.warnf("%s %s: upstream error: %s; answered 502", r.Method, p.redactURI(r.URL.RequestURI()), msg)
	writeProxyError(w, http.StatusBadGateway, "c3dmock proxy: upstream error: "+msg)
}

func writeProxyError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := jsonMarshal(map[string]string{"error": msg})
	w.Write(append(b, '\n'))
}

// warnf prints one warning line (redacted).
func (p *Proxy) warnf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sum.warnings++
	fmt.Fprintf(p.cfg.Out, "warning: %s\n", oneLine(p.red.String(fmt.Sprintf(format, args...))))
}

// learnRequest makes the credentials a client sends redacted everywhere.
func (p *Proxy) learnRequest(h http.Header) {
	var secrets []string
	for _, k := range []string{"Authorization", "C3d-Csrf", "X-Api-Key", "Proxy-Authorization"} {
		secrets = append(secrets, h.Values(k)...)
	}
	for _, c := range (&http.Request{Header: h}).Cookies() {
		secrets = append(secrets, c.Value)
	}
	if len(secrets) == 0 {
		return
	}
	p.mu.Lock()
	p.red.Add(secrets...)
	p.mu.Unlock()
}

// redactURI redacts known secrets and secret-named query parameters.
func (p *Proxy) redactURI(uri string) string {
	if path, query, ok := strings.Cut(uri, "?"); ok {
		pairs := strings.Split(query, "&")
		for i, pair := range pairs {
			k, _, hasValue := strings.Cut(pair, "=")
			name, err := url.QueryUnescape(k)
			if hasValue && err == nil && redact.IsSecretField(name) {
				pairs[i] = k + "=" + redact.Redacted
			}
		}
		uri = path + "?" + strings.Join(pairs, "&")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.red.String(uri)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
