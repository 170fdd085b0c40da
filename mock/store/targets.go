package store

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/spec"
)

// resolveTargets resolves the values in two passes: first the scopes of the
// hierarchy and objectives (they name their project themselves), then the
// sessions, which exist only inside the request's one project.
func (w *world) resolveTargets(op spec.Operation, values []Located, allow func(access.Target) error) (*Targets, error) {
	out := &Targets{}
	var singles, many []resolved
	for _, v := range values {
		if v.Loc.Kind == spec.KindSession {
			continue
		}
		res, err := w.resolveOne(v)
		if err != nil {
			return nil, err
		}
		if v.Loc.In == spec.InPath { // a child not under its path parent is 404, whoever owns it
			for _, prev := range singles {
				if err := disagree(prev, res); err != nil {
					return nil, err
				}
			}
		}
		if err := allow(res.t); err != nil {
			return nil, err
		}
		out.Checked = append(out.Checked, res.t)
		if v.Loc.Many {
			many = append(many, res)
			out.addMany(res)
			continue
		}
		for _, prev := range singles {
			if err := disagree(prev, res); err != nil {
				return nil, err
			}
		}
		singles = append(singles, res)
		out.merge(res)
	}
	// A many location stays inside the single target: a tag's projects inside
	// the path's organization, a filter's objective versions inside the project.
	for _, m := range many {
		for _, s := range singles {
			if err := disagree(s, m); err != nil {
				return nil, err
			}
		}
	}
	for _, v := range values { // sessions: agreement first, then existence
		if v.Loc.Kind != spec.KindSession || v.Loc.Many {
			continue
		}
		if out.Session != "" && out.Session != v.Raw {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Field: v.Loc.Field(), Rule: "targetsAgree",
				Message: fmt.Sprintf("%s names session %s, but the request already names session %s: one request acts on one session", v.Loc.Field(), v.Raw, out.Session)}
		}
		out.Session = v.Raw
	}
	for _, v := range values {
		if v.Loc.Kind != spec.KindSession {
			continue
		}
		if out.ProjectID == 0 {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Field: v.Loc.Field(), Rule: "target",
				Message: fmt.Sprintf("%s names session %q, but the request names no project to find it in", v.Loc.Field(), v.Raw)}
		}
		if _, ok := w.findSession(out.ProjectID, v.Raw); !ok {
			return nil, &apierr.Error{Code: apierr.CodeNotFound, Field: v.Loc.Field(),
				Message: fmt.Sprintf("session %s not found in project %d (%s)", v.Raw, out.ProjectID, v.Loc.Field())}
		}
		if v.Loc.Many {
			out.Sessions = append(out.Sessions, v.Raw)
		}
	}
	if len(values) == 0 && op.Scope != "user" && op.Scope != "none" && op.Op.RequestBody != nil {
		return nil, needTarget(op)
	}
	return out, nil
}

func needTarget(op spec.Operation) error {
	var where []string
	for _, l := range op.Targets {
		if !l.Many && l.Kind != spec.KindSession {
			where = append(where, l.Field())
		}
	}
	field := ""
	if len(where) > 0 {
		field = where[0]
	}
	return &apierr.Error{Code: apierr.CodeInvalid, Field: field, Rule: "required",
		Message: op.ID + " needs a target: " + strings.Join(where, ", ")}
}

// resolveOne resolves a value of a hierarchy or objective kind.
func (w *world) resolveOne(v Located) (resolved, error) {
	res := resolved{Located: v}
	id := func() (int64, error) {
		n, err := strconv.ParseInt(v.Raw, 10, 64)
		if err != nil || n <= 0 {
			return 0, &apierr.Error{Code: apierr.CodeInvalid, Field: v.Loc.Field(), Rule: "type", Expected: "integer",
				Message: fmt.Sprintf("%s must be a positive integer %s ID, not %q", v.Loc.Field(), v.Loc.Kind, v.Raw)}
		}
		return n, nil
	}
	var err error
	var n int64
	if v.Loc.Kind != spec.KindScene {
		if n, err = id(); err != nil {
			return res, err
		}
	}
	switch v.Loc.Kind {
	case spec.KindDomain:
		res.t, err = w.targetOfDomain(n)
	case spec.KindOrganization:
		res.t, err = w.targetOfOrg(n)
	case spec.KindProject:
		res.t, err = w.targetOfProject(n)
	case spec.KindScene:
		res.scene = v.Raw
		res.t, err = w.targetOfScene(v.Raw)
	case spec.KindVersion:
		res.id = n
		res.t, err = w.targetOfVersion(n)
		res.scene = w.versions[n].SceneID
	case spec.KindObjective:
		o, ok := w.objectives[n]
		if !ok {
			return res, apierr.Errorf(apierr.CodeNotFound, "objective %d not found", n)
		}
		res.id = n
		res.t, err = w.targetOfProject(o.ProjectID)
	case spec.KindObjectiveVersion:
		o, ok := w.objectiveOfVersion(n)
		if !ok {
			return res, apierr.Errorf(apierr.CodeNotFound, "objective version %d not found", n)
		}
		res.id = n
		res.t, err = w.targetOfProject(o.ProjectID)
	}
	if e, ok := err.(*apierr.Error); ok && e.Field == "" {
		e.Field = v.Loc.Field()
	}
	return res, err
}

// Targets is what a request acts on: every location its operation declares in
// x-c3d-targets, resolved up the hierarchy, checked to agree and checked
// against the credential. Handlers read scope IDs only from here; the pipeline
// does not even pass declared path parameters on to them.
type Targets struct {
	access.Target           // the request's one target, merged from every single location
	Scene            string // scene UUID, when a scene location names one
	Version          int64
	Session          string // a session of Project
	Objective        int64
	ObjectiveVersion int64

	Projects          []int64  // project[] locations, in request order
	Scenes            []string // scene[] locations
	Sessions          []string // session[] locations, all sessions of Project
	ObjectiveVersions []int64  // objectiveVersion[] locations

	Checked []access.Target // every resolved target, each checked against the credential
}

// resolved is one value read from one location and resolved.
type resolved struct {
	Located
	t     access.Target
	scene string
	id    int64 // version, objective or objective version ID
}

// located is one raw value of one location.
type Located struct {
	Loc spec.TargetLocation
	Raw string // the value as the request wrote it
}

// addMany records a value of a kind[] location.
func (t *Targets) addMany(r resolved) {
	switch r.Loc.Kind {
	case spec.KindProject:
		t.Projects = append(t.Projects, r.t.ProjectID)
	case spec.KindScene:
		t.Scenes = append(t.Scenes, r.scene)
	case spec.KindObjectiveVersion:
		t.ObjectiveVersions = append(t.ObjectiveVersions, r.id)
	}
}

// merge folds a single location into the request's one target.
func (t *Targets) merge(r resolved) {
	if r.t.DomainID != 0 {
		t.DomainID = r.t.DomainID
	}
	if r.t.OrganizationID != 0 {
		t.OrganizationID = r.t.OrganizationID
	}
	if r.t.ProjectID != 0 {
		t.ProjectID = r.t.ProjectID
	}
	switch r.Loc.Kind {
	case spec.KindScene:
		t.Scene = r.scene
	case spec.KindVersion:
		t.Version = r.id
	case spec.KindObjective:
		t.Objective = r.id
	case spec.KindObjectiveVersion:
		t.ObjectiveVersion = r.id
	}
}

// disagree reports the 400 for two locations that name different targets.
// They agree when every level both name is the same resource.
func disagree(a, b resolved) error {
	same := func(x, y int64) bool { return x == 0 || y == 0 || x == y }
	ok := same(a.t.DomainID, b.t.DomainID) && same(a.t.OrganizationID, b.t.OrganizationID) &&
		same(a.t.ProjectID, b.t.ProjectID) && (a.scene == "" || b.scene == "" || a.scene == b.scene)
	if a.Loc.Kind == spec.KindVersion && b.Loc.Kind == spec.KindVersion && a.id != b.id {
		ok = false
	}
	if ok {
		return nil
	}
	if a.Loc.In == spec.InPath && b.Loc.In == spec.InPath {
		return &apierr.Error{Code: apierr.CodeNotFound, Field: b.Loc.Field(),
			Message: fmt.Sprintf("%s %s not found in %s %s", kindName(b.Loc.Kind), b.Raw, kindName(a.Loc.Kind), a.Raw)}
	}
	return &apierr.Error{Code: apierr.CodeInvalid, Field: b.Loc.Field(), Rule: "targetsAgree",
		Message: fmt.Sprintf("%s names %s %s, but %s names %s %s (%s): one request acts on one target",
			b.Loc.Field(), kindName(b.Loc.Kind), b.Raw, a.Loc.Field(), kindName(a.Loc.Kind), a.Raw, describeTree(a.t))}
}

// kindName is a target kind in prose: "objective version".
func kindName(kind string) string {
	if kind == spec.KindObjectiveVersion {
		return "objective version"
	}
	return kind
}

func describeTree(t access.Target) string {
	switch {
	case t.ProjectID != 0:
		return fmt.Sprintf("project %d of organization %d", t.ProjectID, t.OrganizationID)
	case t.OrganizationID != 0:
		return fmt.Sprintf("organization %d", t.OrganizationID)
	}
	return fmt.Sprintf("domain %d", t.DomainID)
}

// parseID parses an integer ID that the spec has already validated. A value
// that is not an integer maps to 0, which names no resource (404).
func ParseID(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// idAt is the ID of the request's target at a scope level: "organization" or "project".
func (t *Targets) IdAt(scope string) int64 {
	if scope == "organization" {
		return t.OrganizationID
	}
	return t.ProjectID
}

// ResolveTargets resolves the values read from a request's declared
// locations against the world (see Targets for the order of the checks).
func (st *Store) ResolveTargets(op spec.Operation, values []Located, allow func(access.Target) error) (*Targets, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.resolveTargets(op, values, allow)
}
