package contract

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// exitPollChecks compare the three ExitPoll answer routes of one question set
// version with each other: the paged list, the full dump and the counts.
func exitPollChecks() []Check {
	return []Check{{
		Name: "semantics/exitpoll-agreement",
		Ops:  []string{"listProjectQuestionSets", "listQuestionSetResponses", "questionSetResponseDump", "questionSetResponseCountQuery"},
		Description: "a question set's paged responses echo their page and agree with count and pages, the dump holds " +
			"count rows, and each question's answer counts add up to its rows in the dump",
		Run: checkExitPollAgreement,
	}}
}

const responsePageLimit = 2

func checkExitPollAgreement(ctx context.Context, s *Session) error {
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	c := s.As(RoleMain)
	sets, err := getList(ctx, c, fmt.Sprintf("/v0/projects/%d/questionSets", pid))
	if err != nil {
		return err
	}
	var base string
	for _, q := range sets {
		name, version := strField(q, "name"), fmt.Sprint(q["version"])
		if name != "" && version != "" && version != "<nil>" {
			base = fmt.Sprintf("/v0/projects/%d/questionSets/%s/%s", pid, url.PathEscape(name), url.PathEscape(version))
			break
		}
	}
	if base == "" {
		return Skipf("project %d has no question set", pid)
	}

	// The paged list: count and pages agree, each page echoes its number.
	count, err := checkPages(ctx, c, "listQuestionSetResponses", base+"/responses")
	if err != nil {
		return err
	}

	// The dump holds every response row, one per answered question.
	dumpRows, err := postList(ctx, c, base+"/responseDumps")
	if err != nil {
		return err
	}
	dump, err := objects(dumpRows, "questionSetResponseDump")
	if err != nil {
		return err
	}
	if int64(len(dump)) != count {
		return fmt.Errorf("questionSetResponseDump has %d rows, listQuestionSetResponses says count %d", len(dump), count)
	}
	perQuestion := map[int64]int64{}
	for _, r := range dump {
		q, _ := intField(r, "questionIndex")
		perQuestion[q]++
	}

	// The counts: per question, the answers (skips included) add up to its rows.
	counts, err := postList(ctx, c, base+"/responseCountQueries")
	if err != nil {
		return err
	}
	for qi, e := range counts {
		list, ok := e.([]any)
		if !ok {
			return fmt.Errorf("questionSetResponseCountQuery: question %d is %s, want an array of counts", qi, kindOf(e))
		}
		var sum int64
		for _, v := range list {
			if m, ok := v.(map[string]any); ok {
				n, _ := intField(m, "count")
				sum += n
			}
		}
		if sum != perQuestion[int64(qi)] {
			return fmt.Errorf("questionSetResponseCountQuery: question %d counts add up to %d, the dump has %d answers to it", qi, sum, perQuestion[int64(qi)])
		}
	}
	return nil
}

// checkPages reads the first two pages of a paged list ({count, pages,
// currentPage, results}) with a small limit and checks that each page echoes
// its number, that count and pages agree, that each page holds the rows count
// and limit leave for it and that pages agree on count. It returns count.
func checkPages(ctx context.Context, c *Client, op, path string) (int64, error) {
	var count int64
	for page := int64(0); page < 2; page++ {
		m, err := getObject(ctx, c, fmt.Sprintf("%s?limit=%d&page=%d", path, responsePageLimit, page))
		if err != nil {
			return 0, err
		}
		n, err := needInt(m, op, "count")
		if err != nil {
			return 0, err
		}
		pages, err := needInt(m, op, "pages")
		if err != nil {
			return 0, err
		}
		if cur, ok := intField(m, "currentPage"); !ok || cur != page {
			return 0, fmt.Errorf("%s page %d: currentPage is %v, want %d", op, page, m["currentPage"], page)
		}
		rows, ok := m["results"].([]any)
		if !ok {
			return 0, fmt.Errorf("%s: results is %s, want an array", op, kindOf(m["results"]))
		}
		if want := min(max(n-page*responsePageLimit, 0), responsePageLimit); int64(len(rows)) != want {
			return 0, fmt.Errorf("%s page %d holds %d rows, want %d (count %d, limit %d)", op, page, len(rows), want, n, responsePageLimit)
		}
		if want := (n + responsePageLimit - 1) / responsePageLimit; pages != want {
			return 0, fmt.Errorf("%s: count %d with limit %d makes %d pages, target says %d", op, n, responsePageLimit, want, pages)
		}
		if page > 0 && n != count {
			return 0, fmt.Errorf("%s: page %d says count %d, page 0 said %d", op, page, n, count)
		}
		count = n
		if pages < 2 {
			break
		}
	}
	return count, nil
}

// auditChecks page through the organization's audit log.
func auditChecks() []Check {
	return []Check{{
		Name: "semantics/audit-pagination", Ops: []string{"listAuditLogs"},
		Description: "audit log pages echo currentPage, agree with count and pages and hold the rows limit leaves them (needs a domain key)",
		Run: func(ctx context.Context, s *Session) error {
			if s.run.target.DomainKey == "" {
				return Skipf("needs a domain key (C3DMOCK_DOMAIN_KEY): audit logs are for administrators")
			}
			org, err := s.Org(ctx)
			if err != nil {
				return err
			}
			_, err = checkPages(ctx, s.As(RoleDomain), "listAuditLogs", fmt.Sprintf("/v0/organizations/%d/auditLogs", org))
			return err
		},
	}}
}

// postList POSTs an empty filter body and decodes the JSON array answer.
func postList(ctx context.Context, c *Client, path string) ([]any, error) {
	res, err := c.Post(ctx, path, map[string]any{})
	if err := want(res, err, http.StatusOK); err != nil {
		return nil, err
	}
	return res.List()
}

// objectiveChecks compare objective results with the session list.
func objectiveChecks() []Check {
	return []Check{{
		Name: "semantics/objective-agreement",
		Ops:  []string{"listObjectives", "objectiveResultQuery", "sessionPaginatedListQuery"},
		Description: "objectiveResultQueries' succeeded + failed for an objective version equals the sessions of the " +
			"list (includeAllObjectiveData) that carry results for that version",
		Run: checkObjectiveAgreement,
	}}
}

// maxAgreementRows bounds the session list the objective check reads in one page.
const maxAgreementRows = 1000

func checkObjectiveAgreement(ctx context.Context, s *Session) error {
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	c := s.As(RoleMain)
	objs, err := getList(ctx, c, fmt.Sprintf("/v0/projects/%d/objectives", pid))
	if err != nil {
		return err
	}
	var version int64
	for _, o := range objs {
		vs, _ := o["objectiveVersions"].([]any)
		if versions, err := objects(vs, "listObjectives"); err == nil && len(versions) > 0 {
			if id, ok := intField(versions[len(versions)-1], "id"); ok {
				version = id
				break
			}
		}
	}
	if version == 0 {
		return Skipf("project %d has no objective version", pid)
	}
	res, err := c.Post(ctx, "/v0/datasets/objectives/objectiveResultQueries", map[string]any{"projectId": pid, "objectiveVersionId": version})
	if err := want(res, err, http.StatusOK); err != nil {
		return err
	}
	total, err := res.Object()
	if err != nil {
		return err
	}
	succeeded, err := needInt(total, "objectiveResultQuery", "succeeded")
	if err != nil {
		return err
	}
	failed, err := needInt(total, "objectiveResultQuery", "failed")
	if err != nil {
		return err
	}
	q := sessionQuery(pid, 0, maxAgreementRows, nil)
	q["includeAllObjectiveData"] = true
	page, err := s.sessions(ctx, q)
	if err != nil {
		return err
	}
	if page.count > maxAgreementRows {
		return Skipf("project %d has %d sessions; the check reads at most %d", pid, page.count, maxAgreementRows)
	}
	var carrying int64
	for _, r := range page.rows {
		if m, ok := r["objectiveResults"].(map[string]any); ok && m[fmt.Sprint(version)] != nil {
			carrying++
		}
	}
	if succeeded+failed != carrying {
		return fmt.Errorf("objectiveResultQuery for objective version %d: %d succeeded + %d failed, but %d sessions of the list carry results for it",
			version, succeeded, failed, carrying)
	}
	return nil
}
