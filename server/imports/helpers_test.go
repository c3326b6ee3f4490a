package imports

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// wantInvalid fails the test unless err wraps an *oms.Error with code
// EInvalid and exactly the message want.
func wantInvalid(t *testing.T, err error, want string) {
	t.Helper()
	var e *oms.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want an *oms.Error %q", err, want)
	}
	if e.Code != oms.EInvalid || e.Message != want {
		t.Fatalf("error = %s %q\nwant    %s %q", e.Code, e.Message, oms.EInvalid, want)
	}
}

// sheet is a delimited file held as cells, for editing copies of real
// files in memory. Row 0 is the header, so row i is file line i+1.
type sheet [][]string

// readSheet reads a file from the shared data folder.
func readSheet(t *testing.T, path string, comma rune) sheet {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if comma == '\t' {
		var s sheet
		for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
			s = append(s, strings.Split(l, "\t"))
		}
		return s
	}
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// col returns the index of a header column.
func (s sheet) col(t *testing.T, name string) int {
	t.Helper()
	for i, h := range s[0] {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q", name)
	return -1
}

// set puts value in the named column of file line `line`.
func (s sheet) set(t *testing.T, line int, col, value string) {
	t.Helper()
	s[line-1][s.col(t, col)] = value
}

// addColumn appends an empty column to every row.
func (s sheet) addColumn(name string) sheet {
	s[0] = append(s[0], name)
	for i := 1; i < len(s); i++ {
		s[i] = append(s[i], "")
	}
	return s
}

// csv encodes the sheet as CSV with LF line ends.
func (s sheet) csv(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// tsv encodes the sheet as tab-separated lines with LF line ends.
func (s sheet) tsv() string {
	var b strings.Builder
	for _, row := range s {
		b.WriteString(strings.Join(row, "\t") + "\n")
	}
	return b.String()
}

// windows adds a byte order mark and turns LF line ends into CRLF.
func windows(s string) string {
	return "\uFEFF" + strings.ReplaceAll(s, "\n", "\r\n")
}
