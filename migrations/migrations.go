// Package migrations embeds Shipshape's database schema as numbered SQL files.
// The store applies them in order at start and records each version; files are
// never edited once released, only added.
package migrations

import "embed"

// FS holds the files NNNN_name.sql, applied in ascending NNNN order.
//
//go:embed *.sql
var FS embed.FS
