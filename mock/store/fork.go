package store

import (
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Generating a world's sessions (fixtures.Build) is the slow part of a world;
// it happens once per process for each (seed, now, sessions). Every world, a
// new Store's and each Reset's, is a fork of that build: fresh maps and state
// over a deep copy of the catalogue, and a copy of the session slice whose
// sessions share their event, visit, tag and answer arrays with the build.
// Those arrays are never written in place (every write builds a new slice:
// copy-on-write), so forks never see each other's writes; TestForksIsolated
// pins it with concurrent writers.

type buildKey struct {
	seed     uint64
	now      int64
	sessions int
	world    [32]byte // the world file's content hash; zero without one
}

var builds sync.Map // buildKey → func() (fixtures.World, error)

// sharedBuild returns the process's build for opts, building it on first use.
// Its sessions are sorted by Start; callers must not modify it.
func sharedBuild(opts fixtures.Options) (fixtures.World, error) {
	key := buildKey{seed: opts.Seed, now: opts.Now.UnixNano(), sessions: opts.Sessions}
	if opts.World != nil {
		key.world = opts.World.Hash()
	}
	once, _ := builds.LoadOrStore(key, sync.OnceValues(func() (fixtures.World, error) {
		b, err := fixtures.Build(opts)
		if err != nil {
			return b, err
		}
		sort.SliceStable(b.Sessions, func(i, j int) bool { return b.Sessions[i].Start < b.Sessions[j].Start })
		return b, nil
	}))
	return once.(func() (fixtures.World, error))()
}

// Prebuild generates the process's build for opts ahead of the first
// NewStore that needs it (see mock.Prepare).
func Prebuild(opts fixtures.Options) { _, _ = sharedBuild(opts) }

// forkWorld makes an independent world from a shared build.
func forkWorld(b fixtures.World, now time.Time) *world {
	b.Seed = deepCopy(b.Seed)
	b.Sessions = append([]fixtures.Session(nil), b.Sessions...)
	return newWorld(b, now)
}

// deepCopy copies v and every map, slice and pointer reachable through
// exported fields, so the copy shares no mutable memory with v. Unexported
// fields are copied by value (the fixtures catalogue has only exported data).
func deepCopy[T any](v T) T {
	var out T
	copyValue(reflect.ValueOf(&out).Elem(), reflect.ValueOf(v))
	return out
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			copyValue(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			v := reflect.New(src.Type().Elem()).Elem()
			copyValue(v, it.Value())
			m.SetMapIndex(it.Key(), v)
		}
		dst.Set(m)
	case reflect.Struct:
		dst.Set(src) // unexported fields by value
		for i := 0; i < src.NumField(); i++ {
			if src.Type().Field(i).IsExported() {
				copyValue(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		copyValue(v, src.Elem())
		dst.Set(v)
	default:
		dst.Set(src)
	}
}
