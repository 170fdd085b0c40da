package mock

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// The media library (api.md §6.11). Uploads take the raw file bytes with the
// file's Content-Type (api.md §4); the pipeline already refused types the
// spec does not list (415). Here the bytes are sniffed: a body whose bytes
// are not a file of the declared type is refused with 415 too, because the
// problem is the media type the client claimed, not the request's syntax.

// sniffMedia names the media type of data by its magic number, falling back
// to net/http's sniffer; "" when neither recognises it.
func sniffMedia(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WAVE":
		return "audio/wav"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return "video/mp4"
	case bytes.HasPrefix(data, []byte("ID3")), len(data) >= 2 && data[0] == 0xFF && data[1]&0xE0 == 0xE0:
		return "audio/mpeg"
	}
	switch ct, _, _ := mime.ParseMediaType(http.DetectContentType(data)); ct {
	case "audio/wave", "audio/x-wav":
		return "audio/wav"
	case "application/octet-stream", "text/plain":
		return ""
	default:
		return ct
	}
}

func listMedia(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		list := st.Media().List(targetsOf(r).ProjectID)
		if r.URL.Query().Get("excludeArchived") == "true" {
			list = slices.DeleteFunc(list, func(m fixtures.Media) bool { return m.Archived })
		}
		return writeJSON(w, http.StatusOK, list)
	}
}

func uploadMedia(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		declared, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil {
			return &apierr.Error{Code: apierr.CodeUnsupportedMedia, Message: "Content-Type: " + err.Error(), Field: "header:Content-Type", Rule: "mediaType"}
		}
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return bodyError(r, err)
		}
		if len(data) == 0 {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "the request body must be the file's bytes; it is empty", Field: "/", Rule: "required"}
		}
		if got := sniffMedia(data); got != declared {
			what := "unrecognised bytes"
			if got != "" {
				what = "a " + got + " file"
			}
			return &apierr.Error{Code: apierr.CodeUnsupportedMedia, Message: "Content-Type says " + declared + " but the body is " + what,
				Field: "header:Content-Type", Rule: "sniff", Expected: declared}
		}
		q := r.URL.Query()
		name := strings.TrimSpace(q.Get("name"))
		if name == "" {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "query:name must not be blank", Field: "query:name", Rule: "minLength"}
		}
		m, err := st.AddMedia(targetsOf(r).ProjectID, name, q.Get("description"), declared, data)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, m)
	}
}

// getMediaFile serves the bytes exactly as uploaded, with their upload type.
func getMediaFile(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		m, data, err := st.MediaFile(targetsOf(r).ProjectID, store.ParseID(r.PathValue("mediaId")), r.PathValue("fileName"))
		if err != nil {
			return err
		}
		return writeBytes(w, http.StatusOK, m.ContentType, data)
	}
}

func listMediaPointsOfInterest(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pois, err := st.PointsOfInterest(targetsOf(r).ProjectID, store.ParseID(r.PathValue("mediaId")))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, pois)
	}
}
