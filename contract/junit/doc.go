// Package junit writes JUnit XML reports, as CI systems read them: c3dmock
// contract, c3dmock proxy and the mock's client conformance report
// (serve --report junit=FILE) share these types.
package junit
