package mock

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures"
)

func getOrganization(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		org, projects, err := st.Organization(parseID(r.PathValue("organizationId")))
		if err != nil {
			return err
		}
		views := make([]projectView, 0, len(projects))
		for _, p := range projects {
			views = append(views, newProjectView(ProjectTree{Project: p}, false))
		}
		return writeJSON(w, http.StatusOK, map[string]any{"id": org.ID, "name": org.Name, "domainId": org.DomainID, "projects": views})
	}
}

func listOrganizationTags(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, nonNil(st.Tags(parseID(r.PathValue("organizationId")))))
	}
}

func createOrganizationTag(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			ColourHex   string `json:"colourHex"`
			ProjectIDs  []any  `json:"projectIds"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		t := fixtures.Tag{Title: strings.TrimSpace(in.Title), Description: in.Description, ColourHex: strings.ToLower(in.ColourHex)}
		if t.Title == "" {
			return &Error{Code: CodeInvalid, Message: "title must not be blank", Field: "/title", Rule: "minLength", Expected: "a non-blank string"}
		}
		if t.ColourHex == "" {
			t.ColourHex = "ffffff"
		}
		// The vendor's example sends project IDs as strings; numbers are accepted too.
		for i, v := range in.ProjectIDs {
			id, err := strconv.ParseInt(strings.Trim(toString(v), `"`), 10, 64)
			if err != nil {
				return &Error{Code: CodeInvalid, Message: "projectIds must hold project IDs", Field: "/projectIds/" + strconv.Itoa(i), Rule: "type", Expected: "integer or integer string"}
			}
			t.ProjectIDs = append(t.ProjectIDs, id)
		}
		tag, err := st.CreateTag(parseID(r.PathValue("organizationId")), t)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, tag)
	}
}
