package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/c3dmock/c3dmock/mock"
)

// The scale-out recipe's files (deploy/). deploy/scale_out.sh runs them with
// nginx on loopback; these checks run everywhere, without nginx or a cluster.

// TestNginxTemplate: one upstream, hashed consistently on the sandbox, serves
// both hosts (two upstreams would hash the same sandbox onto different
// instances), the sandbox falls back to "default" (nginx round-robins an empty
// key), and the body limit is c3dmock's default.
func TestNginxTemplate(t *testing.T) {
	raw, err := os.ReadFile("deploy/nginx.conf.template")
	if err != nil {
		t.Fatal(err)
	}
	conf := stripNginxComments(string(raw))
	if n := strings.Count(conf, "upstream "); n != 1 {
		t.Errorf("upstream blocks: %d, want 1 (both hosts on one hash ring)", n)
	}
	if !strings.Contains(conf, "hash $c3d_sandbox consistent;") {
		t.Error("the upstream does not hash on $c3d_sandbox consistently")
	}
	if n := strings.Count(conf, "proxy_pass http://c3dmock;"); n != 2 {
		t.Errorf("server blocks proxying to the one upstream: %d, want 2", n)
	}
	if !strings.Contains(conf, `default "default";`) {
		t.Error(`no selector must hash as "default", not the empty key`)
	}
	for _, m := range regexp.MustCompile(`client_max_body_size (\d+)m;`).FindAllStringSubmatch(conf, -1) {
		if mb, _ := strconv.Atoi(m[1]); mb<<20 != mock.DefaultMaxBodyBytes {
			t.Errorf("client_max_body_size %sm, c3dmock's default --max-body-bytes is %d", m[1], mock.DefaultMaxBodyBytes)
		}
	}
	// The Kubernetes example's http-snippet repeats the maps: keep them equal.
	k8s, err := os.ReadFile("deploy/kubernetes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var snippet []string
	for _, line := range strings.Split(string(k8s), "\n") {
		if l := strings.TrimSpace(strings.TrimPrefix(line, "#")); strings.HasPrefix(l, "map $") {
			snippet = append(snippet, strings.Join(strings.Fields(l), " "))
		}
	}
	var maps []string
	var block []string // a map block, from "map $..." to its closing "}" line
	for _, line := range strings.Split(conf, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "map $") || block != nil {
			block = append(block, l)
		}
		if block != nil && l == "}" {
			if m := strings.Join(strings.Fields(strings.Join(block, " ")), " "); !strings.Contains(m, "$c3d_data_host") {
				maps = append(maps, m)
			}
			block = nil
		}
	}
	if strings.Join(snippet, "\n") != strings.Join(maps, "\n") {
		t.Errorf("deploy/kubernetes.yaml's http-snippet maps differ from deploy/nginx.conf.template's:\n%s\n---\n%s",
			strings.Join(snippet, "\n"), strings.Join(maps, "\n"))
	}
}

func stripNginxComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "#"); i >= 0 && !strings.Contains(line[:i], `"`) {
			line = line[:i]
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// TestKubernetesExample: deploy/kubernetes.yaml parses; the Deployment runs
// the Dockerfile's image with both listeners and a readiness probe; the
// ingress hashes on the sandbox header and sends both hosts to the same
// service port (one hash ring), the data host named data.* for c3dmock's
// host routing.
func TestKubernetesExample(t *testing.T) {
	raw, err := os.ReadFile("deploy/kubernetes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type container struct {
		Image          string
		Args           []string
		ReadinessProbe struct {
			HTTPGet struct{ Path, Port string } `yaml:"httpGet"`
		} `yaml:"readinessProbe"`
		Resources struct{ Requests, Limits map[string]string }
		Security  struct {
			RunAsUser int `yaml:"runAsUser"`
		} `yaml:"securityContext"`
	}
	type doc struct {
		Kind     string
		Metadata struct {
			Name        string
			Annotations map[string]string
		}
		Spec struct {
			Replicas int
			Template struct {
				Spec struct{ Containers []container }
			}
			Ports []struct {
				Name string
				Port int
			}
			Rules []struct {
				Host string
				HTTP struct {
					Paths []struct {
						Backend struct {
							Service struct {
								Name string
								Port struct{ Name string }
							}
						}
					}
				} `yaml:"http"`
			}
		}
	}
	kinds := map[string]doc{}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	for {
		var d doc
		if err := dec.Decode(&d); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		kinds[d.Kind] = d
	}
	if len(kinds) != 3 {
		t.Fatalf("kinds: %v, want Deployment, Service, Ingress", kinds)
	}

	dep := kinds["Deployment"]
	if dep.Spec.Replicas != 3 || len(dep.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("deployment: %+v", dep.Spec)
	}
	c := dep.Spec.Template.Spec.Containers[0]
	args := strings.Join(c.Args, " ")
	if c.Image != "c3dmock:latest" || !strings.HasPrefix(args, "serve --addr 0.0.0.0:8080 --data-addr 0.0.0.0:8081") {
		t.Errorf("container: image %q, args %q", c.Image, args)
	}
	if c.ReadinessProbe.HTTPGet.Path != "/__c3dmock/healthz" || c.ReadinessProbe.HTTPGet.Port != "public" {
		t.Errorf("readiness probe: %+v", c.ReadinessProbe)
	}
	if c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" || c.Security.RunAsUser == 0 {
		t.Errorf("resources %+v, runAsUser %d", c.Resources, c.Security.RunAsUser)
	}

	ing := kinds["Ingress"]
	if h := ing.Metadata.Annotations["nginx.ingress.kubernetes.io/upstream-hash-by"]; h != "$http_c3dmock_sandbox" {
		t.Errorf("upstream-hash-by %q", h)
	}
	if b := ing.Metadata.Annotations["nginx.ingress.kubernetes.io/proxy-body-size"]; b != "10m" {
		t.Errorf("proxy-body-size %q, want c3dmock's default 10m", b)
	}
	hosts := map[string]bool{}
	for _, r := range ing.Spec.Rules {
		hosts[strings.SplitN(r.Host, ".", 2)[0]] = true
		for _, p := range r.HTTP.Paths {
			if s := p.Backend.Service; s.Name != "c3dmock" || s.Port.Name != "public" {
				t.Errorf("host %s goes to %s:%s, want c3dmock:public (one hash ring for both hosts)", r.Host, s.Name, s.Port.Name)
			}
		}
	}
	if len(ing.Spec.Rules) != 2 || !hosts["api"] || !hosts["data"] {
		t.Errorf("ingress hosts: %v, want api.* and data.*", hosts)
	}
	if svc := kinds["Service"]; len(svc.Spec.Ports) == 0 || svc.Spec.Ports[0].Name != "public" {
		t.Errorf("service ports: %+v", svc.Spec.Ports)
	}
}
