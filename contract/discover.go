package contract

import (
	"context"
	"fmt"
	"net/http"
)

// discovered caches what the run learnt about the target, so each check
// does not walk whoami → organization → project again. Only successes are kept.
type discovered struct {
	orgID     int64
	projectID int64
	sceneID   string
	versionID int64
}

// Org returns the organization of the main key (whoami).
func (s *Session) Org(ctx context.Context) (int64, error) {
	f := &s.run.found
	if f.orgID != 0 {
		return f.orgID, nil
	}
	m, err := getObject(ctx, s.As(RoleMain), "/v0/organizations/apiKeys/whoami")
	if err != nil {
		return 0, fmt.Errorf("discover organization: %w", err)
	}
	id, err := needInt(m, "whoami", "organizationId")
	if err != nil {
		return 0, err
	}
	f.orgID = id
	return id, nil
}

// Project returns Target.ProjectID or the first project of the key's organization.
func (s *Session) Project(ctx context.Context) (int64, error) {
	f := &s.run.found
	if f.projectID != 0 {
		return f.projectID, nil
	}
	if id := s.run.target.ProjectID; id != 0 {
		f.projectID = id
		return id, nil
	}
	org, err := s.Org(ctx)
	if err != nil {
		return 0, err
	}
	m, err := getObject(ctx, s.As(RoleMain), fmt.Sprintf("/v0/organizations/%d", org))
	if err != nil {
		return 0, fmt.Errorf("discover project: %w", err)
	}
	ps, _ := m["projects"].([]any)
	for _, p := range ps {
		if pm, ok := p.(map[string]any); ok {
			if id, ok := intField(pm, "id"); ok {
				f.projectID = id
				return id, nil
			}
		}
	}
	return 0, Skipf("organization %d has no project to read (set --project)", org)
}

// SceneVersion returns a scene of the project and the id of its newest version.
func (s *Session) SceneVersion(ctx context.Context) (string, int64, error) {
	f := &s.run.found
	if f.sceneID != "" {
		return f.sceneID, f.versionID, nil
	}
	pid, err := s.Project(ctx)
	if err != nil {
		return "", 0, err
	}
	m, err := getObject(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d", pid))
	if err != nil {
		return "", 0, fmt.Errorf("discover scene: %w", err)
	}
	scenes, _ := m["scenes"].([]any)
	for _, sc := range scenes {
		sm, ok := sc.(map[string]any)
		if !ok || strField(sm, "id") == "" {
			continue
		}
		vs, _ := sm["versions"].([]any)
		best, bestNum := int64(0), int64(-1)
		for _, v := range vs {
			vm, ok := v.(map[string]any)
			if !ok {
				continue
			}
			id, ok1 := intField(vm, "id")
			num, _ := intField(vm, "versionNumber")
			if ok1 && num > bestNum {
				best, bestNum = id, num
			}
		}
		if best != 0 {
			f.sceneID, f.versionID = strField(sm, "id"), best
			return f.sceneID, f.versionID, nil
		}
	}
	return "", 0, Skipf("project %d has no scene with a version", pid)
}

// sessionQuery is the body of a paginatedListQueries request for the project.
func sessionQuery(projectID int64, page, limit int, filters []any) map[string]any {
	if filters == nil {
		filters = []any{}
	}
	return map[string]any{
		"page": page, "limit": limit, "sort": "desc", "sessionType": "project",
		"orderBy":        map[string]any{"fieldName": "date", "fieldParent": "session"},
		"entityFilters":  map[string]any{"projectId": projectID},
		"sessionFilters": filters, "eventFilters": []any{},
	}
}

// sessionPage is a decoded SessionPage.
type sessionPage struct {
	count, pages int64
	rows         []map[string]any
}

const pathSessions = "/v0/datasets/sessions/paginatedListQueries"

func (s *Session) sessions(ctx context.Context, body map[string]any) (sessionPage, error) {
	res, err := s.As(RoleMain).Post(ctx, pathSessions, body)
	if err := want(res, err, http.StatusOK); err != nil {
		return sessionPage{}, err
	}
	m, err := res.Object()
	if err != nil {
		return sessionPage{}, err
	}
	var p sessionPage
	if p.count, err = needInt(m, res.Op, "count"); err != nil {
		return p, err
	}
	if p.pages, err = needInt(m, res.Op, "pages"); err != nil {
		return p, err
	}
	l, ok := m["results"].([]any)
	if !ok {
		return p, fmt.Errorf("%s: results is %s, want an array", res.Op, kindOf(m["results"]))
	}
	p.rows, err = objects(l, res.Op)
	return p, err
}
