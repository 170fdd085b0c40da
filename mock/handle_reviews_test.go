package mock_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

const multipartType = "multipart/form-data; boundary=c3dmock-test-boundary"

// multipartReviews wraps a CSV in the multipart body importReviews takes.
func multipartReviews(t testing.TB, csv string) string {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary("c3dmock-test-boundary"); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("reviews", "reviews.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(csv))
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestReviewsImport(t *testing.T) {
	ts := newTestServer(t)
	sid := sceneSessionID(t, ts, 7012)
	csv := "Review ID,Date,Rating,Title,Review,User Name,SDK Session ID\n" +
		"r1,2026-10-01,5,Great,\"Loved it, really\",alice," + sid + "\n" +
		"r2,2026-10-02,2,Meh,Too dark,bob,\n"
	res := do(t, ts, request{method: "POST", path: "/v0/projects/4460/reviews", auth: keyReadWrite, body: multipartReviews(t, csv), contentType: multipartType})
	if res.status != http.StatusCreated || !strings.Contains(string(res.body), `"imported":2`) {
		t.Fatalf("import: %d %s", res.status, res.body)
	}
	again := do(t, ts, request{method: "POST", path: "/v0/projects/4460/reviews", auth: keyReadWrite, body: multipartReviews(t, csv), contentType: multipartType})
	if !strings.Contains(string(again.body), `"imported":0`) || !strings.Contains(string(again.body), `"skipped":2`) {
		t.Errorf("re-import: %s, want 0 imported, 2 skipped", again.body)
	}
	list := do(t, ts, request{method: "GET", path: "/v0/projects/4460/reviews", auth: keyReadOnly}).list(t)
	if len(list) != 2 {
		t.Errorf("%d reviews, want 2", len(list))
	}
	got := do(t, ts, request{method: "GET", path: "/v0/projects/4460/reviews/session?sdkSessionId=" + sid, auth: keyReadOnly})
	if got.status != http.StatusOK || got.json(t)["text"] != "Loved it, really" {
		t.Errorf("review of %s: %d %s", sid, got.status, got.body)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/4460/reviews/session?sdkSessionId=" + sid + "&versionId=7012", auth: keyReadOnly}); got.status != http.StatusOK {
		t.Errorf("review of %s on version 7012: %d %s", sid, got.status, got.body)
	}
	if got := do(t, ts, request{method: "GET", path: "/v0/projects/4460/reviews/session?sdkSessionId=1_none", auth: keyReadOnly}); got.status != http.StatusNotFound || !strings.Contains(string(got.body), "1_none") {
		t.Errorf("unknown session: %d %s", got.status, got.body)
	}
	for _, bad := range []struct{ name, body, ct string }{
		{"no rating or review column", multipartReviews(t, "a,b\n1,2\n"), multipartType},
		{"ragged row", multipartReviews(t, "rating,review\n5\n"), multipartType},
		{"rating not a number", multipartReviews(t, "rating,review\nfive,ok\n"), multipartType},
	} {
		if res := do(t, ts, request{method: "POST", path: "/v0/projects/4460/reviews", auth: keyReadWrite, body: bad.body, contentType: bad.ct}); res.status != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", bad.name, res.status, res.body)
		}
	}
	if res := do(t, ts, request{method: "POST", path: "/v0/projects/4460/reviews", auth: keyReadWrite, body: "rating\n5\n", contentType: "text/csv"}); res.status != http.StatusUnsupportedMediaType {
		t.Errorf("bare CSV: %d, want 415", res.status)
	}
}
