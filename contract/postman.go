package contract

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// PostmanComparison is the outcome of comparing a Postman collection with the spec.
type PostmanComparison struct {
	Matched   int      `json:"matched"`
	SpecLacks []string `json:"specLacks"` // "METHOD /path  (request name)" in the collection only
	// CollectionLacks lists "METHOD /path operationId" of the spec that no request covers.
	CollectionLacks []string `json:"collectionLacks"`
}

// postmanItem is the part of a Postman v2.1 item tree we read.
type postmanItem struct {
	Name    string          `json:"name"`
	Item    []postmanItem   `json:"item"`
	Request *postmanRequest `json:"request"`
}

type postmanRequest struct {
	Method string          `json:"method"`
	URL    json.RawMessage `json:"url"` // a string or {raw, path[]}
}

type postmanURL struct {
	Raw  string          `json:"raw"`
	Path json.RawMessage `json:"path"` // []string (or a string in some exports)
}

// PostmanRequest is one request of a collection with its normalised path:
// host and query dropped, variables (":id", "{{id}}", "{id}") as "{}".
type PostmanRequest struct {
	Name, Method, Path string
}

// ParsePostman reads a Postman v2.1 collection and lists its requests.
func ParsePostman(r io.Reader) ([]PostmanRequest, error) {
	var col struct {
		Info struct {
			Schema string `json:"schema"`
		} `json:"info"`
		Item []postmanItem `json:"item"`
	}
	if err := json.NewDecoder(r).Decode(&col); err != nil {
		return nil, fmt.Errorf("postman collection: %w", err)
	}
	if col.Info.Schema != "" && !strings.Contains(col.Info.Schema, "v2.") {
		return nil, fmt.Errorf("postman collection: schema %s is not v2.x", col.Info.Schema)
	}
	var out []PostmanRequest
	var visit func(items []postmanItem, prefix string)
	visit = func(items []postmanItem, prefix string) {
		for _, it := range items {
			name := strings.TrimPrefix(prefix+" / "+it.Name, " / ")
			if it.Request != nil {
				out = append(out, PostmanRequest{Name: name, Method: strings.ToUpper(nonEmpty(it.Request.Method, "GET")), Path: postmanPath(it.Request.URL)})
			}
			visit(it.Item, name)
		}
	}
	visit(col.Item, "")
	return out, nil
}

var (
	postmanVar = regexp.MustCompile(`^(:.+|\{\{.+\}\}|\{.+\})$`)
	leadingVar = regexp.MustCompile(`^\{\{[^}]+\}\}`)
)

func postmanPath(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var u postmanURL
		if json.Unmarshal(raw, &u) == nil {
			var segs []string
			if json.Unmarshal(u.Path, &segs) == nil && len(segs) > 0 {
				s = "/" + strings.Join(segs, "/")
			} else {
				s = u.Raw
			}
		}
	}
	return normalisePath(s)
}

// normalisePath drops scheme, host ({{baseUrl}} too) and query, and turns
// every variable segment into "{}". Paths without /v0 get it, since
// collections often put /v0 into {{baseUrl}}.
func normalisePath(s string) string {
	s = leadingVar.ReplaceAllString(strings.TrimSpace(s), "")
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		s = u.Path
	}
	s, _, _ = strings.Cut(s, "?")
	s, _, _ = strings.Cut(s, "#")
	segs := strings.Split(strings.Trim(s, "/"), "/")
	for i, seg := range segs {
		if postmanVar.MatchString(seg) {
			segs[i] = "{}"
		}
	}
	p := "/" + strings.Join(segs, "/")
	if !strings.HasPrefix(p, "/v0/") && p != "/v0" {
		p = "/v0" + strings.TrimSuffix(p, "/")
	}
	return strings.TrimSuffix(p, "/")
}

// ComparePostman matches collection requests with the operations of doc. A
// literal segment in the collection (…/projects/4460) matches a parameter.
func ComparePostman(doc *openapi3.T, reqs []PostmanRequest) PostmanComparison {
	type op struct{ method, path, id string }
	var ops []op
	prefix := ""
	if len(doc.Servers) > 0 {
		if u, err := url.Parse(doc.Servers[0].URL); err == nil {
			prefix = strings.TrimSuffix(u.Path, "/")
		}
	}
	for path, item := range doc.Paths.Map() {
		for m, o := range item.Operations() {
			ops = append(ops, op{m, normalisePath(prefix + path), o.OperationID})
		}
	}
	var cmp PostmanComparison
	covered := map[int]bool{}
	for _, r := range reqs {
		hit := false
		for i, o := range ops {
			if o.method == r.Method && pathsMatch(o.path, r.Path) {
				covered[i], hit = true, true
			}
		}
		if hit {
			cmp.Matched++
		} else {
			cmp.SpecLacks = append(cmp.SpecLacks, fmt.Sprintf("%s %s  (%s)", r.Method, r.Path, r.Name))
		}
	}
	for i, o := range ops {
		if !covered[i] {
			cmp.CollectionLacks = append(cmp.CollectionLacks, fmt.Sprintf("%s %s %s", o.method, o.path, o.id))
		}
	}
	sort.Strings(cmp.SpecLacks)
	sort.Strings(cmp.CollectionLacks)
	return cmp
}

func pathsMatch(spec, coll string) bool {
	a, b := strings.Split(spec, "/"), strings.Split(coll, "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && a[i] != "{}" {
			return false
		}
	}
	return true
}

// WritePostman prints the comparison.
func WritePostman(w io.Writer, c PostmanComparison) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d collection requests match the spec\n", c.Matched)
	fmt.Fprintf(&b, "\nrequests the spec lacks (%d):\n", len(c.SpecLacks))
	for _, s := range c.SpecLacks {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	fmt.Fprintf(&b, "\noperations the collection lacks (%d):\n", len(c.CollectionLacks))
	for _, s := range c.CollectionLacks {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
