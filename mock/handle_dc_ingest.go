package mock

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// received is the ingest answer. SDKs only check for exactly 200 and the
// cvr-request-time header; visionOS decodes {status, received} (VO EventResponse.swift).
type received struct {
	Status   string `json:"status"`
	Received bool   `json:"received"`
}

// postBatch handles POST /v0/{stream}/{sceneId}?version=N: the body is stored
// as uploaded and folded into its session (Store.Ingest).
func postBatch(st *store.Store, now func() time.Time, stream string) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return bodyError(r, err)
		}
		version, err := strconv.Atoi(r.URL.Query().Get("version"))
		if err != nil {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "version must be the scene version number", Field: "query:version", Rule: "type", Expected: "integer"}
		}
		if err := st.Ingest(stream, targetsOf(r).Scene, version, body, now().UnixMilli()); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, received{Status: "ok", Received: true})
	}
}

// postAudio accepts session audio. Its format was not recovered (api.md
// appendix §5), so c3dmock acknowledges it without keeping it.
func postAudio() apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return bodyError(r, err)
		}
		return writeJSON(w, http.StatusOK, received{Status: "ok", Received: true})
	}
}
