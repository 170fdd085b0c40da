// Package contract replays one catalogue of checks against any deployment of
// the Cognitive3D public API: the real service, a staging copy, or c3dmock.
//
// A Check is data (name, the operationIds it exercises, whether it writes)
// plus a function that drives a Session. The Session hands out Clients, one
// per credential role, and every response a Client receives is validated
// against the OpenAPI document in Target.Spec: the status must be documented,
// the Content-Type must be one the operation declares, and a JSON body must
// match its schema. Fields, statuses, enum values and formats the document
// does not describe are reported as drift rather than failure, because the
// vendor's real responses are known to carry more than any public source says.
//
// Running against mock and live:
//
//	c3dmock contract --base-url https://api.cognitive3d.com   (key from $C3DMOCK_API_KEY)
//	go test ./mock/                                          (mock/contract_test.go)
//
// Both run Checks(), so c3dmock must pass its own contract.
//
// Safety rules, because users point this at production:
//   - read-only by default: checks with Writes run only with Target.AllowWrites,
//     create uniquely named resources (Session.Unique) and register cleanups
//     that run in reverse order when the check ends, pass or fail;
//   - requests are sequential, spaced by Target.Rate, and capped by
//     Target.MaxRequests (cleanups may exceed the cap so nothing is left behind);
//   - keys are read from the environment by the command, never from flags, and
//     every secret is replaced by [REDACTED] in output, reports and recordings.
package contract
