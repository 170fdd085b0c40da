package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/c3dmock/c3dmock/contract"
	"github.com/c3dmock/c3dmock/spec"
)

// contractConfig is everything "c3dmock contract" takes from flags and environment.
// Keys never come from flag values: the flags name the environment variables.
type contractConfig struct {
	baseURL, dataURL                            string
	keyEnv, readOnlyEnv, legacyEnv              string
	domainEnv, dataKeyEnv, developerEnv         string
	project, foreignProject                     int64
	allowWrites, diff, list                     bool
	failOnDrift, noSpecChecks, showCov, showLat bool
	scene                                       string
	sceneVersion                                int
	rate                                        float64
	maxRequests                                 int
	timeout, maxLatency                         time.Duration
	maxResponseBytes                            int64
	reports                                     []string
	recordDir, checks                           string
}

func runContract(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c contractConfig
	fs := newFlagSet("contract", stdout, stderr)
	fs.StringVar(&c.baseURL, "base-url", "", "deployment to check, e.g. https://api.cognitive3d.com or http://127.0.0.1:8080")
	fs.StringVar(&c.keyEnv, "api-key-env", "C3DMOCK_API_KEY", "environment variable holding the API key (orgkey-… or APIKEY:…)")
	fs.StringVar(&c.readOnlyEnv, "read-only-key-env", "C3DMOCK_READONLY_KEY", "environment variable holding a read-only key (optional)")
	fs.StringVar(&c.legacyEnv, "legacy-key-env", "C3DMOCK_LEGACY_KEY", "environment variable holding the key in APIKEY:ORGANIZATION form (optional)")
	fs.StringVar(&c.dataURL, "data-url", "", "the Data Collector to check too, e.g. https://data.cognitive3d.com or http://127.0.0.1:8081 (default: its operations are skipped)")
	fs.StringVar(&c.domainEnv, "domain-key-env", "C3DMOCK_DOMAIN_KEY", "environment variable holding a domain key (APIKEY:DOMAIN …, optional): runs the admin and domain operations")
	fs.StringVar(&c.dataKeyEnv, "data-key-env", "C3DMOCK_DATA_KEY", "environment variable holding a Data Collector application key (APIKEY:DATA …, optional)")
	fs.StringVar(&c.developerEnv, "developer-key-env", "C3DMOCK_DEVELOPER_KEY", "environment variable holding a developer key (APIKEY:DEVELOPER …, optional)")
	fs.StringVar(&c.scene, "scene", "", "scene the Data Collector's ingest checks may write to (with --scene-version and --allow-writes)")
	fs.IntVar(&c.sceneVersion, "scene-version", 0, "version NUMBER of --scene the ingest checks write to")
	fs.DurationVar(&c.maxLatency, "max-latency", 0, "fail every operation whose p95 response time exceeds this, e.g. 1s (default: no limit)")
	fs.BoolVar(&c.failOnDrift, "fail-on-drift", false, "count DRIFT (what the spec does not describe) as a failure")
	fs.BoolVar(&c.noSpecChecks, "no-spec-checks", false, "run only the hand-written checks, not those generated from the spec for every operation")
	fs.BoolVar(&c.showCov, "coverage", false, "print the coverage table: per operation, positive / negative / why skipped")
	fs.BoolVar(&c.showLat, "latency", false, "print p50/p95/max response time per operation")
	fs.Int64Var(&c.project, "project", 0, "project to read (default: the first project of the key's organization)")
	fs.Int64Var(&c.foreignProject, "foreign-project", 0, "a project of another organization, which must be refused (optional)")
	fs.BoolVar(&c.allowWrites, "allow-writes", false, "run checks that create (and then delete) uniquely named resources")
	fs.Float64Var(&c.rate, "rate", 3, "requests per second (requests are always sequential)")
	fs.IntVar(&c.maxRequests, "max-requests", 500, "request budget; the run stops when it is spent")
	fs.DurationVar(&c.timeout, "timeout", 60*time.Second, "time limit per check")
	fs.Int64Var(&c.maxResponseBytes, "max-response-bytes", contract.DefaultMaxResponseBytes, "a response body larger than this fails its check at once (the rest is not read)")
	fs.StringArrayVar(&c.reports, "report", nil, "write a report: json=FILE or junit=FILE (repeatable)")
	fs.StringVar(&c.recordDir, "record", "", "save every exchange, secrets redacted, as JSON files in DIR")
	fs.BoolVar(&c.diff, "diff", false, "compare recordings (arguments: recording directories) with the spec instead of running checks")
	fs.StringVar(&c.checks, "checks", "", "run only checks whose name matches these comma-separated globs, e.g. 'auth/*,semantics/*'")
	fs.BoolVar(&c.list, "list", false, "list the checks and exit")
	if err := parseFlags(fs, args, getenv, true); err != nil {
		return err
	}
	if !c.diff && fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments: %s (only --diff takes recording directories)", strings.Join(fs.Args(), " "))}
	}
	public, err := spec.Load(ctx, spec.Public)
	if err != nil {
		return err
	}
	data, err := spec.Load(ctx, spec.DataCollector)
	if err != nil {
		return err
	}
	all := contract.Checks()
	if !c.noSpecChecks {
		all = append(all, contract.SpecChecks(public, contract.HostPublic)...)
		all = append(all, contract.SpecChecks(data, contract.HostData)...)
	}
	checks, err := contract.Filter(all, c.checks)
	if err != nil {
		return usageError{fmt.Errorf("--checks: %w", err)}
	}
	switch {
	case c.list:
		return listChecks(stdout, checks)
	case c.diff:
		return runDiff(fs.Args(), public, data, stdout)
	}
	t, err := c.target(getenv)
	if err != nil {
		return err
	}
	reports, err := parseReports(c.reports)
	if err != nil {
		return err
	}
	t.Spec = public
	if t.DataURL != "" {
		t.DataSpec = data
	}
	if err := contract.Probe(ctx, t.BaseURL, t.HTTP); err != nil {
		return fmt.Errorf("cannot reach %s: %w", t.BaseURL, err)
	}
	if t.DataURL != "" {
		if err := contract.Probe(ctx, t.DataURL, t.HTTP); err != nil {
			return fmt.Errorf("cannot reach %s: %w", t.DataURL, err)
		}
	}
	t.Out = stdout
	rep := contract.Run(ctx, t, checks)
	if c.showCov {
		fmt.Fprintln(stdout)
		if err := rep.WriteCoverage(stdout); err != nil {
			return err
		}
	}
	if c.showLat {
		fmt.Fprintln(stdout)
		if err := rep.WriteLatency(stdout); err != nil {
			return err
		}
	}
	for kind, file := range reports {
		if err := writeReport(rep, kind, file); err != nil {
			return err
		}
	}
	if !rep.OK() {
		return errChecksFailed
	}
	return nil
}

func (c contractConfig) target(getenv func(string) string) (contract.Target, error) {
	t := contract.Target{BaseURL: strings.TrimSuffix(c.baseURL, "/"), DataURL: strings.TrimSuffix(c.dataURL, "/"),
		ProjectID: c.project, ForeignProjectID: c.foreignProject,
		AllowWrites: c.allowWrites, Rate: c.rate, MaxRequests: c.maxRequests, Timeout: c.timeout, RecordDir: c.recordDir,
		MaxResponseBytes: c.maxResponseBytes,
		MaxLatency:       c.maxLatency, FailOnDrift: c.failOnDrift, IngestScene: c.scene, IngestVersion: c.sceneVersion,
		HTTP: &http.Client{Timeout: 30 * time.Second}}
	if t.BaseURL == "" {
		return t, usageError{errors.New("--base-url is required (or --list, or --diff DIR...)")}
	}
	if u, err := url.Parse(t.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return t, usageError{fmt.Errorf("--base-url %q is not an http(s) URL", c.baseURL)}
	}
	if t.DataURL != "" {
		if u, err := url.Parse(t.DataURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return t, usageError{fmt.Errorf("--data-url %q is not an http(s) URL", c.dataURL)}
		}
	}
	if c.rate < 0 || c.maxRequests < 0 || c.timeout < 0 || c.maxLatency < 0 || c.sceneVersion < 0 {
		return t, usageError{errors.New("--rate, --max-requests, --timeout, --max-latency and --scene-version must not be negative")}
	}
	if (c.scene == "") != (c.sceneVersion == 0) {
		return t, usageError{errors.New("--scene and --scene-version go together: ingest writes only to a scene version you name")}
	}
	if c.maxResponseBytes <= 0 {
		return t, usageError{errors.New("--max-response-bytes must be positive")}
	}
	t.APIKey = authValue(getenv(c.keyEnv), "orgkey-")
	if t.APIKey == "" {
		return t, usageError{fmt.Errorf("no API key: set the environment variable %s (keys are never taken from flags)", c.keyEnv)}
	}
	t.ReadOnlyKey = authValue(getenv(c.readOnlyEnv), "orgkey-")
	t.LegacyKey = authValue(getenv(c.legacyEnv), "APIKEY:ORGANIZATION ")
	t.DomainKey = authValue(getenv(c.domainEnv), "APIKEY:DOMAIN ")
	t.DataKey = authValue(getenv(c.dataKeyEnv), "APIKEY:DATA ")
	t.DeveloperKey = authValue(getenv(c.developerEnv), "APIKEY:DEVELOPER ")
	return t, nil
}

// authValue turns a key as users paste it into an Authorization value: a
// bare secret gets the given form's prefix, as the vendor's own scripts do.
func authValue(key, prefix string) string {
	key = strings.TrimSpace(key)
	if key == "" || strings.HasPrefix(key, "orgkey-") || strings.HasPrefix(key, "APIKEY:") {
		return key
	}
	return prefix + key
}

func parseReports(specs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range specs {
		kind, file, ok := strings.Cut(s, "=")
		if !ok || file == "" || (kind != "json" && kind != "junit") {
			return nil, usageError{fmt.Errorf("--report %q: want json=FILE or junit=FILE", s)}
		}
		out[kind] = file
	}
	return out, nil
}

// report is what contract and proxy write with --report KIND=FILE.
type report interface {
	WriteJUnit(io.Writer) error
	WriteJSON(io.Writer) error
}

// writeReport writes rep to file as kind: junit, else json.
func writeReport(rep report, kind, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if kind == "junit" {
		err = rep.WriteJUnit(f)
	} else {
		err = rep.WriteJSON(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func listChecks(w io.Writer, checks []contract.Check) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tOPERATIONS\tNEEDS\tDESCRIPTION")
	for _, c := range checks {
		needs := "-"
		switch {
		case c.Writes:
			needs = "--allow-writes"
		case c.NeedsReadOnlyKey:
			needs = "read-only key"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Name, strings.Join(c.Ops, ","), needs, c.Description)
	}
	return tw.Flush()
}

// runDiff compares recordings with both documents; finding anything is a
// failure (exit 1), so --diff can gate CI.
func runDiff(dirs []string, public, data *openapi3.T, stdout io.Writer) error {
	if len(dirs) == 0 {
		return usageError{errors.New("--diff needs one or more recording directories")}
	}
	xs, err := contract.ReadRecordings(dirs...)
	if err != nil {
		return err
	}
	fs := contract.Diff(public, xs, data)
	if err := contract.WriteDiff(stdout, fs, len(xs)); err != nil {
		return err
	}
	if len(fs) > 0 {
		return fmt.Errorf("%w: --diff found %d differences between the recordings and the spec", errChecksFailed, len(fs))
	}
	return nil
}

// runPostman is "c3dmock spec --postman FILE".
func runPostman(ctx context.Context, file string, stdout io.Writer) error {
	f, err := os.Open(file)
	if err != nil {
		return usageError{err}
	}
	defer f.Close()
	reqs, err := contract.ParsePostman(f)
	if err != nil {
		return err
	}
	doc, err := spec.Load(ctx, spec.Public)
	if err != nil {
		return err
	}
	return contract.WritePostman(stdout, contract.ComparePostman(doc, reqs))
}
