package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

func runSpec(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("spec", stdout, stderr)
	which := fs.String("doc", "public", "which document: public (api.cognitive3d.com), datacollector (data.cognitive3d.com) or control (c3dmock's own /__c3dmock endpoints)")
	asJSON := fs.Bool("json", false, "print the document as JSON instead of YAML")
	list := fs.Bool("list", false, "list operations: method, path, operationId, scope, access, provenance, implemented, credentials, target locations")
	postman := fs.String("postman", "", "compare a Postman v2.1 collection FILE with the spec")
	portable := fs.Bool("portable", false, "print the portable form Portman, Dredd and Specmatic load: recursive Filter unrolled to 4 levels, no cookie security scheme (with --json, --list too)")
	if err := parseFlags(fs, args, getenv, false); err != nil {
		return err
	}
	name, impl := spec.Public, mock.ImplementedOperations
	switch *which {
	case "public":
	case "datacollector":
		name, impl = spec.DataCollector, mock.DataImplementedOperations
	case "control":
		name, impl = spec.Control, mock.ControlOperations
	default:
		return usageError{fmt.Errorf("--doc must be public, datacollector or control, not %q", *which)}
	}
	if *postman != "" {
		if *portable {
			return usageError{fmt.Errorf("--portable applies to the printed document, not to --postman")}
		}
		return runPostman(ctx, *postman, stdout)
	}
	raw, load := spec.Raw, spec.Load
	if *portable {
		raw, load = spec.Portable, spec.LoadPortable
	}
	if !*list && !*asJSON {
		b, err := raw(name)
		if err != nil {
			return err
		}
		_, err = stdout.Write(b)
		return err
	}
	doc, err := load(ctx, name)
	if err != nil {
		return err
	}
	if *list {
		return listOperations(stdout, doc, impl())
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", b)
	return err
}

// listOperations prints one line per operation of doc.
func listOperations(stdout io.Writer, doc *openapi3.T, impl map[string]bool) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tOPERATION\tSCOPE\tACCESS\tPROVENANCE\tIMPLEMENTED\tCREDENTIALS\tTARGETS")
	for _, op := range spec.Operations(doc) {
		state := "no (501)"
		switch {
		case op.Dead:
			state = "dead (404)"
		case impl[op.ID]:
			state = "yes"
		}
		targets := make([]string, 0, len(op.Targets))
		for _, l := range op.Targets {
			targets = append(targets, l.String())
		}
		creds := strings.Join(op.Credentials, ",")
		if creds == "" {
			creds = "-"
		}
		where := strings.Join(targets, ", ")
		if where == "" {
			where = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", op.Method, op.Path, op.ID, op.Scope, op.Access, op.Provenance, state, creds, where)
	}
	return tw.Flush()
}
