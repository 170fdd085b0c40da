package mock_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock"
)

// BenchmarkPaginatedListQuery100k measures the clients' default session
// query (30 days, test and junk excluded, 100 rows) against 100000
// sessions, through the whole pipeline, in process. Target: ≤ 20 ms.
func BenchmarkPaginatedListQuery100k(b *testing.B) {
	start := time.Now()
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(b), Seed: 1, Sessions: 100000, Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built 100000 sessions in %v", time.Since(start))
	body := fmt.Sprintf(`{"page":0,"limit":100,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},`+
		`"entityFilters":{"projectId":4460},"sessionFilters":[`+
		`{"field":{"fieldName":"date","fieldParent":"session"},"op":"gte","value":%d},`+
		`{"field":{"fieldName":"date","fieldParent":"session"},"op":"lte","value":%d},`+tagExclusions+`],`+
		`"eventFilters":[],"objectiveFilters":[],"userFilters":[],"sessionType":"project","includeEvents":false,"includeAllObjectiveData":false}`,
		testNow.AddDate(0, 0, -30).UnixMilli(), testNow.UnixMilli())
	run := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/v0/datasets/sessions/paginatedListQueries", strings.NewReader(body))
		req.Header.Set("Authorization", keyReadWrite)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	if rec := run(); rec.Code != http.StatusOK {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rec := run(); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
