package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// want returns nil if res has one of the statuses, else an error that names
// the operation, what came back and the start of the body. A 501 means the
// target does not implement the operation.
func want(res *Response, err error, statuses ...int) error {
	if err != nil {
		return err
	}
	if slices.Contains(statuses, res.Status) {
		return nil
	}
	op := nonEmpty(res.Op, res.Method+" "+pathOnly(res.Path))
	if res.Status == http.StatusNotImplemented {
		return fmt.Errorf("target does not implement %s (501)", op)
	}
	ws := make([]string, len(statuses))
	for i, s := range statuses {
		ws[i] = strconv.Itoa(s)
	}
	return fmt.Errorf("%s: got %d, want %s (body: %s)", op, res.Status, strings.Join(ws, " or "), snippet(res.Body))
}

func snippet(b []byte) string {
	s := oneLine(string(b))
	if s == "" {
		return "empty"
	}
	return clip(s, 120)
}

// intField reads an integer field of a JSON object decoded with UseNumber.
func intField(m map[string]any, key string) (int64, bool) {
	switch v := m[key].(type) {
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	case float64:
		return int64(v), v == float64(int64(v))
	}
	return 0, false
}

func strField(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// needInt reads a required integer field or explains what is wrong.
func needInt(m map[string]any, op, key string) (int64, error) {
	n, ok := intField(m, key)
	if !ok {
		return 0, fmt.Errorf("%s: %s is %s, want an integer", op, key, kindOf(m[key]))
	}
	return n, nil
}

// objects returns the elements of l that are objects, or an error naming op.
func objects(l []any, op string) ([]map[string]any, error) {
	out := make([]map[string]any, 0, len(l))
	for i, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: element %d is %s, want an object", op, i, kindOf(e))
		}
		out = append(out, m)
	}
	return out, nil
}

// getObject GETs path as role and decodes a 200 JSON object.
func getObject(ctx context.Context, c *Client, path string) (map[string]any, error) {
	res, err := c.Get(ctx, path)
	if err := want(res, err, http.StatusOK); err != nil {
		return nil, err
	}
	return res.Object()
}

// getList GETs path and decodes a 200 JSON array of objects.
func getList(ctx context.Context, c *Client, path string) ([]map[string]any, error) {
	res, err := c.Get(ctx, path)
	if err := want(res, err, http.StatusOK); err != nil {
		return nil, err
	}
	l, err := res.List()
	if err != nil {
		return nil, err
	}
	return objects(l, res.Op)
}
