// Package courier is how Shipshape buys shipping labels: the Courier
// interface, its errors, and the built-in local courier (the warehouse's own
// vans or customer collections, which needs no outside service). Adapters for
// outside couriers live in subpackages (easypost).
package courier

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
)

// LocalConfig configures the local courier.
type LocalConfig struct {
	// Country is the warehouse's ISO 3166-1 alpha-2 code, the tracking
	// numbers' suffix ("XX" when it is not two letters).
	Country string
	// From is the warehouse: the sender of a request that has none, and the
	// heading of the manifest.
	From Address
	// TrackingURL, when set, is the public tracking page of a parcel:
	// "{tracking}" in it is replaced by the tracking number.
	TrackingURL string
	// Serials returns n new serials, each used once, from 1 to 99999999:
	// the server counts them in its database. Required for Buy.
	Serials func(ctx context.Context, n int) ([]int64, error)
}

// Local issues tracking numbers for the warehouse's own deliveries and draws
// their labels. A Local made with NewLocal is a Courier; a bare
// Local{Country} only issues tracking numbers (Tracking).
type Local struct {
	Country string // ISO 3166-1 alpha-2 of the warehouse, the numbers' suffix
	cfg     LocalConfig
}

var _ Courier = (*Local)(nil)

// NewLocal returns the local courier. It returns an error when c.Serials is
// nil or c.TrackingURL is set without "{tracking}".
func NewLocal(c LocalConfig) (*Local, error) {
	if c.Serials == nil {
		return nil, errors.New("local courier: Serials is required")
	}
	if c.TrackingURL != "" && !strings.Contains(c.TrackingURL, "{tracking}") {
		return nil, fmt.Errorf("local courier: TrackingURL %q has no {tracking}", c.TrackingURL)
	}
	return &Local{Country: c.Country, cfg: c}, nil
}

// Name is the carrier name printed on labels.
func (Local) Name() string { return "Local courier" }

// Tracking returns the tracking number for a serial: the UPU S10 layout
// (two letters, eight digits, a check digit, the country), so a mistyped
// number is caught by its check digit. It panics for serials outside
// 1..99999999, which the store's counter never reaches in practice.
func (l Local) Tracking(serial int64) string {
	if serial < 1 || serial > 99_999_999 {
		panic(fmt.Sprintf("courier: serial %d out of range", serial))
	}
	digits := fmt.Sprintf("%08d", serial)
	country := strings.ToUpper(l.Country)
	if len(country) != 2 {
		country = "XX"
	}
	return "LC" + digits + fmt.Sprint(S10CheckDigit(digits)) + country
}

// S10CheckDigit returns the check digit of an S10 serial of eight digits
// (UPU standard S10, weights 8 6 4 2 3 5 9 7, modulus 11).
func S10CheckDigit(digits string) int {
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i := range weights {
		sum += int(digits[i]-'0') * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 0
	case 11:
		return 5
	default:
		return c
	}
}

// Buy issues one tracking number per parcel and draws each parcel's 4x6
// label ("Parcel k/N", the request's service, ship date and SSCC) for
// req.Printer, at req.LabelDPI when the printer's DPI is 0. Nothing is
// bought, so it costs nothing.
//
// The shipment's ID is the order reference, a colon, and the tracking
// numbers joined with commas ("SO-000001:LC000000016GB,LC000000024GB"):
// the local courier keeps no records, so Manifest reads the parcels from
// the ID.
//
// It returns an *Error: ErrRequest for no parcels or a Local not made by
// NewLocal, ErrAddress naming the field the label cannot print (e.g.
// "to.line1"), ErrUnavailable when Serials fails. Serials are taken only
// after the recipient is checked, so a bad address wastes none.
func (l *Local) Buy(ctx context.Context, req Request) (*Shipment, error) {
	if err := l.checkRequest(req); err != nil {
		return nil, err
	}
	serials, err := l.serials(ctx, len(req.Parcels))
	if err != nil {
		return nil, err
	}

	sh := &Shipment{Carrier: l.Name(), Service: localService(req.Service)}
	tracking := make([]string, len(req.Parcels))
	for i, serial := range serials {
		tracking[i] = l.Tracking(serial)
		zpl, err := l.label(req, i, tracking[i])
		if err != nil {
			return nil, err
		}
		lb := Label{Tracking: tracking[i], TrackingURL: l.trackingURL(tracking[i]), ZPL: zpl}
		sh.Labels = append(sh.Labels, lb)
	}
	sh.ID = localID(req.Reference, tracking)
	return sh, nil
}

// checkRequest refuses, before any serial is taken, what would make a label
// fail: no parcels, no serial source, a recipient that cannot print.
func (l *Local) checkRequest(req Request) error {
	switch {
	case l.cfg.Serials == nil:
		return l.fail(ErrRequest, "", "the local courier was not set up with NewLocal", nil)
	case len(req.Parcels) == 0:
		return l.fail(ErrRequest, "parcels", "a shipment needs at least one parcel", nil)
	}
	if err := labels.CheckShipTo(req.To.Label()); err != nil {
		return l.labelError(err)
	}
	return nil
}

// serials takes n serials and checks them: a wrong count or a serial out of
// range is the server's bug, reported rather than panicking in Tracking.
func (l *Local) serials(ctx context.Context, n int) ([]int64, error) {
	serials, err := l.cfg.Serials(ctx, n)
	if err != nil {
		return nil, l.fail(ErrUnavailable, "", "could not issue tracking numbers", err)
	}
	if len(serials) != n {
		msg := fmt.Sprintf("asked for %d tracking serials, got %d", n, len(serials))
		return nil, l.fail(ErrUnavailable, "", msg, nil)
	}
	for _, s := range serials {
		if s < 1 || s > 99_999_999 {
			return nil, l.fail(ErrUnavailable, "", fmt.Sprintf("tracking serial %d is out of range", s), nil)
		}
	}
	return serials, nil
}

// label draws parcel i's label.
func (l *Local) label(req Request, i int, tracking string) ([]byte, error) {
	from := req.From
	if from.Name == "" && from.Line1 == "" {
		from = l.cfg.From
	}
	p := req.Printer
	p.DPI = cmp.Or(p.DPI, req.LabelDPI)
	zpl, err := labels.ShippingLabel(labels.Shipping{
		ShipFrom: from.Label(), ShipTo: req.To.Label(),
		OrderNumber: req.Reference, Reference: req.ChannelOrderID,
		Parcel: i + 1, Parcels: len(req.Parcels),
		Carrier: l.Name(), Service: localService(req.Service),
		Tracking: tracking, ShipDate: req.ShipDate, SSCC: req.Parcels[i].SSCC,
	}, p)
	if err != nil {
		return nil, l.labelError(err)
	}
	return zpl, nil
}

// labelError turns a label's refusal into an *Error naming the field:
// the recipient's fields are an address problem, the rest a request one.
func (l *Local) labelError(err error) error {
	var inv *labels.InvalidError
	if !errors.As(err, &inv) {
		return l.fail(ErrRequest, "", "could not draw the label", err)
	}
	field := strings.ToLower(inv.Field)
	if rest, ok := strings.CutPrefix(field, "shipto"); ok {
		return l.fail(ErrAddress, "to"+rest, inv.Reason, err)
	}
	return l.fail(ErrRequest, field, inv.Error(), err)
}

func (l *Local) fail(kind error, field, msg string, cause error) *Error {
	return &Error{Courier: l.Name(), Kind: kind, Field: field, Message: msg, Err: cause}
}

func (l *Local) trackingURL(tracking string) string {
	if l.cfg.TrackingURL == "" {
		return ""
	}
	return strings.ReplaceAll(l.cfg.TrackingURL, "{tracking}", tracking)
}

// localService is the service printed for the local courier.
func localService(s string) string { return cmp.Or(strings.TrimSpace(s), "Standard") }

// localID joins an order reference and its parcels' tracking numbers.
func localID(reference string, tracking []string) string {
	return reference + ":" + strings.Join(tracking, ",")
}

// Void returns nil for a shipment ID Buy made: nothing is held outside, so
// the server's record of the void is all there is. It returns an *Error
// with ErrNotFound for an ID Buy cannot have made.
func (l *Local) Void(ctx context.Context, shipmentID string) error {
	_, err := l.parseID(shipmentID)
	return err
}

// localShipment is a shipment as its ID tells it.
type localShipment struct {
	reference string
	tracking  []string
}

// parseID reads an ID made by Buy, checking each tracking number's check
// digit and country. The reference ends at the last colon: tracking numbers
// have none.
func (l *Local) parseID(id string) (localShipment, error) {
	i := strings.LastIndexByte(id, ':')
	if i < 0 {
		return localShipment{}, l.notFound(id)
	}
	sh := localShipment{reference: id[:i], tracking: strings.Split(id[i+1:], ",")}
	for _, t := range sh.tracking {
		if !l.validTracking(t) {
			return localShipment{}, l.notFound(id)
		}
	}
	return sh, nil
}

// validTracking reports whether t is a number Tracking could have made.
func (l *Local) validTracking(t string) bool {
	if len(t) != 13 || !strings.HasPrefix(t, "LC") {
		return false
	}
	var serial int64
	if _, err := fmt.Sscanf(t[2:10], "%08d", &serial); err != nil || serial < 1 {
		return false
	}
	return l.Tracking(serial) == t
}

func (l *Local) notFound(id string) *Error {
	return l.fail(ErrNotFound, "", fmt.Sprintf("%q is not a local courier shipment", id), nil)
}
