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
// All parsers accept a UTF-8 byte order mark at the start of the file, CRLF
// or LF line ends, and extra columns they do not know, which are ignored.
// Rows whose cells are all blank are skipped. Prices are decimal strings with
// at most two decimals ("45", "45.5", "45.00", ".5") and become integer cents
// without passing through floating point.
package imports
