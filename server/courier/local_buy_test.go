package courier

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/labels"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	warehouse = Address{Name: "Shipshape Warehouse", Line1: "1 Dock Road", City: "Leeds",
		PostalCode: "LS1 4AP", Country: "GB"}
	customer = Address{Name: "Ada Lovelace", Line1: "12 St James's Square", City: "London",
		PostalCode: "SW1Y 4JH", Country: "GB"}
)

// counter is a serial source like the server's: it counts from next.
type counter struct{ next int64 }

func (c *counter) serials(_ context.Context, n int) ([]int64, error) {
	out := make([]int64, n)
	for i := range out {
		out[i] = c.next
		c.next++
	}
	return out, nil
}

func newLocal(t *testing.T, c *counter) *Local {
	t.Helper()
	l, err := NewLocal(LocalConfig{Country: "gb", From: warehouse,
		TrackingURL: "https://track.example.test/{tracking}", Serials: c.serials})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func threeParcels() Request {
	return Request{
		Reference: "SO-000042", ChannelOrderID: "206-1234567-1234567",
		To: customer, Service: "Next day", LabelDPI: 203,
		ShipDate: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC),
		Parcels:  []Parcel{{WeightGrams: 1200}, {WeightGrams: 800}, {WeightGrams: 350}},
	}
}

func TestLocalBuyLabels(t *testing.T) {
	l := newLocal(t, &counter{next: 47312482})
	sh, err := l.Buy(context.Background(), threeParcels())
	if err != nil {
		t.Fatal(err)
	}

	want := []string{"LC473124829GB", "LC473124832GB", "LC473124846GB"}
	if got := trackings(sh); !slices.Equal(got, want) {
		t.Fatalf("tracking = %q, want %q", got, want)
	}
	if want := "SO-000042:" + want[0] + "," + want[1] + "," + want[2]; sh.ID != want {
		t.Errorf("ID = %q, want %q", sh.ID, want)
	}
	if sh.Carrier != "Local courier" || sh.Service != "Next day" {
		t.Errorf("carrier, service = %q, %q", sh.Carrier, sh.Service)
	}
	for k, lb := range sh.Labels {
		fields := labels.Fields(lb.ZPL)
		for _, f := range []string{
			"Parcel " + []string{"1/3", "2/3", "3/3"}[k], want[k], "Order SO-000042",
			"Ref 206-1234567-1234567", "Local courier - Next day", "Date 2025-03-14", "Shipshape Warehouse",
		} {
			if !slices.Contains(fields, f) {
				t.Errorf("label %d has no field %q; fields %q", k+1, f, fields)
			}
		}
		if u := "https://track.example.test/" + want[k]; lb.TrackingURL != u {
			t.Errorf("label %d TrackingURL = %q, want %q", k+1, lb.TrackingURL, u)
		}
	}
}

func TestLocalBuyDPIAndSSCC(t *testing.T) {
	l := newLocal(t, &counter{next: 1})
	req := threeParcels()
	req.Parcels = req.Parcels[:1]
	req.Parcels[0].SSCC = "106141411234567897"
	req.LabelDPI = 300
	sh, err := l.Buy(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	zpl := sh.Labels[0].ZPL
	if !slices.Contains(labels.Fields(zpl), "(00)106141411234567897") {
		t.Errorf("label has no SSCC: %q", labels.Fields(zpl))
	}
	at300, err := labels.ShippingLabel(labels.Shipping{ShipFrom: warehouse.Label(), ShipTo: customer.Label(),
		OrderNumber: "SO-000042", Reference: req.ChannelOrderID, Carrier: "Local courier",
		Service: "Next day", Tracking: sh.Labels[0].Tracking, ShipDate: req.ShipDate,
		SSCC: req.Parcels[0].SSCC}, labels.Printer{DPI: 300})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(zpl, at300) {
		t.Error("label differs from labels.ShippingLabel at 300 dpi")
	}
}

func TestLocalBuyErrors(t *testing.T) {
	noName := threeParcels()
	noName.To.Name = ""
	none := threeParcels()
	none.Parcels = nil
	failing := func(context.Context, int) ([]int64, error) { return nil, errors.New("disk full") }
	short := func(context.Context, int) ([]int64, error) { return []int64{1}, nil }

	tests := []struct {
		name    string
		serials func(context.Context, int) ([]int64, error)
		req     Request
		kind    error
		want    string
	}{
		{"no recipient name", nil, noName, ErrAddress,
			"Local courier: address refused (to.name): is required"},
		{"no parcels", nil, none, ErrRequest,
			"Local courier: shipment details refused (parcels): a shipment needs at least one parcel"},
		{"serials fail", failing, threeParcels(), ErrUnavailable,
			"Local courier: courier unavailable: could not issue tracking numbers"},
		{"too few serials", short, threeParcels(), ErrUnavailable,
			"Local courier: courier unavailable: asked for 3 tracking serials, got 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &counter{next: 1}
			l := newLocal(t, c)
			if tc.serials != nil {
				l.cfg.Serials = tc.serials
			}
			_, err := l.Buy(context.Background(), tc.req)
			var ce *Error
			if !errors.As(err, &ce) || !errors.Is(err, tc.kind) {
				t.Fatalf("Buy error = %v, want an *Error of kind %v", err, tc.kind)
			}
			if err.Error() != tc.want {
				t.Errorf("Buy error = %q, want %q", err, tc.want)
			}
			if tc.serials == nil && c.next != 1 {
				t.Errorf("a refused request took %d serials", c.next-1)
			}
		})
	}
}

func TestLocalBuyWithoutNewLocal(t *testing.T) {
	_, err := (&Local{Country: "GB"}).Buy(context.Background(), threeParcels())
	if !errors.Is(err, ErrRequest) {
		t.Errorf("Buy on a bare Local = %v, want ErrRequest", err)
	}
}

func TestNewLocalErrors(t *testing.T) {
	c := &counter{}
	for name, cfg := range map[string]LocalConfig{
		"no serials":         {Country: "GB"},
		"url without marker": {Country: "GB", Serials: c.serials, TrackingURL: "https://t.example.test/"},
	} {
		if _, err := NewLocal(cfg); err == nil {
			t.Errorf("%s: NewLocal returned no error", name)
		}
	}
}

func TestLocalManifest(t *testing.T) {
	l := newLocal(t, &counter{next: 1})
	first, err := l.Buy(context.Background(), threeParcels())
	if err != nil {
		t.Fatal(err)
	}
	second := threeParcels()
	second.Reference, second.Parcels = "SO-000043", second.Parcels[:1]
	other, err := l.Buy(context.Background(), second)
	if err != nil {
		t.Fatal(err)
	}

	day := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)
	m, err := l.Manifest(context.Background(), []string{first.ID, other.ID}, day)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "LC-20250314" || m.DocumentType != "text/plain; charset=utf-8" || len(m.Shipments) != 2 {
		t.Errorf("manifest = %q, %q, %d shipments", m.ID, m.DocumentType, len(m.Shipments))
	}
	golden(t, filepath.Join("testdata", "local-manifest.txt"), m.Document)
}

func TestLocalVoidAndManifestUnknown(t *testing.T) {
	l := newLocal(t, &counter{next: 1})
	if err := l.Void(context.Background(), "SO-000042:LC000000014GB"); err != nil {
		t.Errorf("Void of a valid id = %v", err)
	}
	for _, id := range []string{"SO-1", "SO-1:LC000000015GB", "SO-1:LC000000014FR", ""} {
		err := l.Void(context.Background(), id)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("Void(%q) = %v, want ErrNotFound", id, err)
		}
		if _, err := l.Manifest(context.Background(), []string{id}, time.Now()); !errors.Is(err, ErrNotFound) {
			t.Errorf("Manifest(%q) = %v, want ErrNotFound", id, err)
		}
	}
	if _, err := l.Manifest(context.Background(), nil, time.Now()); !errors.Is(err, ErrRequest) {
		t.Errorf("Manifest of nothing = %v, want ErrRequest", err)
	}
}

func trackings(sh *Shipment) []string {
	var out []string
	for _, l := range sh.Labels {
		out = append(out, l.Tracking)
	}
	return out
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (-update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
