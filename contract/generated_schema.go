package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// violation is one way to break one constrained field of a request body.
type violation struct {
	field, rule string
	sent        any  // the value sent (ignored when remove)
	remove      bool // leave the field out
}

func (v violation) String() string {
	if v.remove {
		return fmt.Sprintf("/%s (%s): left out", v.field, v.rule)
	}
	b, _ := json.Marshal(v.sent)
	return fmt.Sprintf("/%s (%s): sent %s", v.field, v.rule, clip(string(b), 40))
}

// constrainedFields lists one violation per top-level body field the schema
// constrains (required, enum, minimum, maximum, minLength, maxLength, pattern).
func constrainedFields(media *openapi3.MediaType) []violation {
	if media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	s := media.Schema.Value
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []violation
	for _, n := range names {
		ref := s.Properties[n]
		if ref == nil || ref.Value == nil {
			continue
		}
		p := ref.Value
		required := false
		for _, r := range s.Required {
			required = required || r == n
		}
		switch {
		case required:
			out = append(out, violation{field: n, rule: "required", remove: true})
		case len(p.Enum) > 0:
			var bad any = "c3dmock-not-in-enum"
			if p.Type != nil && !p.Type.Is("string") {
				bad = 987654321
			}
			out = append(out, violation{field: n, rule: fmt.Sprintf("enum %s", preview(p.Enum)), sent: bad})
		case p.Min != nil:
			out = append(out, violation{field: n, rule: fmt.Sprintf("minimum %g", *p.Min), sent: *p.Min - 1})
		case p.Max != nil:
			out = append(out, violation{field: n, rule: fmt.Sprintf("maximum %g", *p.Max), sent: *p.Max + 1})
		case p.MinLength > 0:
			out = append(out, violation{field: n, rule: fmt.Sprintf("minLength %d", p.MinLength), sent: ""})
		case p.MaxLength != nil:
			out = append(out, violation{field: n, rule: fmt.Sprintf("maxLength %d", *p.MaxLength), sent: strings.Repeat("x", int(*p.MaxLength)+1)})
		case p.Pattern != "":
			out = append(out, violation{field: n, rule: "pattern " + p.Pattern, sent: "!!c3dmock!!"})
		}
	}
	return out
}

func (g *genOp) schema(ctx context.Context, s *Session) error {
	auth, err := g.credential(s)
	if err != nil {
		return err
	}
	media := g.op.Op.RequestBody.Value.Content.Get("application/json")
	overrides, err := g.prepareWrite(ctx, s, auth)
	if err != nil {
		return err
	}
	base, err := g.build(ctx, s, overrides)
	if err != nil {
		return err
	}
	if _, ok := base.body.(map[string]any); !ok {
		return Skipf("the spec's example body is not a JSON object")
	}
	var errs []string
	for _, v := range constrainedFields(media) {
		r := base
		body, _ := deepCopy(base.body)
		m := body.(map[string]any)
		if v.remove {
			delete(m, v.field)
		} else {
			m[v.field] = v.sent
		}
		r.body, r.auth = m, auth
		res, err := g.send(ctx, s, r)
		if err != nil {
			return err
		}
		if res.Status != http.StatusBadRequest {
			errs = append(errs, fmt.Sprintf("%s: got %d, want 400", v, res.Status))
			g.cleanupCreated(s, auth, r, res)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s accepted an invalid body: %s", g.op.ID, strings.Join(errs, "; "))
	}
	return nil
}

// semantics checks what the spec cannot say about a positive answer: a list
// asked for in an order comes in that order.
func (g *genOp) semantics(_ context.Context, _ *Session, r genRequest, res *Response) error {
	req, ok := r.body.(map[string]any)
	if !ok {
		return nil
	}
	dir, _ := req["sort"].(string)
	dir = strings.ToLower(dir)
	field := ""
	switch ob := req["orderBy"].(type) {
	case string:
		field = ob
	case map[string]any:
		field, _ = ob["fieldName"].(string)
	}
	if (dir != "asc" && dir != "desc") || field == "" {
		return nil
	}
	v, err := res.JSON()
	if err != nil {
		return nil
	}
	rows, _ := v.([]any)
	if m, ok := v.(map[string]any); ok {
		rows, _ = m["results"].([]any)
	}
	for i := 0; i+1 < len(rows); i++ {
		a, b := sortKey(rows[i], field), sortKey(rows[i+1], field)
		if a == nil || b == nil {
			continue
		}
		c := compareKeys(a, b)
		if (dir == "desc" && c < 0) || (dir == "asc" && c > 0) {
			return fmt.Errorf("%s: asked for sort %s by %s, but row %d has %s %s and row %d has %s %s",
				g.op.ID, dir, field, i, field, preview(a), i+1, field, preview(b))
		}
	}
	return nil
}

func sortKey(row any, field string) any {
	m, ok := row.(map[string]any)
	if !ok {
		return nil
	}
	return m[field]
}

// compareKeys compares two JSON numbers or strings; other kinds compare equal.
func compareKeys(a, b any) int {
	if x, ok := a.(json.Number); ok {
		if y, ok := b.(json.Number); ok {
			fx, _ := x.Float64()
			fy, _ := y.Float64()
			switch {
			case fx < fy:
				return -1
			case fx > fy:
				return 1
			}
			return 0
		}
	}
	x, ok1 := a.(string)
	y, ok2 := b.(string)
	if ok1 && ok2 {
		return strings.Compare(x, y)
	}
	return 0
}
