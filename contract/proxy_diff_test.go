package contract

import (
	"context"
	"testing"

	"github.com/c3dmock/c3dmock/spec"
)

func TestDiffRoutesDataCollectorExchanges(t *testing.T) {
	pub, err := spec.Load(context.Background(), spec.Public)
	if err != nil {
		t.Fatal(err)
	}
	data, err := spec.Load(context.Background(), spec.DataCollector)
	if err != nil {
		t.Fatal(err)
	}
	xs := []Exchange{
		{API: APIDataCollector, Method: "GET", Path: "/v0/applicationKey", Status: 200,
			ResponseHeader: map[string][]string{"Content-Type": {"application/json"}},
			ResponseBody:   []byte(`{"apiKey":"[REDACTED]","valid":true,"extra":1}`)},
	}
	if fs := Diff(pub, xs); len(fs) != 1 || fs[0].Kind != "operation" {
		t.Fatalf("against the public document alone: %v", fs)
	}
	fs := Diff(pub, xs, data)
	if len(fs) != 1 || fs[0].OperationID != "getApplicationKey" || fs[0].Kind == "operation" {
		t.Fatalf("Diff with both documents: %v, want one finding about the undocumented field of getApplicationKey", fs)
	}
}
