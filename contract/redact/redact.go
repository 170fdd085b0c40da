// Package redact removes secrets (keys, cookies, csrf tokens, secret JSON
// fields) from what c3dmock prints, records and reports: the contract
// runner, the proxy and the mock's request journal.
package redact

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// Redacted replaces every secret in output, reports and recordings.
const Redacted = "[REDACTED]"

// Redactor removes secrets: the configured keys (with and without their
// Authorization prefix), credential headers, cookie values, csrf tokens and
// JSON fields that carry secrets.
type Redactor struct {
	secrets []string // longest first
}

// authPrefixes are the Authorization forms of the public API.
var authPrefixes = []string{"orgkey-", "APIKEY:ORGANIZATION ", "APIKEY:DOMAIN ", "APIKEY:DATA ", "APIKEY:DEVELOPER "}

// secretHeaders are redacted wholesale.
var secretHeaders = []string{"Authorization", "Cookie", "Set-Cookie", "C3d-Csrf", "X-Api-Key", "Proxy-Authorization"}

// secretFields are JSON object keys whose values are redacted wherever they appear.
// "key" is the secret of a created API key (createOrganizationApiKey).
var secretFields = map[string]bool{"csrf": true, "password": true, "apiKey": true, "apikey": true,
	"secret": true, "token": true, "sessionToken": true, "key": true}

// New returns a Redactor for the given secrets (empty ones are ignored).
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		r.add(s)
	}
	return r
}

func (r *Redactor) add(s string) {
	s = strings.TrimSpace(s)
	if len(s) < 4 || s == Redacted || slices.Contains(r.secrets, s) {
		return
	}
	r.secrets = append(r.secrets, s)
	for _, p := range authPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok && len(strings.TrimSpace(rest)) >= 4 {
			r.secrets = append(r.secrets, strings.TrimSpace(rest))
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// String replaces every known secret in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, Redacted)
	}
	return s
}

// Error redacts an error's text (transport errors may quote the URL or headers).
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := r.String(err.Error())
	if msg == err.Error() {
		return err
	}
	return redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// Header returns a copy of h with credential headers and secrets redacted.
func (r *Redactor) Header(h http.Header) map[string][]string {
	out := map[string][]string{}
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		for _, v := range vs {
			if isSecretHeader(ck) {
				v = redactHeaderValue(ck, v)
			}
			out[ck] = append(out[ck], r.String(v))
		}
	}
	return out
}

func isSecretHeader(k string) bool {
	for _, s := range secretHeaders {
		if strings.EqualFold(s, k) {
			return true
		}
	}
	return false
}

// redactHeaderValue keeps the shape of cookies (names, attributes) but not values.
func redactHeaderValue(k, v string) string {
	if k != "Cookie" && k != "Set-Cookie" {
		return Redacted
	}
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, _, ok := strings.Cut(p, "=")
		if ok && (i == 0 || k == "Cookie") {
			parts[i] = name + "=" + Redacted
		}
	}
	return strings.Join(parts, ";")
}

// JSON redacts secrets in a JSON document: values of secret fields and any
// known secret inside strings. Bodies that are not JSON are redacted as text.
func (r *Redactor) JSON(data []byte) []byte {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []byte(r.String(string(data)))
	}
	out, err := json.Marshal(r.value(v))
	if err != nil {
		return []byte(r.String(string(data)))
	}
	return out
}

func (r *Redactor) value(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if _, isStr := e.(string); isStr && secretFields[k] {
				t[k] = Redacted
				continue
			}
			t[k] = r.value(e)
		}
	case []any:
		for i, e := range t {
			t[i] = r.value(e)
		}
	case string:
		return r.String(t)
	}
	return v
}

// Learn adds the secrets a response hands out (cookie values, csrf tokens and
// other secret JSON fields) so that later output redacts them too.
func (r *Redactor) Learn(h http.Header, body []byte) {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		r.add(c.Value)
	}
	r.LearnJSON(body)
}

// LearnJSON adds the string values of the secret fields of a JSON body, at
// any depth. Bodies that name no secret field are not decoded.
func (r *Redactor) LearnJSON(body []byte) {
	if !MentionsSecretField(body) {
		return
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return
	}
	var visit func(v any)
	visit = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, e := range t {
				if s, ok := e.(string); ok && secretFields[k] {
					r.add(s)
				}
				visit(e)
			}
		case []any:
			for _, e := range t {
				visit(e)
			}
		}
	}
	visit(v)
}

// MentionsSecretField reports whether body may hold a secret JSON field: a
// cheap test that spares decoding the bodies that hold none (most of them),
// one pass over the object keys.
func MentionsSecretField(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(body) && body[j] != '"' {
			if body[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(body) {
			return false
		}
		// Only object keys (a colon follows) of a secret field's length.
		if n := j - i - 1; n >= 3 && n <= 12 {
			k := j + 1
			for k < len(body) && (body[k] == ' ' || body[k] == '\n' || body[k] == '\t' || body[k] == '\r') {
				k++
			}
			if k < len(body) && body[k] == ':' && secretFields[string(body[i+1:j])] {
				return true
			}
		}
		i = j
	}
	return false
}
