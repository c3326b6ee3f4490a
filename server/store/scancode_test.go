package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// gs1Fixture is a store on 2026-12-04 with one product, GTIN 09521234543213,
// whose order for 2 is allocated to lot L-EARLY (expiring first) in A-01-01.
func gs1Fixture(t *testing.T) (*fixture, *oms.PickTask) {
	f := newFixture(t)
	f.st.Zone = time.UTC
	f.st.Now = func() time.Time { return time.Date(2026, 12, 4, 14, 0, 0, 0, time.UTC) }
	f.catalog(stocked("TEA", "A-01-01", "09521234543213"))
	for _, r := range []store.ReceiveInput{
		{SKU: "TEA", Bin: "A-01-01", Qty: 2, Lot: "L-EARLY", Expiry: "2027-01-31"},
		{SKU: "TEA", Bin: "A-01-01", Qty: 5, Lot: "L-LATE", Expiry: "2027-06-30"},
	} {
		if _, err := f.st.Receive(f.ctx, "rita", r); err != nil {
			t.Fatalf("receive %+v: %v", r, err)
		}
	}
	f.order("G-1", line("TEA", 2))
	task := f.task("ann")
	if len(task.Lines) != 1 || task.Lines[0].Lot != "L-EARLY" {
		t.Fatalf("pick lines %+v, want one line of lot L-EARLY", task.Lines)
	}
	f.mustPick("ann", "A-01-01")
	return f, task
}

// TestPickReadsGS1Barcodes scans the product's GS1-128 carton barcode with a
// scanner that sends AIM identifiers and STX/CR framing: the GTIN finds the
// product, the lot is checked against the line, and an expired or unreadable
// code is refused with the reason and counts nothing.
func TestPickReadsGS1Barcodes(t *testing.T) {
	f, _ := gs1Fixture(t)
	tests := []struct {
		name, code, want string
		ok               bool
	}{
		{"another lot", "\x02]C10109521234543213\x1d10L-LATE\x1d17270630\r",
			"Wrong lot L-LATE: take lot L-EARLY from A-01-01", false},
		{"expired", "]C1010952123454321317261130\x1d10L-EARLY",
			"Expired on 2026-11-30: put it aside and take another", false},
		{"bad check digit", "]C10109521234543214\x1d10L-EARLY",
			"Barcode not read: (01) \"09521234543214\"", false},
		{"an SSCC", "]C100095212345000000018",
			"SSCC 095212345000000018 is a parcel", false},
		{"the right lot", "\x02]C10109521234543213\x1d10L-EARLY\x1d17270131\r",
			"Title of TEA 1 / 2", true},
		{"GTIN as EAN-13 with AIM id", "]E09521234543213", "Title of TEA 2 / 2", true},
	}
	for _, tt := range tests {
		res := f.pickScan("ann", tt.code)
		if res.Verdict.OK != tt.ok || !strings.Contains(res.Verdict.Message, tt.want) {
			t.Errorf("%s: verdict %+v, want ok=%v %q", tt.name, res.Verdict, tt.ok, tt.want)
		}
		if strings.ContainsAny(res.Scan.Code, "\x02\x1d\r") {
			t.Errorf("%s: scan recorded as %q, with control characters", tt.name, res.Scan.Code)
		}
	}
	if got := f.task("ann").Lines[0].Picked; got != 2 {
		t.Errorf("picked %d, want 2 (two accepted scans)", got)
	}
}

func TestScanOfSeveralCodesCountsTheFirst(t *testing.T) {
	f, _ := gs1Fixture(t)

	res := f.pickScan("ann", "09521234543213\r\n09521234543213\r\n")
	want := "Title of TEA 1 / 2 (1 more code(s) in the same scan ignored: scan one at a time)"
	if !res.Verdict.OK || res.Verdict.Message != want {
		t.Fatalf("verdict %+v, want %q", res.Verdict, want)
	}
	if got := f.task("ann").Lines[0].Picked; got != 1 {
		t.Errorf("picked %d, want 1", got)
	}
}

// TestPackReadsAIMIdentifiers opens an order from a Code 128 label read with
// an AIM identifier, then verifies its item from the GS1 barcode.
func TestPackReadsAIMIdentifiers(t *testing.T) {
	f, task := gs1Fixture(t)
	f.mustPick("ann", "09521234543213")
	f.mustPick("ann", "09521234543213")
	if _, err := f.st.CompletePickTask(f.ctx, "ann"); err != nil {
		t.Fatal(err)
	}

	res := f.mustPack("S1", "]C0"+task.OrderNumber+"\r")
	if res.Scan.Code != task.OrderNumber {
		t.Errorf("scan recorded as %q, want %q", res.Scan.Code, task.OrderNumber)
	}
	res = f.packScan("S1", "]C1011234")
	if res.Verdict.OK || !strings.HasPrefix(res.Verdict.Message, "Barcode not read: (01) \"1234\"") {
		t.Errorf("short GTIN: verdict %+v, want refused naming (01)", res.Verdict)
	}
	res = f.mustPack("S1", "]d20109521234543213\x1d10L-EARLY")
	if res.Verdict.Message != "Title of TEA 1 / 2" || res.Scan.Code != "(01)09521234543213(10)L-EARLY" {
		t.Errorf("verdict %+v, scan %q", res.Verdict, res.Scan.Code)
	}
}
