// Package migrations holds Parley's database schema as SQL files, embedded
// in the binary and applied in order by goose.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
