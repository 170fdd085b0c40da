package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// requestChecks send malformed requests: wrong media types, bare arrays and
// values of the wrong type or range. Each must be refused with 415 or 400.
func requestChecks() []Check {
	return []Check{
		{
			Name: "content/non-json-body", Ops: []string{"sessionPaginatedListQuery"},
			Description: "a text/csv body on a JSON-only route is refused with 415",
			Run: func(ctx context.Context, s *Session) error {
				pid, err := s.Project(ctx)
				if err != nil {
					return err
				}
				res, err := s.As(RoleMain).Do(ctx, http.MethodPost, pathSessions, "text/csv", fmt.Appendf(nil, "projectId\n%d\n", pid))
				return want(res, err, http.StatusUnsupportedMediaType)
			},
		},
		{
			Name: "content/bare-array-body", Ops: []string{"sessionPaginatedListQuery", "listProjectQuestionSets", "questionSetResponseCountQuery"},
			Description: "a bare JSON array where an object is required is refused with 400",
			Run: func(ctx context.Context, s *Session) error {
				res, err := s.As(RoleMain).Post(ctx, pathSessions, json.RawMessage(`[]`))
				if err := want(res, err, http.StatusBadRequest); err != nil {
					return err
				}
				pid, err := s.Project(ctx)
				if err != nil {
					return err
				}
				sets, err := getList(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d/questionSets", pid))
				if err != nil || len(sets) == 0 {
					return err
				}
				name, ver := strField(sets[0], "name"), sets[0]["version"]
				if name == "" || ver == nil {
					return nil
				}
				path := fmt.Sprintf("/v0/projects/%d/questionSets/%s/%v/responseCountQueries", pid, url.PathEscape(name), ver)
				res, err = s.As(RoleMain).Post(ctx, path, json.RawMessage(`[]`))
				return want(res, err, http.StatusBadRequest)
			},
		},
		badQuery("validation/project-id-as-string", "entityFilters.projectId sent as a string is refused with 400",
			func(pid int64, q map[string]any) { q["entityFilters"] = map[string]any{"projectId": fmt.Sprint(pid)} }),
		badQuery("validation/missing-entity-filters", "a session query without entityFilters is refused with 400",
			func(_ int64, q map[string]any) { delete(q, "entityFilters") }),
		badQuery("validation/limit-out-of-range", "limit -1 is refused with 400",
			func(_ int64, q map[string]any) { q["limit"] = -1 }),
		badQuery("validation/page-out-of-range", "page -1 is refused with 400",
			func(_ int64, q map[string]any) { q["page"] = -1 }),
		badQuery("validation/wrong-type-page", "page sent as a string is refused with 400",
			func(_ int64, q map[string]any) { q["page"] = "zero" }),
		badQuery("validation/wrong-type-flag", "includeEvents sent as a string is refused with 400",
			func(_ int64, q map[string]any) { q["includeEvents"] = "yes" }),
		badQuery("validation/unknown-session-type", "a sessionType outside project|scene is refused with 400",
			func(_ int64, q map[string]any) { q["sessionType"] = "c3dmock-not-a-type" }),
	}
}

// badQuery builds a check that a session list query, broken by mutate, gets 400.
func badQuery(name, desc string, mutate func(pid int64, q map[string]any)) Check {
	return Check{
		Name: name, Ops: []string{"sessionPaginatedListQuery"}, Description: desc,
		Run: func(ctx context.Context, s *Session) error {
			pid, err := s.Project(ctx)
			if err != nil {
				return err
			}
			q := sessionQuery(pid, 0, 1, nil)
			mutate(pid, q)
			res, err := s.As(RoleMain).Post(ctx, pathSessions, q)
			return want(res, err, http.StatusBadRequest)
		},
	}
}
