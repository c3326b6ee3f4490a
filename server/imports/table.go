package imports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// utf8BOM is the byte order mark some spreadsheet programs and WooCommerce
// write at the start of a UTF-8 file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// table is a delimited text file held in memory: where each header column is
// and every data row with the file line it starts on.
type table struct {
	header []string
	cols   map[string]int // column name -> index of its first occurrence
	rows   []record
}

// record is one data row of a table.
type record struct {
	line  int // file line the row starts on, counting from 1
	cells []string
	t     *table
}

// readInput reads all of r and drops a leading byte order mark.
func readInput(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read input: %w", err)
	}
	return bytes.TrimPrefix(data, utf8BOM), nil
}

// parseCSV reads comma-separated data with RFC 4180 quoting.
func parseCSV(data []byte) (*table, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // counted below, for a clearer message

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, invalid("the file is empty; the first line must be the header")
	}
	if err != nil {
		return nil, csvError(err)
	}

	line, _ := cr.FieldPos(0)
	t, err := newTable(line, header)
	if err != nil {
		return nil, err
	}
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if err := t.add(line, cells); err != nil {
			return nil, err
		}
	}
}

// csvError turns a CSV syntax error into an EInvalid error naming its line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return invalid("row %d: %v", pe.StartLine, pe.Err)
	}
	return fmt.Errorf("parse csv: %w", err)
}

// parseTSV reads tab-separated data as channel reports write it: one row per
// line, no quoting, fields may contain quotes.
func parseTSV(data []byte) (*table, error) {
	lines := strings.Split(string(data), "\n")
	var (
		t   *table
		err error
	)
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if l == "" {
			continue
		}
		cells := strings.Split(l, "\t")
		if t == nil {
			if t, err = newTable(i+1, cells); err != nil {
				return nil, err
			}
			continue
		}
		if err := t.add(i+1, cells); err != nil {
			return nil, err
		}
	}
	if t == nil {
		return nil, invalid("the file is empty; the first line must be the header")
	}
	return t, nil
}

// newTable returns an empty table with the header found on the given line.
// Header names that are not valid UTF-8 are an error.
func newTable(line int, header []string) (*table, error) {
	t := &table{header: header, cols: make(map[string]int, len(header))}
	for i, name := range header {
		if !utf8.ValidString(name) {
			return nil, invalid("row %d, column %d: %s", line, i+1, errNotUTF8)
		}
		name = strings.TrimSpace(name)
		header[i] = name
		if _, dup := t.cols[name]; !dup {
			t.cols[name] = i
		}
	}
	return t, nil
}

// add appends a data row unless all its cells are blank. A row with the
// wrong number of cells or a cell that is not valid UTF-8 is an error, even
// in a column no parser reads: a file in another encoding would otherwise
// go in garbled.
func (t *table) add(line int, cells []string) error {
	if len(cells) != len(t.header) {
		return invalid("row %d has %d columns but the header has %d",
			line, len(cells), len(t.header))
	}
	for i, c := range cells {
		if !utf8.ValidString(c) {
			return invalid("row %d, column %s: %s", line, t.colName(i), errNotUTF8)
		}
	}
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			t.rows = append(t.rows, record{line: line, cells: cells, t: t})
			return nil
		}
	}
	return nil
}

// errNotUTF8 is what is wrong with a cell that is not valid UTF-8, and the
// fix: the usual cause is a spreadsheet saving in Latin-1 or Windows-1252.
const errNotUTF8 = "not valid UTF-8 (save the file as UTF-8)"

// colName names column i for a message: its header name quoted, or its
// number from 1 when the header cell is blank.
func (t *table) colName(i int) string {
	if t.header[i] == "" {
		return strconv.Itoa(i + 1)
	}
	return strconv.Quote(t.header[i])
}

// has reports whether the header has the named column.
func (t *table) has(col string) bool {
	_, ok := t.cols[col]
	return ok
}

// check returns an error for the first required column the header lacks and
// for any column the parser reads (required or optional) that appears twice.
func (t *table) check(required, optional []string) error {
	for _, col := range required {
		if !t.has(col) {
			return invalid("missing column %q; the header needs %s",
				col, quoteList(required))
		}
	}

	count := make(map[string]int, len(t.header))
	for _, name := range t.header {
		count[name]++
	}
	for _, col := range slices.Concat(required, optional) {
		if count[col] > 1 {
			return invalid("column %q appears %d times in the header", col, count[col])
		}
	}
	return nil
}

// get returns the cell in the named column with surrounding space trimmed,
// or "" when the table has no such column.
func (r record) get(col string) string {
	i, ok := r.t.cols[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// bad returns an EInvalid error naming this row, the column and its value.
func (r record) bad(col, problem string, args ...any) *oms.Error {
	return r.badValue(col, r.get(col), problem, args...)
}

// badValue is bad for a value that is only part of the cell, such as one of
// several barcodes. A long value is shortened (see quoteShort).
func (r record) badValue(col, value, problem string, args ...any) *oms.Error {
	return r.errorf(col, "%s %s", oms.QuoteShort(value), fmt.Sprintf(problem, args...))
}

// reject returns an EInvalid error for value in col that a parse function
// refused with err: the quoted value and err's text, or err's text alone
// for a number that is too large, which names the number itself.
func (r record) reject(col, value string, err error) *oms.Error {
	var big *tooLargeError
	if errors.As(err, &big) {
		return r.errorf(col, "%v", err)
	}
	return r.badValue(col, value, "%v", err)
}

// checkText returns an error naming this row and col when value is not a
// one-line text of at most limit characters (see oms.CheckText).
func (r record) checkText(col, value string, limit int) error {
	if err := oms.CheckText(value, limit); err != nil {
		return r.errorf(col, "%v", err)
	}
	return nil
}

// checkSKU returns an error naming this row and col when sku is too long,
// holds a control character or starts like a tote's code.
func (r record) checkSKU(col, sku string) error {
	if err := r.checkText(col, sku, oms.MaxSKULen); err != nil {
		return err
	}
	if oms.IsToteCode(sku) {
		return r.badValue(col, sku, "%v", errToteCode)
	}
	return nil
}

// checkLen returns an error naming this row and col when value, which may
// span several lines, is longer than limit characters.
func (r record) checkLen(col, value string, limit int) error {
	if n := utf8.RuneCountInString(value); n > limit {
		return r.errorf(col, "%d characters, at most %d", n, limit)
	}
	return nil
}

// errorf returns an EInvalid error naming this row and the column.
func (r record) errorf(col, format string, args ...any) *oms.Error {
	return invalid("row %d, column %q: %s", r.line, col, fmt.Sprintf(format, args...))
}

// invalid returns an *oms.Error with code EInvalid.
func invalid(format string, args ...any) *oms.Error {
	return oms.Errorf(oms.EInvalid, format, args...)
}

// quoteList formats column names as `"a", "b" and "c"`.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// firstSeen remembers the row on which each key first appeared, so that a
// duplicate can be reported with both rows.
type firstSeen map[string]int

// claimOnce records that rec holds key in col; it is an error if an
// earlier row holds it too.
func (f firstSeen) claimOnce(rec record, col, key string) error {
	if prev, dup := f[key]; dup {
		return rec.badValue(col, key, "is also on row %d", prev)
	}
	f[key] = rec.line
	return nil
}

// claimFor appends key to list unless rec already claimed it (two spellings
// of one GTIN); value is the cell text to name if an earlier row holds key.
func (f firstSeen) claimFor(rec record, col, value, key string, list []string) ([]string, error) {
	prev, seen := f[key]
	switch {
	case !seen:
		f[key] = rec.line
		return append(list, key), nil
	case prev == rec.line:
		return list, nil
	default:
		return nil, rec.badValue(col, value, "is also on row %d", prev)
	}
}
