package store

import (
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// rows holds one kind of resource owned by a parent (a project, or an
// organization for LMS configurations), by ID: widgets, dashboards, remote
// variables and configurations, A/B tests, media and LMS configurations.
// It does what every such resource shares: list, get, the create-or-replace
// frame, delete and the unique-name rule. What is a resource's own (409
// when in use, one default dashboard, a variable's type) lives in its hooks
// and in its Store methods. Callers hold the store's lock.
type rows[T any] struct {
	noun   string // "widget", in messages
	parent string // "project" or "organization"
	m      map[int64]T
	ids    func(T) (id, parent int64)
	with   func(v T, id, parent int64) T // v with its IDs set
	clone  func(T) T                     // nil: T copies by value

	// Optional rules.
	name        func(T) string // unique per parent, case-insensitively (409)
	nameField   string         // where the name is in a request, for the 409
	notFound    func(parent, id int64, field string) *apierr.Error
	ensure      func(w *world, parent int64) // makes rows a reader expects (the default dashboard)
	canDelete   func(w *world, v T) error    // 409 when in use
	afterDelete func(w *world, v T)          // drops what hangs off v
	counts      func(x T) bool               // nil: every row counts for the name rule
}

func newRows[T any](noun, parent string, ids func(T) (int64, int64), with func(T, int64, int64) T) *rows[T] {
	return &rows[T]{noun: noun, parent: parent, m: map[int64]T{}, ids: ids, with: with}
}

func (t *rows[T]) copyOf(v T) T {
	if t.clone == nil {
		return v
	}
	return t.clone(v)
}

// list is a parent's rows by ID, copied.
func (t *rows[T]) list(parent int64) []T {
	out := byProject(t.m, parent, t.ids)
	if t.clone != nil {
		for i := range out {
			out[i] = t.clone(out[i])
		}
	}
	return out
}

// byProject lists the values of m that belong to parent, by ID.
func byProject[T any](m map[int64]T, parent int64, of func(T) (id, pid int64)) []T {
	out := []T{}
	for _, v := range m {
		if _, pid := of(v); pid == parent {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { a, _ := of(out[i]); b, _ := of(out[j]); return a < b })
	return out
}

// get is row id of parent, copied; 404 when parent has no such row.
// field names where a request gave the id ("" for the path).
func (t *rows[T]) get(parent, id int64, field string) (T, error) {
	v, ok := t.m[id]
	if _, p := t.ids(v); !ok || p != parent {
		if t.notFound != nil {
			return v, t.notFound(parent, id, field)
		}
		return v, apierr.Errorf(apierr.CodeNotFound, "%s %d not found in %s %d", t.noun, id, t.parent, parent)
	}
	return t.copyOf(v), nil
}

// checkName refuses v when another row of parent has its name (409).
func (t *rows[T]) checkName(parent, id int64, v T) error {
	if t.name == nil {
		return nil
	}
	for _, x := range t.m {
		xid, p := t.ids(x)
		if p == parent && xid != id && strings.EqualFold(t.name(x), t.name(v)) && (t.counts == nil || t.counts(x)) {
			return &apierr.Error{Code: apierr.CodeConflict, Message: t.noun + " " + t.name(x) + " already exists in " + t.parent + " " + strconv.FormatInt(parent, 10), Field: t.nameField, Rule: "unique"}
		}
	}
	return nil
}

// put creates (id 0, with a new ID) or replaces row id of parent (404 when
// there is none). prepare sees the row replaced (nil on create) and may
// change v or refuse; then the name rule runs and v is stored.
func (t *rows[T]) put(w *world, parent, id int64, v T, prepare func(old *T, v *T) error) (T, error) {
	var old *T
	if id != 0 {
		o, err := t.get(parent, id, "")
		if err != nil {
			return v, err
		}
		old = &o
	}
	if prepare != nil {
		if err := prepare(old, &v); err != nil {
			return v, err
		}
	}
	if err := t.checkName(parent, id, v); err != nil {
		return v, err
	}
	if id == 0 {
		id = w.newID()
	}
	v = t.with(v, id, parent)
	t.m[id] = t.copyOf(v)
	return t.copyOf(v), nil
}

// remove deletes row id of parent: 404 when there is none, 409 when
// canDelete refuses.
func (t *rows[T]) remove(w *world, parent, id int64) error {
	v, err := t.get(parent, id, "")
	if err != nil {
		return err
	}
	if t.canDelete != nil {
		if err := t.canDelete(w, v); err != nil {
			return err
		}
	}
	t.drop(w, id, v)
	return nil
}

func (t *rows[T]) drop(w *world, id int64, v T) {
	delete(t.m, id)
	if t.afterDelete != nil {
		t.afterDelete(w, v)
	}
}

// removeParent drops every row of a deleted parent.
func (t *rows[T]) removeParent(w *world, parent int64) {
	for id, v := range t.m {
		if _, p := t.ids(v); p == parent {
			t.drop(w, id, v)
		}
	}
}

// Table is the shared read and delete surface of one kind of resource
// (rows). Its methods take the store's lock; writes with rules of their own
// are Store methods of each resource.
type Table[T any] struct {
	st   *Store
	rows func(*world) *rows[T]
	lazy bool // reads may add rows (rows.ensure), so they take the write lock
}

// List is parent's rows by ID.
func (t Table[T]) List(parent int64) []T {
	r, done := t.read(parent)
	defer done()
	return r.list(parent)
}

// Get is row id of parent (404 when parent has none).
func (t Table[T]) Get(parent, id int64) (T, error) {
	r, done := t.read(parent)
	defer done()
	return r.get(parent, id, "")
}

func (t Table[T]) read(parent int64) (*rows[T], func()) {
	if !t.lazy {
		t.st.mu.RLock()
		return t.rows(t.st.w), t.st.mu.RUnlock
	}
	t.st.mu.Lock()
	r := t.rows(t.st.w)
	r.ensure(t.st.w, parent)
	return r, t.st.mu.Unlock
}

// Delete removes row id of parent (404 when there is none, 409 when the
// resource's own rule refuses).
func (t Table[T]) Delete(parent, id int64) error {
	t.st.mu.Lock()
	defer t.st.mu.Unlock()
	return t.rows(t.st.w).remove(t.st.w, parent, id)
}
