package mock

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/c3dmock/c3dmock/mock/analytics"
)

// Raw session data (api.md §6.6 SE8–SE12): jsonRequests (project and scene
// version forms), jsonZipRequest and the merged gaze file. The data is what
// the Data Collector received for the session; streams that never had a
// batch are generated from the stored session, so ingested and seeded
// sessions answer the same way (rawdata.go).

// jsonTypeKeys lists the keys of "data" each jsonType returns, in ZIP order.
var jsonTypeKeys = []struct{ jsonType, file string }{
	{"GAZE", "gaze"}, {"FIXATION", "fixations"}, {"EVENTS", "events"},
	{"DYNAMICS", "dynamics"}, {"SENSORS", "sensors"}, {"BOUNDARY", "boundary"},
}

func keysOf(jsonType string) []string {
	var out []string
	for _, k := range jsonTypeKeys {
		if jsonType == "ALL" || jsonType == k.jsonType {
			out = append(out, k.file)
			if k.file == "dynamics" {
				out = append(out, "dynamics.manifest")
			}
		}
	}
	return out
}

// jsonRequest is the body of both jsonRequests routes (spec: JsonRequest).
type jsonRequest struct {
	JSONType                  string `json:"jsonType"`
	AddGeo                    bool   `json:"addGeo"`
	AddMetadata               bool   `json:"addMetadata"`
	AddProperties             bool   `json:"addProperties"`
	SeparateSceneData         bool   `json:"separateSceneData"`
	IndicateSceneOnDatum      bool   `json:"indicateSceneOnDatum"`
	SessionRelativeTimestamps bool   `json:"sessionRelativeTimestamps"`
	ConvertMillisToSeconds    bool   `json:"convertMillisToSeconds"`
	SizeToConvertGapsToMillis *int64 `json:"sizeToConvertGapsToMillis"`
}

// projectSessionJsonRequest and versionSessionJsonRequest share one maker;
// byVersion says which path form it serves.
func sessionJSONRequest(queries *analytics.Engine, byVersion bool) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q jsonRequest
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		// The body's sessionId, projectId and sceneId are target locations:
		// the pipeline has checked that they agree with the path.
		tg := targetsOf(r)
		var in analytics.RawInput
		var err error
		if byVersion {
			in, err = queries.RawInput(tg.ProjectID, tg.Session, tg.Version, tg.Scene)
		} else {
			in, err = queries.RawInput(tg.ProjectID, tg.Session, 0, "")
		}
		if err != nil {
			return err
		}
		o := analytics.RawOptions{Relative: q.SessionRelativeTimestamps, Seconds: q.ConvertMillisToSeconds, Indicate: q.IndicateSceneOnDatum,
			Separate: q.SeparateSceneData, Metadata: q.AddMetadata, Properties: q.AddProperties, Geo: q.AddGeo, Gap: 5000}
		if q.SizeToConvertGapsToMillis != nil {
			o.Gap = *q.SizeToConvertGapsToMillis
		}
		return writeJSON(w, http.StatusOK, analytics.RawDocument(in, analytics.BuildRaw(in), keysOf(q.JSONType), o))
	}
}

// sessionJSONZip answers a ZIP with one entry per jsonType (gaze.json,
// fixations.json, …), each the document jsonRequests returns for that type.
func sessionJSONZip(queries *analytics.Engine, byVersion bool) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tg := targetsOf(r)
		sessionID := tg.Session
		var in analytics.RawInput
		var err error
		if byVersion {
			in, err = queries.RawInput(tg.ProjectID, sessionID, tg.Version, tg.Scene)
		} else {
			in, err = queries.RawInput(tg.ProjectID, sessionID, 0, "")
		}
		if err != nil {
			return err
		}
		rd := analytics.BuildRaw(in)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, k := range jsonTypeKeys {
			doc, err := json.Marshal(analytics.RawDocument(in, rd, keysOf(k.jsonType), analytics.RawOptions{Gap: 5000}))
			if err != nil {
				return err
			}
			f, err := zw.CreateHeader(&zip.FileHeader{Name: k.file + ".json", Method: zip.Deflate, Modified: time.UnixMilli(in.Session.Start).UTC()})
			if err != nil {
				return err
			}
			if _, err := f.Write(doc); err != nil {
				return err
			}
		}
		if err := zw.Close(); err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+sessionID+`.zip"`)
		return writeBytes(w, http.StatusOK, "application/zip", buf.Bytes())
	}
}

// getVersionSessionGaze serves the merged gaze of a scene session in the
// SDK's own format: times in epoch seconds, p/r/g arrays.
func getVersionSessionGaze(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		in, err := queries.RawInput(0, targetsOf(r).Session, targetsOf(r).Version, "")
		if err != nil {
			return err
		}
		s := in.Session
		o := analytics.RawOptions{Seconds: true}
		return writeJSON(w, http.StatusOK, map[string]any{
			"timestamp": float64(s.Start) / 1000, "sessionid": s.SessionID, "userid": s.ParticipantID,
			"hmdtype": s.HMD.String(), "interval": s.GazeInterval, "data": o.Render(analytics.BuildRaw(in).Streams["gaze"], s.Start, nil),
		})
	}
}
