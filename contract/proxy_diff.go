package contract

import (
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// APIDataCollector marks an Exchange of the Data Collector (Exchange.API).
const APIDataCollector = "datacollector"

// DiffAPIs is Diff over recordings of both APIs: exchanges whose API is
// "datacollector" (c3dmock proxy records it) are compared with data, the
// others with public. A nil data document leaves those exchanges out.
func DiffAPIs(public, data *openapi3.T, xs []Exchange) []DiffFinding {
	var pub, dc []Exchange
	for _, x := range xs {
		if x.API == APIDataCollector {
			dc = append(dc, x)
		} else {
			pub = append(pub, x)
		}
	}
	out := Diff(public, pub)
	if data != nil && len(dc) > 0 {
		out = append(out, Diff(data, dc)...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].OperationID < out[j].OperationID })
	}
	return out
}
