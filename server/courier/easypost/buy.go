package easypost

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
)

// The API's objects, as much of them as Shipshape reads or sends.
type (
	address struct {
		Name    string `json:"name,omitempty"`
		Company string `json:"company,omitempty"`
		Street1 string `json:"street1,omitempty"`
		Street2 string `json:"street2,omitempty"`
		City    string `json:"city,omitempty"`
		State   string `json:"state,omitempty"`
		Zip     string `json:"zip,omitempty"`
		Country string `json:"country,omitempty"`
		Phone   string `json:"phone,omitempty"`
		Email   string `json:"email,omitempty"`
	}
	parcel struct {
		Length float64 `json:"length,omitempty"` // inches
		Width  float64 `json:"width,omitempty"`
		Height float64 `json:"height,omitempty"`
		Weight float64 `json:"weight"` // ounces
	}
	options struct {
		LabelFormat string `json:"label_format"`
		LabelDate   string `json:"label_date,omitempty"`
	}
	newShipment struct {
		Reference string  `json:"reference,omitempty"`
		To        address `json:"to_address"`
		From      address `json:"from_address"`
		Parcel    parcel  `json:"parcel"`
		Options   options `json:"options"`
	}
	rate struct {
		ID       string `json:"id"`
		Carrier  string `json:"carrier"`
		Service  string `json:"service"`
		Rate     string `json:"rate"` // a decimal, e.g. "7.58"
		Currency string `json:"currency"`
	}
	shipment struct {
		ID           string `json:"id"`
		Rates        []rate `json:"rates"`
		SelectedRate *rate  `json:"selected_rate"`
		PostageLabel *struct {
			LabelZPLURL string `json:"label_zpl_url"`
		} `json:"postage_label"`
		TrackingCode string `json:"tracking_code"`
		Tracker      *struct {
			PublicURL string `json:"public_url"`
		} `json:"tracker"`
		RefundStatus string `json:"refund_status"`
	}
)

// bought reports whether s has been paid for: it has a selected rate or a
// tracking code.
func (s *shipment) bought() bool { return s.SelectedRate != nil || s.TrackingCode != "" }

// Buy buys one EasyPost shipment per parcel at the rate whose carrier and
// service match req.Service, "CARRIER:SERVICE" as EasyPost names them (e.g.
// "USPS:Priority", "UPS:Ground"; case does not matter), and downloads each
// label as ZPL. The shipment's ID is the EasyPost shipment ids joined with
// commas, one per parcel in order, which Void and Manifest take.
//
// Weights go in ounces and sizes in inches, rounded up to a tenth (Ounces,
// Inches). EasyPost prints its own labels: req.Printer, ChannelOrderID and
// the parcels' SSCCs are not used, and label_format ZPL is asked for at the
// carrier's resolution (EasyPost takes no DPI).
//
// Whatever fails, Buy returns an *courier.Error and nothing stays bought:
// each parcel already bought is refunded, and a purchase whose answer was
// lost is looked up and refunded if it went through. The message says
// which parcel failed and what was refunded. If a refund cannot be made,
// the error's Unvoided names the shipments still bought. Kinds:
// ErrService for a malformed service or one not offered (the message lists
// the offers), ErrRequest for no parcels or a parcel without weight, and
// what apiError and transportError map.
//
// TODO: a retried Buy with the same IdempotencyKey buys again: EasyPost
// has no idempotency key. It is harmless only because a failed Buy leaves
// nothing bought.
func (c *Client) Buy(ctx context.Context, req courier.Request) (*courier.Shipment, error) {
	carrier, service, err := checkRequest(req)
	if err != nil {
		return nil, err
	}

	out := &courier.Shipment{}
	var ids []string
	for i, p := range req.Parcels {
		id, lb, r, err := c.buyParcel(ctx, req, i, p, carrier, service)
		if id != "" {
			ids = append(ids, id)
		}
		if err != nil {
			return nil, c.undo(ctx, ids, i, len(req.Parcels), err)
		}
		out.Labels = append(out.Labels, lb)
		out.Carrier, out.Service, out.Currency = r.Carrier, r.Service, r.Currency
		out.CostCents += cents(r.Rate)
	}
	out.ID = strings.Join(ids, ",")
	return out, nil
}

// checkRequest refuses what EasyPost would: no parcels, a parcel without
// weight, a service not written CARRIER:SERVICE.
func checkRequest(req courier.Request) (carrier, service string, err error) {
	carrier, service, ok := strings.Cut(req.Service, ":")
	carrier, service = strings.TrimSpace(carrier), strings.TrimSpace(service)
	if !ok || carrier == "" || service == "" {
		msg := fmt.Sprintf("service %q is not CARRIER:SERVICE, e.g. USPS:Priority", req.Service)
		return "", "", fail(courier.ErrService, "service", msg, nil)
	}
	if len(req.Parcels) == 0 {
		return "", "", fail(courier.ErrRequest, "parcels", "a shipment needs at least one parcel", nil)
	}
	for i, p := range req.Parcels {
		if p.WeightGrams <= 0 {
			msg := fmt.Sprintf("parcel %d has no weight (%d g)", i+1, p.WeightGrams)
			return "", "", fail(courier.ErrRequest, fmt.Sprintf("parcels[%d].weight", i), msg, nil)
		}
	}
	return carrier, service, nil
}

// buyParcel creates, buys and fetches the label of parcel i. It returns the
// shipment's id whenever one was created, even with an error: it may be
// bought (a lost answer), which undo finds out.
func (c *Client) buyParcel(ctx context.Context, req courier.Request, i int, p courier.Parcel,
	carrier, service string) (string, courier.Label, rate, error) {
	var created shipment
	body := map[string]newShipment{"shipment": toEasyPost(req, i, p)}
	if err := c.call(ctx, http.MethodPost, "/v2/shipments", body, &created); err != nil {
		return "", courier.Label{}, rate{}, err
	}
	r, err := pickRate(created.Rates, carrier, service)
	if err != nil {
		return "", courier.Label{}, rate{}, err
	}

	var sh shipment
	buy := map[string]any{"rate": map[string]string{"id": r.ID}}
	if err := c.call(ctx, http.MethodPost, "/v2/shipments/"+created.ID+"/buy", buy, &sh); err != nil {
		return created.ID, courier.Label{}, rate{}, err
	}
	lb, err := c.label(ctx, &sh)
	return created.ID, lb, r, err
}

// label downloads a bought shipment's ZPL label.
func (c *Client) label(ctx context.Context, sh *shipment) (courier.Label, error) {
	if sh.PostageLabel == nil || sh.PostageLabel.LabelZPLURL == "" {
		msg := fmt.Sprintf("shipment %s was bought without a ZPL label", sh.ID)
		return courier.Label{}, fail(courier.ErrUnavailable, "", msg, nil)
	}
	zpl, err := c.download(ctx, sh.PostageLabel.LabelZPLURL)
	if err != nil {
		return courier.Label{}, err
	}
	lb := courier.Label{Tracking: sh.TrackingCode, ZPL: zpl}
	if sh.Tracker != nil {
		lb.TrackingURL = sh.Tracker.PublicURL
	}
	return lb, nil
}

// toEasyPost is parcel i of req as an EasyPost shipment to create.
func toEasyPost(req courier.Request, i int, p courier.Parcel) newShipment {
	ref := p.Reference
	if ref == "" && req.Reference != "" {
		ref = fmt.Sprintf("%s %d/%d", req.Reference, i+1, len(req.Parcels))
	}
	s := newShipment{
		Reference: ref, To: toAddress(req.To), From: toAddress(req.From),
		Parcel: parcel{Length: Inches(p.LengthMM), Width: Inches(p.WidthMM), Height: Inches(p.HeightMM),
			Weight: Ounces(p.WeightGrams)},
		Options: options{LabelFormat: "ZPL"},
	}
	if !req.ShipDate.IsZero() {
		s.Options.LabelDate = req.ShipDate.Format(time.RFC3339)
	}
	return s
}

// toAddress is a as EasyPost wants it: two street lines, the third joined
// to the second.
func toAddress(a courier.Address) address {
	street2 := a.Line2
	if a.Line3 != "" {
		street2 = strings.TrimPrefix(street2+", "+a.Line3, ", ")
	}
	return address{Name: a.Name, Company: a.Company, Street1: a.Line1, Street2: street2, City: a.City,
		State: a.State, Zip: a.PostalCode, Country: a.Country, Phone: a.Phone, Email: a.Email}
}

// pickRate returns the rate for carrier and service, or an ErrService
// error listing what EasyPost offered.
func pickRate(rates []rate, carrier, service string) (rate, error) {
	offered := make([]string, 0, len(rates))
	for _, r := range rates {
		if strings.EqualFold(r.Carrier, carrier) && strings.EqualFold(r.Service, service) {
			return r, nil
		}
		offered = append(offered, r.Carrier+":"+r.Service)
	}
	list := strings.Join(offered, ", ")
	if list == "" {
		list = "none"
	}
	msg := fmt.Sprintf("%s:%s is not offered for this parcel; offered: %s", carrier, service, list)
	return rate{}, fail(courier.ErrService, "service", msg, nil)
}

// cents reads a decimal amount such as "7.58"; 0 when it is not one.
func cents(amount string) int64 {
	f, err := strconv.ParseFloat(amount, 64)
	if err != nil {
		return 0
	}
	return int64(f*100 + 0.5)
}
