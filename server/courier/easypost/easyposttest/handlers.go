package easyposttest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// create answers POST /v2/shipments: the shipment with its rates, or 422
// for a missing weight or street, or a pending FailAddress.
func (f *Fake) create(_ *http.Request, body []byte) (int, any) {
	var in struct {
		Shipment struct {
			Reference string `json:"reference"`
			To        struct {
				Street1 string `json:"street1"`
				Zip     string `json:"zip"`
			} `json:"to_address"`
			Parcel struct {
				Length, Width, Height, Weight float64
			} `json:"parcel"`
			Options struct {
				LabelFormat string `json:"label_format"`
			} `json:"options"`
		} `json:"shipment"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return http.StatusBadRequest, apiError("BAD_REQUEST", "The request body is not JSON", nil)
	}
	s := in.Shipment
	if f.addressError != nil {
		fields := f.addressError
		f.addressError = nil
		return http.StatusUnprocessableEntity, apiError("ADDRESS.VERIFY.FAILURE", "Address not found", fields)
	}
	if s.Parcel.Weight <= 0 || s.To.Street1 == "" {
		fields := []fieldError{{"parcel.weight", "must be greater than 0"}}
		if s.To.Street1 == "" {
			fields = []fieldError{{"to_address.street1", "is required"}}
		}
		return http.StatusUnprocessableEntity, apiError("SHIPMENT.INVALID_PARAMS", "Invalid shipment", fields)
	}

	sh := &Shipment{ID: f.id("shp"), Reference: s.Reference, Weight: s.Parcel.Weight,
		Length: s.Parcel.Length, Width: s.Parcel.Width, Height: s.Parcel.Height,
		ToStreet1: s.To.Street1, ToZip: s.To.Zip}
	for range Rates {
		sh.rates = append(sh.rates, f.id("rate"))
	}
	f.shipments[sh.ID] = sh
	f.order = append(f.order, sh.ID)
	return http.StatusCreated, f.render(sh)
}

// get answers GET /v2/shipments/{id}.
func (f *Fake) get(r *http.Request, _ []byte) (int, any) {
	sh, ok := f.shipments[r.PathValue("id")]
	if !ok {
		return notFound(r.PathValue("id"))
	}
	return http.StatusOK, f.render(sh)
}

// buy answers POST /v2/shipments/{id}/buy {"rate": {"id"}}: the bought
// shipment with its postage label, tracking code and tracker.
func (f *Fake) buy(r *http.Request, body []byte) (int, any) {
	sh, ok := f.shipments[r.PathValue("id")]
	if !ok {
		return notFound(r.PathValue("id"))
	}
	var in struct {
		Rate struct{ ID string } `json:"rate"`
	}
	_ = json.Unmarshal(body, &in)
	i := indexOf(sh.rates, in.Rate.ID)
	f.buys++
	switch {
	case i < 0:
		return http.StatusUnprocessableEntity, apiError("SHIPMENT.RATE.INVALID",
			"The rate does not belong to this shipment", []fieldError{{"rate", "is invalid"}})
	case sh.Bought:
		return http.StatusUnprocessableEntity, apiError("SHIPMENT.POSTAGE.EXISTS",
			"The shipment already has postage", nil)
	case f.buys == f.failBuy:
		return http.StatusUnprocessableEntity, apiError("SHIPMENT.POSTAGE.FAILURE",
			"The carrier could not make the label", nil)
	case f.buys == f.hangBuy && !f.hangBought:
		return 0, hangup(true)
	}

	sh.Bought, sh.Carrier, sh.Service = true, Rates[i].Carrier, Rates[i].Service
	sh.TrackingCode = trackingCode(f.seq)
	f.seq++
	f.labels[sh.ID] = LabelZPL(sh.Carrier, sh.Service, sh.TrackingCode)
	if f.buys == f.hangBuy {
		return 0, hangup(true)
	}
	return http.StatusOK, f.render(sh)
}

// trackingCode is a USPS-like 22-digit tracking code.
func trackingCode(n int) string { return fmt.Sprintf("94055%017d", n) }

// refund answers POST /v2/shipments/{id}/refund: refund_status becomes
// "submitted" (or "rejected" after RejectRefunds); an unbought shipment
// cannot be refunded.
func (f *Fake) refund(r *http.Request, _ []byte) (int, any) {
	sh, ok := f.shipments[r.PathValue("id")]
	if !ok {
		return notFound(r.PathValue("id"))
	}
	if !sh.Bought {
		return http.StatusUnprocessableEntity, apiError("SHIPMENT.REFUND.UNAVAILABLE",
			"The shipment has no postage to refund", nil)
	}
	if f.rejectRefund {
		return http.StatusOK, withRefund(f.render(sh), "rejected")
	}
	if sh.RefundStatus == "" {
		sh.RefundStatus = "submitted"
	}
	return http.StatusOK, f.render(sh)
}

func withRefund(sh map[string]any, status string) map[string]any {
	sh["refund_status"] = status
	return sh
}

// scanForm answers POST /v2/scan_forms {"shipments": [{"id"}]}: a created
// ScanForm over bought shipments in no other form and not refunded.
func (f *Fake) scanForm(_ *http.Request, body []byte) (int, any) {
	var in struct {
		Shipments []struct{ ID string } `json:"shipments"`
	}
	_ = json.Unmarshal(body, &in)
	if len(in.Shipments) == 0 {
		return http.StatusUnprocessableEntity, apiError("SCAN_FORM.INVALID_PARAMS", "No shipments given", nil)
	}
	var held []*Shipment
	for _, ref := range in.Shipments {
		sh, ok := f.shipments[ref.ID]
		switch {
		case !ok:
			return notFound(ref.ID)
		case !sh.Bought || sh.RefundStatus != "" || sh.ScanForm != "":
			return http.StatusUnprocessableEntity, apiError("SCAN_FORM.VALIDATION.ERROR",
				"Shipment "+sh.ID+" is unbought, refunded or already on a scan form", nil)
		}
		held = append(held, sh)
	}

	id := f.id("sf")
	codes := []string{}
	for _, sh := range held {
		sh.ScanForm = id
		codes = append(codes, sh.TrackingCode)
	}
	return http.StatusOK, map[string]any{
		"id": id, "object": "ScanForm", "status": "created", "message": nil,
		"tracking_codes": codes, "form_url": f.URL + "/files/scan_form/" + id + ".pdf",
		"form_file_type": nil, "address": map[string]any{"id": f.id("adr"), "object": "Address"},
	}
}

// render is a shipment as EasyPost answers it.
func (f *Fake) render(sh *Shipment) map[string]any {
	rates := []map[string]any{}
	var selected map[string]any
	for i, r := range Rates {
		m := map[string]any{"id": sh.rates[i], "object": "Rate", "carrier": r.Carrier,
			"service": r.Service, "rate": r.Rate, "currency": "USD", "shipment_id": sh.ID}
		rates = append(rates, m)
		if sh.Bought && r.Carrier == sh.Carrier && r.Service == sh.Service {
			selected = m
		}
	}
	out := map[string]any{
		"id": sh.ID, "object": "Shipment", "mode": "test", "reference": sh.Reference,
		"status": "unknown", "rates": rates, "selected_rate": selected, "postage_label": nil,
		"tracking_code": nil, "tracker": nil, "refund_status": nil, "scan_form": nil,
		"parcel": map[string]any{"object": "Parcel", "weight": sh.Weight, "length": sh.Length,
			"width": sh.Width, "height": sh.Height},
	}
	if sh.Bought {
		out["postage_label"] = map[string]any{"object": "PostageLabel", "label_file_type": "application/zpl",
			"label_zpl_url": f.URL + "/files/postage_label/" + sh.ID + ".zpl"}
		out["tracking_code"] = sh.TrackingCode
		out["tracker"] = map[string]any{"object": "Tracker", "tracking_code": sh.TrackingCode,
			"public_url": f.URL + "/track/" + sh.TrackingCode}
	}
	if sh.RefundStatus != "" {
		out["refund_status"] = sh.RefundStatus
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
