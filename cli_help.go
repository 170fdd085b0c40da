package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// command is one c3dmock command as help shows it.
type command struct {
	name, args string // "serve", "[flags]"
	summary    string // one line
	example    string // one command line a user can paste
}

// commands is the command list of "c3dmock --help", in order.
var commands = []command{
	{"serve", "[flags]", "serve the fake public API and Data Collector (the default command)",
		"c3dmock serve --sessions 20000 --now 2026-01-01T00:00:00Z"},
	{"spec", "[flags]", "print the embedded OpenAPI documents (--doc public, datacollector or control; --portable: in the form third-party tools load), or --list their operations",
		"c3dmock spec --doc datacollector --list"},
	{"contract", "[flags] [DIR...]", "run the contract checks against a deployment (--base-url; key from C3DMOCK_API_KEY)",
		"C3DMOCK_API_KEY=orgkey-demo-readwrite c3dmock contract --base-url http://127.0.0.1:8080"},
	{"proxy", "[flags]", "forward a client's traffic to --upstream and validate every exchange against the spec",
		"c3dmock proxy --upstream https://api.cognitive3d.com --report junit=proxy.xml"},
	{"version", "", "print the module version, VCS revision and time, and Go version (also --version)",
		"c3dmock version"},
	{"help", "[command]", "show this help, or a command's flags (also -h, --help)",
		"c3dmock help serve"},
}

func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// writeUsage prints the command list.
func writeUsage(w io.Writer) {
	fmt.Fprint(w, "c3dmock: a stateful mock and contract tester for the Cognitive3D APIs\n\nUsage:\n")
	for _, c := range commands {
		name := c.name
		if name == "serve" {
			name = "[serve]"
		}
		fmt.Fprintf(w, "  %-32s %s\n", strings.TrimSpace("c3dmock "+name+" "+c.args), c.summary)
	}
	fmt.Fprint(w, `
Run "c3dmock <command> --help" for the flags of a command. Every flag can also be
set through the environment as C3DMOCK_<FLAG> (upper case, dashes as underscores);
a flag on the command line wins over the environment.
`)
}

// newFlagSet is the flag set of command name: parse errors are returned
// (run prints them on stderr), and --help / -h print the command's help on
// stdout.
func newFlagSet(name string, stdout, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { writeCommandHelp(stdout, name, fs) }
	return fs
}

// writeCommandHelp prints a command's one-line description, usage, flags
// and an example.
func writeCommandHelp(w io.Writer, name string, fs *pflag.FlagSet) {
	c, _ := findCommand(name)
	fmt.Fprintf(w, "c3dmock %s: %s\n\nUsage:\n  %s\n", c.name, c.summary, strings.TrimSpace("c3dmock "+c.name+" "+c.args))
	if fs != nil && fs.HasFlags() {
		// pflag marks every boolean "[=true|false]"; "--tls" alone says it.
		usages := strings.ReplaceAll(fs.FlagUsages(), "[=true|false]", "             ")
		fmt.Fprintf(w, "\nFlags (also as C3DMOCK_<FLAG> in the environment; the command line wins):\n%s", usages)
	}
	fmt.Fprintf(w, "\nExample:\n  %s\n", c.example)
}
