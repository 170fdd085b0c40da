package analytics

import (
	"github.com/c3dmock/c3dmock/mock/store"
)

// Engine answers the analytics queries (sessions, slicer, objectives,
// ExitPoll answers, raw data) over read-only views of a store's world.
type Engine struct{ st *store.Store }

// NewEngine returns the query engine reading st.
func NewEngine(st *store.Store) *Engine { return &Engine{st: st} }
