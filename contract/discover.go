package contract

import (
	"context"
	"errors"
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
	domainID  int64
	sessionID string
	firsts    map[string]string // first member a list operation named, by operation and field
	// failed remembers discovery steps that failed, so every check that
	// depends on one SKIPs with "needs <check>" instead of failing again.
	failed map[string]error
}

// dep returns a skip error if the discovery step failed earlier in the run.
func (f *discovered) dep(step string) error {
	if err := f.failed[step]; err != nil {
		return err
	}
	return nil
}

// fail remembers that step failed in check s and returns err unchanged.
// Skips, budget exhaustion and interruptions are not remembered: they say
// nothing about the target.
func (f *discovered) fail(s *Session, step string, err error) error {
	if err == nil || errors.Is(err, ErrSkip) || errors.Is(err, ErrBudget) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if f.failed == nil {
		f.failed = map[string]error{}
	}
	f.failed[step] = Skipf("needs %s, which failed: %s", s.check, clip(oneLine(err.Error()), 160))
	return err
}

// Org returns the organization of the main key (whoami).
func (s *Session) Org(ctx context.Context) (int64, error) {
	f := &s.run.found
	if f.orgID != 0 {
		return f.orgID, nil
	}
	if err := f.dep("organization"); err != nil {
		return 0, err
	}
	m, err := getObject(ctx, s.As(RoleMain), "/v0/organizations/apiKeys/whoami")
	if err != nil {
		return 0, f.fail(s, "organization", fmt.Errorf("discover organization: %w", err))
	}
	id, err := needInt(m, "whoami", "organizationId")
	if err != nil {
		return 0, f.fail(s, "organization", err)
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
	if err := f.dep("project"); err != nil {
		return 0, err
	}
	org, err := s.Org(ctx)
	if err != nil {
		return 0, err
	}
	m, err := getObject(ctx, s.As(RoleMain), fmt.Sprintf("/v0/organizations/%d", org))
	if err != nil {
		return 0, f.fail(s, "project", fmt.Errorf("discover project: %w", err))
	}
	if d, ok := intField(m, "domainId"); ok {
		f.domainID = d
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
	if err := f.dep("scene"); err != nil {
		return "", 0, err
	}
	pid, err := s.Project(ctx)
	if err != nil {
		return "", 0, err
	}
	m, err := getObject(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d", pid))
	if err != nil {
		return "", 0, f.fail(s, "scene", fmt.Errorf("discover scene: %w", err))
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

// Domain returns the domain of the key's organization (getOrganization's domainId).
func (s *Session) Domain(ctx context.Context) (int64, error) {
	f := &s.run.found
	if f.domainID == 0 && f.projectID == 0 {
		if _, err := s.Project(ctx); err != nil && !errors.Is(err, ErrSkip) {
			return 0, err
		}
	}
	if f.domainID == 0 {
		return 0, Skipf("getOrganization names no domainId")
	}
	return f.domainID, nil
}

// SessionID returns a session of the project that visited the discovered
// scene version (the newest session first).
func (s *Session) SessionID(ctx context.Context) (string, error) {
	f := &s.run.found
	if f.sessionID != "" {
		return f.sessionID, nil
	}
	if err := f.dep("session"); err != nil {
		return "", err
	}
	pid, err := s.Project(ctx)
	if err != nil {
		return "", err
	}
	sid, vid, err := s.SceneVersion(ctx)
	if err != nil {
		return "", err
	}
	q := sessionQuery(pid, 0, 1, nil)
	q["sessionType"] = "scene"
	q["entityFilters"] = map[string]any{"projectId": pid, "sceneId": sid, "versionId": vid}
	p, err := s.sessions(ctx, q)
	if err != nil {
		return "", f.fail(s, "session", fmt.Errorf("discover session: %w", err))
	}
	for _, r := range p.rows {
		if id := strField(r, "sessionId"); id != "" {
			f.sessionID = id
			return id, nil
		}
	}
	return "", Skipf("version %d of project %d has no session", vid, pid)
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
	currentPage  any // as answered; semantics/pagination compares it with the page asked for
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
	p.currentPage = m["currentPage"]
	l, ok := m["results"].([]any)
	if !ok {
		return p, fmt.Errorf("%s: results is %s, want an array", res.Op, kindOf(m["results"]))
	}
	p.rows, err = objects(l, res.Op)
	return p, err
}
