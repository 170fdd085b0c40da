package contract

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestPostmanComparison(t *testing.T) {
	f, err := os.Open("testdata/postman.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reqs, err := ParsePostman(f)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range reqs {
		paths = append(paths, r.Method+" "+r.Path)
	}
	want := []string{"GET /v0/things/{}", "GET /v0/things/4460", "POST /v0/things", "GET /v0/projects/{}/widgets"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("normalised %v, want %v", paths, want)
	}
	cmp := ComparePostman(miniDoc(t), reqs)
	if cmp.Matched != 3 {
		t.Errorf("matched %d, want 3", cmp.Matched)
	}
	if len(cmp.SpecLacks) != 1 || !strings.HasPrefix(cmp.SpecLacks[0], "GET /v0/projects/{}/widgets  (Widgets)") {
		t.Errorf("spec lacks %v", cmp.SpecLacks)
	}
	if len(cmp.CollectionLacks) != 1 || cmp.CollectionLacks[0] != "DELETE /v0/things/{} deleteThing" {
		t.Errorf("collection lacks %v", cmp.CollectionLacks)
	}
	var buf bytes.Buffer
	if err := WritePostman(&buf, cmp); err != nil || !strings.Contains(buf.String(), "operations the collection lacks (1)") {
		t.Errorf("WritePostman: %v\n%s", err, buf.String())
	}
}

func TestParsePostmanRejectsOtherSchemas(t *testing.T) {
	if _, err := ParsePostman(strings.NewReader(`{"info":{"schema":"https://schema.getpostman.com/json/collection/v1.0.0/collection.json"}}`)); err == nil {
		t.Error("accepted a v1 collection")
	}
}
