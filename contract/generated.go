package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/c3dmock/c3dmock/spec"
)

// Host names the document an operation belongs to.
type Host string

// The two documents.
const (
	HostPublic Host = "public"        // Target.BaseURL, Target.Spec
	HostData   Host = "datacollector" // Target.DataURL, Target.DataSpec
)

// SpecChecks generates checks for every operation of doc, served at host:
//
//	spec/<op>/positive          a valid request (examples + discovered IDs) gets a documented 2xx
//	spec/<op>/no-credential     without credentials → 401
//	spec/<op>/wrong-credential  a credential kind the operation does not take → 401 or 403
//	spec/<op>/content-type      a body sent as text/plain → 415
//	spec/<op>/schema            one violation per constrained body field → 400 each
//	spec/<op>/foreign-project   each project target location naming Target.ForeignProjectID → 403 or 404
//
// Reads come first, then writes in dependency order (creates, updates, deletes
// deepest path first), so a delete never removes what a later check reads.
func SpecChecks(doc *openapi3.T, host Host) []Check {
	if doc == nil {
		return nil
	}
	ops := spec.Operations(doc)
	sort.SliceStable(ops, func(i, j int) bool { return writeRank(ops[i]) < writeRank(ops[j]) })
	var out []Check
	for _, op := range ops {
		g := &genOp{doc: doc, host: host, op: op}
		out = append(out, g.checks()...)
	}
	return out
}

// writeRank orders reads, creates, updates, then deletes (deepest first).
func writeRank(op spec.Operation) int {
	if !op.Write() {
		return 0
	}
	switch op.Method {
	case http.MethodPost:
		return 1
	case http.MethodPut, http.MethodPatch:
		return 2
	}
	return 100 - strings.Count(op.Path, "/")
}

type genOp struct {
	doc  *openapi3.T
	host Host
	op   spec.Operation
}

func (g *genOp) name(kind string) string { return "spec/" + g.op.ID + "/" + kind }

func (g *genOp) check(kind, family, desc string, writes bool, run func(context.Context, *Session) error) Check {
	guarded := func(ctx context.Context, s *Session) error {
		if g.host == HostData && (s.run.target.DataURL == "" || s.run.dval == nil) {
			return Skipf("needs the Data Collector (--data-url)")
		}
		return run(ctx, s)
	}
	return Check{Name: g.name(kind), Description: desc, Ops: []string{g.op.ID}, Family: family, Writes: writes, Run: guarded}
}

func (g *genOp) checks() []Check {
	op := g.op
	w := op.Write()
	cs := []Check{g.check("positive", FamilyPositive, "a valid request built from the spec gets a documented 2xx with a valid body", w, g.positive)}
	if op.Dead {
		cs[0].Description = "the vendor removed this route: it answers 404"
		return cs
	}
	if len(op.Credentials) > 0 {
		cs = append(cs,
			g.check("no-credential", FamilyNegative, "without credentials the operation answers 401", false, g.noCredential),
			g.check("wrong-credential", FamilyNegative, "a credential kind the operation does not take gets 401 or 403", false, g.wrongCredential))
	}
	if rb := op.Op.RequestBody; rb != nil && rb.Value != nil && rb.Value.Content.Get("text/plain") == nil {
		cs = append(cs, g.check("content-type", FamilyNegative, "a body sent as text/plain gets 415", w, g.contentType))
		if media := rb.Value.Content.Get("application/json"); media != nil && len(constrainedFields(media)) > 0 {
			cs = append(cs, g.check("schema", FamilyNegative, "one schema violation per constrained body field gets 400 naming it", w, g.schema))
		}
	}
	for _, l := range op.Targets {
		if l.Kind == spec.KindProject {
			cs = append(cs, g.check("foreign-project", FamilyNegative, "each project target location naming --foreign-project gets 403 or 404", w, g.foreign))
			break
		}
	}
	return cs
}

// genRequest is one request built from the spec.
type genRequest struct {
	method, path, ct string
	body             any // decoded JSON body (nil: none)
	raw              []byte
	auth             string
}

func (r genRequest) bodyBytes() []byte {
	if r.raw != nil {
		return r.raw
	}
	if r.body == nil {
		return nil
	}
	b, _ := json.Marshal(r.body)
	return b
}

func (g *genOp) send(ctx context.Context, s *Session, r genRequest) (*Response, error) {
	c := &Client{s: s, auth: r.auth, data: g.host == HostData}
	var body []byte
	if r.body != nil || r.raw != nil {
		body = r.bodyBytes()
	}
	return c.Do(ctx, r.method, r.path, r.ct, body)
}

// credential picks the credential the positive request sends, or explains
// which one is missing.
func (g *genOp) credential(s *Session) (string, error) {
	t := s.run.target
	op := g.op
	has := func(k string) bool { return slices.Contains(op.Credentials, k) }
	switch {
	case len(op.Credentials) == 0:
		return "", nil
	case g.host == HostData:
		if has("data") && t.DataKey != "" {
			return t.DataKey, nil
		}
		if has("developer") && t.DeveloperKey != "" {
			return t.DeveloperKey, nil
		}
		return "", Skipf("needs a Data Collector %s key (--data-key-env / --developer-key-env)", strings.Join(op.Credentials, " or "))
	case op.Scope == "user":
		return "", Skipf("needs a dashboard login: %s acts on a user, and keys have none (the runner sends keys only)", op.ID)
	case op.Scope == "domain" || op.Role == "admin":
		if t.DomainKey == "" {
			return "", Skipf("needs an administrator credential (--domain-key-env): %s is %s-only", op.ID, nonEmpty(op.Role, "domain"))
		}
		return t.DomainKey, nil
	}
	return t.APIKey, nil
}

// build generates the operation's request: parameters and body from the
// spec's examples, with every target location the spec declares pointed at
// what discovery found on the target (never an invented ID).
func (g *genOp) build(ctx context.Context, s *Session, overrides map[string]string) (genRequest, error) {
	return g.buildAs(ctx, s, overrides, false)
}

// buildRefused builds a request the target must refuse before it looks at
// the resource (no or wrong credential): a parameter nothing names gets a
// placeholder, a body the spec cannot give an example of is sent empty.
func (g *genOp) buildRefused(ctx context.Context, s *Session) (genRequest, error) {
	return g.buildAs(ctx, s, nil, true)
}

func (g *genOp) buildAs(ctx context.Context, s *Session, overrides map[string]string, refused bool) (genRequest, error) {
	op := g.op
	r := genRequest{method: op.Method}
	params := openapi3.Parameters{}
	params = append(params, op.Op.Parameters...)
	if item := g.doc.Paths.Value(op.Path); item != nil {
		params = append(params, item.Parameters...)
	}
	path := op.Path
	query := url.Values{}
	seen := map[string]bool{}
	for _, ref := range params {
		p := ref.Value
		if p == nil || seen[p.In+":"+p.Name] || (p.In != "path" && !(p.In == "query" && p.Required)) {
			continue
		}
		seen[p.In+":"+p.Name] = true
		v, ok := overrides[p.Name]
		if !ok {
			var err error
			if v, err = g.paramValue(ctx, s, p); err != nil {
				if !refused || !errors.Is(err, ErrSkip) {
					return r, err
				}
				v = "1"
			}
		}
		if p.In == "path" {
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
		} else {
			query.Set(p.Name, v)
		}
	}
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	r.path = path
	if rb := op.Op.RequestBody; rb != nil && rb.Value != nil {
		media := rb.Value.Content.Get("application/json")
		if media == nil {
			if gen := binaryBodies[op.ID]; gen != nil {
				r.raw, r.ct = gen()
				return r, g.ingestGate(s)
			}
			if refused {
				ct := keys(rb.Value.Content)
				sort.Strings(ct)
				r.raw, r.ct = []byte{}, ct[0]
				return r, nil
			}
			return r, Skipf("needs a %s body, which the spec cannot give an example of", strings.Join(keys(rb.Value.Content), " or "))
		}
		ex := mediaExample(media)
		if ex == nil && rb.Value.Required {
			return r, Skipf("the spec has no example of the request body")
		}
		if ex != nil {
			body, err := deepCopy(ex)
			if err != nil {
				return r, err
			}
			for _, l := range op.Targets {
				if l.In != spec.InBody {
					continue
				}
				v, err := g.targetValue(ctx, s, l.Kind)
				if err != nil {
					return r, err
				}
				if v != nil {
					setPointer(body, l.Name, v)
				}
			}
			r.body, r.ct = body, "application/json"
		}
	}
	if !refused {
		return r, g.ingestGate(s)
	}
	return r, nil
}

// ingestGate skips the Data Collector's writes into a scene unless the user
// named the scene and version: ingest pollutes analytics.
func (g *genOp) ingestGate(s *Session) error {
	t := s.run.target
	if g.host == HostData && g.op.Write() && len(g.op.Targets) > 0 && (t.IngestScene == "" || t.IngestVersion == 0) {
		return Skipf("Data Collector ingest pollutes analytics: needs --allow-writes and an explicit --scene and --scene-version")
	}
	return nil
}

// paramValue is the value of a path or required query parameter.
func (g *genOp) paramValue(ctx context.Context, s *Session, p *openapi3.Parameter) (string, error) {
	if g.host == HostData {
		t := s.run.target
		switch {
		case p.Name == "sceneId" && t.IngestScene != "" && g.op.Write():
			return t.IngestScene, nil
		case p.Name == "version" && p.In == "query" && t.IngestVersion != 0 && g.op.Write():
			return strconv.Itoa(t.IngestVersion), nil
		}
	}
	if lb, ok := listedBy[g.op.ID]; ok && lb.param == p.Name {
		if list, ok := g.findOp(lb.list); ok {
			v, err := g.firstOf(ctx, s, list, lb.field)
			if err != nil {
				return "", err
			}
			if v == "" {
				return "", Skipf("%s lists nothing to name a %s with", lb.list, p.Name)
			}
			return v, nil
		}
	}
	for _, l := range g.op.Targets {
		if l.In == p.In && l.Name == p.Name {
			v, err := g.targetValue(ctx, s, l.Kind)
			if err != nil {
				return "", err
			}
			if v != nil {
				return fmt.Sprint(v), nil
			}
		}
	}
	// A member of a collection: the first one its list names, so a real
	// deployment is asked about a resource it has, not the spec's example.
	if p.In == "path" {
		if v, err := g.memberFromList(ctx, s, p.Name); v != "" || err != nil {
			return v, err
		}
	}
	ex := p.Example
	if ex == nil && p.Schema != nil && p.Schema.Value != nil {
		ex = p.Schema.Value.Example
	}
	if ex == nil {
		return "", Skipf("no discoverable value and no example for %s parameter %s (its list is empty)", p.In, p.Name)
	}
	if f, ok := ex.(float64); ok {
		return strconv.FormatInt(int64(f), 10), nil
	}
	return fmt.Sprint(ex), nil
}

// targetValue is the discovered resource of a target kind; nil keeps the
// spec's example (kinds discovery does not walk).
func (g *genOp) targetValue(ctx context.Context, s *Session, kind string) (any, error) {
	switch kind {
	case spec.KindOrganization:
		return s.Org(ctx)
	case spec.KindProject:
		return s.Project(ctx)
	case spec.KindDomain:
		return s.Domain(ctx)
	case spec.KindScene:
		if g.host == HostData && g.op.Write() && s.run.target.IngestScene != "" {
			return s.run.target.IngestScene, nil
		}
		sc, _, err := s.SceneVersion(ctx)
		return sc, err
	case spec.KindVersion:
		_, v, err := s.SceneVersion(ctx)
		return v, err
	case spec.KindSession:
		return s.SessionID(ctx)
	}
	return nil, nil
}

func mediaExample(m *openapi3.MediaType) any {
	if m.Example != nil {
		return m.Example
	}
	if len(m.Examples) > 0 {
		names := make([]string, 0, len(m.Examples))
		for n := range m.Examples {
			names = append(names, n)
		}
		sort.Strings(names)
		if e := m.Examples[names[0]]; e != nil && e.Value != nil {
			return e.Value.Value
		}
	}
	if m.Schema != nil && m.Schema.Value != nil {
		return m.Schema.Value.Example
	}
	return nil
}

func deepCopy(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// setPointer sets the value at a JSON pointer ("*" = every array element);
// only members the example already has are replaced.
func setPointer(doc any, ptr string, v any) {
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	var set func(cur any, i int)
	set = func(cur any, i int) {
		k := parts[i]
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if _, ok := c[k]; ok && last {
				c[k] = v
			} else if next, ok := c[k]; ok {
				set(next, i+1)
			}
		case []any:
			for j := range c {
				if k != "*" && k != strconv.Itoa(j) {
					continue
				}
				if last {
					c[j] = v
				} else {
					set(c[j], i+1)
				}
			}
		}
	}
	set(doc, 0)
}

// successes are the operation's documented 2xx statuses.
func successes(op *openapi3.Operation) []int {
	var l []int
	for code := range op.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 {
			l = append(l, n)
		}
	}
	sort.Ints(l)
	return l
}

func (g *genOp) positive(ctx context.Context, s *Session) error {
	auth, err := g.credential(s)
	if err != nil {
		return err
	}
	if g.op.Write() && g.op.Method == http.MethodPut && g.op.ID == "updateCurrentUserPassword" {
		return Skipf("never run: it would change the account's password")
	}
	overrides, err := g.prepareWrite(ctx, s, auth)
	if err != nil {
		return err
	}
	r, err := g.build(ctx, s, overrides)
	if err != nil {
		return err
	}
	if g.op.Write() && g.op.Method == http.MethodPost {
		uniqueNames(s, r.body)
	}
	r.auth = auth
	res, err := g.send(ctx, s, r)
	if g.op.Dead {
		return want(res, err, http.StatusNotFound)
	}
	if err := want(res, err, successes(g.op.Op)...); err != nil {
		return err
	}
	g.cleanupCreated(s, auth, r, res)
	return g.semantics(ctx, s, r, res)
}

func (g *genOp) noCredential(ctx context.Context, s *Session) error {
	r, err := g.buildRefused(ctx, s)
	if err != nil {
		return err
	}
	res, err := g.send(ctx, s, r)
	return want(res, err, http.StatusUnauthorized)
}

// wrongKind is a configured credential whose kind the operation does not
// take; the main key in the Data Collector's form when none is configured.
func (g *genOp) wrongKind(s *Session) string {
	t := s.run.target
	for _, c := range []struct{ kind, auth string }{
		{"organization", t.APIKey}, {"data", t.DataKey}, {"developer", t.DeveloperKey}, {"domain", t.DomainKey},
	} {
		if c.auth != "" && !slices.Contains(g.op.Credentials, c.kind) {
			return c.auth
		}
	}
	secret := t.APIKey
	if _, after, ok := strings.Cut(secret, " "); ok {
		secret = after
	}
	return "APIKEY:DATA " + strings.TrimPrefix(secret, "orgkey-")
}

func (g *genOp) wrongCredential(ctx context.Context, s *Session) error {
	r, err := g.buildRefused(ctx, s)
	if err != nil {
		return err
	}
	r.auth = g.wrongKind(s)
	res, err := g.send(ctx, s, r)
	return want(res, err, http.StatusUnauthorized, http.StatusForbidden)
}

func (g *genOp) contentType(ctx context.Context, s *Session) error {
	auth, err := g.credential(s)
	if err != nil {
		return err
	}
	r, err := g.buildRefused(ctx, s)
	if err != nil {
		return err
	}
	r.auth, r.ct = auth, "text/plain"
	if r.body == nil {
		r.raw = []byte("{}")
	}
	res, err := g.send(ctx, s, r)
	return want(res, err, http.StatusUnsupportedMediaType)
}

func (g *genOp) foreign(ctx context.Context, s *Session) error {
	fp := s.run.target.ForeignProjectID
	if fp == 0 {
		return Skipf("needs --foreign-project (a project of another organization)")
	}
	auth, err := g.credential(s)
	if err != nil {
		return err
	}
	var errs []string
	for _, l := range g.op.Targets {
		if l.Kind != spec.KindProject {
			continue
		}
		over := map[string]string{}
		if l.In == spec.InPath {
			over[l.Name] = strconv.FormatInt(fp, 10)
		}
		r, err := g.build(ctx, s, over)
		if err != nil {
			return err
		}
		switch l.In {
		case spec.InQuery:
			r.path = withQuery(r.path, l.Name, strconv.FormatInt(fp, 10))
		case spec.InBody:
			if r.body == nil || strings.Contains(l.Name, "*") {
				continue
			}
			forcePointer(r.body, l.Name, fp)
		}
		r.auth = auth
		res, err := g.send(ctx, s, r)
		if err := want(res, err, http.StatusForbidden, http.StatusNotFound); err != nil {
			if errors.Is(err, ErrBudget) {
				return err
			}
			errs = append(errs, fmt.Sprintf("%s naming project %d: %v", l.Where(), fp, err))
			if res != nil && res.Status < 300 {
				g.cleanupCreated(s, auth, r, res)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("another organization's project reached: %s", strings.Join(errs, "; "))
	}
	return nil
}

// memberFromList finds an id for the last path parameter of a read on one
// member (…/lmsConfigurations/{lmsConfigurationId}) from the collection's
// list, the first member it names.
func (g *genOp) memberFromList(ctx context.Context, s *Session, param string) (string, error) {
	collection, last, ok := lastParam(g.op.Path)
	if !ok || last != param {
		return "", nil
	}
	list, ok := g.opAt(http.MethodGet, collection)
	if !ok {
		return "", nil
	}
	field := "id" // …Id parameters name the member's id, …Name ones its name
	if strings.HasSuffix(param, "Name") {
		field = "name"
	}
	id, err := g.firstOf(ctx, s, list, param, field)
	if id != "" || err != nil {
		return id, err
	}
	if s.run.target.AllowWrites {
		if create, ok := g.opAt(http.MethodPost, collection); ok && create.Write() {
			if _, _, crud := g.memberDelete(collection); crud {
				auth, _ := g.credential(s)
				return g.createMember(ctx, s, auth, create, param)
			}
		}
	}
	return "", nil
}

// listedBy names, for parameters that are neither examples nor members of
// their path's collection, the list operation and field that name one.
var listedBy = map[string]struct{ param, list, field string }{
	"getSessionReview": {"sdkSessionId", "listReviews", "sdkSessionId"},
}

// firstOf runs the list operation list and returns the first of fields
// found on its first element ("" when the list is empty).
func (g *genOp) firstOf(ctx context.Context, s *Session, list spec.Operation, fields ...string) (string, error) {
	key := string(g.host) + " " + list.ID + " " + strings.Join(fields, ",")
	if v, ok := s.run.found.firsts[key]; ok {
		return v, nil
	}
	v, err := g.firstOfUncached(ctx, s, list, fields...)
	if err == nil && v != "" {
		if s.run.found.firsts == nil {
			s.run.found.firsts = map[string]string{}
		}
		s.run.found.firsts[key] = v
	}
	return v, err
}

func (g *genOp) firstOfUncached(ctx context.Context, s *Session, list spec.Operation, fields ...string) (string, error) {
	lg := &genOp{doc: g.doc, host: g.host, op: list}
	auth, err := lg.credential(s)
	if err != nil {
		return "", err
	}
	r, err := lg.build(ctx, s, nil)
	if err != nil {
		return "", err
	}
	r.auth = auth
	res, err := lg.send(ctx, s, r)
	if err := want(res, err, http.StatusOK); err != nil {
		return "", fmt.Errorf("list %s to find a %s: %w", list.ID, strings.Join(fields, " or "), err)
	}
	v, err := res.JSON()
	if err != nil {
		return "", err
	}
	items, _ := v.([]any)
	if m, ok := v.(map[string]any); ok {
		items, _ = m["results"].([]any)
	}
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			for _, k := range fields {
				switch id := m[k].(type) {
				case json.Number:
					return id.String(), nil
				case string:
					return id, nil
				}
			}
		}
	}
	return "", nil
}

// withQuery sets one query parameter of path.
func withQuery(path, name, value string) string {
	p, q, _ := strings.Cut(path, "?")
	vals, _ := url.ParseQuery(q)
	vals.Set(name, value)
	return p + "?" + vals.Encode()
}

// forcePointer sets the value at a JSON pointer, creating objects on the way.
func forcePointer(doc any, ptr string, v any) {
	m, ok := doc.(map[string]any)
	if !ok {
		return
	}
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for _, k := range parts[:len(parts)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}

func (g *genOp) findOp(id string) (spec.Operation, bool) {
	for _, o := range spec.Operations(g.doc) {
		if o.ID == id {
			return o, true
		}
	}
	return spec.Operation{}, false
}
