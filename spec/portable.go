package spec

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// PortableDepth is how many levels of a recursive schema the portable
// document spells out: the schema itself and PortableDepth-1 named copies.
const PortableDepth = 4

// portableLevel names the copy of schema at level (2 ≤ level ≤ PortableDepth).
func portableLevel(schema string, level int) string { return fmt.Sprintf("%sLevel%d", schema, level) }

const schemaRefPrefix = "#/components/schemas/"

// Portable returns the named document in its portable form (`c3dmock spec
// --portable`): the same operations, parameters, bodies, responses and
// examples, with the two constructs that third-party tools cannot parse
// expressed in the most widely supported form:
//
//   - every recursive schema (a $ref cycle among components.schemas, such as
//     Filter.children) is unrolled to PortableDepth levels: the schema keeps
//     its name and refers to a copy named <Schema>Level2, which refers to
//     <Schema>Level3, and so on; at the last level the recursive $ref becomes
//     a loose object ({type: object}), so deeper nesting is still valid but
//     no longer described (Portman and code generators stop at cycles);
//   - every security scheme sent in a cookie (the dashboard's session cookie)
//     is removed, with every security requirement that names it; the
//     operations keep their other schemes (Specmatic rejects the whole
//     document over a cookie API-key scheme). Removing a requirement that
//     would leave an operation with no security at all is an error, since it
//     would make a protected operation look public.
//
// info.description gains a paragraph naming exactly what was changed. The
// output is deterministic: it depends only on the embedded document.
func Portable(name string) ([]byte, error) {
	raw, err := Raw(name)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	var doc yaml.Node
	if err := yaml.Load(raw, &doc); err != nil {
		return nil, fmt.Errorf("spec %s: parse: %w", name, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("spec %s: not a YAML mapping", name)
	}
	root := doc.Content[0]
	var notes []string
	unrolled, err := unrollRecursiveSchemas(root)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	for _, group := range unrolled {
		notes = append(notes, unrollNote(group))
	}
	removed, err := removeCookieSchemes(root)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	for _, s := range removed {
		notes = append(notes, fmt.Sprintf("The security scheme `%s` (an API key sent in the cookie `%s`) is removed, "+
			"with every security requirement that names it: operations that took it or another scheme list only the other. "+
			"The cookie still works against c3dmock and the vendor; only its description is left out.", s.name, s.cookie))
	}
	if n := expandStatusRanges(root); n > 0 {
		notes = append(notes, fmt.Sprintf("Response status ranges (`5XX`, %d in all) are written out as the statuses they stand for "+
			"(%s), which tools that reject ranges read.", n, strings.Join(rangeStatuses["5XX"], ", ")))
	}
	if err := appendPortableNote(root, notes); err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	out, err := yaml.Dump(&doc, yaml.WithV4Defaults(), yaml.WithLineWidth(120))
	if err != nil {
		return nil, fmt.Errorf("spec %s: encode: %w", name, err)
	}
	return out, nil
}

// unrollNote describes the unrolling of one group of mutually recursive schemas.
func unrollNote(group []string) string {
	chains := make([]string, len(group))
	for i, s := range group {
		levels := []string{"`" + s + "`"}
		for l := 2; l <= PortableDepth; l++ {
			levels = append(levels, "`"+portableLevel(s, l)+"`")
		}
		chains[i] = strings.Join(levels, " → ")
	}
	return fmt.Sprintf("The recursive schema %s is unrolled to %d levels: %s. At the last level the recursive reference "+
		"is a loose object (`type: object`): deeper nesting is still valid but no longer described.",
		quoteJoin(group), PortableDepth, strings.Join(chains, "; "))
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(text) {
		switch {
		case i == 0:
		case line+1+len(w) > width:
			b.WriteByte('\n')
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}

// appendPortableNote adds the portable form's paragraph to info.description.
func appendPortableNote(root *yaml.Node, notes []string) error {
	info := mapGet(root, "info")
	if info == nil || info.Kind != yaml.MappingNode {
		return fmt.Errorf("no info object")
	}
	text := "Portable form (`c3dmock spec --portable`): the same document with the constructs that third-party tools " +
		"(Portman, Dredd, Specmatic, code generators) cannot parse expressed in their most widely supported form. "
	if len(notes) == 0 {
		text += "This document has none: it equals the normal one but for this paragraph."
	} else {
		text += strings.Join(notes, " ")
	}
	desc := mapGet(info, "description")
	if desc == nil {
		mapSet(info, "description", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text})
		return nil
	}
	desc.Value = strings.TrimRight(desc.Value, "\n") + "\n\n" + wrap(text, 112) + "\n"
	desc.Style = yaml.LiteralStyle
	return nil
}

// unrollRecursiveSchemas unrolls every group of mutually recursive schemas of
// components.schemas (a strongly connected component of the $ref graph with a
// cycle) and returns the groups, each in document order.
func unrollRecursiveSchemas(root *yaml.Node) ([][]string, error) {
	schemas := mapGet(mapGet(root, "components"), "schemas")
	if schemas == nil {
		return nil, nil
	}
	var names []string
	nodes := map[string]*yaml.Node{}
	for i := 0; i+1 < len(schemas.Content); i += 2 {
		names = append(names, schemas.Content[i].Value)
		nodes[schemas.Content[i].Value] = schemas.Content[i+1]
	}
	edges := map[string][]string{}
	for _, n := range names {
		walkRefs(nodes[n], func(ref *yaml.Node) {
			if t, ok := strings.CutPrefix(ref.Value, schemaRefPrefix); ok && nodes[t] != nil {
				edges[n] = append(edges[n], t)
			}
		})
	}
	var groups [][]string
	for _, scc := range stronglyConnected(names, edges) {
		cyclic := len(scc) > 1
		for _, t := range edges[scc[0]] {
			cyclic = cyclic || t == scc[0]
		}
		if cyclic {
			groups = append(groups, scc)
		}
	}
	for _, group := range groups {
		in := map[string]bool{}
		for _, s := range group {
			in[s] = true
			for l := 2; l <= PortableDepth; l++ {
				if nodes[portableLevel(s, l)] != nil {
					return nil, fmt.Errorf("schema %s: cannot unroll, %s exists", s, portableLevel(s, l))
				}
			}
		}
		for _, s := range group {
			orig := nodes[s]
			copies := make([]*yaml.Node, 0, 2*(PortableDepth-1))
			for l := 2; l <= PortableDepth; l++ {
				c := deepCopy(orig)
				retarget(c, in, l)
				desc := fmt.Sprintf("Portable form: `%s` nested %d levels deep (the normal document's `%s` is recursive).", s, l, s)
				if l == PortableDepth {
					desc += " Its recursive references are loose objects, not described."
				}
				if d := mapGet(c, "description"); d != nil {
					d.Value = desc + " " + d.Value
				} else {
					mapSet(c, "description", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: desc})
				}
				copies = append(copies, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: portableLevel(s, l)}, c)
			}
			retarget(orig, in, 1)
			at := indexOfKey(schemas, s) + 2
			schemas.Content = append(schemas.Content[:at], append(copies, schemas.Content[at:]...)...)
		}
	}
	return groups, nil
}

// retarget points the $refs of n (a copy at level) to group members at the
// next level, or, at the last level, replaces them with a loose object.
func retarget(n *yaml.Node, group map[string]bool, level int) {
	walkRefMaps(n, func(m, ref *yaml.Node) {
		t, ok := strings.CutPrefix(ref.Value, schemaRefPrefix)
		if !ok || !group[t] {
			return
		}
		if level < PortableDepth {
			ref.Value = schemaRefPrefix + portableLevel(t, level+1)
			return
		}
		m.Content = []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "type"}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: "object"},
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "description"},
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: fmt.Sprintf("A `%s` nested deeper than the portable form describes.", t)},
		}
		m.Style = 0
	})
}

// stronglyConnected returns the strongly connected components of the graph
// (Tarjan), each sorted in the order of names, components in the order of
// their first member.
func stronglyConnected(names []string, edges map[string][]string) [][]string {
	order := map[string]int{}
	for i, n := range names {
		order[n] = i
	}
	index, low, onStack := map[string]int{}, map[string]int{}, map[string]bool{}
	var stack []string
	var out [][]string
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = len(index), len(index)
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range edges[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var scc []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc = append(scc, w)
				if w == v {
					break
				}
			}
			sort.Slice(scc, func(i, j int) bool { return order[scc[i]] < order[scc[j]] })
			out = append(out, scc)
		}
	}
	for _, n := range names {
		if _, seen := index[n]; !seen {
			visit(n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i][0]] < order[out[j][0]] })
	return out
}

type removedScheme struct{ name, cookie string }

// removeCookieSchemes removes the security schemes sent in a cookie and every
// security requirement (document-level and per operation) that names one.
func removeCookieSchemes(root *yaml.Node) ([]removedScheme, error) {
	schemes := mapGet(mapGet(root, "components"), "securitySchemes")
	if schemes == nil {
		return nil, nil
	}
	var removed []removedScheme
	gone := map[string]bool{}
	for i := 0; i+1 < len(schemes.Content); {
		s := schemes.Content[i+1]
		if v := mapGet(s, "in"); v != nil && v.Value == "cookie" {
			cookie := ""
			if n := mapGet(s, "name"); n != nil {
				cookie = n.Value
			}
			removed = append(removed, removedScheme{schemes.Content[i].Value, cookie})
			gone[schemes.Content[i].Value] = true
			schemes.Content = append(schemes.Content[:i], schemes.Content[i+2:]...)
			continue
		}
		i += 2
	}
	if len(gone) == 0 {
		return nil, nil
	}
	prune := func(where string, sec *yaml.Node) error {
		if sec == nil || sec.Kind != yaml.SequenceNode || len(sec.Content) == 0 {
			return nil
		}
		kept := sec.Content[:0:0]
		for _, req := range sec.Content {
			named := false
			for j := 0; j+1 < len(req.Content); j += 2 {
				named = named || gone[req.Content[j].Value]
			}
			if !named {
				kept = append(kept, req)
			}
		}
		if len(kept) == 0 {
			return fmt.Errorf("%s: removing the cookie scheme leaves no security requirement", where)
		}
		sec.Content = kept
		return nil
	}
	if err := prune("security", mapGet(root, "security")); err != nil {
		return nil, err
	}
	paths := mapGet(root, "paths")
	for i := 0; paths != nil && i+1 < len(paths.Content); i += 2 {
		item := paths.Content[i+1]
		for j := 0; j+1 < len(item.Content); j += 2 {
			if op := item.Content[j+1]; op.Kind == yaml.MappingNode {
				if err := prune(item.Content[j].Value+" "+paths.Content[i].Value, mapGet(op, "security")); err != nil {
					return nil, err
				}
			}
		}
	}
	return removed, nil
}

// walkRefs calls f with the value node of every $ref under n.
func walkRefs(n *yaml.Node, f func(ref *yaml.Node)) {
	walkRefMaps(n, func(_, ref *yaml.Node) { f(ref) })
}

// walkRefMaps calls f with every mapping under n that has a $ref and the
// $ref's value node.
func walkRefMaps(n *yaml.Node, f func(m, ref *yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		if ref := mapGet(n, "$ref"); ref != nil && ref.Kind == yaml.ScalarNode {
			f(n, ref)
			return
		}
	}
	for _, c := range n.Content {
		walkRefMaps(c, f)
	}
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	if i := indexOfKey(m, key); i >= 0 {
		return m.Content[i+1]
	}
	return nil
}

func indexOfKey(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

func mapSet(m *yaml.Node, key string, v *yaml.Node) {
	if i := indexOfKey(m, key); i >= 0 {
		m.Content[i+1] = v
		return
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func deepCopy(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, ch := range n.Content {
		c.Content[i] = deepCopy(ch)
	}
	c.Alias = deepCopy(n.Alias)
	return &c
}

// rangeStatuses are the statuses the portable form writes for a range: the
// ones the vendor's clients retry (api.md §5.4).
var rangeStatuses = map[string][]string{"5XX": {"500", "502", "503", "504"}}

// expandStatusRanges replaces each response range key of every operation
// (paths.*.*.responses) by its statuses, each with the range's response;
// a status the operation documents itself is kept. It returns the ranges
// expanded.
func expandStatusRanges(root *yaml.Node) int {
	n := 0
	paths := mappingValue(root, "paths")
	if paths == nil {
		return 0
	}
	for i := 1; i < len(paths.Content); i += 2 {
		item := paths.Content[i]
		if item.Kind != yaml.MappingNode {
			continue
		}
		for j := 1; j < len(item.Content); j += 2 {
			responses := mappingValue(item.Content[j], "responses")
			if responses == nil {
				continue
			}
			var out []*yaml.Node
			have := map[string]bool{}
			for k := 0; k < len(responses.Content); k += 2 {
				have[responses.Content[k].Value] = true
			}
			for k := 0; k < len(responses.Content); k += 2 {
				key, val := responses.Content[k], responses.Content[k+1]
				codes, isRange := rangeStatuses[key.Value]
				if !isRange {
					out = append(out, key, val)
					continue
				}
				n++
				for _, c := range codes {
					if !have[c] {
						out = append(out, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: c, Style: yaml.SingleQuotedStyle}, val)
					}
				}
			}
			responses.Content = out
		}
	}
	return n
}

// mappingValue is the value of key in a mapping node, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
