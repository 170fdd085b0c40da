package store

import (
	"slices"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Question sets and their answers (api.md §6.9). Question sets live in
// world.questionSets, one entry per version; answers live on the sessions
// that submitted them, so counts always agree with the session queries.

// statusArchived is the status DELETE gives a question set.
const statusArchived = "archived"

// questionSetView is the vendor's question set object (R
// exitpoll_questionset.json, PY questionsets.json).
type questionSetView struct {
	ID         string              `json:"id"`
	ProjectID  int64               `json:"projectId"`
	Name       string              `json:"name"`
	CustomerID int64               `json:"customerId"`
	Status     string              `json:"status"`
	Title      string              `json:"title"`
	Version    int                 `json:"version"`
	Versions   []string            `json:"versions,omitempty"`
	Questions  []fixtures.Question `json:"questions"`
}

func QuestionSetID(name string, version int) string { return name + ":" + strconv.Itoa(version) }

func (w *world) questionSetView(q fixtures.QuestionSet) questionSetView {
	status := q.Status
	if status == "" {
		status = "active"
	}
	qs := slices.Clone(q.Questions)
	if qs == nil {
		qs = []fixtures.Question{}
	}
	return questionSetView{ID: QuestionSetID(q.Name, q.Version), ProjectID: q.ProjectID, Name: q.Name,
		CustomerID: w.projects[q.ProjectID].OrganizationID, Status: status, Title: q.Title, Version: q.Version, Questions: qs}
}

// QuestionSetsByProject returns every unarchived question-set version of the
// projects keyed "name:version" (the Python client's shape).
func (st *Store) QuestionSetsByProject(projectIDs []int64) map[string]questionSetView {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := map[string]questionSetView{}
	for _, q := range st.w.questionSets {
		if slices.Contains(projectIDs, q.ProjectID) && q.Status != statusArchived {
			v := st.w.questionSetView(q)
			out[v.ID] = v
		}
	}
	return out
}

// ProjectQuestionSets returns the latest version of each unarchived question
// set, with the ids of all its versions.
func (st *Store) ProjectQuestionSets(projectID int64) []questionSetView {
	st.mu.RLock()
	defer st.mu.RUnlock()
	latest := map[string]int{}
	var names []string
	for i, q := range st.w.questionSets {
		if q.ProjectID != projectID || q.Status == statusArchived {
			continue
		}
		j, seen := latest[q.Name]
		if !seen {
			names = append(names, q.Name)
		}
		if !seen || q.Version > st.w.questionSets[j].Version {
			latest[q.Name] = i
		}
	}
	slices.Sort(names)
	out := []questionSetView{}
	for _, n := range names {
		v := st.w.questionSetView(st.w.questionSets[latest[n]])
		for _, q := range st.w.questionSets {
			if q.ProjectID == projectID && q.Name == n && q.Status != statusArchived {
				v.Versions = append(v.Versions, QuestionSetID(q.Name, q.Version))
			}
		}
		slices.Sort(v.Versions)
		out = append(out, v)
	}
	return out
}

// resolveQuestionSet maps a question set name, or a hook's name, to the
// question set name. Clients put either in the URL.
func (w *world) resolveQuestionSet(projectID int64, name string) (string, error) {
	for _, q := range w.questionSets {
		if q.ProjectID == projectID && q.Name == name {
			return name, nil
		}
	}
	for _, h := range w.hooks {
		if h.ProjectID == projectID && h.Name == name {
			return h.QuestionSetName, nil
		}
	}
	return "", &apierr.Error{Code: apierr.CodeNotFound, Message: "question set " + name + " not found in project " + strconv.FormatInt(projectID, 10), Field: "path:questionSetName", Rule: "exists"}
}

// QuestionSetVersions returns all versions of a question set, oldest first,
// archived ones included (their status says so).
func (st *Store) QuestionSetVersions(projectID int64, name string) ([]questionSetView, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	name, err := st.w.resolveQuestionSet(projectID, name)
	if err != nil {
		return nil, err
	}
	out := []questionSetView{}
	for _, q := range st.w.questionSets {
		if q.ProjectID == projectID && q.Name == name {
			out = append(out, st.w.questionSetView(q))
		}
	}
	slices.SortFunc(out, func(a, b questionSetView) int { return a.Version - b.Version })
	return out, nil
}

// ArchiveQuestionSet marks every version of a question set archived; default
// lists then leave it out. Answers stay, as at the vendor.
func (st *Store) ArchiveQuestionSet(projectID int64, name string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	name, err := st.w.resolveQuestionSet(projectID, name)
	if err != nil {
		return err
	}
	for i := range st.w.questionSets {
		if q := &st.w.questionSets[i]; q.ProjectID == projectID && q.Name == name {
			q.Status = statusArchived
		}
	}
	return nil
}

// questionSetVersion finds one version of a question set.
func (w *world) questionSetVersion(projectID int64, name string, version int) (fixtures.QuestionSet, error) {
	name, err := w.resolveQuestionSet(projectID, name)
	if err != nil {
		return fixtures.QuestionSet{}, err
	}
	for _, q := range w.questionSets {
		if q.ProjectID == projectID && q.Name == name && q.Version == version {
			return q, nil
		}
	}
	return fixtures.QuestionSet{}, &apierr.Error{Code: apierr.CodeNotFound, Message: "question set " + QuestionSetID(name, version) + " not found", Field: "path:version", Rule: "exists"}
}

// hasTag reports whether a session carries a tag, by title or by its
// c3d.session_tag property.
func HasTag(s *fixtures.Session, tag string) bool {
	if b, ok := s.Properties.Bool("c3d.session_tag." + tag); ok && b {
		return true
	}
	for _, t := range s.Tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}
