package mock

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// The app-review importer (api.md §6.13): a multipart upload whose part
// "reviews" is the CSV the Meta Quest developer portal exports. Its exact
// columns are not documented, so headers are matched loosely (case, spaces
// and underscores ignored) against the names below; other columns are
// ignored. A CSV needs a rating or a review text column.

var reviewColumns = map[string][]string{
	"id":      {"reviewid", "id"},
	"date":    {"date", "reviewdate", "createdat", "created", "submitted", "submittedat", "time"},
	"rating":  {"rating", "score", "stars", "starrating"},
	"title":   {"title", "reviewtitle", "headline"},
	"text":    {"review", "text", "body", "reviewtext", "content", "comment"},
	"user":    {"user", "username", "author", "reviewer", "alias", "userid", "participantid"},
	"session": {"sdksessionid", "sessionid", "session"},
	"version": {"versionid", "sceneversionid"},
}

func normalizeHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(h)
}

// parseReviews reads the CSV; errors are 400s naming the line.
func parseReviews(r io.Reader) ([]store.ReviewRow, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, &apierr.Error{Code: apierr.CodeInvalid, Message: "reviews: not a CSV file with a header row: " + err.Error(), Field: "/reviews", Rule: "csv", Err: err}
	}
	col := map[string]int{}
	for i, h := range header {
		n := normalizeHeader(h)
		for key, names := range reviewColumns {
			for _, name := range names {
				if _, dup := col[key]; n == name && !dup {
					col[key] = i
				}
			}
		}
	}
	_, hasRating := col["rating"]
	_, hasText := col["text"]
	if !hasRating && !hasText {
		return nil, &apierr.Error{Code: apierr.CodeInvalid, Message: "reviews: the CSV needs a rating or review column; its header is " + strings.Join(header, ","), Field: "/reviews", Rule: "columns"}
	}
	var rows []store.ReviewRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Message: "reviews: " + err.Error(), Field: "/reviews", Rule: "csv", Err: err}
		}
		line, _ := cr.FieldPos(0)
		get := func(key string) (string, bool) {
			i, ok := col[key]
			if !ok || strings.TrimSpace(rec[i]) == "" {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		var row store.ReviewRow
		if v, ok := get("rating"); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, &apierr.Error{Code: apierr.CodeInvalid, Message: fmt.Sprintf("reviews: line %d: rating %q is not a number", line, v), Field: "/reviews", Rule: "type", Expected: "number"}
			}
			row.Rating = &f
		}
		if v, ok := get("version"); ok {
			row.VersionID = store.ParseID(v)
		}
		for key, dst := range map[string]**string{"title": &row.Title, "text": &row.Text, "date": &row.Date} {
			if v, ok := get(key); ok {
				*dst = &v
			}
		}
		row.ExternalID, _ = get("id")
		row.User, _ = get("user")
		row.SessionID, _ = get("session")
		row.When = store.ParseReviewDate(store.Deref(row.Date))
		rows = append(rows, row)
	}
}

func importReviews(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "request body is not valid multipart/form-data: " + err.Error(), Field: "/", Rule: "multipart", Err: err}
		}
		var src io.Reader
		if files := r.MultipartForm.File["reviews"]; len(files) > 0 {
			f, err := files[0].Open()
			if err != nil {
				return err
			}
			defer f.Close()
			src = f
		} else if vals := r.MultipartForm.Value["reviews"]; len(vals) > 0 {
			src = strings.NewReader(vals[0])
		} else {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "the multipart body needs a part named reviews holding the CSV", Field: "/reviews", Rule: "required"}
		}
		rows, err := parseReviews(src)
		if err != nil {
			return err
		}
		imported, skipped := st.ImportReviews(targetsOf(r).ProjectID, rows)
		return writeJSON(w, http.StatusCreated, map[string]any{"imported": len(imported), "skipped": skipped, "reviews": nonNil(imported)})
	}
}

func listReviews(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, st.Reviews(targetsOf(r).ProjectID))
	}
}

func getSessionReview(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tg := targetsOf(r)
		rv, err := st.SessionReview(tg.ProjectID, tg.Session, tg.Version)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, rv)
	}
}
