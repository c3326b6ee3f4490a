// Package labels turns shipping and warehouse data into printable labels: ZPL
// documents for Zebra-compatible printers and the GS1 barcode numbers (GTINs,
// in-house EAN-13s) printed on them.
//
// Everything here is a pure function of its arguments: no I/O, no logging, no
// clock. Sending the bytes to a printer is the job of devices/printer.
package labels
