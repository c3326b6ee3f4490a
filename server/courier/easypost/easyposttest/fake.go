// Package easyposttest is a fake EasyPost API v2 on loopback for tests: it
// creates, buys and refunds shipments and makes scan forms with the shapes
// EasyPost documents (ids prefixed shp_, rate_, adr_…, the error JSON and
// status codes), serves each label's ZPL at its label_zpl_url, records every
// request, and can be told to fail in the ways the real one does.
package easyposttest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// APIKey is the key the fake accepts.
const APIKey = "EZTKfake0000000000000000000000"

// Rates are the rates the fake offers every parcel, whatever it weighs.
var Rates = []Rate{
	{Carrier: "USPS", Service: "GroundAdvantage", Rate: "5.93"},
	{Carrier: "USPS", Service: "Priority", Rate: "7.58"},
	{Carrier: "USPS", Service: "Express", Rate: "28.50"},
	{Carrier: "UPS", Service: "Ground", Rate: "9.10"},
}

// Rate is an offer: a carrier's service and its price in USD.
type Rate struct{ Carrier, Service, Rate string }

// Request is one request the fake received.
type Request struct {
	Method, Path string
	Body         string
	Auth         bool // whether it carried an Authorization header
}

// Shipment is a shipment as the fake holds it.
type Shipment struct {
	ID, Reference         string
	Weight                float64 // ounces
	Length, Width, Height float64 // inches
	ToStreet1, ToZip      string
	Bought                bool
	Carrier, Service      string // of the bought rate
	TrackingCode          string
	RefundStatus          string // "" or "submitted"
	ScanForm              string // the scan form holding it, "" for none
	rates                 []string
}

// Fake is a loopback EasyPost. Its methods are safe for concurrent use.
type Fake struct {
	URL string // the API's base URL, for easypost.Config.BaseURL

	mu        sync.Mutex
	seq       int
	shipments map[string]*Shipment
	order     []string
	labels    map[string][]byte // ZPL by shipment id
	requests  []Request
	buys      int

	addressError     []fieldError
	rateLimit        int // Retry-After seconds of the next request; -1 none
	failBuy, hangBuy int // the buy number that fails or hangs; 0 none
	hangBought       bool
	rejectRefund     bool
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// NewFake starts a fake EasyPost on 127.0.0.1, closed when the test ends.
func NewFake(t testing.TB) *Fake {
	f := &Fake{shipments: map[string]*Shipment{}, labels: map[string][]byte{}, rateLimit: -1}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/shipments", f.api(f.create))
	mux.HandleFunc("GET /v2/shipments/{id}", f.api(f.get))
	mux.HandleFunc("POST /v2/shipments/{id}/buy", f.api(f.buy))
	mux.HandleFunc("POST /v2/shipments/{id}/refund", f.api(f.refund))
	mux.HandleFunc("POST /v2/scan_forms", f.api(f.scanForm))
	mux.HandleFunc("GET /files/postage_label/{name}", f.file(f.labelFile))
	mux.HandleFunc("GET /files/scan_form/{name}", f.file(f.formFile))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// FailAddress makes the next shipment creation fail as EasyPost's address
// verification does: 422, code ADDRESS.VERIFY.FAILURE, with these field
// errors given as field, message pairs.
func (f *Fake) FailAddress(fieldMessages ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addressError = []fieldError{}
	for i := 0; i+1 < len(fieldMessages); i += 2 {
		f.addressError = append(f.addressError, fieldError{fieldMessages[i], fieldMessages[i+1]})
	}
}

// RateLimit makes the next API request answer 429 with Retry-After seconds.
func (f *Fake) RateLimit(seconds int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rateLimit = seconds
}

// FailBuy makes the nth buy from now (1 is the next) answer 422
// SHIPMENT.POSTAGE.FAILURE, buying nothing.
func (f *Fake) FailBuy(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failBuy = f.buys + n
}

// HangBuy makes the nth buy from now withhold its answer until the client
// gives up (a timeout). With bought, the purchase goes through first, as
// when the answer is lost on the way back.
func (f *Fake) HangBuy(n int, bought bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hangBuy, f.hangBought = f.buys+n, bought
}

// RejectRefunds makes every refund answer refund_status "rejected".
func (f *Fake) RejectRefunds() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejectRefund = true
}

// Shipments returns a copy of every shipment, in creation order.
func (f *Fake) Shipments() []Shipment {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Shipment, len(f.order))
	for i, id := range f.order {
		out[i] = *f.shipments[id]
	}
	return out
}

// Requests returns a copy of every request received, in order.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Label returns the ZPL served for a shipment's label; nil when unbought.
func (f *Fake) Label(shipmentID string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.labels[shipmentID]
}

// id makes an EasyPost-style id: the prefix and 32 hex digits.
func (f *Fake) id(prefix string) string {
	f.seq++
	return fmt.Sprintf("%s_%032x", prefix, f.seq)
}

// handler is an API handler, called with the fake locked; it returns the
// status and the JSON body to answer.
type handler func(r *http.Request, body []byte) (int, any)

// api records the request, checks Basic auth (the key as user, no
// password) and a pending rate limit, then runs h.
func (f *Fake) api(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.requests = append(f.requests, Request{r.Method, r.URL.Path, string(body),
			r.Header.Get("Authorization") != ""})
		status, out := f.gate(w, r)
		if out == nil {
			status, out = h(r, body)
		}
		hang, _ := out.(hangup)
		f.mu.Unlock()

		if hang {
			<-r.Context().Done() // the client gave up: it never gets an answer
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(out)
	}
}

// hangup is what a handler returns to withhold its answer.
type hangup bool

func (f *Fake) gate(w http.ResponseWriter, r *http.Request) (int, any) {
	if user, pass, ok := r.BasicAuth(); !ok || user != APIKey || pass != "" {
		return http.StatusUnauthorized, apiError("APIKEY.INACTIVE", "The API key is not valid", nil)
	}
	if f.rateLimit >= 0 {
		w.Header().Set("Retry-After", fmt.Sprint(f.rateLimit))
		f.rateLimit = -1
		return http.StatusTooManyRequests, apiError("RATE_LIMITED", "Too many requests", nil)
	}
	return 0, nil
}

func apiError(code, message string, fields []fieldError) map[string]any {
	e := map[string]any{"code": code, "message": message, "errors": []fieldError{}}
	if fields != nil {
		e["errors"] = fields
	}
	return map[string]any{"error": e}
}

func notFound(id string) (int, any) {
	return http.StatusNotFound, apiError("NOT_FOUND", "The requested resource could not be found ("+id+")", nil)
}

// file serves a label or form: without auth, as EasyPost's file host
// does, and refusing a request that carries the API key to it.
func (f *Fake) file(serve func(name string) ([]byte, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization") != ""
		f.mu.Lock()
		f.requests = append(f.requests, Request{Method: r.Method, Path: r.URL.Path, Auth: auth})
		data, typ := serve(r.PathValue("name"))
		f.mu.Unlock()
		switch {
		case auth:
			http.Error(w, "credentials sent to the file host", http.StatusForbidden)
		case data == nil:
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", typ)
			_, _ = w.Write(data)
		}
	}
}

func (f *Fake) labelFile(name string) ([]byte, string) {
	return f.labels[strings.TrimSuffix(name, ".zpl")], "application/zpl"
}

func (f *Fake) formFile(name string) ([]byte, string) {
	id := strings.TrimSuffix(name, ".pdf")
	for _, s := range f.shipments {
		if s.ScanForm == id {
			return FormPDF(id), "application/pdf"
		}
	}
	return nil, ""
}

// LabelZPL is the label the fake serves for a tracking code: a small
// valid ZPL document.
func LabelZPL(carrier, service, tracking string) []byte {
	return fmt.Appendf(nil, "^XA\n^CI28\n^FO40,40^A0N,40,40^FD%s %s^FS\n"+
		"^FO40,100^BCN,120,Y,N,N^FD%s^FS\n^XZ\n", carrier, service, tracking)
}

// FormPDF is the document the fake serves for a scan form: not a real
// PDF, only its first and last lines around the form's id.
func FormPDF(id string) []byte {
	return []byte("%PDF-1.4\n% fake EasyPost scan form " + id + "\n%%EOF\n")
}
