package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ErrBudget is returned once the run has sent Target.MaxRequests requests.
// It stops the run: the current check fails and the rest are skipped.
var ErrBudget = errors.New("request budget exhausted")

// Client sends requests as one credential. Requests are sequential across
// the whole run, spaced by the rate limiter and counted against the budget;
// every response is validated against the spec and recorded.
type Client struct {
	s    *Session
	auth string
	data bool // send to the Data Collector (Target.DataURL)
}

// Response is a received response. Op is the operationId the spec routes the
// request to ("" when no operation matches).
type Response struct {
	Op     string
	Method string
	Path   string
	Status int
	Header http.Header
	Body   []byte
}

// Get sends GET path (path may carry a query).
func (c *Client) Get(ctx context.Context, path string) (*Response, error) {
	return c.Do(ctx, http.MethodGet, path, "", nil)
}

// Delete sends DELETE path.
func (c *Client) Delete(ctx context.Context, path string) (*Response, error) {
	return c.Do(ctx, http.MethodDelete, path, "", nil)
}

// Post sends body encoded as JSON.
func (c *Client) Post(ctx context.Context, path string, body any) (*Response, error) {
	return c.sendJSON(ctx, http.MethodPost, path, body)
}

// Put sends body encoded as JSON.
func (c *Client) Put(ctx context.Context, path string, body any) (*Response, error) {
	return c.sendJSON(ctx, http.MethodPut, path, body)
}

func (c *Client) sendJSON(ctx context.Context, method, path string, body any) (*Response, error) {
	raw, ok := body.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	return c.Do(ctx, method, path, "application/json", raw)
}

// Do sends one request with a raw body and content type.
func (c *Client) Do(ctx context.Context, method, path, contentType string, body []byte) (*Response, error) {
	rs := c.s.run
	if err := rs.take(ctx); err != nil {
		return nil, err
	}
	c.s.requests++
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.baseURL(), "/")+path, rd)
	if err != nil {
		return nil, err
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "c3dmock-contract")
	start := rs.now()
	hres, err := rs.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, rs.redact.Error(err))
	}
	defer hres.Body.Close()
	data, err := readCapped(hres, rs.target.maxResponseBytes())
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	res := &Response{Method: method, Path: path, Status: hres.StatusCode, Header: hres.Header, Body: data}
	rs.redact.Learn(hres.Header, data)
	res.Op = rs.validate(c.s, c.validator(), req, res)
	rs.lat.observe(res.Op, res.Status, rs.now().Sub(start))
	rs.record(c.s, req, body, res, rs.now().Sub(start))
	return res, nil
}

// ErrResponseTooLarge fails the check whose response body is larger than
// Target.MaxResponseBytes (c3dmock contract --max-response-bytes).
var ErrResponseTooLarge = errors.New("response body too large")

// DefaultMaxResponseBytes caps a response body when Target.MaxResponseBytes
// is not set: far above any real answer, far below a runaway stream.
const DefaultMaxResponseBytes = 16 << 20

// readCapped reads the body of res, at most limit bytes. A body declared
// (Content-Length) or found to be larger fails at once, without reading the
// rest: a target streaming without end costs at most limit bytes.
func readCapped(res *http.Response, limit int64) ([]byte, error) {
	tooLarge := func(what string) error {
		return fmt.Errorf("%w: %s, over the %s cap (--max-response-bytes); stopped reading", ErrResponseTooLarge, what, byteSize(limit))
	}
	if res.ContentLength > limit {
		return nil, tooLarge(fmt.Sprintf("Content-Length is %d bytes", res.ContentLength))
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if int64(len(data)) > limit {
		return nil, tooLarge(fmt.Sprintf("the body ran past %d bytes", limit))
	}
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return data, nil
}

// byteSize prints n in the largest binary unit that divides it.
func byteSize(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// JSON decodes the body, keeping numbers exact (json.Number).
func (r *Response) JSON() (any, error) {
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s %s: body is not JSON: %w", r.Method, r.Path, err)
	}
	return v, nil
}

// Object decodes a JSON object body.
func (r *Response) Object() (map[string]any, error) {
	v, err := r.JSON()
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: body is %s, want a JSON object", r.Method, r.Path, kindOf(v))
	}
	return m, nil
}

// List decodes a JSON array body.
func (r *Response) List() ([]any, error) {
	v, err := r.JSON()
	if err != nil {
		return nil, err
	}
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: body is %s, want a JSON array", r.Method, r.Path, kindOf(v))
	}
	return l, nil
}

// limiter spaces requests at least interval apart. now and sleep are
// injectable so tests need not wait.
type limiter struct {
	interval time.Duration
	next     time.Time
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
}

func (l *limiter) wait(ctx context.Context) error {
	if l.interval <= 0 {
		return ctx.Err()
	}
	now := l.now()
	if now.Before(l.next) {
		if err := l.sleep(ctx, l.next.Sub(now)); err != nil {
			return err
		}
		now = l.next
	}
	l.next = now.Add(l.interval)
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
