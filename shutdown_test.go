package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startSlowRequest opens a raw connection to base and sends a tag creation
// whose body stops one byte short: the server is reading it, in flight,
// until finish sends the last byte and returns the response.
func startSlowRequest(t *testing.T, base string) (finish func() (*http.Response, error)) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	body := `{"title":"slow-in-flight"}`
	head := "POST /v0/organizations/12/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: orgkey-demo-readwrite\r\n" +
		"Content-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := io.WriteString(conn, head+body[:len(body)-1]); err != nil {
		t.Fatal(err)
	}
	return func() (*http.Response, error) {
		if _, err := io.WriteString(conn, body[len(body)-1:]); err != nil {
			return nil, err
		}
		return http.ReadResponse(bufio.NewReader(conn), nil)
	}
}

// TestShutdownDrainsInFlightRequests: told to stop while a slow request is
// in flight, serve waits for it (it completes with its normal answer), then
// returns nil: exit 0.
func TestShutdownDrainsInFlightRequests(t *testing.T) {
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--data-addr", "off", "--sessions", "5", "--shutdown-timeout", "10s", "--quiet"}, nil)
	finish := startSlowRequest(t, base)
	time.Sleep(100 * time.Millisecond) // let the server read the head and start on the body
	errc := make(chan error, 1)
	go func() { errc <- stop() }()
	time.Sleep(500 * time.Millisecond) // the request stays in flight through the start of the shutdown
	select {
	case err := <-errc:
		t.Fatalf("serve returned while a request was in flight: %v", err)
	default:
	}
	res, err := finish()
	if err != nil {
		t.Fatalf("the in-flight request was cut by the shutdown: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 201 && res.StatusCode != 200 {
		t.Errorf("in-flight request answered %d during shutdown, want its normal 2xx", res.StatusCode)
	}
	select {
	case err := <-errc:
		if code := exitCode(err); err != nil || code != exitOK {
			t.Errorf("after a clean drain serve returned %v (exit %d), want nil (exit 0)", err, code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after its last request finished")
	}
}

// TestShutdownTimeoutCutsAndSays: a request that outlives --shutdown-timeout
// is cut, and serve says so (non-zero exit naming the flag).
func TestShutdownTimeoutCutsAndSays(t *testing.T) {
	base, _, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--data-addr", "off", "--sessions", "5", "--shutdown-timeout", "200ms", "--quiet"}, nil)
	startSlowRequest(t, base) // never finished
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	err := stop()
	if err == nil || !strings.Contains(err.Error(), "--shutdown-timeout 200ms") || exitCode(err) == exitOK {
		t.Errorf("stop with a request outliving the timeout: %v (exit %d), want an error naming --shutdown-timeout", err, exitCode(err))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %s with --shutdown-timeout 200ms", d)
	}
}

func TestDrainTimeoutDefaultsToWriteTimeout(t *testing.T) {
	for _, c := range []struct {
		cfg  serveConfig
		want time.Duration
	}{
		{serveConfig{writeTimeout: 60 * time.Second}, 60 * time.Second},
		{serveConfig{writeTimeout: 90 * time.Second}, 90 * time.Second},
		{serveConfig{writeTimeout: 60 * time.Second, shutdownTimeout: 2 * time.Second}, 2 * time.Second},
		{serveConfig{}, defaultShutdownTimeout},
	} {
		if got := c.cfg.drainTimeout(); got != c.want {
			t.Errorf("%+v: drain %s, want %s", c.cfg, got, c.want)
		}
	}
}
