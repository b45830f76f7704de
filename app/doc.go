// Package app is Parley's core: users, sides, sessions and sign-in, the
// policy primitives and the one visibility rule, errors, validation of text,
// the hash-chained audit trail, the store plumbing, opaque identifiers, and
// the record parts every feature shares — comment threads with internal
// notes, revisions, translations, two-sided decisions on an exact revision,
// and history (records.go) — and what the features' pages and exports share:
// full-text search (search.go), CSV cells no spreadsheet runs as formulas
// (csv.go), due dates that are calendar dates ending at midnight in their
// own zone (dates.go), and SQLite's process-wide settings (sqlite_config.go).
//
// The core never names a feature. A feature package (app/agenda, and the
// features that follow) builds on it: it registers an Owner for each kind
// of object it has (Service.Register) and its kinds of opaque identifier
// (Service.RegisterRef), keeps its rules in its own policy.go, and writes
// through Service.Write so that every change and its audit record commit
// together. Only store files (store*.go, *_store.go) touch the database.
package app
