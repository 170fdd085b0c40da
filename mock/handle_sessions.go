package mock

import (
	"net/http"
	"sync"

	"github.com/c3dmock/c3dmock/mock/analytics"
)

// Session routes (api.md §6.6). The pipeline has validated each body and
// checked that its project (or organization) is in the key's scope.

func sessionPaginatedListQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q analytics.SessionQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = analytics.EntityFiltersOf(targetsOf(r))
		page, err := queries.SessionPage(&q)
		if err != nil {
			return err
		}
		return writeSessionPage(w, &page)
	}
}

func sessionSingleQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tg := targetsOf(r)
		v, err := queries.SceneSession(tg.ProjectID, tg.Scene, tg.Session, tg.Version)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func sessionSingleProjectQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			IncludeObjectiveData *bool `json:"includeObjectiveData"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		tg := targetsOf(r) // projectId may be a string or an integer (live-verified)
		v, err := queries.ProjectSession(tg.ProjectID, tg.Session, q.IncludeObjectiveData == nil || *q.IncludeObjectiveData)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func sessionMultiQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tg := targetsOf(r)
		return writeJSON(w, http.StatusOK, queries.Sessions(tg.ProjectID, tg.Scene, tg.Version, tg.Sessions))
	}
}

func participantSessionsQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			ParticipantID string `json:"participantId"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, queries.ParticipantSessions(targetsOf(r).OrganizationID, q.ParticipantID))
	}
}

func getSessionMetadata(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := queries.SessionMetadata(targetsOf(r).Version, targetsOf(r).Session)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func sessionMetadataLookup(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			Pairs []analytics.MetadataPair `json:"sdkIdSceneIds"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, queries.MetadataLookup(targetsOf(r).ProjectID, q.Pairs))
	}
}

// writeSessionPage answers with the page, as writeJSON would.
func writeSessionPage(w http.ResponseWriter, p *analytics.SessionPage) error {
	buf := pageBuffers.Get().(*[]byte)
	b := append(p.AppendJSON((*buf)[:0]), '\n')
	err := writeBytes(w, http.StatusOK, "application/json", b)
	if cap(b) <= maxPooledPage { // Write has copied b or sent it: the buffer is free again
		*buf = b
		pageBuffers.Put(buf)
	}
	return err
}

// pageBuffers recycles the buffers session pages are encoded into; a page of
// 100 sessions is ≈ 3 MB, so buffers above maxPooledPage are left to the GC.
var pageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

const maxPooledPage = 4 << 20
