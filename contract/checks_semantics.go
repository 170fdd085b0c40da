package contract

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// semanticsChecks compare answers with each other: pages with counts, date
// filters with the dates returned, the slicer's count with the list's.
func semanticsChecks() []Check {
	return []Check{
		{
			Name: "semantics/pagination", Ops: []string{"sessionPaginatedListQuery"},
			Description: "pages agree with count and pages, echo currentPage, hold at most limit rows and do not overlap",
			Run:         checkPagination,
		},
		{
			Name: "semantics/date-filter", Ops: []string{"sessionPaginatedListQuery"},
			Description: "a date gte/lt filter returns only sessions inside the bound, and the two halves add up",
			Run:         checkDateFilter,
		},
		{
			Name: "semantics/slicer-count", Ops: []string{"sessionPaginatedListQuery", "slicerQuery"},
			Description: "slicerQueries sessionCount equals the list count for the same filters",
			Run:         checkSlicerCount,
		},
	}
}

const pageLimit = 3

func checkPagination(ctx context.Context, s *Session) error {
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	p0, err := s.sessions(ctx, sessionQuery(pid, 0, pageLimit, nil))
	if err != nil {
		return err
	}
	wantPages := (p0.count + pageLimit - 1) / pageLimit
	if p0.pages != wantPages && !(p0.count == 0 && p0.pages <= 1) {
		return fmt.Errorf("count %d with limit %d makes %d pages, target says %d", p0.count, pageLimit, wantPages, p0.pages)
	}
	if err := rowsOnPage(p0, 0); err != nil {
		return err
	}
	if p0.pages < 2 {
		return nil
	}
	seen := map[string]bool{}
	for _, r := range p0.rows {
		seen[strField(r, "sessionId")] = true
	}
	for _, page := range []int64{1, p0.pages - 1} {
		p, err := s.sessions(ctx, sessionQuery(pid, int(page), pageLimit, nil))
		if err != nil {
			return err
		}
		if p.count != p0.count {
			return fmt.Errorf("page %d says count %d, page 0 said %d", page, p.count, p0.count)
		}
		if err := rowsOnPage(p, page); err != nil {
			return err
		}
		for _, r := range p.rows {
			if id := strField(r, "sessionId"); seen[id] {
				return fmt.Errorf("session %s appears on page 0 and page %d", id, page)
			}
		}
		if p0.pages == 2 {
			break
		}
	}
	return nil
}

// rowsOnPage checks that page holds exactly the rows count and limit leave
// for it, and echoes its number as currentPage.
func rowsOnPage(p sessionPage, page int64) error {
	if fmt.Sprint(p.currentPage) != fmt.Sprint(page) {
		return fmt.Errorf("page %d answers currentPage %v", page, p.currentPage)
	}
	want := min(max(p.count-page*pageLimit, 0), pageLimit)
	if int64(len(p.rows)) != want {
		return fmt.Errorf("page %d holds %d rows, want %d (count %d, limit %d)", page, len(p.rows), want, p.count, pageLimit)
	}
	return nil
}

func dateFilter(op string, ms int64) []any {
	return []any{map[string]any{"op": op, "field": map[string]any{"fieldName": "date", "fieldParent": "session"}, "value": ms}}
}

// rowTime reads a session row's start as epoch ms: date (ISO), else startTime.
func rowTime(r map[string]any) (int64, error) {
	if d := strField(r, "date"); d != "" {
		t, err := time.Parse(time.RFC3339Nano, d)
		if err != nil {
			return 0, fmt.Errorf("session %s: date %q: %w", strField(r, "sessionId"), d, err)
		}
		return t.UnixMilli(), nil
	}
	if ms, ok := intField(r, "startTime"); ok {
		return ms, nil
	}
	return 0, fmt.Errorf("session %s has neither date nor startTime", strField(r, "sessionId"))
}

// pivot picks a session start inside the first page such that some listed
// sessions start before it; all is the unfiltered first page.
func pivot(ctx context.Context, s *Session) (int64, sessionPage, error) {
	pid, err := s.Project(ctx)
	if err != nil {
		return 0, sessionPage{}, err
	}
	all, err := s.sessions(ctx, sessionQuery(pid, 0, 10, nil))
	if err != nil {
		return 0, all, err
	}
	var newest, oldest int64
	for i, r := range all.rows {
		t, err := rowTime(r)
		if err != nil {
			return 0, all, err
		}
		if i == 0 || t > newest {
			newest = t
		}
		if i == 0 || t < oldest {
			oldest = t
		}
	}
	if len(all.rows) < 2 || newest == oldest {
		return 0, all, Skipf("project %d has too few sessions with distinct dates", pid)
	}
	return oldest + (newest-oldest)/2 + 1, all, nil
}

func checkDateFilter(ctx context.Context, s *Session) error {
	from, all, err := pivot(ctx, s)
	if err != nil {
		return err
	}
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	after, err := s.sessions(ctx, sessionQuery(pid, 0, 10, dateFilter("gte", from)))
	if err != nil {
		return err
	}
	before, err := s.sessions(ctx, sessionQuery(pid, 0, 10, dateFilter("lt", from)))
	if err != nil {
		return err
	}
	for _, part := range []struct {
		op   string
		page sessionPage
		in   func(int64) bool
	}{{"gte", after, func(t int64) bool { return t >= from }}, {"lt", before, func(t int64) bool { return t < from }}} {
		for _, r := range part.page.rows {
			t, err := rowTime(r)
			if err != nil {
				return err
			}
			if !part.in(t) {
				return fmt.Errorf("filter date %s %d returned session %s of %d", part.op, from, strField(r, "sessionId"), t)
			}
		}
	}
	if after.count+before.count != all.count || after.count == 0 || before.count == 0 {
		return fmt.Errorf("date gte %d matches %d and lt matches %d sessions; together they should be all %d and neither empty",
			from, after.count, before.count, all.count)
	}
	return nil
}

func checkSlicerCount(ctx context.Context, s *Session) error {
	from, all, err := pivot(ctx, s)
	if err != nil {
		return err
	}
	pid, err := s.Project(ctx)
	if err != nil {
		return err
	}
	after, err := s.sessions(ctx, sessionQuery(pid, 0, 1, dateFilter("gte", from)))
	if err != nil {
		return err
	}
	for _, c := range []struct {
		filters []any
		want    int64
	}{{nil, all.count}, {dateFilter("gte", from), after.count}} {
		got, err := slicerSessionCount(ctx, s, pid, c.filters)
		if err != nil {
			return err
		}
		if got != c.want {
			return fmt.Errorf("slicerQuery sessionCount %d, paginatedListQueries count %d for filters %v", got, c.want, c.filters)
		}
	}
	return nil
}

func slicerSessionCount(ctx context.Context, s *Session, pid int64, filters []any) (int64, error) {
	if filters == nil {
		filters = []any{}
	}
	body := map[string]any{
		"sessionType": "project", "entityFilters": map[string]any{"projectId": pid}, "sessionFilters": filters,
		"aggregations": []any{map[string]any{"name": "main",
			"operations": []any{map[string]any{"name": "session_count", "type": "sessionCount"}}}},
	}
	res, err := s.As(RoleMain).Post(ctx, "/v0/datasets/sessions/slicerQueries", body)
	if err := want(res, err, http.StatusOK); err != nil {
		return 0, err
	}
	m, err := res.Object()
	if err != nil {
		return 0, err
	}
	aggs, _ := m["aggregations"].(map[string]any)
	main, _ := aggs["main"].(map[string]any)
	out, _ := main["session_count"].(map[string]any)
	n, ok := intField(out, "value")
	if !ok {
		return 0, fmt.Errorf("slicerQuery: aggregations.main.session_count.value is %s, want an integer", kindOf(out["value"]))
	}
	return n, nil
}
