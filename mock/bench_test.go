package mock_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

// BenchmarkGetProject measures an authenticated, validated GET /v0/projects/4460
// through the whole pipeline, in process (no network).
func BenchmarkGetProject(b *testing.B) { benchGetProject(b, newHandler(b)) }

func benchGetProject(b *testing.B, srv *mock.Server) {
	req := httptest.NewRequest("GET", "/v0/projects/4460", nil)
	req.Header.Set("Authorization", keyReadWrite)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkPaginatedListLimit10 measures the clients' default session list
// (test and junk excluded) with limit 10 over the default world (500
// sessions in project 4460), in process.
func BenchmarkPaginatedListLimit10(b *testing.B) {
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(b), Seed: 1, Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	body := `{"page":0,"limit":10,"sessionType":"project","entityFilters":{"projectId":4460},"sessionFilters":[` +
		`{"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.test"},"value":false},` +
		`{"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.junk"},"value":false}]}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/v0/datasets/sessions/paginatedListQueries", strings.NewReader(body))
		req.Header.Set("Authorization", keyReadWrite)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkIngestEventsBatch measures one 10-event batch of a running SDK
// session through the Data Collector pipeline, in process, including the
// recomputation of the session's derived values (times, visits, tag
// properties, objective results).
func BenchmarkIngestEventsBatch(b *testing.B) {
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(b), DataSpec: dataDoc(b), Seed: 1, Sessions: 60, Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.DataHandler()
	part := 0
	b.ReportAllocs()
	for b.Loop() {
		part++
		var evs []string
		for i := range 10 {
			evs = append(evs, fmt.Sprintf(`{"name":"c3d.tutorial.start","time":%d.%03d,"point":[1,2,3]}`, 1793527200+part, i))
		}
		body := fmt.Sprintf(`{"userid":"d","timestamp":1793527200,"sessionid":"1793527200_bench","part":%d,"data":[%s]}`, part, strings.Join(evs, ","))
		req := httptest.NewRequest("POST", "/v0/events/"+sceneDemo+"?version=2", strings.NewReader(body))
		req.Header.Set("Authorization", keyApp)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkSandboxCreate measures a request that makes a new sandbox: the
// fork of the default world, its clock and handlers, then the request.
func BenchmarkSandboxCreate(b *testing.B) {
	srv, get := sandboxBenchServer(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		get(srv, fmt.Sprintf("bench-%d", n))
	}
}

// BenchmarkSandboxIdleBytes reports the live heap an idle sandbox of the
// default world keeps (bytes/sandbox, 100 sandboxes a round).
func BenchmarkSandboxIdleBytes(b *testing.B) {
	var total int64
	rounds := 0
	for b.Loop() {
		srv, get := sandboxBenchServer(b)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range 100 {
			get(srv, fmt.Sprintf("idle-%d", i))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		total += int64(after.HeapAlloc) - int64(before.HeapAlloc)
		rounds++
		runtime.KeepAlive(srv)
	}
	b.ReportMetric(float64(total)/float64(rounds*100), "bytes/sandbox")
}

func sandboxBenchServer(b *testing.B) (*mock.Server, func(*mock.Server, string)) {
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(b), DataSpec: dataDoc(b), Seed: 1, Now: func() time.Time { return testNow },
		MaxSandboxes: 1 << 20, StoreBudget: -1})
	if err != nil {
		b.Fatal(err)
	}
	return srv, func(srv *mock.Server, box string) {
		req := httptest.NewRequest("GET", "/v0/projects/4460", nil)
		req.Header.Set("Authorization", keyReadOnly+"@"+box)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkGetProjectFaultRule is BenchmarkGetProject with a fault rule in
// force that does not match it: the price of trying rules. With no rule the
// fault step is one atomic load (compare BenchmarkGetProject).
func BenchmarkGetProjectFaultRule(b *testing.B) {
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(b), Seed: 1, Sessions: 60, Now: func() time.Time { return testNow },
		Faults: []mock.FaultRule{{Match: mock.FaultMatch{OperationID: "listWidgets"}, Action: mock.FaultAction{Status: 404}}}})
	if err != nil {
		b.Fatal(err)
	}
	benchGetProject(b, srv)
}
