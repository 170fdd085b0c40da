package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/spf13/pflag"

	"github.com/c3dmock/c3dmock/mock"
	"github.com/c3dmock/c3dmock/spec"
)

func runSpec(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := pflag.NewFlagSet("spec", pflag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the document as JSON instead of YAML")
	list := fs.Bool("list", false, "list operations: method, path, operationId, scope, access, provenance, implemented")
	postman := fs.String("postman", "", "compare a Postman v2.1 collection FILE with the spec")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if *postman != "" {
		return runPostman(ctx, *postman, stdout)
	}
	if *list {
		doc, err := spec.Load(ctx, spec.Public)
		if err != nil {
			return err
		}
		return listOperations(stdout, doc)
	}
	if *asJSON {
		doc, err := spec.Load(ctx, spec.Public)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	raw, err := spec.Raw(spec.Public)
	if err != nil {
		return err
	}
	_, err = stdout.Write(raw)
	return err
}

// listOperations prints one line per operation of doc.
func listOperations(stdout io.Writer, doc *openapi3.T) error {
	impl := mock.ImplementedOperations()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tOPERATION\tSCOPE\tACCESS\tPROVENANCE\tIMPLEMENTED")
	for _, op := range spec.Operations(doc) {
		state := "no (501)"
		switch {
		case op.Dead:
			state = "dead (404)"
		case impl[op.ID]:
			state = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", op.Method, op.Path, op.ID, op.Scope, op.Access, op.Provenance, state)
	}
	return tw.Flush()
}
