package spec

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ExtTargets lists every place an operation's request names a resource whose
// scope the credential must hold. Each entry is "KIND IN:NAME":
//
//	project path:projectId              a path parameter
//	project[] query:projectIds          a query parameter, every repeated value and comma list item
//	project body:/entityFilters/projectId  a JSON pointer into the body
//	session[] body:/sdkSessionIds/*     "*" walks every array element
//
// A kind ending in [] names several resources; without it the location names
// one, and all single locations of a request must name the same target.
const ExtTargets = "x-c3d-targets"

// Target kinds: the first five are scopes of the hierarchy and resolve on
// their own; the others name a resource inside the request's one project
// (and version) and resolve there.
const (
	KindDomain           = "domain"
	KindOrganization     = "organization"
	KindProject          = "project"
	KindScene            = "scene"
	KindVersion          = "version"
	KindSession          = "session"
	KindObjective        = "objective"
	KindObjectiveVersion = "objectiveVersion"
)

var targetKinds = map[string]bool{
	KindDomain: true, KindOrganization: true, KindProject: true, KindScene: true, KindVersion: true,
	KindSession: true, KindObjective: true, KindObjectiveVersion: true,
}

// Target locations.
const (
	InPath  = "path"
	InQuery = "query"
	InBody  = "body"
)

// TargetLocation is one place a request names a target.
type TargetLocation struct {
	Kind string // a Kind* constant
	Many bool   // the location names several resources (kind[])
	In   string // path, query or body
	Name string // parameter name, or JSON pointer for body ("*" = every array element)
}

// String renders the location as written in the spec.
func (l TargetLocation) String() string {
	k := l.Kind
	if l.Many {
		k += "[]"
	}
	return k + " " + l.Where()
}

// Where is the location without its kind: "body:/projectId".
func (l TargetLocation) Where() string { return l.In + ":" + l.Name }

// Field names the location in error bodies: "/projectId", "query:projectIds", "path:projectId".
func (l TargetLocation) Field() string {
	if l.In == InBody {
		return l.Name
	}
	return l.Where()
}

// ParseTargetLocation parses one x-c3d-targets entry.
func ParseTargetLocation(s string) (TargetLocation, error) {
	kind, where, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return TargetLocation{}, fmt.Errorf("%s entry %q: want \"KIND IN:NAME\"", ExtTargets, s)
	}
	l := TargetLocation{Kind: kind}
	if k, many := strings.CutSuffix(kind, "[]"); many {
		l.Kind, l.Many = k, true
	}
	if !targetKinds[l.Kind] {
		return TargetLocation{}, fmt.Errorf("%s entry %q: unknown kind %q", ExtTargets, s, l.Kind)
	}
	l.In, l.Name, ok = strings.Cut(strings.TrimSpace(where), ":")
	switch {
	case !ok || l.Name == "":
		return TargetLocation{}, fmt.Errorf("%s entry %q: want IN:NAME after the kind", ExtTargets, s)
	case l.In != InPath && l.In != InQuery && l.In != InBody:
		return TargetLocation{}, fmt.Errorf("%s entry %q: location must be path, query or body", ExtTargets, s)
	case l.In == InBody && !strings.HasPrefix(l.Name, "/"):
		return TargetLocation{}, fmt.Errorf("%s entry %q: a body location is a JSON pointer", ExtTargets, s)
	case l.In == InBody && strings.Contains(l.Name, "*") != l.Many:
		return TargetLocation{}, fmt.Errorf("%s entry %q: a pointer walks arrays (*) exactly when the kind ends in []", ExtTargets, s)
	case l.In == InPath && l.Many:
		return TargetLocation{}, fmt.Errorf("%s entry %q: a path parameter names one target", ExtTargets, s)
	}
	return l, nil
}

// targetLocations reads x-c3d-targets of op.
func targetLocations(op *openapi3.Operation) ([]TargetLocation, error) {
	v, ok := op.Extensions[ExtTargets]
	if !ok {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s of %s must be a list", ExtTargets, op.OperationID)
	}
	out := make([]TargetLocation, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%s of %s: entries are strings", ExtTargets, op.OperationID)
		}
		l, err := ParseTargetLocation(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op.OperationID, err)
		}
		out = append(out, l)
	}
	return out, nil
}
