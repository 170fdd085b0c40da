// Command c3dmock is a stateful mock and contract tester for the Cognitive3D APIs.
//
//	c3dmock [serve] [flags]     serve the fake APIs (the default command)
//	c3dmock spec [flags]        print the embedded OpenAPI documents or list their operations
//	c3dmock contract [flags]    replay the contract checks against a deployment
//	c3dmock version             print the version, VCS revision and Go version
//	c3dmock proxy [flags]       validate live traffic to a deployment against the spec
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal starts a graceful shutdown; the handler is then
	// released, so a second one stops the process at once.
	context.AfterFunc(ctx, stop)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, pflag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "c3dmock:", err)
	}
	os.Exit(exitCode(err))
}

// Exit codes (also those of c3dmock contract).
const (
	exitOK          = 0
	exitFailed      = 1 // a contract check failed
	exitUsage       = 2 // bad flags or arguments
	exitUnreachable = 3 // could not run: target unreachable, port busy, broken spec
)

// usageError marks errors caused by the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// errChecksFailed is returned when a contract run had failing checks.
var errChecksFailed = errors.New("contract checks failed")

func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, pflag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, errChecksFailed):
		return exitFailed
	}
	return exitUnreachable
}

// run is the whole program: main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case a == "-h" || a == "--help":
			cmd, args = "help", args[1:]
		case a == "--version":
			cmd, args = "version", args[1:]
		case !strings.HasPrefix(a, "-"):
			cmd, args = a, args[1:]
		}
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "spec":
		return runSpec(ctx, args, getenv, stdout, stderr)
	case "contract":
		return runContract(ctx, args, getenv, stdout, stderr)
	case "version":
		return runVersion(args, stdout, stderr)
	case "proxy":
		return runProxy(ctx, args, getenv, stdout, stderr)
	case "help":
		if len(args) > 0 && args[0] != "help" {
			if _, ok := findCommand(args[0]); ok {
				return run(ctx, []string{args[0], "--help"}, getenv, stdout, stderr)
			}
			writeUsage(stderr)
			return usageError{fmt.Errorf("unknown command %q", args[0])}
		}
		writeUsage(stdout)
		return nil
	}
	writeUsage(stderr)
	return usageError{fmt.Errorf("unknown command %q", cmd)}
}

// parseFlags parses args, then fills every flag not given on the command line
// from C3DMOCK_<FLAG> in the environment (flag > env > default). Positional
// arguments are refused unless takesArgs.
func parseFlags(fs *pflag.FlagSet, args []string, getenv func(string) string, takesArgs bool) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return usageError{fmt.Errorf("%w (\"c3dmock %s --help\" lists the flags)", err, fs.Name())}
	}
	var envErr error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || envErr != nil {
			return
		}
		name := "C3DMOCK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = usageError{fmt.Errorf("%s: %w", name, err)}
			}
		}
	})
	if envErr == nil && !takesArgs && fs.NArg() > 0 {
		envErr = usageError{fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	return envErr
}
