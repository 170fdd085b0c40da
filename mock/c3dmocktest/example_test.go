package c3dmocktest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/c3dmock/c3dmock/mock/c3dmocktest"
)

// A test gets its own sandbox with c3dmocktest.New(t); outside a test,
// Start and Close do the same.
func Example() {
	m, err := c3dmocktest.Start("example")
	if err != nil {
		panic(err)
	}
	defer m.Close()

	req, _ := http.NewRequest("PUT", m.PublicURL+"/v0/projects/4460", strings.NewReader(`{"name":"Renamed in my sandbox"}`))
	req.Header.Set("Authorization", m.OrgKey) // orgkey-demo-readwrite@<sandbox>
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	res.Body.Close()

	res, err = http.Get(m.PublicURL + "/__c3dmock/sandboxes")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Println(res.StatusCode, strings.Contains(string(body), `"name":"`+m.Sandbox+`"`))
	// Output: 200 true
}
