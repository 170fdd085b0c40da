package mock_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

func TestDeterministicWorld(t *testing.T) {
	a, b := newTestServer(t), newTestServer(t)
	paths := []string{"/v0/projects/4460", "/v0/projects/4460/objects", "/v0/projects/4460/objectives", "/v0/organizations/12", "/v0/organizations/12/tags"}
	for _, p := range paths {
		ra := do(t, a, request{method: "GET", path: p, auth: keyReadWrite})
		rb := do(t, b, request{method: "GET", path: p, auth: keyReadWrite})
		if ra.status != 200 || !bytes.Equal(ra.body, rb.body) {
			t.Errorf("GET %s differs between two servers with the same seed (status %d)", p, ra.status)
		}
	}
}

func TestResetRestoresSeededWorld(t *testing.T) {
	ts := newTestServer(t)
	before := do(t, ts, request{method: "GET", path: "/v0/organizations/12", auth: keyReadWrite}).body
	if got := do(t, ts, request{method: "DELETE", path: "/v0/projects/4461", auth: keyReadWrite}); got.status != 204 {
		t.Fatalf("delete: %d", got.status)
	}
	if got := do(t, ts, request{method: "POST", path: "/__c3dmock/reset", header: map[string]string{mock.ControlHeader: "1"}}); got.status != 200 {
		t.Fatalf("reset: %d", got.status)
	}
	after := do(t, ts, request{method: "GET", path: "/v0/organizations/12", auth: keyReadWrite}).body
	if !bytes.Equal(before, after) {
		t.Errorf("after reset organization 12 differs:\n%s\n%s", before, after)
	}
	if got := do(t, ts, request{method: "GET", path: "/__c3dmock/healthz"}); got.status != 200 {
		t.Errorf("healthz: %d", got.status)
	}
}

func TestBodyLimitIs413(t *testing.T) {
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), Sessions: 10, MaxBodyBytes: 64, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	body := `{"title":"` + strings.Repeat("x", 100) + `"}`
	if got := do(t, ts, request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: body}); got.status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversize body: %d, want 413 (%s)", got.status, got.body)
	}
}

// TestConcurrentReadsAndWrites is meant for -race: readers and writers share one store.
func TestConcurrentReadsAndWrites(t *testing.T) {
	ts := newTestServer(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				switch (i + j) % 4 {
				case 0:
					do(t, ts, request{method: "POST", path: "/v0/organizations/12/tags", auth: keyReadWrite, body: fmt.Sprintf(`{"title":"c-%d-%d"}`, i, j)})
				case 1:
					do(t, ts, request{method: "GET", path: "/v0/organizations/12/tags", auth: keyReadWrite})
				case 2:
					do(t, ts, request{method: "PUT", path: "/v0/projects/4461", auth: keyReadWrite, body: fmt.Sprintf(`{"name":"Retail %d-%d"}`, i, j)})
				case 3:
					do(t, ts, request{method: "GET", path: "/v0/projects/4461", auth: keyReadWrite})
				}
			}
		}(i)
	}
	wg.Wait()
	tags := do(t, ts, request{method: "GET", path: "/v0/organizations/12/tags", auth: keyReadWrite}).list(t)
	n := 0
	for _, tg := range tags {
		if strings.HasPrefix(fmt.Sprint(tg.(map[string]any)["title"]), "c-") {
			n++
		}
	}
	if n != 20 {
		t.Errorf("%d concurrent tags stored, want 20", n)
	}
}
