package store

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Review is one imported app-store review (api.md §6.13; the vendor's shape
// is undocumented, spec: Review). SDKSessionID and VersionID link it to the
// session it was written after, when the import could tell.
type Review struct {
	ID           int64    `json:"id"`
	ProjectID    int64    `json:"projectId"`
	SDKSessionID *string  `json:"sdkSessionId"`
	VersionID    *int64   `json:"versionId"`
	Rating       *float64 `json:"rating"`
	Title        *string  `json:"title"`
	Text         *string  `json:"text"`
	Date         *string  `json:"date"`
	ExternalID   string   `json:"externalId,omitempty"`
	User         string   `json:"user,omitempty"`
}

// reviewRow is one parsed CSV row before it is linked to a session.
type ReviewRow struct {
	Review
	SessionID string // from the CSV, if it had a session column
	VersionID int64
	When      int64 // epoch ms of Date, 0 if unknown
}

// ImportReviews stores reviews, skipping those whose external id (or, without
// one, whose user, date and text) was imported before. A review is linked to
// its CSV session id, else to the latest session of its user (participant id
// or name) that started before the review. It returns the reviews imported
// and how many rows were skipped.
func (st *Store) ImportReviews(projectID int64, rows []ReviewRow) (imported []Review, skipped int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	seen := map[string]bool{}
	for _, r := range w.reviews {
		if r.ProjectID == projectID {
			seen[reviewKey(r)] = true
		}
	}
	for _, row := range rows {
		r := row.Review
		if seen[reviewKey(r)] {
			skipped++
			continue
		}
		seen[reviewKey(r)] = true
		r.ID, r.ProjectID = w.newID(), projectID
		if s, ok := w.reviewSession(projectID, row); ok {
			id := s
			r.SDKSessionID = &id
			if row.VersionID != 0 {
				v := row.VersionID
				r.VersionID = &v
			} else if fs, ok := w.findSession(projectID, s); ok && len(fs.Visits) > 0 {
				v := fs.Visits[len(fs.Visits)-1].VersionID
				r.VersionID = &v
			}
		}
		w.reviews = append(w.reviews, r)
		imported = append(imported, r)
	}
	return imported, skipped
}

func reviewKey(r Review) string {
	if r.ExternalID != "" {
		return "id:" + r.ExternalID
	}
	return "u:" + r.User + "\x00" + Deref(r.Date) + "\x00" + Deref(r.Text)
}

func Deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (w *world) reviewSession(projectID int64, row ReviewRow) (string, bool) {
	if row.SessionID != "" {
		_, ok := w.findSession(projectID, row.SessionID)
		return row.SessionID, ok
	}
	if row.User == "" {
		return "", false
	}
	best := ""
	for i := range w.sessions {
		s := &w.sessions[i]
		if s.ProjectID != projectID || (row.When != 0 && s.Start > row.When) {
			continue
		}
		if strings.EqualFold(s.ParticipantID, row.User) || strings.EqualFold(s.ParticipantName.String(), row.User) {
			best = s.SessionID // sessions are sorted by Start: the last match is the latest
		}
	}
	return best, best != ""
}

// Reviews lists a project's reviews, newest first.
func (st *Store) Reviews(projectID int64) []Review {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := []Review{}
	for _, r := range st.w.reviews {
		if r.ProjectID == projectID {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
}

// SessionReview returns the review linked to a session. With versionID set,
// the session must have visited that scene version.
func (st *Store) SessionReview(projectID int64, sessionID string, versionID int64) (Review, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	visited := versionID == 0
	if s, ok := st.w.findSession(projectID, sessionID); ok && !visited {
		visited = slices.ContainsFunc(s.Visits, func(v fixtures.SceneVisit) bool { return v.VersionID == versionID })
	}
	for i := len(st.w.reviews) - 1; i >= 0; i-- {
		r := st.w.reviews[i]
		if visited && r.ProjectID == projectID && r.SDKSessionID != nil && *r.SDKSessionID == sessionID {
			return r, nil
		}
	}
	where := ""
	if versionID != 0 {
		where = " on scene version " + strconv.FormatInt(versionID, 10)
	}
	return Review{}, &apierr.Error{Code: apierr.CodeNotFound, Message: "no review of session " + sessionID + where + " in project " + strconv.FormatInt(projectID, 10), Field: "query:sdkSessionId", Rule: "exists"}
}

// parseReviewDate reads the dates the Meta Quest export uses; 0 if unknown.
func ParseReviewDate(s string) int64 {
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02", "01/02/2006", "1/2/2006 15:04", "Jan 2, 2006"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UnixMilli()
		}
	}
	return 0
}
