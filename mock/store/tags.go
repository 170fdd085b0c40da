package store

import (
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// maxOrgTags is the vendor's documented limit of session tags per organization.
const maxOrgTags = 100

// Tags lists the system tags and the organization's own tags, by ID.
func (st *Store) Tags(orgID int64) []fixtures.Tag {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []fixtures.Tag
	for _, t := range st.w.tags {
		if t.IsDefault || (t.OrganizationID != nil && *t.OrganizationID == orgID) {
			t.ProjectIDs = append([]int64(nil), t.ProjectIDs...)
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// CreateTag adds a custom session tag to an organization. Titles are unique
// (case-insensitive) among the organization's and the system tags; every
// project named must belong to the organization.
func (st *Store) CreateTag(orgID int64, t fixtures.Tag) (fixtures.Tag, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	own := 0
	for _, x := range st.w.tags {
		mine := x.OrganizationID != nil && *x.OrganizationID == orgID
		if mine {
			own++
		}
		if (mine || x.IsDefault) && strings.EqualFold(x.Title, t.Title) {
			return fixtures.Tag{}, &apierr.Error{Code: apierr.CodeConflict, Message: "tag " + x.Title + " already exists", Field: "/title", Rule: "unique"}
		}
	}
	if own >= maxOrgTags {
		return fixtures.Tag{}, &apierr.Error{Code: apierr.CodeInvalid, Message: "an organization has at most 100 session tags", Field: "/title", Rule: "maxTags"}
	}
	for i, pid := range t.ProjectIDs {
		if p, ok := st.w.projects[pid]; !ok || p.OrganizationID != orgID {
			return fixtures.Tag{}, &apierr.Error{Code: apierr.CodeInvalid, Message: "project " + strconv.FormatInt(pid, 10) + " is not in organization " + strconv.FormatInt(orgID, 10), Field: "/projectIds/" + strconv.FormatInt(int64(i), 10), Rule: "exists"}
		}
	}
	t.ID = st.w.newID()
	t.OrganizationID = &orgID
	t.IsDefault = false
	st.w.tags[t.ID] = t
	return t, nil
}
