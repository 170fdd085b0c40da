// Package store owns the fake world's state: organizations, projects, scenes,
// sessions, keys, uploads and everything written at run time, behind one lock
// that no other package can take. Every read and write is a Store method;
// the query engine reads through a View (view.go) the store hands out and
// takes back.
//
// A world is built once per process for its options (seed, now, sessions)
// and every Store is a fork of that build (fork.go): forks share the
// immutable generated data and never see each other's writes.
package store
