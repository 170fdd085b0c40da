package mock

import (
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/c3dmock/c3dmock/spec"
)

// router matches requests to the spec's operations by path template. It is a
// trie of path segments compiled once from the document: a literal segment
// wins over a parameter at the same place, a parameter matches one non-empty
// segment. It answers what kin-openapi's gorillamux router answers (the test
// compares them on every operation) without a regular expression per route.
type router struct {
	root *routeNode
}

type routeNode struct {
	literal map[string]*routeNode
	param   *routeNode
	leaf    map[string]routeLeaf // by method, where a template ends
}

type routeLeaf struct {
	route  *routers.Route
	params []string // parameter names in path order
}

func newRouter(doc *openapi3.T) *router {
	rt := &router{root: &routeNode{}}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			n := rt.root
			var params []string
			for _, seg := range splitPath(path) {
				if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
					params = append(params, seg[1:len(seg)-1])
					if n.param == nil {
						n.param = &routeNode{}
					}
					n = n.param
					continue
				}
				if n.literal == nil {
					n.literal = map[string]*routeNode{}
				}
				if n.literal[seg] == nil {
					n.literal[seg] = &routeNode{}
				}
				n = n.literal[seg]
			}
			leaf := routeLeaf{route: &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}, params: params}
			n.addLeaf(method, leaf)
			// x-c3d-trailing-slash: the vendor writes this path with a
			// trailing slash too; the empty last segment leads to the same leaf.
			if slash, _ := op.Extensions[spec.ExtTrailingSlash].(bool); slash {
				if n.literal == nil {
					n.literal = map[string]*routeNode{}
				}
				if n.literal[""] == nil {
					n.literal[""] = &routeNode{}
				}
				n.literal[""].addLeaf(method, leaf)
			}
		}
	}
	return rt
}

func (n *routeNode) addLeaf(method string, l routeLeaf) {
	if n.leaf == nil {
		n.leaf = map[string]routeLeaf{}
	}
	n.leaf[method] = l
}

// splitPath splits a path after its leading slash; a trailing slash leaves an
// empty last segment, which no template has.
func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

// FindRoute implements routers.Router.
func (rt *router) FindRoute(r *http.Request) (*routers.Route, map[string]string, error) {
	segs := splitPath(r.URL.EscapedPath()) // parameter values stay escaped, as gorillamux leaves them
	var values []string
	if leaf, ok := rt.root.match(segs, r.Method, &values); ok {
		params := make(map[string]string, len(leaf.params))
		for i, name := range leaf.params {
			params[name] = values[i]
		}
		return leaf.route, params, nil
	}
	values = values[:0]
	if _, ok := rt.root.match(segs, "", &values); ok {
		return nil, nil, routers.ErrMethodNotAllowed
	}
	return nil, nil, routers.ErrPathNotFound
}

// match finds the leaf for segs and method ("" = any method), collecting the
// parameter values on the way; literals are tried before the parameter.
func (n *routeNode) match(segs []string, method string, values *[]string) (routeLeaf, bool) {
	if len(segs) == 0 {
		if method == "" {
			for _, l := range n.leaf {
				return l, true
			}
			return routeLeaf{}, false
		}
		l, ok := n.leaf[method]
		return l, ok
	}
	if next := n.literal[segs[0]]; next != nil {
		if l, ok := next.match(segs[1:], method, values); ok {
			return l, true
		}
	}
	if n.param != nil && segs[0] != "" {
		*values = append(*values, segs[0])
		if l, ok := n.param.match(segs[1:], method, values); ok {
			return l, true
		}
		*values = (*values)[:len(*values)-1]
	}
	return routeLeaf{}, false
}
