package contract

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// discoveryChecks walk the read side the way a client does: whoami →
// organization → project → scenes → versions → objects → objectives →
// question sets → a page of sessions. The client validates every response.
func discoveryChecks() []Check {
	return []Check{
		{
			Name: "discovery/whoami", Ops: []string{"whoami"},
			Description: "whoami answers 200 with the key's integer organizationId",
			Run: func(ctx context.Context, s *Session) error {
				_, err := s.Org(ctx)
				return err
			},
		},
		{
			Name: "discovery/organization", Ops: []string{"whoami", "getOrganization"},
			Description: "the key's organization answers with its own id and lists its projects",
			Run:         checkOrganization,
		},
		{
			Name: "discovery/organization-tags", Ops: []string{"listOrganizationTags"},
			Description: "the organization's session tag definitions are a list of tags",
			Run: func(ctx context.Context, s *Session) error {
				org, err := s.Org(ctx)
				if err != nil {
					return err
				}
				tags, err := getList(ctx, s.As(RoleMain), fmt.Sprintf("/v0/organizations/%d/tags", org))
				if err != nil {
					return err
				}
				for _, t := range tags {
					if strField(t, "title") == "" {
						return fmt.Errorf("listOrganizationTags: a tag has no title: %v", t)
					}
				}
				return nil
			},
		},
		{
			Name: "discovery/project", Ops: []string{"getProject"},
			Description: "the project answers with its own id and the key's organization",
			Run:         checkProject,
		},
		{
			Name: "discovery/scenes", Ops: []string{"listProjectScenes", "getScene"},
			Description: "the project's scenes belong to it, and a scene answers with its versions",
			Run:         checkScenes,
		},
		{
			Name: "discovery/objects", Ops: []string{"listVersionObjects", "listProjectObjects"},
			Description: "dynamic objects of a version carry that versionId and appear in the project's list",
			Run:         checkObjects,
		},
		{
			Name: "discovery/objectives", Ops: []string{"listObjectives", "getObjective"},
			Description: "objectives belong to the project, and one objective answers by its id",
			Run:         checkObjectives,
		},
		{
			Name: "discovery/question-sets", Ops: []string{"listProjectQuestionSets", "listQuestionSetsByProject"},
			Description: "ExitPoll question sets of the project answer in both documented forms",
			Run: func(ctx context.Context, s *Session) error {
				pid, err := s.Project(ctx)
				if err != nil {
					return err
				}
				if _, err := getList(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d/questionSets", pid)); err != nil {
					return err
				}
				res, err := s.As(RoleMain).Get(ctx, "/v0/questionSets?projectIds="+url.QueryEscape(fmt.Sprint(pid)))
				return want(res, err, http.StatusOK)
			},
		},
		{
			Name: "discovery/sessions", Ops: []string{"sessionPaginatedListQuery"},
			Description: "a first page of project sessions has count, pages and at most limit rows",
			Run: func(ctx context.Context, s *Session) error {
				pid, err := s.Project(ctx)
				if err != nil {
					return err
				}
				p, err := s.sessions(ctx, sessionQuery(pid, 0, 5, nil))
				if err != nil {
					return err
				}
				if len(p.rows) > 5 || int64(len(p.rows)) > p.count {
					return fmt.Errorf("sessionPaginatedListQuery: %d rows for limit 5 and count %d", len(p.rows), p.count)
				}
				for _, r := range p.rows {
					if id, ok := intField(r, "projectId"); ok && id != pid {
						return fmt.Errorf("sessionPaginatedListQuery: session %s belongs to project %d, not %d", strField(r, "sessionId"), id, pid)
					}
				}
				return nil
			},
		},
	}
}

func checkOrganization(ctx context.Context, s *Session) error {
	org, err := s.Org(ctx)
	if err != nil {
		return err
	}
	m, err := getObject(ctx, s.As(RoleMain), fmt.Sprintf("/v0/organizations/%d", org))
	if err != nil {
		return err
	}
	if id, err := needInt(m, "getOrganization", "id"); err != nil || id != org {
		return fmt.Errorf("getOrganization %d: id is %v, want %d", org, m["id"], org)
	}
	ps, ok := m["projects"].([]any)
	if !ok {
		return fmt.Errorf("getOrganization %d: projects is %s, want an array", org, kindOf(m["projects"]))
	}
	projects, err := objects(ps, "getOrganization")
	if err != nil {
		return err
	}
	for _, p := range projects {
		if o, ok := intField(p, "organizationId"); ok && o != org {
			return fmt.Errorf("getOrganization %d: lists project %v of organization %d", org, p["id"], o)
		}
	}
	return nil
}

func checkProject(ctx context.Context, s *Session) error {
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	m, err := getObject(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d", pid))
	if err != nil {
		return err
	}
	if id, ok := intField(m, "id"); !ok || id != pid {
		return fmt.Errorf("getProject %d: id is %v", pid, m["id"])
	}
	if s.run.target.ProjectID == 0 {
		org, err := s.Org(ctx)
		if err != nil {
			return err
		}
		if o, ok := intField(m, "organizationId"); ok && o != org {
			return fmt.Errorf("getProject %d: organizationId %d, want the key's organization %d", pid, o, org)
		}
	}
	return nil
}

func checkScenes(ctx context.Context, s *Session) error {
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	scenes, err := getList(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d/scenes", pid))
	if err != nil {
		return err
	}
	for _, sc := range scenes {
		if p, ok := intField(sc, "projectId"); ok && p != pid {
			return fmt.Errorf("listProjectScenes %d: scene %s belongs to project %d", pid, strField(sc, "id"), p)
		}
	}
	sceneID, _, err := s.SceneVersion(ctx)
	if err != nil {
		return err
	}
	m, err := getObject(ctx, s.As(RoleMain), "/v0/scenes/"+url.PathEscape(sceneID))
	if err != nil {
		return err
	}
	if got := strField(m, "id"); got != sceneID {
		return fmt.Errorf("getScene %s: id is %q", sceneID, got)
	}
	if vs, ok := m["versions"].([]any); !ok || len(vs) == 0 {
		return fmt.Errorf("getScene %s: no versions, but getProject listed some", sceneID)
	}
	return nil
}

func checkObjects(ctx context.Context, s *Session) error {
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	pobjs, err := getList(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d/objects", pid))
	if err != nil {
		return err
	}
	_, vid, err := s.SceneVersion(ctx)
	if err != nil {
		return err
	}
	vobjs, err := getList(ctx, s.As(RoleMain), fmt.Sprintf("/v0/versions/%d/objects", vid))
	if err != nil {
		return err
	}
	inProject := map[string]bool{}
	for _, o := range pobjs {
		inProject[fmt.Sprint(o["id"])+"|"+strField(o, "sdkId")] = true
	}
	for _, o := range vobjs {
		if v, ok := intField(o, "versionId"); ok && v != vid {
			return fmt.Errorf("listVersionObjects %d: object %v has versionId %d", vid, o["id"], v)
		}
		if !inProject[fmt.Sprint(o["id"])+"|"+strField(o, "sdkId")] {
			return fmt.Errorf("listProjectObjects %d: misses object %v (sdkId %q) of version %d", pid, o["id"], strField(o, "sdkId"), vid)
		}
	}
	return nil
}

func checkObjectives(ctx context.Context, s *Session) error {
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	objs, err := getList(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d/objectives", pid))
	if err != nil {
		return err
	}
	if len(objs) == 0 {
		return Skipf("project %d has no objectives", pid)
	}
	id, err := needInt(objs[0], "listObjectives", "id")
	if err != nil {
		return err
	}
	m, err := getObject(ctx, s.As(RoleMain), fmt.Sprintf("/v0/projects/%d/objectives/%d", pid, id))
	if err != nil {
		return err
	}
	if got, ok := intField(m, "id"); !ok || got != id {
		return fmt.Errorf("getObjective %d: id is %v", id, m["id"])
	}
	return nil
}
