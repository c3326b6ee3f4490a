package courier

import (
	"context"
	"errors"
	"time"

	"github.com/shipshape-oms/shipshape/labels"
)

// Courier buys shipments from one carrier or aggregator: a label and a
// tracking number per parcel. Implementations must be safe for concurrent
// use and must never leave a shipment half-bought: Buy either returns every
// parcel's label or buys nothing (voiding what it bought on the way).
type Courier interface {
	// Name is the courier's name as people read it, e.g. "Local courier"
	// or "EasyPost".
	Name() string

	// Buy creates and pays for the shipment of req's parcels. It returns an
	// *Error (errors.As) whose Kind says what went wrong: a bad address, a
	// refused service, rate limiting, a timeout.
	Buy(ctx context.Context, req Request) (*Shipment, error)

	// Void cancels a bought shipment (its labels must not be used). It
	// returns an *Error: ErrNotFound for an id the courier does not know.
	Void(ctx context.Context, shipmentID string) error

	// Manifest closes out the day's shipments with the courier (the
	// end-of-day manifest or scan form the driver signs) and returns what to
	// print or keep. It returns an *Error when the courier refuses it.
	Manifest(ctx context.Context, shipmentIDs []string, day time.Time) (*Manifest, error)
}

// Address is a postal address as couriers want it.
type Address struct {
	Name, Company, Line1, Line2, Line3 string
	City, State, PostalCode            string
	Country                            string // ISO 3166-1 alpha-2
	Phone, Email                       string
}

// Label returns a as the labels package prints it (without the email).
func (a Address) Label() labels.Address {
	return labels.Address{
		Name: a.Name, Company: a.Company, Line1: a.Line1, Line2: a.Line2, Line3: a.Line3,
		City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country,
		Phone: a.Phone,
	}
}

// Parcel is one box: its weight, its outer size and a reference printed on
// its label.
type Parcel struct {
	WeightGrams                 int
	LengthMM, WidthMM, HeightMM int
	Reference                   string // e.g. "SO-000001 2/3"
	// SSCC is the parcel's 18-digit Serial Shipping Container Code, printed
	// by couriers that draw their own labels (the local courier); "" for none.
	SSCC string
}

// Request is everything a courier needs to buy one shipment.
type Request struct {
	Reference string // the order number
	// ChannelOrderID is the sales channel's order id, printed as the
	// label's reference by couriers that draw their own labels.
	ChannelOrderID string
	// IdempotencyKey makes a retried Buy return the first purchase instead
	// of buying again, where the courier supports it.
	IdempotencyKey string
	From, To       Address
	Service        string // the courier's service code
	Parcels        []Parcel
	LabelDPI       int // 203, 300 or 600: labels come back as ZPL at this resolution
	// Printer is the station's printer, for couriers that draw labels
	// themselves (its print width and Unicode font); a zero DPI in it
	// means LabelDPI.
	Printer  labels.Printer
	ShipDate time.Time
}

// Shipment is a bought shipment: one label per parcel, in the request's
// parcel order.
type Shipment struct {
	ID        string // the courier's id, for Void and Manifest
	Carrier   string // who carries it, e.g. "USPS", "Local courier"
	Service   string
	Labels    []Label
	CostCents int64
	Currency  string
}

// Label is one parcel's label and tracking.
type Label struct {
	Tracking    string
	TrackingURL string // "" when the courier has no public tracking page
	ZPL         []byte // the label as the courier made it; printed byte for byte
}

// Manifest is a courier's end-of-day close-out.
type Manifest struct {
	ID        string
	Day       time.Time
	Shipments []string
	// Document is the printable manifest: a URL the courier keeps it at
	// (DocumentURL) and/or the document itself (Document, with its type).
	DocumentURL  string
	Document     []byte
	DocumentType string // e.g. "application/pdf", "text/plain"
}

// Error kinds: what went wrong, so the station can tell the packer what to do.
var (
	ErrAddress     = errors.New("address refused")          // fix the address, then retry
	ErrService     = errors.New("service refused")          // choose another service
	ErrRateLimited = errors.New("courier is rate limiting") // retry after a while
	ErrTimeout     = errors.New("courier did not answer")   // retry; nothing is left bought but Error.Unvoided
	ErrAuth        = errors.New("courier refused the credentials")
	ErrUnavailable = errors.New("courier unavailable") // their side failed; retry later
	ErrNotFound    = errors.New("no such shipment")
	// ErrRequest is a weight, size or option the courier does not accept:
	// fix the parcel, then retry.
	ErrRequest = errors.New("shipment details refused")
	// ErrAccount is a billing or account setting the courier refuses: a
	// supervisor must fix the account; retrying does not help.
	ErrAccount = errors.New("courier account refused the purchase")
)

// Error is a courier's refusal, fit to show a packer: Kind is one of the
// Err* values above, Message the courier's own words, Field what they are
// about (e.g. "to.postal_code") when the courier says.
type Error struct {
	Courier    string
	Kind       error
	Message    string
	Field      string
	RetryAfter time.Duration // for ErrRateLimited, when the courier says
	// Unvoided names shipments a failed Buy bought and could not void:
	// the courier may charge for them until someone voids them (Void).
	Unvoided []string
	Err      error // the cause, if any
}

// Error returns "courier: kind (field): message", leaving out what is empty.
func (e *Error) Error() string {
	msg := e.Courier + ": " + e.Kind.Error()
	if e.Field != "" {
		msg += " (" + e.Field + ")"
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Unwrap lets errors.Is match Kind and the cause.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }
