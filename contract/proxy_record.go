package contract

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// ExchangeWriter writes exchanges as JSON lines, the format of
// "c3dmock proxy --record FILE"; ReadRecordings reads such files back.
type ExchangeWriter struct {
	enc *json.Encoder
}

// NewExchangeWriter returns a writer of one JSON exchange per line to w.
func NewExchangeWriter(w io.Writer) *ExchangeWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &ExchangeWriter{enc: enc}
}

// Write writes x as one line. The caller redacts x first.
func (ew *ExchangeWriter) Write(x Exchange) error { return ew.enc.Encode(x) }

// readExchangeLines reads a JSON-lines recording (one Exchange per line).
func readExchangeLines(file string) ([]Exchange, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Exchange
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 256<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var x Exchange
		if err := json.Unmarshal(line, &x); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, n, err)
		}
		out = append(out, x)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no recorded exchanges", file)
	}
	return out, nil
}
