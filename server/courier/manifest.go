package courier

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// Manifest returns the day's manifest for the driver as plain text: the
// warehouse, the day, one line per parcel (order, parcel k/N, tracking
// number), the totals, and lines for the driver to sign. Plain text because
// it is printed on an office printer and signed, not stuck on a box, and a
// day's van load does not fit a 4x6 label.
//
// Its ID is "LC-" and the day (YYYYMMDD). It returns an *Error: ErrRequest
// when shipmentIDs is empty, ErrNotFound for an ID Buy cannot have made.
func (l *Local) Manifest(ctx context.Context, shipmentIDs []string, day time.Time) (*Manifest, error) {
	if len(shipmentIDs) == 0 {
		return nil, l.fail(ErrRequest, "shipments", "there are no shipments to manifest", nil)
	}
	shipments := make([]localShipment, len(shipmentIDs))
	for i, id := range shipmentIDs {
		sh, err := l.parseID(id)
		if err != nil {
			return nil, err
		}
		shipments[i] = sh
	}
	return &Manifest{
		ID:           "LC-" + day.Format("20060102"),
		Day:          day,
		Shipments:    shipmentIDs,
		Document:     l.manifestText(shipments, day),
		DocumentType: "text/plain; charset=utf-8",
	}, nil
}

// manifestText lays the manifest out in columns.
func (l *Local) manifestText(shipments []localShipment, day time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s manifest\n", l.Name())
	if from := oneLine(l.cfg.From); from != "" {
		fmt.Fprintf(&b, "From: %s\n", from)
	}
	fmt.Fprintf(&b, "Day:  %s\n\n", day.Format(time.DateOnly))

	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "#\tOrder\tParcel\tTracking")
	parcels := 0
	for i, sh := range shipments {
		for k, t := range sh.tracking {
			n, order := "", ""
			if k == 0 {
				n, order = fmt.Sprint(i+1), sh.reference
			}
			fmt.Fprintf(w, "%s\t%s\t%d/%d\t%s\n", n, order, k+1, len(sh.tracking), t)
		}
		parcels += len(sh.tracking)
	}
	w.Flush()

	fmt.Fprintf(&b, "\nShipments: %d\nParcels:   %d\n\n", len(shipments), parcels)
	b.WriteString("Received by (driver): ____________________  Time: ________\n")
	return []byte(b.String())
}

// oneLine is an address on one line: name, street, city, postal code.
func oneLine(a Address) string {
	var parts []string
	for _, p := range []string{a.Name, a.Company, a.Line1, a.City, a.PostalCode} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
