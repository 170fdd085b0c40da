package contract

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

var (
	dataDocOnce sync.Once
	dataDocVal  *openapi3.T
	dataDocErr  error
)

func dataDoc(t testing.TB) *openapi3.T {
	t.Helper()
	dataDocOnce.Do(func() { dataDocVal, dataDocErr = spec.Load(context.Background(), spec.DataCollector) })
	if dataDocErr != nil {
		t.Fatalf("spec.Load: %v", dataDocErr)
	}
	return dataDocVal
}

// mockTarget starts c3dmock in process (both hosts on 127.0.0.1) and returns a
// target with the demo world's credentials. wrap, if set, wraps the public
// handler (to break it on purpose).
func mockTarget(t testing.TB, wrapPublic, wrapData func(h httpHandler) httpHandler) Target {
	t.Helper()
	srv, err := mock.NewServer(mock.Config{Spec: publicDoc(t), DataSpec: dataDoc(t), Seed: 1, Sessions: 60,
		Now: func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	var pub, data httpHandler = srv, srv.DataHandler()
	if wrapPublic != nil {
		pub = wrapPublic(pub)
	}
	if wrapData != nil {
		data = wrapData(data)
	}
	ps, ds := httptest.NewServer(pub), httptest.NewServer(data)
	t.Cleanup(ps.Close)
	t.Cleanup(ds.Close)
	return Target{BaseURL: ps.URL, Spec: publicDoc(t), DataURL: ds.URL, DataSpec: dataDoc(t), HTTP: ps.Client(),
		APIKey: "orgkey-demo-readwrite", ReadOnlyKey: "orgkey-demo-readonly", LegacyKey: "APIKEY:ORGANIZATION demo-legacy-key",
		DomainKey: "APIKEY:DOMAIN demo-domain-key", DataKey: "APIKEY:DATA demo-app-key", DeveloperKey: "APIKEY:DEVELOPER demo-developer-key",
		ForeignProjectID: 3001, AllowWrites: true, IngestScene: "2c2f0603-8f5c-4ff6-94ed-03542a4df34d", IngestVersion: 2}
}

func allChecks(t testing.TB) []Check {
	out := Checks()
	out = append(out, SpecChecks(publicDoc(t), HostPublic)...)
	return append(out, SpecChecks(dataDoc(t), HostData)...)
}

func TestSpecChecksPassAgainstMock(t *testing.T) {
	tg := mockTarget(t, nil, nil)
	rep := Run(context.Background(), tg, allChecks(t))
	for _, r := range rep.Results {
		if r.Status == StatusFail || r.Status == StatusDrift {
			t.Errorf("%s: %s %s %v", r.Name, r.Status, r.Reason, r.Drift)
		}
	}
	for _, c := range rep.OpCoverage {
		if !c.Covered() {
			t.Errorf("%s (%s) not covered: %v", c.Op, c.Document, c.Skipped)
		}
	}
	t.Log(rep.Summary(), rep.CoverageSummary(), rep.Requests, "requests")
}

type httpHandler = http.Handler
