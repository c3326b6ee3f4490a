package store_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

func (f *fixture) channel(c store.Channel) {
	f.t.Helper()
	if _, _, err := f.st.PutChannel(f.ctx, "test", c); err != nil {
		f.t.Fatalf("put channel %s: %v", c.ID, err)
	}
}

// wantATS fails the test unless sku's available-to-sell is want on every
// channel.
func (f *fixture) wantATS(sku string, want map[string]int64) {
	f.t.Helper()
	got, err := f.st.AvailableToSell(f.ctx, sku)
	if err != nil {
		f.t.Fatalf("available to sell %s: %v", sku, err)
	}
	if !maps.Equal(got, want) {
		f.t.Errorf("available to sell %s = %v, want %v", sku, got, want)
	}
}

func (f *fixture) channelOrder(channel, id, sku string, qty int64) *store.Order {
	f.t.Helper()
	in := orderInput(id, line(sku, qty))
	in.Channel = channel
	o, _, err := f.st.CreateOrder(f.ctx, "test", in)
	if err != nil {
		f.t.Fatalf("create order %s on %s: %v", id, channel, err)
	}
	return o
}

// outboxSince returns the pending outbox rows after the first skip, as
// "channel sku ats" lines.
func (f *fixture) outboxSince(skip int) []string {
	f.t.Helper()
	rows, err := f.st.PendingOutbox(f.ctx, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, r := range rows[skip:] {
		out = append(out, fmt.Sprintf("%s %s %d", r.ChannelID, r.SKU, r.AvailableToSell))
	}
	return out
}

func wantOutbox(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// TestSeedExample walks the example of the channels issue: three channels
// sharing 20 units, orders on two of them and a ring fence for the third.
func TestSeedExample(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 20))
	for _, id := range []string{"amazon", "ebay", "webshop"} {
		f.channel(store.Channel{ID: id})
	}
	f.wantATS("MUG", map[string]int64{"amazon": 20, "ebay": 20, "webshop": 20})
	wantOutbox(t, "outbox after set-up", f.outboxSince(0),
		"amazon MUG 20", "ebay MUG 20", "webshop MUG 20")

	o := f.channelOrder("amazon", "A-1", "MUG", 5)
	f.wantStatus(o.Number, store.StatusAllocated, "")
	f.wantATS("MUG", map[string]int64{"amazon": 15, "ebay": 15, "webshop": 15})
	wantOutbox(t, "outbox after amazon order", f.outboxSince(3),
		"amazon MUG 15", "ebay MUG 15", "webshop MUG 15")

	f.channelOrder("webshop", "W-1", "MUG", 3)
	f.wantATS("MUG", map[string]int64{"amazon": 12, "ebay": 12, "webshop": 12})

	fence, err := f.st.AddRingFence(f.ctx, "anna", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop", Qty: 4})
	if err != nil {
		t.Fatal(err)
	}
	f.wantATS("MUG", map[string]int64{"amazon": 8, "ebay": 8, "webshop": 12})
	wantOutbox(t, "outbox after fence", f.outboxSince(9), "amazon MUG 8", "ebay MUG 8")

	ended, err := f.st.EndRingFence(f.ctx, "anna", fence.ID)
	if err != nil || ended.EndsAt == nil {
		t.Fatalf("end fence: %+v, %v", ended, err)
	}
	f.wantATS("MUG", map[string]int64{"amazon": 12, "ebay": 12, "webshop": 12})
	wantOutbox(t, "outbox after ending the fence", f.outboxSince(11), "amazon MUG 12", "ebay MUG 12")
	audit, err := f.st.Audit(f.ctx, "ring_fence", fmt.Sprint(fence.ID), 10)
	if err != nil || len(audit) != 2 || audit[0].Action != "ring_fence.end" || audit[0].Actor != "anna" {
		t.Errorf("fence audit = %+v, %v; want add then end by anna", audit, err)
	}

	f.stock(row("MUG", "A-01-01", 30))
	f.wantATS("MUG", map[string]int64{"amazon": 22, "ebay": 22, "webshop": 22})
	wantOutbox(t, "outbox after stock import", f.outboxSince(13),
		"amazon MUG 22", "ebay MUG 22", "webshop MUG 22")
}

func TestBuffersAndCap(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 20))
	capped, zero := int64(7), int64(0)
	for _, c := range []store.Channel{
		{ID: "none"},
		{ID: "units", SafetyBufferUnits: 3},
		{ID: "percent", SafetyBufferPercent: 12},                    // ceil(2.4) = 3
		{ID: "both", SafetyBufferUnits: 2, SafetyBufferPercent: 25}, // max(2, 5)
		{ID: "capped", MaxListed: &capped},
		{ID: "delisted", MaxListed: &zero},
		{ID: "huge", SafetyBufferUnits: 50},
	} {
		f.channel(c)
	}
	f.wantATS("MUG", map[string]int64{"none": 20, "units": 17, "percent": 17, "both": 15, "capped": 7,
		"delisted": 0, "huge": 0})

	// Percent buffers follow what is available: 12% of 9 is 1.08, so 2;
	// 25% of 9 is 2.25, so 3, more than 2 units.
	f.channelOrder("none", "N-1", "MUG", 11)
	f.wantATS("MUG", map[string]int64{"none": 9, "units": 6, "percent": 7, "both": 6, "capped": 7,
		"delisted": 0, "huge": 0})
}

func TestFenceLargerThanStock(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 3))
	f.channel(store.Channel{ID: "amazon"})
	f.channel(store.Channel{ID: "webshop", SafetyBufferUnits: 1})
	if _, err := f.st.AddRingFence(f.ctx, "test", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop",
		Qty: 10}); err != nil {
		t.Fatal(err)
	}
	f.wantATS("MUG", map[string]int64{"amazon": 0, "webshop": 2})
}

func TestFutureFence(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	f.st.Now = func() time.Time { return now }
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 10))
	f.channel(store.Channel{ID: "amazon"})
	f.channel(store.Channel{ID: "webshop"})
	fence, err := f.st.AddRingFence(f.ctx, "test", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop",
		Qty: 4, StartsAt: "2026-03-02T10:00:00+01:00", EndsAt: "2026-03-03T10:00:00+01:00"})
	if err != nil {
		t.Fatal(err)
	}
	if fence.StartsAt != "2026-03-02T09:00:00Z" || fence.EndsAt == nil || *fence.EndsAt != "2026-03-03T09:00:00Z" {
		t.Errorf("fence times %s .. %v, want UTC", fence.StartsAt, *fence.EndsAt)
	}
	f.wantATS("MUG", map[string]int64{"amazon": 10, "webshop": 10})

	now = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	f.wantATS("MUG", map[string]int64{"amazon": 6, "webshop": 10})

	now = time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	f.wantATS("MUG", map[string]int64{"amazon": 10, "webshop": 10})
}

func TestEndFenceBeforeItStarts(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 10))
	f.channel(store.Channel{ID: "webshop"})
	fence, err := f.st.AddRingFence(f.ctx, "test", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop",
		Qty: 4, StartsAt: "2099-01-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	ended, err := f.st.EndRingFence(f.ctx, "test", fence.ID)
	if err != nil || ended.EndsAt == nil || *ended.EndsAt != "2099-01-01T00:00:00Z" {
		t.Fatalf("end = %+v, %v; want ending as it starts", ended, err)
	}
	_, err = f.st.EndRingFence(f.ctx, "test", fence.ID+1)
	wantErr(t, err, oms.ENotFound, fmt.Sprintf("no ring fence %d", fence.ID+1))
}

func TestChannelValidation(t *testing.T) {
	f := newFixture(t)
	neg := int64(-1)
	tests := []struct {
		name string
		c    store.Channel
		want string
	}{
		{"empty id", store.Channel{}, `channel id ""`},
		{"upper case id", store.Channel{ID: "Amazon"}, `channel id "Amazon"`},
		{"negative units", store.Channel{ID: "a", SafetyBufferUnits: -2}, "safety_buffer_units: -2"},
		{"percent over 100", store.Channel{ID: "a", SafetyBufferPercent: 101}, "safety_buffer_percent: 101"},
		{"negative cap", store.Channel{ID: "a", MaxListed: &neg}, "max_listed: -1"},
		{"policy", store.Channel{ID: "a", OversellPolicy: "oversell"}, `oversell_policy: "oversell"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := f.st.PutChannel(f.ctx, "test", tc.c)
			wantErr(t, err, oms.EInvalid, tc.want)
		})
	}
	c, created, err := f.st.PutChannel(f.ctx, "test", store.Channel{ID: "amazon", Name: " Amazon UK "})
	if err != nil || !created || c.Name != "Amazon UK" || c.OversellPolicy != store.OversellBackorder {
		t.Fatalf("put = %+v, %v, %v", c, created, err)
	}
	_, created, err = f.st.PutChannel(f.ctx, "test", store.Channel{ID: "amazon", SafetyBufferUnits: 2,
		OversellPolicy: store.OversellRefuse})
	if err != nil || created {
		t.Fatalf("update: created %v, %v", created, err)
	}
	list, err := f.st.Channels(f.ctx)
	if err != nil || len(list) != 1 || list[0].SafetyBufferUnits != 2 || list[0].Name != "amazon" ||
		list[0].OversellPolicy != store.OversellRefuse {
		t.Errorf("channels = %+v, %v", list, err)
	}
}

func TestRingFenceValidation(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.channel(store.Channel{ID: "webshop"})
	tests := []struct {
		name string
		in   store.RingFenceInput
		want string
	}{
		{"unknown sku", store.RingFenceInput{SKU: "BOWL", ChannelID: "webshop", Qty: 1}, `sku: "BOWL"`},
		{"unknown channel", store.RingFenceInput{SKU: "MUG", ChannelID: "ebay", Qty: 1}, `channel_id: "ebay"`},
		{"zero qty", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop"}, "qty: 0"},
		{"no such hour", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop", Qty: 1,
			StartsAt: "2026-03-01T25:00"}, `starts_at: "2026-03-01T25:00"`},
		{"bad end", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop", Qty: 1, EndsAt: "soon"},
			`ends_at: "soon"`},
		{"end before start", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop", Qty: 1,
			StartsAt: "2026-03-02T09:00:00Z", EndsAt: "2026-03-02T10:00:00+02:00"}, "is not after starts_at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.st.AddRingFence(f.ctx, "test", tc.in)
			wantErr(t, err, oms.EInvalid, tc.want)
		})
	}
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM ring_fences`); n != 0 {
		t.Errorf("%d ring fences stored, want 0", n)
	}
}

// TestOrderCreatesChannel: an order from a channel nobody set up still
// works, and the channel appears with no buffers.
func TestOrderCreatesChannel(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 4))
	o := f.channelOrder("market-x", "M-1", "MUG", 1)
	f.wantStatus(o.Number, store.StatusAllocated, "")
	list, err := f.st.Channels(f.ctx)
	if err != nil || len(list) != 1 || list[0].ID != "market-x" || list[0].SafetyBufferUnits != 0 ||
		list[0].MaxListed != nil {
		t.Fatalf("channels = %+v, %v", list, err)
	}
	f.wantATS("MUG", map[string]int64{"market-x": 3})
	_, err = f.st.AvailableToSell(f.ctx, "BOWL")
	wantErr(t, err, oms.ENotFound, `"BOWL"`)
}

// TestWaitingOrderAllocatedByStockWritesOutbox: stock arriving for a waiting
// order changes on hand and allocated in one transaction; the outbox holds
// the net result once.
func TestWaitingOrderAllocatedByStockWritesOutbox(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.channel(store.Channel{ID: "ebay"})
	o := f.channelOrder("ebay", "E-1", "MUG", 2)
	f.wantStatus(o.Number, store.StatusWaiting, "MUG")
	before := len(f.outboxSince(0))
	f.stock(row("MUG", "A-01-01", 5))
	f.wantStatus(o.Number, store.StatusAllocated, "")
	wantOutbox(t, "outbox", f.outboxSince(before), "ebay MUG 3")
}

// TestShortPickWritesOutbox: a short pick releases the missing units'
// reservation, so channels may sell them again: the outbox says so.
func TestShortPickWritesOutbox(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("CUP", "A-01-01"))
	f.stock(row("CUP", "A-01-01", 5))
	f.channelOrder("amazon", "A-1", "CUP", 2)
	f.wantATS("CUP", map[string]int64{"amazon": 3})
	skip := len(f.outboxSince(0))
	f.task("ann")
	f.mustPick("ann", "A-01-01")
	f.mustPick("ann", "CUP")
	if _, err := f.st.PickShort(f.ctx, "ann", "", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CompletePickTask(f.ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	// One picked unit left the bin, one short unit is free again: 5-1 = 4 on
	// hand, nothing allocated.
	f.wantATS("CUP", map[string]int64{"amazon": 4})
	wantOutbox(t, "after a short pick", f.outboxSince(skip), "amazon CUP 4")
}

// TestAllocationWithinAvailableToSell: an order is allocated only if each of
// its SKUs fits in its own channel's available-to-sell.
func TestAllocationWithinAvailableToSell(t *testing.T) {
	three := int64(3)
	tests := []struct {
		name     string
		channels []store.Channel
		fence    int64 // units fenced for webshop
		orders   []string
		want     []string // status and reason of each order, in turn
		left     int64    // units still available afterwards
	}{
		{
			name: "fence held for another channel", fence: 4,
			orders: []string{"amazon 7", "amazon 6", "ebay 1", "webshop 4"},
			want: []string{"waiting MUG short by 1", "allocated", "waiting MUG short by 1",
				"allocated"},
		},
		{
			name: "own fence", fence: 4,
			orders: []string{"webshop 10"},
			want:   []string{"allocated"},
		},
		{
			name:     "buffer in units",
			channels: []store.Channel{{ID: "amazon", SafetyBufferUnits: 2}},
			orders:   []string{"amazon 9", "amazon 8", "amazon 1", "webshop 2"},
			want:     []string{"waiting MUG short by 1", "allocated", "waiting MUG short by 1", "allocated"},
		},
		{
			// ceil(25% of 10) = 3 units kept back, then ceil(25% of 3) = 1.
			name:     "buffer in percent",
			channels: []store.Channel{{ID: "ebay", SafetyBufferPercent: 25}},
			orders:   []string{"ebay 8", "ebay 7", "ebay 3", "ebay 2"},
			want:     []string{"waiting MUG short by 1", "allocated", "waiting MUG short by 1", "allocated"},
			left:     1,
		},
		{
			name:     "max listed",
			channels: []store.Channel{{ID: "ebay", MaxListed: &three}},
			orders:   []string{"ebay 4", "ebay 3", "ebay 3", "ebay 5"},
			want: []string{"waiting MUG short by 1", "allocated", "allocated",
				"waiting MUG short by 2"},
			left: 4,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.catalog(stocked("MUG", "A-01-01"))
			f.stock(row("MUG", "A-01-01", 10))
			for _, id := range []string{"amazon", "ebay", "webshop"} {
				f.channel(store.Channel{ID: id})
			}
			for _, c := range tc.channels {
				f.channel(c)
			}
			if tc.fence > 0 {
				f.fence("webshop", tc.fence)
			}
			for i, spec := range tc.orders {
				var ch string
				var qty int64
				fmt.Sscanf(spec, "%s %d", &ch, &qty)
				o := f.channelOrder(ch, fmt.Sprint("O-", i), "MUG", qty)
				status, reason, _ := strings.Cut(tc.want[i], " ")
				f.wantStatus(o.Number, status, reason)
			}
			f.wantStock("MUG", "A-01-01", 10, 10-tc.left)
		})
	}
}

func (f *fixture) fence(channel string, qty int64) {
	f.t.Helper()
	_, err := f.st.AddRingFence(f.ctx, "test", store.RingFenceInput{SKU: "MUG", ChannelID: channel, Qty: qty})
	if err != nil {
		f.t.Fatalf("fence %d for %s: %v", qty, channel, err)
	}
}

// TestBackorderWaitsForItsChannel: a waiting order is allocated when stock
// arrives, once its channel's buffer leaves room for it, and an order's
// lines of one SKU count together.
func TestBackorderWaitsForItsChannel(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 10))
	f.channel(store.Channel{ID: "amazon", SafetyBufferUnits: 2})
	in := orderInput("A-1", line("MUG", 5), line("MUG", 5))
	in.Channel = "amazon"
	o, _, err := f.st.CreateOrder(f.ctx, "test", in)
	if err != nil {
		t.Fatal(err)
	}
	f.wantStatus(o.Number, store.StatusWaiting, "cannot allocate: MUG short by 2")

	_, err = f.st.Receive(f.ctx, "test", store.ReceiveInput{SKU: "MUG", Bin: "A-01-02", Qty: 1})
	if err != nil {
		t.Fatal(err)
	}
	f.wantStatus(o.Number, store.StatusWaiting, "cannot allocate: MUG short by 1")
	if _, err := f.st.Receive(f.ctx, "test", store.ReceiveInput{SKU: "MUG", Bin: "A-01-02", Qty: 1}); err != nil {
		t.Fatal(err)
	}
	f.wantStatus(o.Number, store.StatusAllocated, "")
	f.wantATS("MUG", map[string]int64{"amazon": 0})
}

// TestRefusePolicy: a channel that refuses oversells gets an error naming
// the SKU and what it may sell, and nothing is stored, by API call or import.
func TestRefusePolicy(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"), stocked("CUP", "A-01-02"))
	f.stock(row("MUG", "A-01-01", 10), row("CUP", "A-01-02", 10))
	f.channel(store.Channel{ID: "ebay", OversellPolicy: store.OversellRefuse})
	f.channel(store.Channel{ID: "webshop"})
	f.fence("webshop", 4)
	db := f.raw()
	all := append(tables, "channels", "ring_fences", "outbox", "channel_listings")
	before := dump(t, db, all...)

	in := orderInput("E-1", line("CUP", 1), line("MUG", 7))
	in.Channel = "ebay"
	_, _, err := f.st.CreateOrder(f.ctx, "test", in)
	wantErr(t, err, oms.EConflict, "order E-1 refused", "MUG: needs 7, ebay may sell 6")
	if strings.Contains(err.Error(), "CUP") {
		t.Errorf("error %q names CUP, which fits", err)
	}
	if after := dump(t, db, all...); after != before {
		t.Errorf("a refused order changed the database:\n%s", after)
	}

	backorder := orderInput("W-1", line("MUG", 20))
	refused := orderInput("E-2", line("MUG", 7))
	refused.Channel = "ebay"
	_, err = f.st.ImportOrders(f.ctx, "test", []oms.OrderInput{backorder, refused})
	wantErr(t, err, oms.EConflict, "order E-2 refused", "MUG: needs 7, ebay may sell 6")
	if after := dump(t, db, all...); after != before {
		t.Errorf("a refused import changed the database:\n%s", after)
	}

	f.wantStatus(f.channelOrder("ebay", "E-1", "MUG", 6).Number, store.StatusAllocated, "")
	f.wantStatus(f.channelOrder("webshop", "S-1", "MUG", 4).Number, store.StatusAllocated, "")
	f.wantStock("MUG", "A-01-01", 10, 10)
}

// TestFenceEndingByTheClockWritesOutbox: when a fence's end time passes, the
// channels it held stock from may sell it again, and the outbox says so.
func TestFenceEndingByTheClockWritesOutbox(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 10))
	f.channel(store.Channel{ID: "amazon", Name: "Amazon"})
	f.channel(store.Channel{ID: "webshop", Name: "Web shop"})
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	f.st.Now = func() time.Time { return now }
	end := now.Add(time.Hour)
	if _, err := f.st.AddRingFence(f.ctx, "sue", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop", Qty: 4,
		EndsAt: end.Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	f.wantATS("MUG", map[string]int64{"amazon": 6, "webshop": 10})
	skip := len(f.outboxSince(0))
	before := now
	now = end.Add(time.Minute)
	if err := f.st.SyncFenceTimes(f.ctx, before, now); err != nil {
		t.Fatal(err)
	}
	wantOutbox(t, "after the fence ended", f.outboxSince(skip), "amazon MUG 10")
}
