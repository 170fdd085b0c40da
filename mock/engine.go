package mock

// Engine answers the analytics queries (sessions, slicer, objectives,
// ExitPoll answers, raw data) over read-only views of a store's world.
type Engine struct{ st *Store }

// NewEngine returns the query engine reading st.
func NewEngine(st *Store) *Engine { return &Engine{st: st} }
