package mock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestReadmeKeyWalkthrough is the README walkthrough: log in as the demo
// admin, create a read-only key, use it, revoke it, and see it refused.
func TestReadmeKeyWalkthrough(t *testing.T) {
	ts := newTestServer(t)
	admin := userCaller(t, ts, "admin@demo.example")
	created := admin.must(t, ts, 201, "POST", "/v0/organizations/12/apiKeys", `{"name":"CI read-only","accessLevel":"read"}`).json(t)
	secret, _ := created["key"].(string)
	if !strings.HasPrefix(secret, "orgkey-") || created["accessLevel"] != "read" {
		t.Fatalf("created key = %v, want an orgkey- secret with accessLevel read", created)
	}
	key := caller{auth: secret}
	key.must(t, ts, 200, "GET", "/v0/projects/4460", "")
	key.must(t, ts, 403, "POST", "/v0/organizations/12/tags", `{"title":"nope"}`)
	admin.must(t, ts, 204, "DELETE", fmt.Sprint("/v0/organizations/12/apiKeys/", created["id"]), "")
	key.must(t, ts, 401, "GET", "/v0/projects/4460", "")
}

func TestAPIKeyLifecycle(t *testing.T) {
	ts := newTestServer(t)
	list := domainKey.must(t, ts, 200, "GET", "/v0/organizations/12/apiKeys", "")
	if n := len(list.list(t)); n != 3 {
		t.Errorf("organization 12 lists %d keys, want 3 (read-write, read-only, legacy): %s", n, list.body)
	}
	for _, secret := range []string{"demo-readwrite", "demo-readonly", "demo-legacy-key", "demo-domain-key", "demo-app-key"} {
		if strings.Contains(string(list.body), secret) {
			t.Errorf("key list shows secret %q: %s", secret, list.body)
		}
	}
	created := domainKey.must(t, ts, 201, "POST", "/v0/organizations/12/apiKeys", `{"name":"deploy","accessLevel":"readWrite"}`).json(t)
	secret := created["key"].(string)
	rw := caller{auth: secret}
	// A new key works at once across the API, for reads and writes.
	rw.must(t, ts, 200, "GET", "/v0/organizations/apiKeys/whoami", "")
	rw.must(t, ts, 200, "GET", "/v0/projects/4461", "")
	rw.must(t, ts, 201, "POST", "/v0/organizations/12/tags", `{"title":"from-new-key"}`)
	rw.must(t, ts, 403, "GET", "/v0/projects/2797", "")
	// The secret is never shown again.
	list = domainKey.must(t, ts, 200, "GET", "/v0/organizations/12/apiKeys", "")
	if n := len(list.list(t)); n != 4 || strings.Contains(string(list.body), strings.TrimPrefix(secret, "orgkey-")) {
		t.Errorf("after create: %d keys (want 4), secret shown: %s", n, list.body)
	}
	// Keys of another organization, and unknown ids, are not found.
	other := caller{auth: "orgkey-other-readwrite"}
	other.must(t, ts, 200, "GET", "/v0/projects/2797", "")
	domainKey.must(t, ts, 404, "DELETE", "/v0/organizations/12/apiKeys/4", "")
	domainKey.must(t, ts, 404, "DELETE", "/v0/organizations/12/apiKeys/99999999", "")
	domainKey.must(t, ts, 204, "DELETE", fmt.Sprint("/v0/organizations/12/apiKeys/", created["id"]), "")
	domainKey.must(t, ts, 404, "DELETE", fmt.Sprint("/v0/organizations/12/apiKeys/", created["id"]), "")
	rw.must(t, ts, 401, "GET", "/v0/organizations/apiKeys/whoami", "")
	// A seeded key can be revoked too; the others keep working.
	domainKey.must(t, ts, 204, "DELETE", "/v0/organizations/12/apiKeys/2", "")
	caller{auth: keyReadOnly}.must(t, ts, 401, "GET", "/v0/projects/4460", "")
	caller{auth: keyReadWrite}.must(t, ts, 200, "GET", "/v0/projects/4460", "")
}

func TestAPIKeyCreateValidation(t *testing.T) {
	ts := newTestServer(t)
	admin := userCaller(t, ts, "admin@demo.example")
	for _, body := range []string{`{"name":"x"}`, `{"name":"","accessLevel":"read"}`, `{"name":"x","accessLevel":"admin"}`, `{"name":"x","accessLevel":"read","secret":"mine"}`} {
		if res := admin.call(t, ts, "POST", "/v0/organizations/12/apiKeys", body); res.status != http.StatusBadRequest {
			t.Errorf("create key %s = %d, want 400: %s", body, res.status, res.body)
		}
	}
	admin.must(t, ts, 404, "POST", "/v0/organizations/999/apiKeys", `{"name":"x","accessLevel":"read"}`)
	admin.must(t, ts, 403, "POST", "/v0/organizations/76/apiKeys", `{"name":"x","accessLevel":"read"}`)
}
