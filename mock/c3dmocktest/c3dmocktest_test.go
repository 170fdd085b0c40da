package c3dmocktest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/c3dmock/c3dmock/mock/c3dmocktest"
)

func call(t *testing.T, method, url, auth, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", auth)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return res.StatusCode, m
}

// TestParallelTestsDoNotInterfere: tests run side by side, each renaming the
// same project in its own sandbox, and each reads back only its own name.
func TestParallelTestsDoNotInterfere(t *testing.T) {
	for i := range 6 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			m := c3dmocktest.New(t)
			for n := range 4 {
				name := fmt.Sprintf("%s-%d", m.Sandbox, n)
				if s, _ := call(t, "PUT", m.PublicURL+"/v0/projects/4460", m.OrgKey, `{"name":"`+name+`"}`); s != 200 {
					t.Fatalf("rename: %d", s)
				}
				if _, p := call(t, "GET", m.PublicURL+"/v0/projects/4460", m.ReadOnlyKey, ""); p["name"] != name {
					t.Fatalf("read %v, want this test's %s", p["name"], name)
				}
			}
		})
	}
}

func TestClockAndReset(t *testing.T) {
	m := c3dmocktest.New(t)
	if s, _ := call(t, "GET", m.DataURL+"/v0/user", m.DeveloperKey, ""); s != 200 {
		t.Fatalf("developer key: %d", s)
	}
	if err := m.Advance(91 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if s, _ := call(t, "GET", m.DataURL+"/v0/user", m.DeveloperKey, ""); s != http.StatusUnauthorized {
		t.Errorf("developer key 91 days on: %d, want 401", s)
	}
	if err := m.Reset(); err != nil {
		t.Fatal(err)
	}
	if s, _ := call(t, "GET", m.DataURL+"/v0/user", m.DeveloperKey, ""); s != 200 {
		t.Errorf("developer key after reset: %d, want 200", s)
	}
}
