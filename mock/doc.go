// Package mock is a stateful fake of the Cognitive3D public API (api.*) and
// Data Collector (data.*), each driven by its OpenAPI document in package spec.
// The two hosts share one pipeline and one Store; a request's Host header
// (data.* or api.*) picks its API on either listener, so one TLS front serves both.
//
// Every vendor request runs through one pipeline (pipeline.go, pinned by
// pipeline_test.go):
//
//	http.Server → logRequests → recoverPanic → ServeMux
//	  /__c3dmock/healthz, /__c3dmock/reset   control endpoints, not in the spec; writes need
//	                                         C3dmock-Control: 1, preflights are refused (control.go)
//	  /                                       serveAPI:
//	    1 find      spec router                         404 / 405 (body names the nearest operation)
//	    2 authn     Authorization or c3d_session_v5      401 (also a key kind the operation does not take);
//	                                                     cookie write without c3d-csrf 403
//	    3 access    write by read-only key or observer   403
//	    4 media     Content-Type vs the operation        415; body over the limit 413
//	    5 validate  kin-openapi request validation       400 naming field, rule, expected
//	    6 authz     target from path/query/body          404 unknown, 403 outside scope or below x-c3d-role
//	    7 handler   dead vendor route 404, unbuilt 501, else the operation
//	  any error → writeError (errors.go), the only place errors are rendered.
//
// Scope decisions: another tenant's resource is refused with 403 (not hidden
// as 404); IDs that exist nowhere are 404. Keys map onto the grants users hold:
// an organization key acts as an organization member (read-only keys as an
// observer), a domain key as a domain admin.
//
// The package is the HTTP side only. Its rooms, each a package that depends
// only on the ones listed before it:
//
//	mock/apierr     the error model (Code, Error) every room returns; errors.go here renders it
//	mock/access     who may do what where: Principal, Target, the role rules
//	mock/store      the world's state behind its one lock, every read and write a method;
//	                nothing outside it can take the lock. Seeded from package fixtures,
//	                each world a fork of one build per process (store/fork.go).
//	mock/analytics  the query engine: session queries, slicer, objectives, ExitPoll
//	                answers, raw data, over a read-only store.View; testable without HTTP
//	mock            server, pipeline, auth, errors, routes, handlers
//
// /__c3dmock/reset replaces the world with a fresh fork of the same build.
package mock
