package analytics

import (
	"slices"
	"sort"
	"strings"
)

// defaultPageLimit is the page size when a query sends no limit.
const defaultPageLimit = 100

// sessionPage is the body of paginatedListQueries: {count, pages,
// currentPage, results}, where count is every matching row and pages is
// ceil(count/limit).
type SessionPage struct {
	Count       int           `json:"count"`
	Pages       int           `json:"pages"`
	CurrentPage int           `json:"currentPage"`
	Results     []sessionView `json:"results"`
}

// SessionPage runs a paginated session query. Rows are totally ordered
// (orderBy value, then date, session id and scene-session id), so pages
// are disjoint and stable.
func (e *Engine) SessionPage(q *SessionQuery) (SessionPage, error) {
	p, err := compileQuery(q)
	if err != nil {
		return SessionPage{}, err
	}
	desc := !strings.EqualFold(q.Sort, "asc")
	var key *accessor
	if q.OrderBy != nil && !(q.OrderBy.FieldName == "date" && q.OrderBy.NestedFieldName == "" && q.OrderBy.UnnestedFieldName == "" && q.OrderBy.FieldParent != "event") {
		a, err := resolveField(q.OrderBy, "/orderBy")
		if err != nil {
			return SessionPage{}, err
		}
		if a.event {
			return SessionPage{}, invalid("/orderBy/fieldParent", "fieldParent", "session", "sessions can only be ordered by a session field")
		}
		key = &a
	}
	page, limit := 0, defaultPageLimit
	if q.Page != nil {
		page = *q.Page
	}
	if q.Limit != nil {
		limit = *q.Limit
	}
	if page < 0 || limit < 1 {
		return SessionPage{}, invalid("/limit", "minimum", "page >= 0 and limit >= 1", "page must be >= 0 and limit >= 1")
	}

	w := e.st.View()
	defer w.Close()
	rows, err := match(w, p)
	if err != nil {
		return SessionPage{}, err
	}
	orderRows(rows, key, desc)
	out := SessionPage{Count: len(rows), Pages: (len(rows) + limit - 1) / limit, CurrentPage: page, Results: []sessionView{}}
	from := min(page*limit, len(rows))
	if page > len(rows)/limit+1 { // avoid overflow on absurd pages
		from = len(rows)
	}
	to := min(from+limit, len(rows))
	opts := viewOpts{events: q.IncludeEvents, objectives: q.IncludeAllObjectiveData}
	for _, r := range rows[from:to] {
		out.Results = append(out.Results, newSessionView(w, r, opts))
	}
	return out, nil
}

// orderRows sorts rows (which come in ascending date order) by key, or by
// date when key is nil. Rows without a key value sort last either way.
func orderRows(rows []row, key *accessor, desc bool) {
	if key == nil {
		if !slices.IsSortedFunc(rows, tieBreak) {
			slices.SortStableFunc(rows, tieBreak)
		}
		if desc {
			slices.Reverse(rows)
		}
		return
	}
	type keyed struct {
		v  any
		ok bool
		r  row
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		v, ok := key.sess(r)
		ks[i] = keyed{v, ok, r}
	}
	sort.SliceStable(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.ok != b.ok {
			return a.ok
		}
		if a.ok {
			if c := compareAny(a.v, b.v); c != 0 {
				return (c < 0) != desc
			}
		}
		c := tieBreak(a.r, b.r)
		return (c < 0) != desc
	})
	for i := range ks {
		rows[i] = ks[i].r
	}
}

// tieBreak orders rows by date, session id, then scene-session id.
func tieBreak(a, b row) int {
	switch {
	case a.start() != b.start():
		return cmpInt(a.start(), b.start())
	case a.s.SessionID != b.s.SessionID:
		return strings.Compare(a.s.SessionID, b.s.SessionID)
	}
	return cmpInt(a.sqlID(), b.sqlID())
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareAny orders values of one field: numbers, strings, false < true.
func compareAny(a, b any) int {
	if c, ok := compare(a, b); ok {
		return c
	}
	ab, aok := a.(bool)
	bb, bok := b.(bool)
	if aok && bok && ab != bb {
		if ab {
			return 1
		}
		return -1
	}
	return 0
}
