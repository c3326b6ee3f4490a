package server_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// labelServer is a test server with products of every barcode form and
// station S1 printing to an emulator. MUG and CUP (see startServer) have
// only the internal EAN-13s they were issued, MUG's the first.
func labelServer(t *testing.T) (*testServer, *printertest.Emulator) {
	t.Helper()
	ts := startServer(t)
	shoe := oms.Product{SKU: "918223582", Title: "White Plimsolls - 39", PriceCents: 8000, Currency: "USD",
		Stocked: true, Barcodes: []string{"9520001000010"}}
	_, err := ts.st.ImportCatalog(t.Context(), "test", []oms.Product{shoe,
		{SKU: "CAN", Title: "Cola can", PriceCents: 95, Stocked: true, Barcodes: []string{"036000291452"}},
		{SKU: "GUM", Title: "Gum", Stocked: true, Barcodes: []string{"96385074"}},
		{SKU: "GIFT", Title: "Gift card"}})
	if err != nil {
		t.Fatal(err)
	}
	emu := printertest.NewEmulator(t)
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr": "`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	return ts, emu
}

// TestWarehouseLabelZPL builds each kind of label and reads back the texts
// it prints and encodes.
func TestWarehouseLabelZPL(t *testing.T) {
	ts, _ := labelServer(t)
	mug, err := labels.InternalBarcode(1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		fields     []string // the check digit of a GTIN is left for the printer
	}{
		{"bin", "/labels/bin/A-01-01", []string{"BIN", "A-01-01", "A-01-01"}},
		{"bin as scanned", "/labels/bin/%20a-01-02", []string{"BIN", "A-01-02", "A-01-02"}},
		{"tote", "/labels/tote/tote-0042", []string{"TOTE", "TOTE-0042", "TOTE-0042"}},
		{"EAN-13 and price", "/labels/product/918223582",
			[]string{"White Plimsolls - 39", "SKU 918223582", "80.00 USD", "952000100001"}},
		{"UPC-A, no currency", "/labels/product/CAN", []string{"Cola can", "SKU CAN", "0.95", "03600029145"}},
		{"EAN-8, no price", "/labels/product/GUM", []string{"Gum", "SKU GUM", "9638507"}},
		{"internal barcode", "/labels/product/MUG", []string{"Mug", "SKU MUG", mug[:12]}},
		{"badge", "/labels/badge/Ann%20Lee?role=Picker",
			[]string{"Ann Lee", "Picker", "HA,USER-ANN LEE", "USER-ANN LEE"}},
		{"badge named like a picture", "/labels/badge/x.png?format=zpl",
			[]string{"x.png", "HA,USER-X.PNG", "USER-X.PNG"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h, zpl := ts.send("GET", "/api/v1"+tt.path, nil, nil)
			if code != http.StatusOK || h.Get("Content-Type") != "application/zpl" {
				t.Fatalf("GET = %d %s %s, want 200 application/zpl", code, h.Get("Content-Type"), zpl)
			}
			if got := labels.Fields(zpl); !slices.Equal(got, tt.fields) {
				t.Errorf("fields %q, want %q", got, tt.fields)
			}
			if !bytes.HasPrefix(zpl, []byte("^XA")) || !bytes.Contains(zpl, []byte("^PW")) {
				t.Errorf("not a sized label: %q", zpl)
			}
		})
	}
}

// TestBadgePNG serves the badge's QR code as the PNG labels.QRPNG draws.
func TestBadgePNG(t *testing.T) {
	ts, _ := labelServer(t)
	tests := []struct {
		path string
		size int
	}{
		{"/labels/badge/ann.png", 256},
		{"/labels/badge/Ann?format=png&size=300", 300},
	}
	for _, tt := range tests {
		code, h, body := ts.send("GET", "/api/v1"+tt.path, nil, nil)
		if code != http.StatusOK || h.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s = %d %s, want 200 image/png", tt.path, code, h.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil || img.Bounds().Dx() != tt.size || img.Bounds().Dy() != tt.size {
			t.Errorf("GET %s: %v, %v; want a %dx%d PNG", tt.path, img.Bounds(), err, tt.size, tt.size)
		}
		want, err := labels.QRPNG("USER-ANN", tt.size)
		if err != nil || !bytes.Equal(body, want) {
			t.Errorf("GET %s is not the QR code of USER-ANN (%v)", tt.path, err)
		}
	}
}

type labelAnswer struct {
	JobID    string `json:"job_id"`
	Kind     string `json:"kind"`
	Code     string `json:"code"`
	Copies   int    `json:"copies"`
	Station  string `json:"station"`
	Printer  string `json:"printer"`
	Bytes    int    `json:"bytes"`
	Status   string `json:"status"`
	Error    string `json:"error"`
	Replayed bool   `json:"replayed"`
}

// printLabel POSTs a print request and decodes the 201 answer.
func (ts *testServer) printLabel(path string, header map[string]string) labelAnswer {
	ts.t.Helper()
	code, _, body := ts.send("POST", "/api/v1"+path, nil, header)
	var out labelAnswer
	if err := json.Unmarshal(body, &out); code != http.StatusCreated || err != nil {
		ts.t.Fatalf("POST %s = %d %s, want 201", path, code, body)
	}
	return out
}

// TestPrintWarehouseLabel prints each kind at S1: one job a request, the
// printer gets exactly the label's ZPL (with ^PQ for copies), the job keeps
// it and the audit names who asked.
func TestPrintWarehouseLabel(t *testing.T) {
	ts, emu := labelServer(t)
	tests := []struct {
		path, query string
		want        labelAnswer
		pq          string // what copies add before ^XZ
	}{
		{"/labels/bin/a-01-01", "", labelAnswer{JobID: "bin-1", Kind: "bin", Code: "A-01-01", Copies: 1}, ""},
		{"/labels/tote/TOTE-7", "&copies=1",
			labelAnswer{JobID: "tote-1", Kind: "tote", Code: "TOTE-7", Copies: 1}, ""},
		{"/labels/product/918223582", "&copies=3",
			labelAnswer{JobID: "product-1", Kind: "product", Code: "918223582", Copies: 3}, "^PQ3"},
		{"/labels/badge/Ann", "&copies=100",
			labelAnswer{JobID: "badge-1", Kind: "badge", Code: "USER-ANN", Copies: 100}, "^PQ100"},
		{"/labels/bin/A-01-01", "", labelAnswer{JobID: "bin-2", Kind: "bin", Code: "A-01-01", Copies: 1}, ""},
	}
	for i, tt := range tests {
		_, _, label := ts.send("GET", "/api/v1"+tt.path, nil, nil)
		want := label
		if tt.pq != "" {
			at := bytes.LastIndex(label, []byte("^XZ"))
			want = slices.Concat(label[:at], []byte(tt.pq), label[at:])
		}
		got := ts.printLabel(tt.path+"/print?station=S1"+tt.query, map[string]string{"X-Shipshape-User": "Ann"})
		tt.want.Station, tt.want.Printer = "S1", "tcp "+emu.Addr()
		tt.want.Bytes, tt.want.Status = len(want), "printed"
		if got != tt.want {
			t.Errorf("%s: answer %+v, want %+v", tt.path, got, tt.want)
		}

		jobs, err := emu.WaitJobs(t.Context(), i+1)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != i+1 || !bytes.Equal(jobs[i], want) {
			t.Errorf("%s: printer has %d jobs, the last %q; want %d, the last %q", tt.path, len(jobs),
				jobs[len(jobs)-1], i+1, want)
		}
		_, _, stored := ts.send("GET", "/api/v1/print-jobs/"+got.JobID+"/zpl", nil, nil)
		if !bytes.Equal(stored, want) {
			t.Errorf("%s: stored job %q, want %q", got.JobID, stored, want)
		}
		audit, err := ts.st.Audit(t.Context(), "print_job", got.JobID, 10)
		if err != nil || len(audit) != 1 || audit[0].Actor != "Ann" || audit[0].Action != "label.print" {
			t.Errorf("audit of %s: %+v, %v; want one label.print by Ann", got.JobID, audit, err)
		}
	}

	list, err := ts.st.PrintJobs(t.Context(), "S1", 100)
	var kinds []string
	for _, j := range list {
		kinds = append(kinds, j.ID+" "+j.Kind+" "+j.Status)
	}
	want := []string{"bin-2 bin printed", "badge-1 badge printed", "product-1 product printed",
		"tote-1 tote printed", "bin-1 bin printed"}
	if err != nil || !slices.Equal(kinds, want) {
		t.Errorf("print jobs %q, %v; want %q", kinds, err, want)
	}
}

// TestPrintIdempotent sends each print request twice with one
// Idempotency-Key, as a client does that lost the first answer: the second
// answers the first job and prints nothing. A third request, without a key,
// prints, so the printer's jobs show that the retry sent nothing.
func TestPrintIdempotent(t *testing.T) {
	ts, emu := labelServer(t)
	key := map[string]string{"X-Shipshape-User": "Ann", "Idempotency-Key": "0b6f-1"}
	first := ts.printLabel("/labels/bin/A-01-01/print?station=S1&copies=2", key)
	retry := ts.printLabel("/labels/bin/A-01-01/print?station=S1&copies=2", key)
	if first.Replayed || !retry.Replayed || retry.JobID != "bin-1" || retry.Status != "printed" {
		t.Errorf("first %+v, retry %+v; want bin-1 printed, then replayed", first, retry)
	}
	// The same key for another label is a mistake, not a retry.
	code, _, body := ts.send("POST", "/api/v1/labels/bin/A-01-02/print?station=S1", nil, key)
	if want := `Idempotency-Key "0b6f-1" was already used by Ann for print job bin-1, another label or ` +
		`station`; code != http.StatusConflict || errorText(t, body) != want {
		t.Errorf("other label, same key: %d %s; want 409 %q", code, body, want)
	}

	zpl := []byte("^XA^FO50,50^A0N,40^FDParcel^FS^XZ")
	courier := map[string]string{"X-Shipshape-User": "Ann", "Idempotency-Key": "0b6f-2",
		"Content-Type": "application/zpl"}
	var answers [2]courierAnswer
	for i := range answers {
		code, _, body := ts.send("POST", "/api/v1/stations/S1/print", zpl, courier)
		if err := json.Unmarshal(body, &answers[i]); code != http.StatusCreated || err != nil {
			t.Fatalf("courier label, try %d: %d %s", i+1, code, body)
		}
	}
	if answers[0] != answers[1] || answers[1].JobID != "courier-1" || answers[1].Status != "printed" {
		t.Errorf("courier answers %+v, want courier-1 printed twice over", answers)
	}

	last := ts.printLabel("/labels/tote/TOTE-1/print?station=S1", map[string]string{"X-Shipshape-User": "Ann"})
	jobs, err := emu.WaitJobs(t.Context(), 3)
	if err != nil {
		t.Fatal(err)
	}
	stored := func(id string) []byte {
		_, _, data := ts.send("GET", "/api/v1/print-jobs/"+id+"/zpl", nil, nil)
		return data
	}
	if len(jobs) != 3 || !bytes.Equal(jobs[0], stored("bin-1")) || !bytes.Equal(jobs[1], zpl) ||
		!bytes.Equal(jobs[2], stored(last.JobID)) {
		t.Errorf("printer got %q; want bin-1, courier-1 and %s once each", jobs, last.JobID)
	}
	if list, err := ts.st.PrintJobs(t.Context(), "", 100); err != nil || len(list) != 3 {
		t.Errorf("%d print jobs stored, %v; want 3", len(list), err)
	}
}

// TestWarehouseLabelRefused: bad input is refused with what was wrong, and
// nothing is stored or printed.
func TestWarehouseLabelRefused(t *testing.T) {
	ts, emu := labelServer(t)
	long := strings.Repeat("n", 65)
	tests := []struct {
		name, method, path string
		status             int
		want               string
	}{
		{"unknown bin", "GET", "/labels/bin/Z-99", 404, `no bin "Z-99"`},
		{"unknown sku", "GET", "/labels/product/NOPE", 404, `no product with sku "NOPE"`},
		{"no barcode", "GET", "/labels/product/GIFT", 409,
			`product "GIFT" has no GTIN of one unit and no internal barcode to print`},
		{"not a tote", "GET", "/labels/tote/BOX-1", 400,
			`tote code "BOX-1": must be TOTE- and a number or name, e.g. TOTE-0042`},
		{"tote prefix alone", "GET", "/labels/tote/tote-", 400,
			`tote code "TOTE-": must be TOTE- and a number or name, e.g. TOTE-0042`},
		{"tote too long", "GET", "/labels/tote/TOTE-" + strings.Repeat("9", 40), 400,
			`tote label: Code "TOTE-` + strings.Repeat("9", 40) + `": is too long to print across this label`},
		{"unknown kind", "GET", "/labels/pallet/P1", 404, `no label kind "pallet": use bin, tote, product, badge`},
		{"badge not ASCII", "GET", "/labels/badge/Zo%C3%AB", 400,
			`badge user "Zoë": use 1 to 64 printable ASCII characters (letters, digits, spaces, punctuation)`},
		{"badge name too long", "GET", "/labels/badge/" + long, 400, `badge user "` + long[:64] + `"... ` +
			`(65 characters): use 1 to 64 printable ASCII characters (letters, digits, spaces, punctuation)`},
		{"bin as a picture", "GET", "/labels/bin/A-01-01?format=png", 400,
			"format png: only a badge label has a picture (its QR code)"},
		{"unknown format", "GET", "/labels/bin/A-01-01?format=pdf", 400, `format "pdf": use zpl or png`},
		{"tiny QR", "GET", "/labels/badge/ann.png?size=10", 400,
			`badge QR code: QR size "10": must be 185 to 2048 pixels`},
		{"no station", "POST", "/labels/bin/A-01-01/print", 400, "station: required, e.g. ?station=S1"},
		{"bad station", "POST", "/labels/bin/A-01-01/print?station=S%201", 400,
			`station id "S 1": use 1 to 64 letters, digits, dots, dashes or underscores`},
		{"no copies", "POST", "/labels/bin/A-01-01/print?station=S1&copies=0", 400,
			`copies: "0" is not a number from 1 to 100`},
		{"too many copies", "POST", "/labels/bin/A-01-01/print?station=S1&copies=101", 400,
			`copies: "101" is not a number from 1 to 100`},
		{"copies not a number", "POST", "/labels/bin/A-01-01/print?station=S1&copies=two", 400,
			`copies: "two" is not a number from 1 to 100`},
		{"print unknown bin", "POST", "/labels/bin/Z-99/print?station=S1", 404, `no bin "Z-99"`},
		{"print unknown sku", "POST", "/labels/product/NOPE/print?station=S1", 404, `no product with sku "NOPE"`},
		{"print bad tote", "POST", "/labels/tote/BOX-1/print?station=S1", 400,
			`tote code "BOX-1": must be TOTE- and a number or name, e.g. TOTE-0042`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ann := map[string]string{"X-Shipshape-User": "Ann"}
			code, _, body := ts.send(tt.method, "/api/v1"+tt.path, nil, ann)
			if code != tt.status || errorText(t, body) != tt.want {
				t.Errorf("%s %s = %d %s, want %d %q", tt.method, tt.path, code, body, tt.status, tt.want)
			}
		})
	}
	if jobs, err := ts.st.PrintJobs(t.Context(), "", 100); err != nil || len(jobs) != 0 {
		t.Errorf("refused labels stored %d print jobs, %v", len(jobs), err)
	}
	if audit, err := ts.st.Audit(t.Context(), "print_job", "", 100); err != nil || len(audit) != 0 {
		t.Errorf("refused labels were audited: %+v, %v", audit, err)
	}
	if jobs := emu.Jobs(); len(jobs) != 0 {
		t.Errorf("refused labels reached the printer: %d jobs", len(jobs))
	}
}
