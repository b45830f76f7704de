// Package actions is the actions feature: something a side undertook to
// do — arising from a meeting's minutes, an agenda item, an incident or an
// information request — done by its owner and verified by the other side.
//
// Its files:
//
//   - types.go: an action and its parts (one per owner: a delegation, the
//     secretariat, or each delegation of a joint action), the statuses, and
//     the action's status as it follows from its parts;
//   - policy.go: who sees an action (a shared one: everyone; an internal
//     one: its side), who creates one, who works on a part (its side), who
//     verifies or reopens it (another delegation; the secretariat's part:
//     either head — nobody verifies their own side's work), who cancels,
//     who proposes a new due date and who agrees to it;
//   - store.go and service.go (migration 00018): creating an action with
//     its source checked through the feature it comes from (the actor must
//     see it), its owner, an assignee on the owning side and a due date —
//     a calendar date in the owner's capital, kept with the instant it ends
//     there (due_end), so that overdue and this week are comparisons the
//     lists' indexes serve and no zone can move the date by a day; start,
//     done with a note, verified, reopened with a reason, cancelled with a
//     reason; a new due date proposed by the owner and agreed by a head of
//     another delegation on that proposal's revision (the decisions part);
//     the views of the list (mine, my side's, awaiting my side's
//     verification, overdue, due this week, to review, by status and
//     source) and the dashboard's counts; evidence files on a part done
//     (migration 00020);
//   - pages.go: what each page reads in one call (the action with its
//     source, a page of its thread), its history, the assignees, the
//     translation, the CSV export, the calendar feed's due dates and the
//     review of open actions a meeting's agenda lists;
//   - demo.go: the demo's actions from the past meeting; bulk.go: many
//     actions for measuring.
//
// An internal action (a side's preparation task) has no other side to
// verify it: marking it done ends it, and its side sets its own dates. A
// joint action is due in the capital of the side that set it.
//
// The pages are app/web/actions.go and views/actions.templ; the meetings'
// agenda shows the review of open actions in its slot, and the personal
// calendar feed carries the due dates as all-day entries.
package actions
