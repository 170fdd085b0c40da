package mock

import (
	"bytes"
	"fmt"
	"strings"
)

// pdfLinesPerPage fits 11-point lines with 14-point leading on an A4 page.
const pdfLinesPerPage = 52

// renderPDF writes a minimal, valid PDF 1.4 document by hand: a catalog, a
// page tree, the standard Helvetica font, one page (with an uncompressed
// content stream) per pdfLinesPerPage lines, an info dictionary, the xref
// table with every object's byte offset, and the trailer. The first line is
// the title, set larger. Text outside printable ASCII becomes '?'.
func renderPDF(title string, lines []string) []byte {
	var pages [][]string
	for len(lines) > pdfLinesPerPage {
		pages, lines = append(pages, lines[:pdfLinesPerPage]), lines[pdfLinesPerPage:]
	}
	pages = append(pages, lines)
	n := len(pages)
	info := 4 + 2*n // objects: 1 catalog, 2 pages, 3 font, then page+content pairs, then info
	offsets := make([]int, info+1)
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n") // binary comment: marks the file as binary for transports
	obj := func(id int, body string) {
		offsets[id] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", id, body)
	}
	kids := make([]string, n)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	obj(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i, page := range pages {
		var c strings.Builder
		c.WriteString("BT\n/F1 11 Tf\n14 TL\n50 790 Td\n")
		if i == 0 {
			fmt.Fprintf(&c, "/F1 16 Tf\n(%s) Tj\n/F1 11 Tf\nT* T*\n", pdfString(title))
		}
		for _, l := range page {
			fmt.Fprintf(&c, "(%s) Tj T*\n", pdfString(l))
		}
		fmt.Fprintf(&c, "ET")
		obj(4+2*i, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
		obj(5+2*i, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", c.Len(), c.String()))
	}
	obj(info, fmt.Sprintf("<< /Title (%s) /Producer (c3dmock) >>", pdfString(title)))
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", info+1)
	for id := 1; id <= info; id++ {
		fmt.Fprintf(&buf, "%010d 00000 n \n", offsets[id]) // 20 bytes per entry, as the format requires
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", info+1, info, xref)
	return buf.Bytes()
}

// pdfString escapes text for a PDF literal string.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '(' || r == ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7E:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
