package store

import (
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

func newLMSRows() *rows[LMSConfiguration] {
	t := newRows("LMS configuration", "organization", func(c LMSConfiguration) (int64, int64) { return c.ID, c.OrganizationID },
		func(c LMSConfiguration, id, orgID int64) LMSConfiguration {
			c.ID, c.OrganizationID = id, orgID
			return c
		})
	t.notFound = func(orgID, id int64, _ string) *apierr.Error {
		return apierr.Errorf(apierr.CodeNotFound, "organization %d has no LMS configuration %d", orgID, id)
	}
	return t
}

// LMSConfigurations is the organizations' LMS configurations.
func (st *Store) LMSConfigurations() Table[LMSConfiguration] {
	return Table[LMSConfiguration]{st: st, rows: func(w *world) *rows[LMSConfiguration] { return w.admin.lms }}
}

// CreateLMSConfiguration stores a new configuration.
func (st *Store) CreateLMSConfiguration(orgID int64, in LMSInput, nowMs int64) (LMSConfiguration, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if _, ok := w.orgs[orgID]; !ok {
		return LMSConfiguration{}, apierr.Errorf(apierr.CodeNotFound, "organization %d not found", orgID)
	}
	return w.admin.lms.put(w, orgID, 0, LMSConfiguration{CreatedAt: nowMs, UpdatedAt: nowMs}, func(_, c *LMSConfiguration) error {
		c.apply(in)
		return nil
	})
}

// UpdateLMSConfiguration changes the fields sent.
func (st *Store) UpdateLMSConfiguration(orgID, id int64, in LMSInput, nowMs int64) (LMSConfiguration, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.w.admin.lms.put(st.w, orgID, id, LMSConfiguration{}, func(old, c *LMSConfiguration) error {
		*c = *old
		c.apply(in)
		c.UpdatedAt = nowMs
		return nil
	})
}
