package mock_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

// Mount the mock in httptest.NewServer to test a Cognitive3D client in process.
func ExampleNewServer() {
	doc, err := spec.Load(context.Background(), spec.Public)
	if err != nil {
		panic(err)
	}
	srv, err := mock.NewServer(mock.Config{Spec: doc, Seed: 1, Now: func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	req, _ := http.NewRequest("GET", ts.URL+"/v0/organizations/apiKeys/whoami", nil)
	req.Header.Set("Authorization", "orgkey-demo-readwrite")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(res.StatusCode, res.Header.Get("Content-Type"))
	fmt.Printf("%s", body)
	// Output:
	// 200 application/json
	// {"accessLevel":"write","keyId":1,"organizationId":12,"organizationIds":[12]}
}
