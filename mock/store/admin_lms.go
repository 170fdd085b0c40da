package store

import (
	"sort"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// LMSConfiguration is a third-party connection that objectives forward their
// results to (api.md appendix §4.4). Only name, contact email and type are
// vendor-named; the settings of step 2 are free-form.
type LMSConfiguration struct {
	ID             int64          `json:"id"`
	OrganizationID int64          `json:"organizationId"`
	Name           string         `json:"name"`
	ContactEmail   string         `json:"contactEmail"`
	Type           string         `json:"type"`
	Settings       map[string]any `json:"settings"`
	CreatedAt      int64          `json:"createdAt"`
	UpdatedAt      int64          `json:"updatedAt"`
}

// LMSInput holds the fields of a create or update; nil means unchanged.
type LMSInput struct {
	Name         *string        `json:"name"`
	ContactEmail *string        `json:"contactEmail"`
	Type         *string        `json:"type"`
	Settings     map[string]any `json:"settings"`
}

func (c *LMSConfiguration) apply(in LMSInput) {
	if in.Name != nil {
		c.Name = *in.Name
	}
	if in.ContactEmail != nil {
		c.ContactEmail = *in.ContactEmail
	}
	if in.Type != nil {
		c.Type = *in.Type
	}
	if in.Settings != nil {
		c.Settings = in.Settings // decoded fresh per request, so not shared
	}
	if c.Settings == nil {
		c.Settings = map[string]any{}
	}
}

// LMSConfigurations lists organization orgID's configurations by id.
func (st *Store) LMSConfigurations(orgID int64) []LMSConfiguration {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := []LMSConfiguration{}
	for _, c := range st.w.admin.lms {
		if c.OrganizationID == orgID {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LMSConfiguration returns configuration id of organization orgID; other
// organizations' configurations are not found.
func (st *Store) LMSConfiguration(orgID, id int64) (LMSConfiguration, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.lmsConfiguration(orgID, id)
}

func (w *world) lmsConfiguration(orgID, id int64) (LMSConfiguration, error) {
	c, ok := w.admin.lms[id]
	if !ok || c.OrganizationID != orgID {
		return LMSConfiguration{}, apierr.Errorf(apierr.CodeNotFound, "organization %d has no LMS configuration %d", orgID, id)
	}
	return c, nil
}

// CreateLMSConfiguration stores a new configuration.
func (st *Store) CreateLMSConfiguration(orgID int64, in LMSInput, nowMs int64) (LMSConfiguration, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if _, ok := w.orgs[orgID]; !ok {
		return LMSConfiguration{}, apierr.Errorf(apierr.CodeNotFound, "organization %d not found", orgID)
	}
	c := LMSConfiguration{ID: w.newID(), OrganizationID: orgID, CreatedAt: nowMs, UpdatedAt: nowMs}
	c.apply(in)
	w.admin.lms[c.ID] = c
	return c, nil
}

// UpdateLMSConfiguration changes the fields sent.
func (st *Store) UpdateLMSConfiguration(orgID, id int64, in LMSInput, nowMs int64) (LMSConfiguration, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	c, err := st.w.lmsConfiguration(orgID, id)
	if err != nil {
		return LMSConfiguration{}, err
	}
	c.apply(in)
	c.UpdatedAt = nowMs
	st.w.admin.lms[id] = c
	return c, nil
}

// DeleteLMSConfiguration removes a configuration.
func (st *Store) DeleteLMSConfiguration(orgID, id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, err := st.w.lmsConfiguration(orgID, id); err != nil {
		return err
	}
	delete(st.w.admin.lms, id)
	return nil
}
