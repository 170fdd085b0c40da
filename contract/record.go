package contract

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/c3dmock/c3dmock/contract/redact"
)

// Exchange is one recorded request and response, secrets redacted. --record
// writes one per file; --diff reads them back.
type Exchange struct {
	Check           string              `json:"check"`
	API             string              `json:"api,omitempty"` // "datacollector" for the Data Collector; "" or "public": the public API
	OperationID     string              `json:"operationId,omitempty"`
	Method          string              `json:"method"`
	Path            string              `json:"path"` // with query
	RequestHeader   map[string][]string `json:"requestHeader,omitempty"`
	RequestBody     json.RawMessage     `json:"requestBody,omitempty"`
	Status          int                 `json:"status"`
	ResponseHeader  map[string][]string `json:"responseHeader,omitempty"`
	ResponseBody    json.RawMessage     `json:"responseBody,omitempty"` // when the body is JSON
	ResponseText    string              `json:"responseText,omitempty"` // when it is not
	ResponseBodyLen int                 `json:"responseBodyLength"`     // before redaction
	DurationMS      float64             `json:"durationMs"`             // round trip
	Time            time.Time           `json:"time"`                   // when the response arrived
}

// recorder writes exchanges to dir as NNNN-<operationId>.json.
type recorder struct {
	dir string
	n   int
	err error // first write error; reported once
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func (rs *runState) record(s *Session, req *http.Request, reqBody []byte, res *Response, d time.Duration) {
	if rs.rec == nil || rs.rec.err != nil {
		return
	}
	red := rs.redact
	x := Exchange{
		Check: s.check, OperationID: res.Op, Method: res.Method, Path: red.String(res.Path),
		RequestHeader: red.Header(req.Header), Status: res.Status, ResponseHeader: red.Header(res.Header),
		ResponseBodyLen: len(res.Body), DurationMS: float64(d.Microseconds()) / 1000, Time: rs.now().UTC(),
	}
	if len(reqBody) > 0 {
		x.RequestBody = rawOrString(red, reqBody)
	}
	if len(res.Body) > 0 {
		if json.Valid(res.Body) {
			x.ResponseBody = red.JSON(res.Body)
		} else {
			x.ResponseText = red.String(string(res.Body))
		}
	}
	rs.rec.n++
	name := fmt.Sprintf("%04d-%s.json", rs.rec.n, unsafeName.ReplaceAllString(nonEmpty(res.Op, "unrouted"), "_"))
	data, err := json.MarshalIndent(x, "", "  ")
	if err == nil {
		if err = os.MkdirAll(rs.rec.dir, 0o755); err == nil {
			err = os.WriteFile(filepath.Join(rs.rec.dir, name), append(data, '\n'), 0o600)
		}
	}
	if err != nil {
		rs.rec.err = err
		s.fail("--record: %v", err)
	}
}

// rawOrString keeps a JSON body as JSON and anything else as a JSON string.
func rawOrString(red *redact.Redactor, b []byte) json.RawMessage {
	if json.Valid(b) {
		return red.JSON(b)
	}
	q, err := json.Marshal(red.String(string(b)))
	if err != nil {
		return nil
	}
	return q
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ReadRecordings loads every *.json exchange under the given directories;
// an argument that is a file is read as JSON lines (c3dmock proxy --record).
func ReadRecordings(dirs ...string) ([]Exchange, error) {
	var out []Exchange
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err == nil && !st.IsDir() {
			xs, err := readExchangeLines(dir)
			if err != nil {
				return nil, err
			}
			out = append(out, xs...)
			continue
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no recordings (*.json)", dir)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			var x Exchange
			if err := json.Unmarshal(data, &x); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			out = append(out, x)
		}
	}
	return out, nil
}
