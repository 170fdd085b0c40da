package contract

import (
	"net/http"
	"strings"
	"testing"
)

// pathEnds matches requests whose path ends in suffix.
func pathEnds(suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, suffix) }
}

func TestExitPollAgreement(t *testing.T) {
	const name = "semantics/exitpoll-agreement"
	if r := runFamily(t, mockTarget(t, nil, nil), name)[name]; r.Status != StatusPass {
		t.Fatalf("against c3dmock: %s (%s), want PASS", r.Status, r.Reason)
	}
	// A page that does not echo its number.
	stuck := rewriteJSON(pathEnds("/responses"), func(v any) any {
		if m, ok := v.(map[string]any); ok {
			m["currentPage"] = 7
		}
		return v
	})
	wantFail(t, runFamily(t, mockTarget(t, stuck, nil), name), name, "currentPage")
	// Counts that add one answer to the first question.
	inflated := rewriteJSON(pathEnds("/responseCountQueries"), func(v any) any {
		if qs, ok := v.([]any); ok && len(qs) > 0 {
			if l, ok := qs[0].([]any); ok {
				qs[0] = append(l, map[string]any{"count": 1, "skipped": false, "value": "extra"})
			}
		}
		return v
	})
	wantFail(t, runFamily(t, mockTarget(t, inflated, nil), name), name, "question 0 counts add up to")
	// A dump that drops a row.
	short := rewriteJSON(pathEnds("/responseDumps"), func(v any) any {
		if l, ok := v.([]any); ok && len(l) > 0 {
			return l[1:]
		}
		return v
	})
	wantFail(t, runFamily(t, mockTarget(t, short, nil), name), name, "questionSetResponseDump has")
}

func TestPaginationEchoesPage(t *testing.T) {
	const name = "semantics/pagination"
	if r := runFamily(t, mockTarget(t, nil, nil), name)[name]; r.Status != StatusPass {
		t.Fatalf("against c3dmock: %s (%s), want PASS", r.Status, r.Reason)
	}
	stuck := rewriteJSON(pathEnds("/paginatedListQueries"), func(v any) any {
		if m, ok := v.(map[string]any); ok {
			m["currentPage"] = 0
		}
		return v
	})
	wantFail(t, runFamily(t, mockTarget(t, stuck, nil), name), name, "currentPage")
}

func TestObjectiveAgreement(t *testing.T) {
	const name = "semantics/objective-agreement"
	if r := runFamily(t, mockTarget(t, nil, nil), name)[name]; r.Status != StatusPass {
		t.Fatalf("against c3dmock: %s (%s), want PASS", r.Status, r.Reason)
	}
	// Results for sessions the list does not show.
	inflated := rewriteJSON(pathEnds("/objectiveResultQueries"), func(v any) any {
		if m, ok := v.(map[string]any); ok {
			m["succeeded"] = m["succeeded"].(float64) + 3
		}
		return v
	})
	wantFail(t, runFamily(t, mockTarget(t, inflated, nil), name), name, "sessions of the list carry results")
	// A list that drops every session's objective results.
	bare := rewriteJSON(pathEnds("/paginatedListQueries"), func(v any) any {
		if m, ok := v.(map[string]any); ok {
			rows, _ := m["results"].([]any)
			for _, r := range rows {
				delete(r.(map[string]any), "objectiveResults")
			}
		}
		return v
	})
	wantFail(t, runFamily(t, mockTarget(t, bare, nil), name), name, "but 0 sessions")
}

func TestAuditPagination(t *testing.T) {
	const name = "semantics/audit-pagination"
	writes := func(tg Target) Target { // five audited writes, so the log has three pages of two
		for i := range 5 {
			req, _ := http.NewRequest("POST", tg.BaseURL+"/v0/organizations/12/tags", strings.NewReader(`{"title":"audit `+string(rune('a'+i))+`"}`))
			req.Header.Set("Authorization", tg.APIKey)
			req.Header.Set("Content-Type", "application/json")
			res, err := tg.HTTP.Do(req)
			if err != nil || res.StatusCode != 201 {
				t.Fatalf("create tag: %v %v", err, res)
			}
			res.Body.Close()
		}
		return tg
	}
	if r := runFamily(t, writes(mockTarget(t, nil, nil)), name)[name]; r.Status != StatusPass {
		t.Fatalf("against c3dmock: %s (%s), want PASS", r.Status, r.Reason)
	}
	short := rewriteJSON(pathEnds("/auditLogs"), func(v any) any {
		if m, ok := v.(map[string]any); ok {
			m["pages"] = 1
		}
		return v
	})
	wantFail(t, runFamily(t, writes(mockTarget(t, short, nil)), name), name, "makes 3 pages, target says 1")
}
