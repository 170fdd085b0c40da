package analytics

import (
	"slices"
	"sort"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// candidates lists the rows of p's project (or scene versions) whose date
// lies in [p.lo, p.hi], in ascending date order.
func candidates(w *store.View, idx *store.SessionIndex, p *plan) []row {
	if !p.scene {
		list, st := idx.ByProject[p.projectID], idx.Starts[p.projectID]
		a := sort.Search(len(st), func(i int) bool { return st[i] >= p.lo })
		b := sort.Search(len(st), func(i int) bool { return st[i] > p.hi })
		out := make([]row, 0, max(b-a, 0))
		for _, pos := range list[a:max(a, b)] {
			out = append(out, row{s: &w.Sessions[pos], v: -1, pos: pos + 1})
		}
		return out
	}
	var out []row
	for _, vid := range sceneVersions(w, p) {
		list := idx.ByVersion[vid]
		a := sort.Search(len(list), func(i int) bool { return list[i].Start >= p.lo })
		b := sort.Search(len(list), func(i int) bool { return list[i].Start > p.hi })
		for _, ref := range list[a:max(a, b)] {
			s := &w.Sessions[ref.S]
			if int64(s.ProjectID) == p.projectID {
				out = append(out, row{s: s, v: int(ref.V), pos: ref.S + 1})
			}
		}
	}
	if len(sceneVersions(w, p)) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].start() < out[j].start() })
	}
	return out
}

// sceneVersions lists the scene versions a scene-mode plan covers.
func sceneVersions(w *store.View, p *plan) []int64 {
	if p.versionID != 0 {
		return []int64{p.versionID}
	}
	var out []int64
	for id, v := range w.Versions {
		if v.SceneID == p.sceneID {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// checkEntities reports 404 for a scene or version outside the project.
func checkEntities(w *store.View, p *plan) error {
	if !p.scene {
		return nil
	}
	if p.sceneID != "" {
		if sc, ok := w.Scenes[p.sceneID]; !ok || sc.ProjectID != p.projectID {
			return &apierr.Error{Code: apierr.CodeNotFound, Message: "scene " + p.sceneID + " is not a scene of project " + strconv.FormatInt(p.projectID, 10), Field: "/entityFilters/sceneId", Rule: "exists"}
		}
	}
	if p.versionID != 0 {
		v, ok := w.Versions[p.versionID]
		if !ok || w.Scenes[v.SceneID].ProjectID != p.projectID || (p.sceneID != "" && v.SceneID != p.sceneID) {
			return &apierr.Error{Code: apierr.CodeNotFound, Message: "scene version " + strconv.FormatInt(p.versionID, 10) + " is not a version of that project or scene", Field: "/entityFilters/versionId", Rule: "exists"}
		}
	}
	return nil
}

// match runs a plan: every row that passes all filters, in ascending date
// order. Callers hold st.mu.
func match(w *store.View, p *plan) ([]row, error) {
	if err := checkEntities(w, p); err != nil {
		return nil, err
	}
	idx := w.Index()
	x := &evalCtx{w: w, idx: idx}
	cand := candidates(w, idx, p)
	out := cand[:0]
	for _, r := range cand {
		if x.passes(p, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (x *evalCtx) passes(p *plan, r row) bool {
	for _, pr := range p.session {
		if !pr(x, r) {
			return false
		}
	}
	for _, pr := range p.objectives {
		if !pr(x, r) {
			return false
		}
	}
	if len(p.users) > 0 {
		d := x.idx.UserDates[store.UserRef{Project: int64(r.s.ProjectID), User: store.UserKey(r.s)}]
		for _, up := range p.users {
			if !up(d) {
				return false
			}
		}
	}
	if len(p.events) > 0 && !r.anyEvent(func(e *fixtures.Event) bool { return x.eventPasses(p, r, e) }) {
		return false
	}
	return true
}

func (x *evalCtx) eventPasses(p *plan, r row, e *fixtures.Event) bool {
	for _, ep := range p.events {
		if !ep(x, r, e) {
			return false
		}
	}
	return true
}
