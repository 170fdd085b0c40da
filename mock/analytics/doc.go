// Package analytics is the query engine behind the public API's analytics
// routes: session queries and their filter language (query*.go), the slicer
// (slicer*.go), objective results, ExitPoll answer aggregation and raw session
// data. It reads the world only through a store.View, so it can be tested
// without HTTP and never holds the store's lock itself.
package analytics
