package mock_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// rawServers serves one mock, unwrapped (no conformance wrapper, which would
// read the body first), on 127.0.0.1: the public API and the Data Collector.
func rawServers(t *testing.T) (public, data *httptest.Server, logs *lockedBuffer) {
	t.Helper()
	logs = &lockedBuffer{}
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Sessions: 10,
		Now: func() time.Time { return testNow }, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	public, data = httptest.NewServer(srv), httptest.NewServer(srv.DataHandler())
	t.Cleanup(public.Close)
	t.Cleanup(data.Close)
	return public, data, logs
}

// rawExchange writes head and body on a fresh TCP connection, half-closes
// it (the client sends nothing more) and reads the response.
func rawExchange(t *testing.T, addr, head, body string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, head+body); err != nil {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// TestFramingFaultsAre400: a body that does not arrive as framed is the
// client's fault: 400 naming the framing rule, never 500 or Mock-Error.
func TestFramingFaultsAre400(t *testing.T) {
	public, data, _ := rawServers(t)
	routes := []struct {
		name, addr, head, body string
	}{
		{"public tags", public.Listener.Addr().String(),
			"POST /v0/organizations/12/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + keyReadWrite + "\r\nContent-Type: application/json\r\n",
			`{"title":"framing"}`},
		{"data collector gaze", data.Listener.Addr().String(),
			"POST /v0/gaze/" + sceneDemo + "?version=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + keyApp + "\r\nContent-Type: application/json\r\n",
			`{"userid":"u","timestamp":1793530800,"sessionid":"1793530800_u","part":1,"data":[]}`},
	}
	for _, rt := range routes {
		faults := []struct {
			name, framing, body, message string
		}{
			{"short body", "Content-Length: 400\r\n\r\n", rt.body, "before its Content-Length of 400 bytes"},
			{"bad chunk size", "Transfer-Encoding: chunked\r\n\r\n", "zz\r\n" + rt.body + "\r\n0\r\n\r\n", "malformed chunked request body"},
			{"chunk without CRLF", "Transfer-Encoding: chunked\r\n\r\n", "5\r\n" + rt.body[:5] + "XX", "malformed chunked request body"},
			{"chunked cut short", "Transfer-Encoding: chunked\r\n\r\n", "40\r\n" + rt.body[:10], "before its last (zero-length) chunk"},
		}
		for _, f := range faults {
			t.Run(rt.name+"/"+f.name, func(t *testing.T) {
				res, body := rawExchange(t, rt.addr, rt.head+f.framing, f.body)
				if res.StatusCode != 400 || res.Header.Get("Mock-Error") != "" {
					t.Fatalf("status %d, Mock-Error %q, want 400 without Mock-Error: %s", res.StatusCode, res.Header.Get("Mock-Error"), body)
				}
				var e struct{ Code, Message, Rule string }
				if err := json.Unmarshal(body, &e); err != nil {
					t.Fatalf("error body is not JSON: %s", body)
				}
				if e.Code != "invalid_request" || e.Rule != "framing" || !strings.Contains(e.Message, f.message) {
					t.Errorf("error %+v, want invalid_request, rule framing, message containing %q", e, f.message)
				}
			})
		}
	}
}

// TestConnectionClosedMidBodyIs400: a client that hangs up mid-body cannot
// read an answer, but the server must still count it as the client's fault
// (400 in the log), not as its own error.
func TestConnectionClosedMidBodyIs400(t *testing.T) {
	public, _, logs := rawServers(t)
	conn, err := net.Dial("tcp", public.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(conn, "POST /v0/organizations/12/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "+keyReadWrite+
		"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"title\":")
	conn.Close()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), `"path":"/v0/organizations/12/tags"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no request logged: %s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	line := logs.String()
	if !strings.Contains(line, `"status":400`) || strings.Contains(line, `"level":"ERROR"`) {
		t.Errorf("connection closed mid-body logged as %s, want status 400 and no error", line)
	}
	if !strings.Contains(line, "connection closed mid-body") {
		t.Errorf("the logged reason does not say what happened: %s", line)
	}
}

// TestBodyOverLimitStays413: the size limit is not a framing fault.
func TestBodyOverLimitStays413OnRawSocket(t *testing.T) {
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), Sessions: 5, MaxBodyBytes: 64, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	body := `{"title":"` + strings.Repeat("x", 200) + `"}`
	res, b := rawExchange(t, ts.Listener.Addr().String(),
		"POST /v0/organizations/12/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "+keyReadWrite+"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
		"64\r\n"+body[:100]) // 100 bytes: over the limit before the chunk is even complete
	if res.StatusCode != 413 {
		t.Errorf("status %d, want 413: %s", res.StatusCode, b)
	}
}
