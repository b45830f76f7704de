// Package agenda is the agenda of the working group: delegates propose items,
// both delegations adopt them on the exact text (two-key concurrence),
// amendments are proposed by anyone and decided by the proposing side,
// translations sit beside the original, and categories are kept by the
// secretariat.
//
// Files: types.go (items, amendments, categories), policy.go (who may do
// what), service.go (items: create, edit, table, decide, withdraw,
// translate, read), amendments.go, categories.go, demo.go (the demo's items)
// and store.go (the only file that touches the database). The agenda uses
// the core's record parts (app.Record): threads, revisions, translations,
// two-sided decisions and history, through the owner it registers in New.
package agenda
