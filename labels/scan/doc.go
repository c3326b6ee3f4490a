// Package scan decodes what a barcode scanner sends into a Scan: which
// symbology it was, the data, and the GS1 facts in it (GTIN, SSCC, lot,
// expiry, serial, count). Serial scanners, USB HID scanners and the browser's
// keyboard wedge all go through the same Decode, so a code means the same
// thing whichever way it arrived.
//
// Decode is a pure function of its arguments: no I/O, no clock, no logging.
// GS1 element strings and Digital Link URIs are read by labels/gs1; GTINs
// and SSCCs are checked by labels.
package scan
