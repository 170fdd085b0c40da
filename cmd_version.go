package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// readBuildInfo is debug.ReadBuildInfo; tests replace it.
var readBuildInfo = debug.ReadBuildInfo

// runVersion is "c3dmock version" (and "c3dmock --version").
func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stdout, stderr)
	if err := parseFlags(fs, args, func(string) string { return "" }, false); err != nil {
		return err
	}
	bi, ok := readBuildInfo()
	_, err := io.WriteString(stdout, versionText(bi, ok))
	return err
}

// buildVersion is what the binary knows about its build: the main
// module's path and version, and the VCS stamp "go build" records from a
// checkout (go run and go test record none).
type buildVersion struct {
	module, version       string
	revision, vcsTime     string
	modified, stamped     bool
	goVersion, goos, arch string
}

func readVersion(bi *debug.BuildInfo, ok bool) buildVersion {
	v := buildVersion{module: "github.com/c3dmock/c3dmock", version: "(devel)", goVersion: runtime.Version(),
		goos: runtime.GOOS, arch: runtime.GOARCH}
	if !ok || bi == nil {
		return v
	}
	if bi.Main.Path != "" {
		v.module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		v.version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		v.goVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.revision, v.stamped = s.Value, true
		case "vcs.time":
			v.vcsTime = s.Value
		case "vcs.modified":
			v.modified = s.Value == "true"
		case "GOOS":
			v.goos = s.Value
		case "GOARCH":
			v.arch = s.Value
		}
	}
	return v
}

// short is the one-line version of the banner: "v1.2.0" or
// "(devel) rev 103932a1b2c3+modified".
func (v buildVersion) short() string {
	s := v.version
	if v.stamped && !strings.Contains(v.version, shortRev(v.revision)) {
		s += " rev " + shortRev(v.revision)
		if v.modified {
			s += "+modified"
		}
	}
	return s
}

func shortRev(r string) string { return r[:min(len(r), 12)] }

func versionText(bi *debug.BuildInfo, ok bool) string {
	v := readVersion(bi, ok)
	var b strings.Builder
	fmt.Fprintf(&b, "c3dmock %s\n", v.version)
	fmt.Fprintf(&b, "module:    %s %s\n", v.module, v.version)
	switch {
	case !v.stamped:
		fmt.Fprintf(&b, "revision:  unknown (no VCS stamp: build with go build or go install in a git checkout)\n")
	case v.modified:
		fmt.Fprintf(&b, "revision:  %s (with uncommitted changes)\n", v.revision)
	default:
		fmt.Fprintf(&b, "revision:  %s\n", v.revision)
	}
	if v.vcsTime != "" {
		fmt.Fprintf(&b, "time:      %s\n", v.vcsTime)
	}
	fmt.Fprintf(&b, "go:        %s %s/%s\n", v.goVersion, v.goos, v.arch)
	return b.String()
}
