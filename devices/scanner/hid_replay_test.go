package scanner

import (
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sharedScannerData is /work/shared/data/scanner seen from this package.
const sharedScannerData = "../../../shared/data/scanner"

// readReportCSV returns the report_hex column of a capture CSV as reports.
func readReportCSV(t testing.TB, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	col := slices.Index(rows[0], "report_hex")
	if col < 0 {
		t.Fatalf("%s: no report_hex column in header %q", path, rows[0])
	}
	var reports [][]byte
	for i, row := range rows[1:] {
		b, err := hex.DecodeString(strings.ReplaceAll(row[col], " ", ""))
		if err != nil {
			t.Fatalf("%s row %d: report_hex %q: %v", path, i+1, row[col], err)
		}
		reports = append(reports, b)
	}
	return reports
}

// replay feeds reports to a decoder and returns its scans, failing the test
// on any decode error or on anything left pending after the last report.
func replay(t *testing.T, d *HIDDecoder, reports [][]byte) []string {
	t.Helper()
	var scans []string
	for i, r := range reports {
		s, err := d.Feed(r)
		if err != nil {
			t.Fatalf("report %d (% x): %v", i+1, r, err)
		}
		scans = append(scans, s...)
	}
	if p := d.Pending(); p != "" {
		t.Fatalf("left over after the last report: %s", p)
	}
	return scans
}

func TestHIDReplay(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		// Real capture: EAN-13, Enter, then a Ctrl+Shift+J (LF) vendor suffix.
		{"hid_keyboard_capture_node-hid-323.csv", []string{"6957842208856"}},
		// Synthetic: AIM id ]C1, GS sent as Ctrl+].
		{"hid_keyboard_synthetic_gs1-128.csv", []string{"]C10109521234543213\x1d10ABC123"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			reports := readReportCSV(t, filepath.Join(sharedScannerData, tt.file))
			got := replay(t, NewHIDDecoder(nil), reports)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("scans = %q, want %q", got, tt.want)
			}
		})
	}
}

// A capture cut short must fail the replay's leftover check.
func TestHIDReplayTruncatedLeavesPending(t *testing.T) {
	reports := readReportCSV(t, filepath.Join(sharedScannerData, "hid_keyboard_synthetic_gs1-128.csv"))
	d := NewHIDDecoder(nil)
	for _, r := range reports[:len(reports)-2] { // drop Enter and its release
		if _, err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	want := `partial scan "]C10109521234543213\x1d10ABC123"`
	if got := d.Pending(); got != want {
		t.Fatalf("Pending() = %s, want %s", got, want)
	}
}

func TestHIDTestdataReplay(t *testing.T) {
	tests := []struct {
		file   string
		layout *Layout
		want   []string
	}{
		{"hid_de_layout_synthetic.csv", LayoutDE, []string{"Zylinder-ÄÖÜ@1", "Größe"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			reports := readReportCSV(t, filepath.Join("testdata", tt.file))
			got := replay(t, NewHIDDecoder(tt.layout), reports)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("scans = %q, want %q", got, tt.want)
			}
		})
	}
}
