package analytics

import (
	"bytes"
	"encoding/json"

	"github.com/c3dmock/c3dmock/fixtures/propstore"
)

// propsJSON is the properties object of a session row. Rows have always
// encoded it like json.Marshal does, HTML characters escaped, although
// writeJSON turns HTML escaping off for everything else (event properties
// included); the bytes stay as they were. Empty properties are omitted
// (omitzero).
type propsJSON struct{ propstore.Props }

func (p propsJSON) IsZero() bool { return p.Len() == 0 }

func (p propsJSON) MarshalJSON() ([]byte, error) {
	return p.appendJSON(make([]byte, 0, 48*p.Len()+2)), nil
}

// appendJSON appends the object to b, HTML characters escaped.
func (p propsJSON) appendJSON(b []byte) []byte {
	n := len(b)
	b = p.AppendJSON(b)
	if out := b[n:]; bytes.IndexByte(out, '<') < 0 && bytes.IndexByte(out, '>') < 0 && bytes.IndexByte(out, '&') < 0 {
		return b // three vectorised scans beat one ContainsAny
	}
	var out bytes.Buffer
	json.HTMLEscape(&out, b[n:])
	return append(b[:n], out.Bytes()...)
}
