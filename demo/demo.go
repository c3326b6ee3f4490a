// Package demo ships the data of the demo warehouse that `shipshape serve
// --demo` loads into an empty database: a catalogue with bins, stock, and a
// few Amazon-format orders waiting to be picked. See NOTICE.md for sources.
package demo

import "embed"

// Files holds catalog.csv (Shipshape catalogue CSV), stock.csv (Shipshape
// stock CSV) and orders.tsv (Amazon order report).
//
//go:embed catalog.csv stock.csv orders.tsv
var Files embed.FS
