package oms

import (
	"fmt"
	"strings"
)

// Pack session states.
const (
	PackOpen     = "open"
	PackReleased = "released"
)

// PackSession is an order on a packing station: what must go in the parcel
// and what has been verified so far.
type PackSession struct {
	OrderID        int64      `json:"-"`
	OrderNumber    string     `json:"order_number"`
	Channel        string     `json:"channel"`
	ChannelOrderID string     `json:"channel_order_id"`
	ServiceLevel   string     `json:"ship_service_level"`
	ShipTo         Address    `json:"ship_to"`
	Lines          []PackLine `json:"lines"`
	Status         string     `json:"status"`
	// Parcels are the order's parcels, parcel 1 first; the open one (the
	// last) gets the items verified next.
	Parcels []Parcel `json:"parcels"`
}

// Parcel is one box of an order at a packing station: k of k/N, its box,
// its weight and size (0 when not known) and what was verified into it.
type Parcel struct {
	ID          int64        `json:"-"`
	Seq         int          `json:"k"`
	Box         string       `json:"box"`
	WeightGrams int64        `json:"weight_g"`
	LengthMM    int64        `json:"length_mm"`
	WidthMM     int64        `json:"width_mm"`
	HeightMM    int64        `json:"height_mm"`
	Open        bool         `json:"open"`
	Items       []ParcelItem `json:"items"`
}

// ParcelItem is how many units of a SKU went into a parcel.
type ParcelItem struct {
	SKU string `json:"sku"`
	Qty int64  `json:"qty"`
}

// Units is how many units are in the parcel.
func (p Parcel) Units() int64 {
	var n int64
	for _, it := range p.Items {
		n += it.Qty
	}
	return n
}

// CheckParcels returns nil when every parcel holds items, and each has a
// weight when needWeight, and otherwise an EConflict error naming what is
// missing, parcel by parcel.
func (p *PackSession) CheckParcels(needWeight bool) error {
	var missing []string
	for _, pc := range p.Parcels {
		switch {
		case pc.Units() == 0:
			missing = append(missing, fmt.Sprintf("parcel %d is empty", pc.Seq))
		case needWeight && pc.WeightGrams == 0:
			missing = append(missing, fmt.Sprintf("parcel %d has no weight", pc.Seq))
		}
	}
	if len(p.Parcels) == 0 {
		missing = append(missing, "no parcel was packed")
	}
	if len(missing) > 0 {
		return Errorf(EConflict, "cannot release the labels of order %s: %s",
			p.OrderNumber, strings.Join(missing, ", "))
	}
	return nil
}

// PackLine is one order line and how many of its units were verified.
type PackLine struct {
	ID       int64  `json:"id"`
	SKU      string `json:"sku"`
	Title    string `json:"title"`
	Qty      int64  `json:"qty"`
	Verified int64  `json:"verified"`
	// Bundle is the SKU of the bundle this line is a component of, for the
	// components of a bundle line; empty for an ordinary line. ID is then
	// the component's, not the order line's.
	Bundle string `json:"bundle,omitempty"`
}

// Scan verifies one scanned item against the order. It counts the item (or
// the units of a case) on the first line of that SKU that still needs units;
// an item not in the order, one too many, a case of more units than the line
// still needs, or an unknown code is refused and changes nothing. It returns
// the verdict and the line that changed, if any.
func (p *PackSession) Scan(s Scanned) (Verdict, *PackLine) {
	v, l := p.scan(s)
	return s.withExtra(v), l
}

func (p *PackSession) scan(s Scanned) (Verdict, *PackLine) {
	if v, bad := s.refused(); bad {
		return v, nil
	}
	if s.SKU == "" {
		if s.Bin != "" {
			return wrong(s.Code, "%s is a bin, not an item", s.Code), nil
		}
		return wrong(s.Code, "Unknown barcode %q", s.Code), nil
	}
	var seen *PackLine
	for i := range p.Lines {
		l := &p.Lines[i]
		if l.SKU != s.SKU {
			continue
		}
		seen = l
		if v, ok := s.checkItem("", ""); !ok {
			return v, nil
		}
		if l.Verified < l.Qty {
			return scanUnits(l, s)
		}
	}
	if seen != nil {
		return wrong(s.Code, "Too many: %s is already %d / %d", seen.Title, seen.Verified, seen.Qty), nil
	}
	return wrong(s.Code, "Not in order %s: %s (%s)", p.OrderNumber, s.Title, s.SKU), nil
}

// scanUnits counts a scan of s.units() units on l, which still needs some,
// or refuses a case larger than what l still needs.
func scanUnits(l *PackLine, s Scanned) (Verdict, *PackLine) {
	n, left := s.units(), l.Qty-l.Verified
	if n > left {
		return wrong(s.Code, "Case of %d, only %d left to pack: open the case and scan items", n, left), nil
	}
	l.Verified += n
	return ok(s.Code, "%s %d / %d", l.Title, l.Verified, l.Qty), l
}

// CheckVerified returns nil when every line is fully verified and otherwise
// an EConflict error naming each line that is not.
func (p *PackSession) CheckVerified() error {
	var open []string
	for _, l := range p.Lines {
		if l.Verified < l.Qty {
			open = append(open, fmt.Sprintf("%s verified %d of %d", l.SKU, l.Verified, l.Qty))
		}
	}
	if len(open) > 0 {
		return Errorf(EConflict, "cannot release the label of order %s: %s",
			p.OrderNumber, strings.Join(open, ", "))
	}
	return nil
}

// Verified reports whether every line is fully verified.
func (p *PackSession) Verified() bool {
	return p.CheckVerified() == nil
}
