package app

import (
	"encoding/csv"
	"io"
	"strings"
)

// CSV exports. A spreadsheet runs a cell that starts with =, +, -, @, a tab
// or a carriage return as a formula, so such a cell is written with a
// single quote before it (OWASP's advice), and the quote is visible: the
// value is never changed silently in any other way.

// CSVCell neutralises one cell's value for a spreadsheet.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVWriter writes rows of neutralised cells, with CRLF line ends as
// RFC 4180 says, after a byte order mark so that spreadsheets read the
// Chinese text as UTF-8.
type CSVWriter struct {
	w   *csv.Writer
	row []string
}

// NewCSVWriter starts a CSV export on w.
func NewCSVWriter(w io.Writer) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &CSVWriter{w: cw}, nil
}

// Write writes one row, each cell neutralised.
func (c *CSVWriter) Write(cells ...string) error {
	c.row = c.row[:0]
	for _, v := range cells {
		c.row = append(c.row, CSVCell(v))
	}
	return c.w.Write(c.row)
}

// Close flushes the rows and reports the first error.
func (c *CSVWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}
