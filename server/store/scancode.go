package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/labels/scan"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// readScan decodes what a scanner sent (see labels/scan): control framing and
// an AIM symbology identifier come off, GS1 data is read into its elements.
// It returns the text to look the code up by and show, the decoded scan, and
// a refusal fit for the handheld when the code cannot be read. Data without
// an AIM identifier that does not decode is taken as typed, since a wedge
// scanner or a person may send any in-house code; a device set up to send
// AIM identifiers (cfg) gets no such leeway.
func readScan(code string, cfg scan.Config) (text string, dec scan.Scan, refusal string) {
	dec, err := scan.Decode(code, cfg)
	var serr *scan.Error
	typed := !cfg.RequireAIM && cfg.AssumeAIM == ""
	switch {
	case err == nil:
		return cmpText(dec.Text, dec.Payload), dec, ""
	case errors.As(err, &serr) && serr.AIM == "" && !dec.GS1 && typed:
		return strings.TrimSpace(code), scan.Scan{Payload: strings.TrimSpace(code)}, ""
	case errors.As(err, &serr):
		return printable(code), dec, "Barcode not read: " + describe(serr)
	}
	return printable(code), dec, "Barcode not read: " + err.Error()
}

func cmpText(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// describe says what was wrong in a code that did not decode.
func describe(e *scan.Error) string {
	switch {
	case e.AI != "":
		return fmt.Sprintf("(%s) %q %s", e.AI, e.Value, e.Reason)
	case e.Value != "":
		return fmt.Sprintf("%q %s", e.Value, e.Reason)
	}
	return e.Reason
}

// printable returns code with control characters shown as "?", for the scan
// record and the verdict.
func printable(code string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return '?'
		}
		return r
	}, strings.TrimSpace(code))
}

// resolve says what a scanned code is: a bin, a product (by any GTIN form of
// a barcode, another barcode, or its SKU) with the units the code stands
// for, a tote, or nothing known. A GS1 barcode also gives the item's lot and
// expiry; today (YYYY-MM-DD in the warehouse's zone) decides whether it has
// expired. A code that cannot be read is returned with Unreadable set.
func resolve(ctx context.Context, tx *sql.Tx, code, today string) (oms.Scanned, error) {
	return resolveWith(ctx, tx, code, today, scan.Config{})
}

// resolveWith is resolve for a code from a device whose codes are read with
// cfg (scan.Config{} for a keyboard wedge).
func resolveWith(ctx context.Context, tx *sql.Tx, code, today string, cfg scan.Config) (oms.Scanned, error) {
	text, dec, refusal := readScan(code, cfg)
	sc := oms.Scanned{Code: text, Unreadable: refusal, Extra: len(dec.Extra)}
	switch {
	case refusal != "":
		return sc, nil
	case dec.SSCC != "" && dec.GTIN14 == "":
		sc.Unreadable = fmt.Sprintf("SSCC %s is a parcel or pallet label, not an item", dec.SSCC)
		return sc, nil
	case dec.GTIN14 == "":
		return resolvePlain(ctx, tx, sc, dec.Payload)
	}

	sc.Lot, sc.Expiry = dec.Lot, dec.Expiry
	sc.Expired = dec.Expiry != "" && dec.Expiry < today
	err := lookupProduct(ctx, tx, &sc, dec.GTIN14, "")
	if err != nil || sc.SKU == "" {
		return sc, err
	}
	if _, contained := findAI(dec, "02"); contained && dec.Count > 0 {
		// (02) names the items inside a logistic unit and (37) how many.
		sc.Units = max(sc.Units, 1) * int64(dec.Count)
	}
	return sc, nil
}

// resolvePlain resolves a code that carries no GTIN: a tote, a bin, an
// in-house barcode or a SKU.
func resolvePlain(ctx context.Context, tx *sql.Tx, sc oms.Scanned, code string) (oms.Scanned, error) {
	code = strings.TrimSpace(code)
	if oms.IsToteCode(code) && len(code) > len(oms.TotePrefix) {
		sc.Tote = strings.ToUpper(code)
		return sc, nil
	}
	err := tx.QueryRowContext(ctx, `SELECT code FROM bins WHERE code = ?`, strings.ToUpper(code)).Scan(&sc.Bin)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return sc, err
	}
	key := code
	if labels.IsGTINShaped(code) {
		if k, err := labels.NormalizeGTIN(code); err == nil {
			key = k
		}
	}
	return sc, lookupProduct(ctx, tx, &sc, key, code)
}

// lookupProduct fills in the product whose barcode is key or whose SKU is
// sku, and the units that barcode stands for; it leaves sc as it is when
// there is none.
func lookupProduct(ctx context.Context, tx *sql.Tx, sc *oms.Scanned, key, sku string) error {
	// A SKU typed or scanned as such is one unit; a case's barcode is more.
	err := tx.QueryRowContext(ctx, `SELECT p.sku, p.title,
			COALESCE((SELECT units FROM barcodes WHERE code = ?1 AND product_id = p.id), 1)
		FROM products p
		WHERE p.id = (SELECT product_id FROM barcodes WHERE code = ?1) OR p.sku = ?2
		ORDER BY p.sku = ?2 LIMIT 1`, key, sku).Scan(&sc.SKU, &sc.Title, &sc.Units)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

func findAI(dec scan.Scan, ai string) (string, bool) {
	for _, e := range dec.Elements {
		if e.AI == ai {
			return e.Raw, true
		}
	}
	return "", false
}
