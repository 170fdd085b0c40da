package store

import (
	"maps"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Store methods for administration (issue 7): domain, organization and project
// settings. Keys, members, LMS configurations and the audit log have their own
// store_admin_*.go and audit.go files. The vendor's routes for all of this are
// unknown (api.md §6.14), so shapes and rules here are inferred.

// adminState is the part of the world the seed has no place for.
type adminState struct {
	orgSettings map[int64]orgSettings
	lms         *rows[LMSConfiguration]
	audit       []AuditEntry // oldest first, at most maxAuditEntries
	auditSeq    int64
}

func newAdminState() adminState {
	return adminState{orgSettings: map[int64]orgSettings{}, lms: newLMSRows()}
}

func (w *world) targetOfDomain(id int64) (access.Target, error) {
	if _, ok := w.domains[id]; !ok {
		return access.Target{}, apierr.Errorf(apierr.CodeNotFound, "domain %d not found", id)
	}
	return access.Target{DomainID: id}, nil
}

// DomainSettings is a domain's private-label configuration.
type DomainSettings struct {
	DomainID     int64  `json:"domainId"`
	Name         string `json:"name"`
	BrandName    string `json:"brandName"`
	WhiteLabel   bool   `json:"whiteLabel"`
	SupportEmail string `json:"supportEmail,omitempty"`
}

// DomainSettingsInput holds the fields an update sends; nil means unchanged.
type DomainSettingsInput struct {
	BrandName    *string `json:"brandName"`
	WhiteLabel   *bool   `json:"whiteLabel"`
	SupportEmail *string `json:"supportEmail"`
}

// DomainSettings returns the settings of domain id. The seed keeps them as a
// free map on the domain (world.json); absent values have defaults.
func (st *Store) DomainSettings(id int64) (DomainSettings, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.domainSettings(id)
}

func (w *world) domainSettings(id int64) (DomainSettings, error) {
	d, ok := w.domains[id]
	if !ok {
		return DomainSettings{}, apierr.Errorf(apierr.CodeNotFound, "domain %d not found", id)
	}
	s := DomainSettings{DomainID: d.ID, Name: d.Name, BrandName: d.Name}
	if v, ok := d.Settings["brandName"].(string); ok && v != "" {
		s.BrandName = v
	}
	if v, ok := d.Settings["whiteLabel"].(bool); ok {
		s.WhiteLabel = v
	}
	if v, ok := d.Settings["supportEmail"].(string); ok {
		s.SupportEmail = v
	}
	return s, nil
}

// UpdateDomainSettings changes the fields in sent and returns the result.
func (st *Store) UpdateDomainSettings(id int64, in DomainSettingsInput) (DomainSettings, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, ok := st.w.domains[id]
	if !ok {
		return DomainSettings{}, apierr.Errorf(apierr.CodeNotFound, "domain %d not found", id)
	}
	m := maps.Clone(d.Settings)
	if m == nil {
		m = map[string]any{}
	}
	if in.BrandName != nil {
		m["brandName"] = *in.BrandName
	}
	if in.WhiteLabel != nil {
		m["whiteLabel"] = *in.WhiteLabel
	}
	if in.SupportEmail != nil {
		m["supportEmail"] = *in.SupportEmail
	}
	d.Settings = m
	st.w.domains[id] = d
	return st.w.domainSettings(id)
}

// orgSettings are the organization settings the seed does not carry.
type orgSettings struct {
	mfaRequired       bool
	defaultMemberRole fixtures.Role
}

// OrganizationSettings is the body of getOrganizationSettings.
type OrganizationSettings struct {
	OrganizationID    int64         `json:"organizationId"`
	Name              string        `json:"name"`
	MFARequired       bool          `json:"mfaRequired"`
	DefaultMemberRole fixtures.Role `json:"defaultMemberRole"`
}

// OrganizationSettingsInput holds the fields an update sends; nil means unchanged.
type OrganizationSettingsInput struct {
	Name              *string        `json:"name"`
	MFARequired       *bool          `json:"mfaRequired"`
	DefaultMemberRole *fixtures.Role `json:"defaultMemberRole"`
}

// OrganizationSettings returns the settings of organization id.
func (st *Store) OrganizationSettings(id int64) (OrganizationSettings, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.organizationSettings(id)
}

func (w *world) organizationSettings(id int64) (OrganizationSettings, error) {
	o, ok := w.orgs[id]
	if !ok {
		return OrganizationSettings{}, apierr.Errorf(apierr.CodeNotFound, "organization %d not found", id)
	}
	s := w.admin.orgSettings[id]
	return OrganizationSettings{OrganizationID: id, Name: o.Name, MFARequired: s.mfaRequired, DefaultMemberRole: w.defaultRole(id)}, nil
}

// defaultRole is the role an invite without one gets in organization orgID.
func (w *world) defaultRole(orgID int64) fixtures.Role {
	if r := w.admin.orgSettings[orgID].defaultMemberRole; r != "" {
		return r
	}
	return fixtures.RoleMember
}

// UpdateOrganizationSettings changes the fields sent; a name renames the
// organization everywhere (getOrganization shows it too).
func (st *Store) UpdateOrganizationSettings(id int64, in OrganizationSettingsInput) (OrganizationSettings, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	o, ok := w.orgs[id]
	if !ok {
		return OrganizationSettings{}, apierr.Errorf(apierr.CodeNotFound, "organization %d not found", id)
	}
	if in.Name != nil {
		o.Name = *in.Name
		w.orgs[id] = o
	}
	s := w.admin.orgSettings[id]
	if in.MFARequired != nil {
		s.mfaRequired = *in.MFARequired
	}
	if in.DefaultMemberRole != nil {
		s.defaultMemberRole = *in.DefaultMemberRole
	}
	w.admin.orgSettings[id] = s
	return w.organizationSettings(id)
}

// ProjectSettings is the body of getProjectSettings: the project's own flags.
type ProjectSettings struct {
	ProjectID   int64 `json:"projectId"`
	EnableGeoIP bool  `json:"enableGeoIp"`
	EnableAI    bool  `json:"enableAi"`
	Hidden      bool  `json:"hidden"`
}

// ProjectSettingsInput holds the fields an update sends; nil means unchanged.
type ProjectSettingsInput struct {
	EnableGeoIP *bool `json:"enableGeoIp"`
	EnableAI    *bool `json:"enableAi"`
	Hidden      *bool `json:"hidden"`
}

func projectSettingsOf(p fixtures.Project) ProjectSettings {
	return ProjectSettings{ProjectID: p.ID, EnableGeoIP: p.EnableGeoIP, EnableAI: p.EnableAI, Hidden: p.Hidden}
}

// ProjectSettings returns the settings of project id.
func (st *Store) ProjectSettings(id int64) (ProjectSettings, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	p, ok := st.w.projects[id]
	if !ok {
		return ProjectSettings{}, apierr.Errorf(apierr.CodeNotFound, "project %d not found", id)
	}
	return projectSettingsOf(p), nil
}

// UpdateProjectSettings changes the flags sent on the project itself.
func (st *Store) UpdateProjectSettings(id int64, in ProjectSettingsInput, nowMs int64) (ProjectSettings, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	p, ok := st.w.projects[id]
	if !ok {
		return ProjectSettings{}, apierr.Errorf(apierr.CodeNotFound, "project %d not found", id)
	}
	if in.EnableGeoIP != nil {
		p.EnableGeoIP = *in.EnableGeoIP
	}
	if in.EnableAI != nil {
		p.EnableAI = *in.EnableAI
	}
	if in.Hidden != nil {
		p.Hidden = *in.Hidden
	}
	p.UpdatedAt = nowMs
	st.w.projects[id] = p
	return projectSettingsOf(p), nil
}
