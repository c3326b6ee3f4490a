// Package imports turns files that people upload into Shipshape's domain
// types: product catalogues (WooCommerce's product CSV or Shipshape's own),
// stock counts, and channel order reports (Amazon's tab-separated reports).
//
// Every parser is pure: it reads the whole input and returns either every
// record or an error, never a partial result, and it does no I/O beyond
// reading its argument. A bad row gives an error wrapping an *oms.Error with
// code oms.EInvalid whose message names the file line (the header is line 1),
// the column and the value, so a user can fix the file and upload it again.
// An error reading the input itself is returned wrapped, and is not EInvalid.
//
// All parsers read UTF-8 only: a cell that is not valid UTF-8, in any
// column, is an error naming its row and column, so that a file saved as
// Latin-1 or Windows-1252 imports nothing rather than garbled text. They
// accept a UTF-8 byte order mark at the start of the file, CRLF or LF line
// ends, and extra columns they do not know, which are ignored. Rows whose
// cells are all blank are skipped. Row numbers are file lines: a blank line
// or a quoted cell spanning several lines counts every line it takes, and
// each oms.Product and oms.StockRow carries the line it starts on in Row.
//
// Prices are decimal strings with at most two decimals ("45", "45.5",
// "45.00", ".5") and become integer cents without passing through floating
// point; above 100,000,000.00 they are an error. Texts are held to the
// limits in package oms (oms.MaxSKULen and the others), counted in
// characters, and SKUs, bin codes and barcodes may not start with
// oms.TotePrefix. An error never repeats a long value whole.
package imports
