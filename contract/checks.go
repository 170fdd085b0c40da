package contract

import (
	"path"
	"strings"
)

// Checks returns the whole catalogue in run order: discovery first (it
// finds the organization, project and scene the other checks use), then the
// negative checks, the semantic ones and last the writes.
func Checks() []Check {
	var all []Check
	all = append(all, discoveryChecks()...)
	all = append(all, authChecks()...)
	all = append(all, requestChecks()...)
	all = append(all, semanticsChecks()...)
	all = append(all, exitPollChecks()...)
	all = append(all, objectiveChecks()...)
	all = append(all, auditChecks()...)
	all = append(all, writeChecks()...)
	return all
}

// Filter keeps the checks whose name matches any of the comma-separated
// shell globs in patterns ("auth/*,semantics/pagination"). Empty keeps all.
func Filter(checks []Check, patterns string) ([]Check, error) {
	if strings.TrimSpace(patterns) == "" {
		return checks, nil
	}
	var globs []string
	for _, p := range strings.Split(patterns, ",") {
		if p = strings.TrimSpace(p); p != "" {
			if _, err := path.Match(p, ""); err != nil {
				return nil, err
			}
			globs = append(globs, p)
		}
	}
	var out []Check
	for _, c := range checks {
		for _, g := range globs {
			if ok, _ := path.Match(g, c.Name); ok { // g was checked above
				out = append(out, c)
				break
			}
		}
	}
	return out, nil
}
