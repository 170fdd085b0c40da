package store

import (
	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/mock/apierr"
)

// DeleteProject removes a project with its scenes, versions, objects,
// objectives, question sets, hooks and sessions.
func (st *Store) DeleteProject(id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if _, ok := w.projects[id]; !ok {
		return apierr.Errorf(apierr.CodeNotFound, "project %d not found", id)
	}
	delete(w.projects, id)
	for sid, s := range w.scenes {
		if s.ProjectID != id {
			continue
		}
		delete(w.scenes, sid)
		for vid, v := range w.versions {
			if v.SceneID == sid {
				delete(w.versions, vid)
				if w.uploads != nil {
					w.charge(-w.uploads.versionCost(vid))
					delete(w.uploads.files, vid)
				}
				for oid, o := range w.objects {
					if o.VersionID == vid {
						delete(w.objects, oid)
					}
				}
			}
		}
	}
	for oid, o := range w.objectives {
		if o.ProjectID == id {
			delete(w.objectives, oid)
		}
	}
	w.questionSets = filter(w.questionSets, func(q fixtures.QuestionSet) bool { return q.ProjectID != id })
	w.hooks = filter(w.hooks, func(h fixtures.Hook) bool { return h.ProjectID != id })
	w.sessions = filter(w.sessions, func(s fixtures.Session) bool { return s.ProjectID != id })
	w.ix.idx.Store(nil)
	w.deleteProjectContent(id)
	return nil
}

// deleteProjectContent drops what hangs off a deleted project besides its
// catalogue: remote controls, dashboards, media, reviews, report emails and
// Data Collector batches. Nothing of the project is left reachable or in memory.
func (w *world) deleteProjectContent(id int64) {
	w.remoteVars.removeParent(w, id)
	w.remoteConfigs.removeParent(w, id)
	w.abTests.removeParent(w, id)
	w.widgets.removeParent(w, id)
	w.dashboards.removeParent(w, id)
	w.media.items.removeParent(w, id)
	w.reviews = filter(w.reviews, func(r Review) bool { return r.ProjectID != id })
	w.reportEmails = filter(w.reportEmails, func(e ReportEmail) bool { return e.ProjectID != id })
	if w.ingest != nil {
		for k := range w.ingest.raw {
			if k.project == id {
				delete(w.ingest.raw, k)
				delete(w.ingest.sensors, k)
				delete(w.ingest.spans, k)
			}
		}
		for k, c := range w.ingest.cost {
			if k.project == id {
				w.charge(-c)
				delete(w.ingest.cost, k)
			}
		}
	}
}

// filter keeps the elements for which keep is true, in a new slice, so copies
// handed out earlier are not disturbed.
func filter[T any](in []T, keep func(T) bool) []T {
	out := make([]T, 0, len(in))
	for _, v := range in {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}
