package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/c3dmock/c3dmock/spec"
)

// Writes of generated checks follow three rules, so --allow-writes never
// destroys or keeps anything the run did not make:
//   - an operation on one member of a collection (…/widgets/{widgetId}) first
//     creates that member with the collection's POST and deletes it when the
//     check ends, pass or fail; a DELETE without such a POST is skipped;
//   - a PUT or PATCH on anything else (settings, the project) reads the
//     resource first and puts back the fields it changed when the check ends;
//   - a create whose collection has a DELETE registers that delete.

// lastParam splits "/a/{b}/c/{d}" into "/a/{b}/c" and "d".
func lastParam(path string) (string, string, bool) {
	i := strings.LastIndex(path, "/")
	seg := path[i+1:]
	if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") {
		return "", "", false
	}
	return path[:i], seg[1 : len(seg)-1], true
}

// opAt finds the operation with method at the spec path.
func (g *genOp) opAt(method, path string) (spec.Operation, bool) {
	item := g.doc.Paths.Value(path)
	if item == nil || item.GetOperation(method) == nil {
		return spec.Operation{}, false
	}
	for _, o := range spec.Operations(g.doc) {
		if o.Path == path && o.Method == method {
			return o, true
		}
	}
	return spec.Operation{}, false
}

// memberDelete finds DELETE collection/{param} for a create at collection.
func (g *genOp) memberDelete(collection string) (spec.Operation, string, bool) {
	for p := range g.doc.Paths.Map() {
		parent, param, ok := lastParam(p)
		if ok && parent == collection {
			if o, ok := g.opAt(http.MethodDelete, p); ok {
				return o, param, true
			}
		}
	}
	return spec.Operation{}, "", false
}

func (g *genOp) prepareWrite(ctx context.Context, s *Session, auth string) (map[string]string, error) {
	op := g.op
	if !op.Write() || op.Dead {
		return nil, nil
	}
	if collection, param, ok := lastParam(op.Path); ok {
		_, _, crud := g.memberDelete(collection)
		if create, ok := g.opAt(http.MethodPost, collection); ok && create.Write() && crud {
			id, err := g.createMember(ctx, s, auth, create, param)
			if err != nil {
				return nil, err
			}
			return map[string]string{param: id}, nil
		}
		if op.Method == http.MethodDelete {
			return nil, Skipf("would delete a resource this run did not create (the spec has no POST %s to create one)", collection)
		}
	}
	if op.Method == http.MethodPut || op.Method == http.MethodPatch {
		if get, ok := g.opAt(http.MethodGet, op.Path); ok {
			return nil, g.snapshot(ctx, s, auth, get)
		}
	}
	return nil, nil
}

// createMember creates a member with create (examples, unique name) and
// registers its deletion; it returns the member's id.
func (g *genOp) createMember(ctx context.Context, s *Session, auth string, create spec.Operation, param string) (string, error) {
	cg := &genOp{doc: g.doc, host: g.host, op: create}
	if a, err := cg.credential(s); err == nil && a != "" {
		auth = a // the create may need more than the read (an administrator)
	}
	r, err := cg.build(ctx, s, nil)
	if err != nil {
		return "", fmt.Errorf("create a %s to act on: %w", param, err)
	}
	uniqueNames(s, r.body)
	r.auth = auth
	res, err := cg.send(ctx, s, r)
	if err := want(res, err, successes(create.Op)...); err != nil {
		return "", fmt.Errorf("create a %s to act on (%s): %w", param, create.ID, err)
	}
	id := createdID(res, param)
	if id == "" {
		return "", fmt.Errorf("%s answered no %s or id to act on: %s", create.ID, param, snippet(res.Body))
	}
	cg.registerDelete(s, auth, strings.TrimSuffix(pathOnly(r.path), "/"), id)
	return id, nil
}

// createdID reads the new member's id from a create's answer.
func createdID(res *Response, param string) string {
	m, err := res.Object()
	if err != nil {
		return ""
	}
	for _, k := range []string{param, "id"} {
		switch v := m[k].(type) {
		case json.Number:
			return v.String()
		case string:
			return v
		}
	}
	return ""
}

// registerDelete deletes collectionPath/id when the check ends; 404 (the
// check deleted it itself) is fine.
func (g *genOp) registerDelete(s *Session, auth, collectionPath, id string) {
	if _, _, ok := g.memberDelete(g.op.Path); !ok {
		return
	}
	s.Cleanup(func(ctx context.Context) error {
		c := &Client{s: s, auth: auth, data: g.host == HostData}
		res, err := c.Delete(ctx, collectionPath+"/"+id)
		return want(res, err, http.StatusOK, http.StatusNoContent, http.StatusNotFound)
	})
}

// cleanupCreated registers the deletion of what a successful create made.
func (g *genOp) cleanupCreated(s *Session, auth string, r genRequest, res *Response) {
	if !g.op.Write() || g.op.Method != http.MethodPost || res == nil || res.Status >= 300 {
		return
	}
	if _, param, ok := g.memberDelete(g.op.Path); ok {
		if id := createdID(res, param); id != "" {
			g.registerDelete(s, auth, pathOnly(r.path), id)
		}
	}
}

// snapshot reads the resource an update will change and registers putting
// back the fields the update's example body names.
func (g *genOp) snapshot(ctx context.Context, s *Session, auth string, get spec.Operation) error {
	gg := &genOp{doc: g.doc, host: g.host, op: get}
	r, err := gg.build(ctx, s, nil)
	if err != nil {
		return err
	}
	r.auth = auth
	res, err := gg.send(ctx, s, r)
	if err := want(res, err, http.StatusOK); err != nil {
		return fmt.Errorf("read before update, to restore it after: %w", err)
	}
	before, err := res.Object()
	if err != nil {
		return err
	}
	upd, err := g.build(ctx, s, nil)
	if err != nil {
		return err
	}
	changed, _ := upd.body.(map[string]any)
	restore := map[string]any{}
	for k := range changed {
		if v, ok := before[k]; ok {
			restore[k] = v
		}
	}
	if len(restore) == 0 {
		return nil
	}
	upd.body, upd.auth = restore, auth
	s.Cleanup(func(ctx context.Context) error {
		res, err := g.send(ctx, s, upd)
		if err := want(res, err, successes(g.op.Op)...); err != nil {
			return fmt.Errorf("restore %s: %w", g.op.ID, err)
		}
		return nil
	})
	return nil
}

// uniqueNames gives a created resource a name no other run used.
func uniqueNames(s *Session, body any) {
	m, ok := body.(map[string]any)
	if !ok {
		return
	}
	for _, k := range []string{"name", "title"} {
		if v, ok := m[k].(string); ok && v != "" {
			m[k] = s.Unique(strings.ReplaceAll(strings.ToLower(v), " ", "-"))
		}
	}
}
