package easypost_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/courier/easypost"
	"github.com/shipshape-oms/shipshape/server/courier/easypost/easyposttest"
)

func newClient(t *testing.T, f *easyposttest.Fake, key string) *easypost.Client {
	t.Helper()
	c, err := easypost.New(easypost.Config{APIKey: key, BaseURL: f.URL + "/", Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func request(parcels int) courier.Request {
	req := courier.Request{
		Reference: "SO-000042", Service: "usps:priority", LabelDPI: 203,
		From: courier.Address{Name: "Shipshape", Line1: "417 Main St", City: "San Francisco", State: "CA",
			PostalCode: "94104", Country: "US"},
		To: courier.Address{Name: "Ada Lovelace", Line1: "1 Elm St", Line2: "Apt 2", Line3: "Rear door",
			City: "Boston", State: "MA", PostalCode: "02108", Country: "US"},
		ShipDate: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC),
	}
	for i := range parcels {
		req.Parcels = append(req.Parcels, courier.Parcel{WeightGrams: 1000 + 200*i, LengthMM: 300,
			WidthMM: 254, HeightMM: 100})
	}
	return req
}

func TestBuyThreeParcels(t *testing.T) {
	f := easyposttest.NewFake(t)
	sh, err := newClient(t, f, easyposttest.APIKey).Buy(context.Background(), request(3))
	if err != nil {
		t.Fatal(err)
	}

	held := f.Shipments()
	if len(held) != 3 || len(sh.Labels) != 3 {
		t.Fatalf("%d shipments at EasyPost, %d labels; want 3 and 3", len(held), len(sh.Labels))
	}
	ids := []string{held[0].ID, held[1].ID, held[2].ID}
	if want := strings.Join(ids, ","); sh.ID != want {
		t.Errorf("ID = %q, want %q", sh.ID, want)
	}
	if sh.Carrier != "USPS" || sh.Service != "Priority" || sh.CostCents != 3*758 || sh.Currency != "USD" {
		t.Errorf("shipment = %s %s %d %s, want USPS Priority 2274 USD", sh.Carrier, sh.Service, sh.CostCents,
			sh.Currency)
	}
	weights := []float64{35.3, 42.4, 49.4} // 1000, 1200 and 1400 g
	seen := map[string]bool{}
	for i, lb := range sh.Labels {
		h := held[i]
		if !h.Bought || h.Service != "Priority" || lb.Tracking != h.TrackingCode || seen[lb.Tracking] {
			t.Errorf("parcel %d: label %q, EasyPost has %+v", i+1, lb.Tracking, h)
		}
		seen[lb.Tracking] = true
		if !bytes.Equal(lb.ZPL, f.Label(h.ID)) || !bytes.HasPrefix(lb.ZPL, []byte("^XA")) {
			t.Errorf("parcel %d ZPL = %q, want what the fake served %q", i+1, lb.ZPL, f.Label(h.ID))
		}
		if want := f.URL + "/track/" + h.TrackingCode; lb.TrackingURL != want {
			t.Errorf("parcel %d TrackingURL = %q, want %q", i+1, lb.TrackingURL, want)
		}
		if h.Weight != weights[i] || h.Length != 11.9 || h.Width != 10 || h.Height != 4 {
			t.Errorf("parcel %d sent as %v oz %vx%vx%v in", i+1, h.Weight, h.Length, h.Width, h.Height)
		}
		if want := fmt.Sprintf("SO-000042 %d/3", i+1); h.Reference != want {
			t.Errorf("parcel %d reference = %q, want %q", i+1, h.Reference, want)
		}
	}
	for _, r := range f.Requests() {
		if strings.HasPrefix(r.Path, "/files/") == r.Auth {
			t.Errorf("%s %s: Authorization sent = %v", r.Method, r.Path, r.Auth)
		}
	}
	if body := f.Requests()[0].Body; !strings.Contains(body, `"street2":"Apt 2, Rear door"`) ||
		!strings.Contains(body, `"label_format":"ZPL"`) {
		t.Errorf("create body = %s", body)
	}
}

func TestBuyErrors(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		setup   func(*easyposttest.Fake)
		service string
		kind    error
		want    string
	}{
		{"address refused", "", func(f *easyposttest.Fake) {
			f.FailAddress("address", "Address not found", "street1", "House number is missing")
		}, "", courier.ErrAddress, "EasyPost: address refused (line1): Address not found; House number is missing"},
		{"rate limited", "", func(f *easyposttest.Fake) { f.RateLimit(30) }, "",
			courier.ErrRateLimited, "EasyPost: courier is rate limiting: Too many requests (retry in 30s)"},
		{"wrong key", "EZTKwrong", nil, "", courier.ErrAuth,
			"EasyPost: courier refused the credentials: The API key is not valid"},
		{"service not offered", "", nil, "USPS:Teleport", courier.ErrService,
			"EasyPost: service refused (service): USPS:Teleport is not offered for this parcel; " +
				"offered: USPS:GroundAdvantage, USPS:Priority, USPS:Express, UPS:Ground"},
		{"service without carrier", "", nil, "Priority", courier.ErrService,
			`EasyPost: service refused (service): service "Priority" is not CARRIER:SERVICE, e.g. USPS:Priority`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := easyposttest.NewFake(t)
			if tc.setup != nil {
				tc.setup(f)
			}
			req := request(1)
			if tc.service != "" {
				req.Service = tc.service
			}
			_, err := newClient(t, f, cmpOr(tc.key, easyposttest.APIKey)).Buy(context.Background(), req)
			checkError(t, err, tc.kind, tc.want)
			for _, s := range f.Shipments() {
				if s.Bought {
					t.Errorf("%s left bought", s.ID)
				}
			}
		})
	}
}

func TestBuyFailingOnParcel2RefundsParcel1(t *testing.T) {
	f := easyposttest.NewFake(t)
	f.FailBuy(2)
	_, err := newClient(t, f, easyposttest.APIKey).Buy(context.Background(), request(3))

	held := f.Shipments()
	if len(held) != 2 {
		t.Fatalf("%d shipments created, want 2 (none after the failure)", len(held))
	}
	want := "EasyPost: shipment details refused: parcel 2 of 3: The carrier could not make the label; " +
		"refunded parcel 1 (" + held[0].ID + ")"
	checkError(t, err, courier.ErrRequest, want)
	if !held[0].Bought || held[0].RefundStatus != "submitted" || held[1].Bought {
		t.Errorf("EasyPost holds %+v", held)
	}
	if !slices.ContainsFunc(f.Requests(), func(r easyposttest.Request) bool {
		return r.Path == "/v2/shipments/"+held[0].ID+"/refund"
	}) {
		t.Error("no refund request for parcel 1")
	}
}

func TestBuyRefundRejected(t *testing.T) {
	f := easyposttest.NewFake(t)
	f.FailBuy(2)
	f.RejectRefunds()
	_, err := newClient(t, f, easyposttest.APIKey).Buy(context.Background(), request(2))

	id := f.Shipments()[0].ID
	var ce *courier.Error
	if !errors.As(err, &ce) || !slices.Equal(ce.Unvoided, []string{id}) {
		t.Fatalf("Buy = %v, want Unvoided [%s]", err, id)
	}
	want := "EasyPost: shipment details refused: parcel 2 of 2: The carrier could not make the label; " +
		"could not refund " + id + " (EasyPost: shipment details refused: EasyPost rejected the refund of " +
		id + "): void it"
	checkError(t, err, courier.ErrRequest, want)
}

func TestBuyTimeout(t *testing.T) {
	tests := []struct {
		name     string
		parcels  int
		bought   bool
		refunded int    // shipments refunded afterwards
		note     string // the end of the message
	}{
		{"answer lost after the purchase", 3, true, 2, "refunded parcel 1 ({1}), parcel 2 ({2})"},
		{"no purchase", 1, false, 0, "nothing was bought"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := easyposttest.NewFake(t)
			f.HangBuy(min(2, tc.parcels), tc.bought)
			_, err := newClient(t, f, easyposttest.APIKey).Buy(context.Background(), request(tc.parcels))

			held := f.Shipments()
			last := held[len(held)-1].ID
			prefix := ""
			if tc.parcels > 1 {
				prefix = fmt.Sprintf("parcel 2 of %d: ", tc.parcels)
			}
			note := strings.NewReplacer("{1}", held[0].ID, "{2}", last).Replace(tc.note)
			want := "EasyPost: courier did not answer: " + prefix + "no answer to POST /v2/shipments/" + last +
				"/buy within 500ms; " + note
			checkError(t, err, courier.ErrTimeout, want)
			refunded := 0
			for _, s := range held {
				if s.Bought && s.RefundStatus != "submitted" {
					t.Errorf("%s left bought", s.ID)
				}
				if s.RefundStatus == "submitted" {
					refunded++
				}
			}
			if refunded != tc.refunded {
				t.Errorf("%d refunded, want %d", refunded, tc.refunded)
			}
		})
	}
}

func TestVoidRefundsAll(t *testing.T) {
	f := easyposttest.NewFake(t)
	c := newClient(t, f, easyposttest.APIKey)
	sh, err := c.Buy(context.Background(), request(3))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Void(context.Background(), sh.ID); err != nil {
		t.Fatal(err)
	}
	for _, s := range f.Shipments() {
		if s.RefundStatus != "submitted" {
			t.Errorf("%s refund status %q, want submitted", s.ID, s.RefundStatus)
		}
	}

	err = c.Void(context.Background(), sh.ID+",shp_unknown")
	checkError(t, err, courier.ErrNotFound,
		"EasyPost: no such shipment: refund: The requested resource could not be found (shp_unknown)")
	var ce *courier.Error
	if errors.As(err, &ce); !slices.Equal(ce.Unvoided, []string{"shp_unknown"}) {
		t.Errorf("Unvoided = %q", ce.Unvoided)
	}
	checkError(t, c.Void(context.Background(), " , "), courier.ErrNotFound,
		`EasyPost: no such shipment: " , " names no EasyPost shipment`)
}

func TestManifest(t *testing.T) {
	f := easyposttest.NewFake(t)
	c := newClient(t, f, easyposttest.APIKey)
	var ids []string
	for _, n := range []int{2, 1} {
		sh, err := c.Buy(context.Background(), request(n))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sh.ID)
	}

	day := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)
	m, err := c.Manifest(context.Background(), ids, day)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.ID, "sf_") || !bytes.Equal(m.Document, easyposttest.FormPDF(m.ID)) ||
		m.DocumentType != "application/pdf" || !slices.Equal(m.Shipments, ids) || !m.Day.Equal(day) {
		t.Errorf("manifest = %+v", m)
	}
	for _, s := range f.Shipments() {
		if s.ScanForm != m.ID {
			t.Errorf("%s is on scan form %q, want %q", s.ID, s.ScanForm, m.ID)
		}
	}

	_, err = c.Manifest(context.Background(), ids[:1], day)
	checkError(t, err, courier.ErrRequest, "EasyPost: shipment details refused: Shipment "+
		strings.Split(ids[0], ",")[0]+" is unbought, refunded or already on a scan form")
	_, err = c.Manifest(context.Background(), nil, day)
	checkError(t, err, courier.ErrRequest,
		"EasyPost: shipment details refused (shipments): there are no shipments to manifest")
}

func TestNewRefusesConfig(t *testing.T) {
	for name, cfg := range map[string]easypost.Config{
		"no key":       {BaseURL: "http://127.0.0.1:1"},
		"no base URL":  {APIKey: "k"},
		"no scheme":    {APIKey: "k", BaseURL: "api.easypost.com"},
		"not http":     {APIKey: "k", BaseURL: "ftp://127.0.0.1/"},
		"with a query": {APIKey: "k", BaseURL: "http://127.0.0.1/?x=1"},
	} {
		if _, err := easypost.New(cfg); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	f := easyposttest.NewFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newClient(t, f, easyposttest.APIKey).Buy(ctx, request(1))
	checkError(t, err, courier.ErrTimeout, "EasyPost: courier did not answer: POST /v2/shipments was cancelled")
}

func checkError(t *testing.T, err error, kind error, want string) {
	t.Helper()
	var ce *courier.Error
	if !errors.As(err, &ce) || !errors.Is(err, kind) {
		t.Fatalf("error = %v, want a *courier.Error of kind %v", err, kind)
	}
	if err.Error() != want {
		t.Errorf("error =\n%q\nwant\n%q", err, want)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
