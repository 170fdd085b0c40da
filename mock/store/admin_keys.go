package store

import (
	"sort"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// APIKeyView is an organization key as listed. It never carries the secret.
type APIKeyView struct {
	ID             int64            `json:"id"`
	Name           string           `json:"name"`
	AccessLevel    string           `json:"accessLevel"` // read | readWrite
	OrganizationID int64            `json:"organizationId"`
	Kind           fixtures.KeyKind `json:"kind"` // organization | legacy
	CreatedAt      int64            `json:"createdAt"`
}

// The access levels of an organization key. The vendor names only "read"
// (api.md §2.1); "readWrite" is inferred.
const (
	AccessRead      = "read"
	accessReadWrite = "readWrite"
)

func apiKeyView(k *fixtures.APIKey) APIKeyView {
	level := accessReadWrite
	if k.ReadOnly {
		level = AccessRead
	}
	return APIKeyView{ID: k.ID, Name: k.Name, AccessLevel: level, OrganizationID: k.OrganizationID, Kind: k.Kind, CreatedAt: k.CreatedAt}
}

// orgKey reports whether k is a live key of organization orgID that its
// admins manage: new-style and legacy organization keys, not application,
// developer or domain keys.
func orgKey(k *fixtures.APIKey, orgID int64) bool {
	return (k.Kind == fixtures.KeyOrg || k.Kind == fixtures.KeyLegacy) && k.OrganizationID == orgID && !k.Revoked
}

// APIKeys lists the live organization keys of orgID by id.
func (st *Store) APIKeys(orgID int64) []APIKeyView {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := []APIKeyView{}
	for _, k := range st.w.keys {
		if orgKey(k, orgID) {
			out = append(out, apiKeyView(k))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// CreateAPIKey issues a new organization key and returns it with its secret.
// The secret comes from crypto/rand and is kept only to authenticate; it is
// handed out here once. The key works from the next request on.
func (st *Store) CreateAPIKey(orgID int64, name string, readOnly bool, nowMs int64) (APIKeyView, string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if _, ok := w.orgs[orgID]; !ok {
		return APIKeyView{}, "", apierr.Errorf(apierr.CodeNotFound, "organization %d not found", orgID)
	}
	secret := w.randomToken()
	k := &fixtures.APIKey{ID: w.newID(), Name: name, Kind: fixtures.KeyOrg, Secret: secret, ReadOnly: readOnly,
		OrganizationID: orgID, CreatedAt: nowMs}
	w.keys[keyDigest(k.Kind, secret)] = k
	return apiKeyView(k), secret, nil
}

// RevokeAPIKey revokes key id of organization orgID; its next request is 401.
// Revoked keys, and keys of other organizations, are not found.
func (st *Store) RevokeAPIKey(orgID, id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, k := range st.w.keys {
		if k.ID == id && orgKey(k, orgID) {
			k.Revoked = true
			return nil
		}
	}
	return apierr.Errorf(apierr.CodeNotFound, "organization %d has no API key %d", orgID, id)
}

// keyName returns the name of key id for audit entries.
func (w *world) keyName(id int64) string {
	for _, k := range w.keys {
		if k.ID == id {
			return k.Name
		}
	}
	return ""
}
