package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/imports"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// giftSet stores MUG (10 in A-01-01) and TEA (7 in B-01-01) and GIFT, a
// bundle of two mugs and one tea, through the catalogue CSV, the bundle's
// row before its components'.
func giftSet(t *testing.T) *fixture {
	f := newFixture(t)
	ps, err := imports.ShipshapeCatalog(strings.NewReader("sku,title,price,barcodes,bin,components\n" +
		"GIFT,Gift set,20,,,MUG*2|TEA\n" +
		"MUG,Mug,7,,A-01-01,\n" +
		"TEA,Tea,3,,B-01-01,\n"))
	if err != nil {
		t.Fatal(err)
	}
	f.catalog(ps...)
	f.stock(row("MUG", "A-01-01", 10), row("TEA", "B-01-01", 7))
	return f
}

func (f *fixture) wantAvailable(sku string, want int64) {
	f.t.Helper()
	a, err := f.st.Availability(f.ctx, sku)
	if err != nil {
		f.t.Fatalf("availability %s: %v", sku, err)
	}
	if a.Available != want {
		f.t.Errorf("available %s = %d, want %d", sku, a.Available, want)
	}
}

func TestBundleAvailability(t *testing.T) {
	f := giftSet(t)
	f.wantAvailable("GIFT", 5) // min(10/2, 7/1)

	p, err := f.st.ProductBySKU(f.ctx, "GIFT")
	if err != nil {
		t.Fatal(err)
	}
	want := []oms.Component{{SKU: "MUG", Qty: 2}, {SKU: "TEA", Qty: 1}}
	if p.Stocked || !slices.Equal(p.Components, want) || len(p.Barcodes) != 0 {
		t.Errorf("GIFT stocked %v, components %v, barcodes %v; want a bundle of %v without barcodes",
			p.Stocked, p.Components, p.Barcodes, want)
	}

	units, err := f.st.AvailableUnits(f.ctx, []string{"GIFT", "MUG"})
	if err != nil || units["GIFT"] != 5 || units["MUG"] != 10 {
		t.Errorf("available units %v, %v; want GIFT 5, MUG 10", units, err)
	}

	f.stock(row("TEA", "B-01-01", 3))
	f.wantAvailable("GIFT", 3)
}

func TestBundleOrderReservesComponents(t *testing.T) {
	f := giftSet(t)
	o := f.order("W-1", line("GIFT", 3))
	f.wantStatus(o.Number, store.StatusAllocated, "")
	f.wantStock("MUG", "A-01-01", 10, 6)
	f.wantStock("TEA", "B-01-01", 7, 3)
	f.wantAvailable("GIFT", 2) // min(4/2, 4/1)

	task := f.task("pia")
	var got []string
	for _, l := range task.Lines {
		got = append(got, l.SKU+"@"+l.Bin)
	}
	if want := []string{"MUG@A-01-01", "TEA@B-01-01"}; !slices.Equal(got, want) {
		t.Fatalf("pick lines %v, want %v", got, want)
	}
	f.mustPick("pia", "TOTE-1")
	for _, l := range task.Lines {
		f.mustPick("pia", l.Bin)
		for range l.Qty {
			f.mustPick("pia", l.SKU)
		}
	}
	if _, err := f.st.CompletePickTask(f.ctx, "pia"); err != nil {
		t.Fatal(err)
	}
	f.wantStock("MUG", "A-01-01", 4, 0)
	f.wantStock("TEA", "B-01-01", 4, 0)

	f.mustPack("S1", "TOTE-1")
	if res := f.packScan("S1", "GIFT"); res.Verdict.OK {
		t.Errorf("scanning the bundle's own SKU was accepted: %s", res.Verdict.Message)
	}
	for range 6 {
		f.mustPack("S1", "MUG")
	}
	if res := f.packScan("S1", "MUG"); res.Verdict.OK {
		t.Errorf("a seventh mug was accepted: %s", res.Verdict.Message)
	}
	if _, _, err := f.release("S1"); oms.ErrorCode(err) != oms.EConflict {
		t.Fatalf("label released with the tea unverified: %v", err)
	}
	f.mustPack("S1", "TEA")
	f.mustPack("S1", "TEA")
	res := f.mustPack("S1", "TEA")
	for _, l := range res.Session.Lines {
		if l.Bundle != "GIFT" || l.Verified != l.Qty {
			t.Errorf("pack line %+v, want a verified component of GIFT", l)
		}
	}
	if f.orderByNumber(o.Number).Lines[0].Verified != 3 {
		t.Errorf("bundle line verified %d, want 3", f.orderByNumber(o.Number).Lines[0].Verified)
	}
	if _, _, err := f.release("S1"); err != nil {
		t.Fatalf("release: %v", err)
	}
}

func TestBundleWaitsForShortComponent(t *testing.T) {
	f := giftSet(t)
	o := f.order("W-1", line("GIFT", 2), line("TEA", 6))
	f.wantStatus(o.Number, store.StatusWaiting, "TEA short by 1")
	f.wantStock("MUG", "A-01-01", 10, 0)
	f.wantStock("TEA", "B-01-01", 7, 0)

	f.stock(row("TEA", "B-01-01", 8))
	f.wantStatus(o.Number, store.StatusAllocated, "")
	f.wantStock("MUG", "A-01-01", 10, 4)
	f.wantStock("TEA", "B-01-01", 8, 8)
}

func TestBundleAvailableToSell(t *testing.T) {
	f := giftSet(t)
	f.channel(store.Channel{ID: "amazon", SafetyBufferUnits: 2})
	f.channel(store.Channel{ID: "webshop"})
	f.wantATS("GIFT", map[string]int64{"amazon": 4, "webshop": 5})

	if _, err := f.st.AddRingFence(f.ctx, "anna", store.RingFenceInput{SKU: "TEA", ChannelID: "webshop",
		Qty: 4}); err != nil {
		t.Fatal(err)
	}
	// Others see 3 teas; webshop still sees 7.
	f.wantATS("GIFT", map[string]int64{"amazon": 1, "webshop": 5})

	skip := len(f.outboxSince(0))
	f.channelOrder("webshop", "W-1", "MUG", 4)
	// Amazon's gift sets stay 1 (its teas); webshop's fall to 3 (its mugs).
	wantOutbox(t, "outbox after a mug order", f.outboxSince(skip),
		"amazon MUG 4", "webshop MUG 6", "webshop GIFT 3")
	f.wantATS("GIFT", map[string]int64{"amazon": 1, "webshop": 3})
}

func TestSetBundleRules(t *testing.T) {
	f := giftSet(t)
	f.catalog(oms.Product{SKU: "DUO", Title: "Duo"})
	tests := []struct {
		name  string
		sku   string
		comps []oms.Component
		code  string
		part  string
	}{
		{"unknown bundle", "NOPE", []oms.Component{{SKU: "MUG", Qty: 1}}, oms.ENotFound, "NOPE"},
		{"no components", "DUO", nil, oms.EInvalid, "no components"},
		{"unknown component", "DUO", []oms.Component{{SKU: "CUP", Qty: 1}}, oms.EInvalid, "not in the catalogue"},
		{"bundle in a bundle", "DUO", []oms.Component{{SKU: "GIFT", Qty: 1}}, oms.EInvalid, "a bundle itself"},
		{"zero qty", "DUO", []oms.Component{{SKU: "MUG", Qty: 0}}, oms.EInvalid, "qty 0"},
		{"own component", "DUO", []oms.Component{{SKU: "DUO", Qty: 1}}, oms.EInvalid, "its own"},
		{"stocked product", "MUG", []oms.Component{{SKU: "TEA", Qty: 1}}, oms.EInvalid, "holds 10 units"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, f.st.SetBundle(f.ctx, "test", tt.sku, tt.comps), tt.code, tt.part)
		})
	}
	if err := f.st.SetBundle(f.ctx, "test", "DUO", []oms.Component{{SKU: "TEA", Qty: 3}}); err != nil {
		t.Fatal(err)
	}
	f.wantAvailable("DUO", 2)
}
