// Package meetings is how the secretariat brings the working group
// together across Washington and Beijing time: milestones meetings are
// planned against, meetings with an availability poll, a timed agenda and
// minutes that every delegation's head approves on the exact revision,
// attendance, statements for the record, and calendar files.
//
// Files: types.go (milestones, meetings, slots, answers, lines, attendees,
// statements), policy.go (who may do what), service.go (meetings: create,
// edit, cancel, hold, read; the dashboard), poll.go (slots, answers, the
// ranking, confirming), agenda.go (the meeting's agenda and its approval),
// minutes.go (minutes, their approval and outcomes, statements,
// attendance), feed.go (calendar files and personal feeds), times.go (wall
// times in a zone, daylight saving, a slot in every capital), calendar.go
// (the RFC 5545 writer), demo.go (the demo's meetings) and store.go (the
// only file that touches the database).
//
// A meeting registers three kinds of record with the core: the meeting
// (its thread and history), its agenda and its minutes (their revisions and
// the heads' approvals, through the shared two-sided decision part; the
// outcome is set once by a conditional update with app.AllPartiesDecided).
// Meetings are shared with every side; a member's poll answers are read by
// their own delegation and the secretariat only, and audited on their side's
// chain. The meetings schedule, close and return agenda items through the
// agenda's service, inside their own transactions: a later feature uses an
// earlier one, never the reverse.
package meetings
