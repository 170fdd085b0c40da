package analytics

import (
	"encoding/json"
	"testing"

	"github.com/c3dmock/c3dmock/fixtures/propstore"
)

func TestPropsJSONMatchesEncodingJSON(t *testing.T) {
	m := map[string]any{
		"c3d.app.name": "c3d-unity-demo", "c3d.session_tag.test": false, "c3d.session_tag.junk": true,
		"c3d.metrics.fps_score": 84.19852035607636, "big": 1e21, "small": 1e-7, "int": 300.0, "neg": -0.5, "zero": 0.0,
		"quote": `say "hi" <b>&`, "unicode": "Mississauga – Café",
	}
	got, err := propsJSON{propstore.NewProps(m)}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(m)
	if string(got) != string(want) {
		t.Errorf("propsJSON:\n got %s\nwant %s", got, want)
	}
}
