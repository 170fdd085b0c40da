package mock

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/analytics"
	"github.com/c3dmock/c3dmock/mock/store"
)

// ExitPoll routes (api.md §6.9).

// listQuestionSetsByProject answers GET /v0/questionSets?projectIds= with an
// object keyed "name:version": the Python client's shape, which the R client
// also reads (it only needs each entry's name).
func listQuestionSetsByProject(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, st.QuestionSetsByProject(targetsOf(r).Projects))
	}
}

func listProjectQuestionSets(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, st.ProjectQuestionSets(targetsOf(r).ProjectID))
	}
}

func getQuestionSetVersions(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := st.QuestionSetVersions(targetsOf(r).ProjectID, r.PathValue("questionSetName"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func deleteQuestionSet(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := st.ArchiveQuestionSet(targetsOf(r).ProjectID, r.PathValue("questionSetName")); err != nil {
			return err
		}
		return noContent(w)
	}
}

// questionSetPath reads projectId, questionSetName and version.
func questionSetPath(r *http.Request) (int64, string, int) {
	v, _ := strconv.Atoi(r.PathValue("version"))
	return targetsOf(r).ProjectID, r.PathValue("questionSetName"), v
}

func listQuestionSetResponses(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pid, name, ver := questionSetPath(r)
		q := r.URL.Query()
		limit, page := 1000, 0
		if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
			limit = n
		}
		if n, err := strconv.Atoi(q.Get("page")); err == nil && n >= 0 {
			page = n
		}
		var exclude []string
		if t := q.Get("excludeTags"); t != "" {
			exclude = strings.Split(t, ",")
		}
		rows, err := queries.Responses(pid, name, ver, exclude, nil, strings.EqualFold(q.Get("sort"), "asc"))
		if err != nil {
			return err
		}
		out := analytics.ResponsePage{Count: len(rows), Pages: (len(rows) + limit - 1) / limit, CurrentPage: page, Results: []analytics.ResponseView{}}
		if from := page * limit; page <= len(rows)/limit && from < len(rows) {
			out.Results = rows[from:min(from+limit, len(rows))]
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func questionSetResponseDump(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pid, name, ver := questionSetPath(r)
		var body struct {
			SessionFilters []analytics.FilterSpec `json:"sessionFilters"`
		}
		if err := decodeJSON(r, &body); err != nil {
			return err
		}
		rows, err := queries.Responses(pid, name, ver, nil, body.SessionFilters, false)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, rows)
	}
}

func questionSetResponseCountQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pid, name, ver := questionSetPath(r)
		var body struct {
			SessionFilters []analytics.FilterSpec `json:"sessionFilters"`
		}
		if err := decodeJSON(r, &body); err != nil {
			return err
		}
		counts, err := queries.ResponseCounts(pid, name, ver, body.SessionFilters)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, counts)
	}
}
