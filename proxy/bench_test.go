package proxy_test

import (
	"io"
	"net/http"
	"testing"
)

// BenchmarkGetProject compares GET /v0/projects/4460 against c3dmock
// directly and through the proxy (validation of request and response
// included), over loopback HTTP with keep-alive.
func BenchmarkGetProject(b *testing.B) {
	pub, data := startMock(b)
	r := startProxy(b, pub, data, nil)
	for _, bc := range []struct{ name, base string }{{"direct", pub}, {"proxied", r.pub}} {
		b.Run(bc.name, func(b *testing.B) {
			c := &http.Client{}
			req, _ := http.NewRequest("GET", bc.base+"/v0/projects/4460", nil)
			req.Header.Set("Authorization", orgKey)
			b.ReportAllocs()
			for b.Loop() {
				res, err := c.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatal(res.Status)
				}
			}
		})
	}
}
