package mock

import (
	"net/http"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

func getOrganization(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		org, projects, err := st.Organization(targetsOf(r).OrganizationID)
		if err != nil {
			return err
		}
		views := make([]projectView, 0, len(projects))
		for _, p := range projects {
			views = append(views, newProjectView(store.ProjectTree{Project: p}, false))
		}
		return writeJSON(w, http.StatusOK, map[string]any{"id": org.ID, "name": org.Name, "domainId": org.DomainID, "projects": views})
	}
}

func listOrganizationTags(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, nonNil(st.Tags(targetsOf(r).OrganizationID)))
	}
}

func createOrganizationTag(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			ColourHex   string `json:"colourHex"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		t := fixtures.Tag{Title: strings.TrimSpace(in.Title), Description: in.Description, ColourHex: strings.ToLower(in.ColourHex)}
		if t.Title == "" {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "title must not be blank", Field: "/title", Rule: "minLength", Expected: "a non-blank string"}
		}
		if t.ColourHex == "" {
			t.ColourHex = "ffffff"
		}
		// The vendor's example sends project IDs as strings; numbers are accepted
		// too. The pipeline has resolved and checked every one.
		t.ProjectIDs = targetsOf(r).Projects
		tag, err := st.CreateTag(targetsOf(r).OrganizationID, t)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, tag)
	}
}
