package mock_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkGetProject measures an authenticated, validated GET /v0/projects/4460
// through the whole pipeline, in process (no network).
func BenchmarkGetProject(b *testing.B) {
	srv := newHandler(b)
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
