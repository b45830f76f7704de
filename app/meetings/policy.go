package meetings

import "github.com/parley/parley/app"

// The meetings' policy. Service methods ask these functions; views ask the
// exported Can… and Permissions… helpers, and the service checks again.
//
//	what                                       who
//	------------------------------------------------------------------------
//	see meetings, slots' tallies, agendas,     everyone signed in (meetings are shared)
//	  minutes, statements, attendance
//	see individual poll answers and notes      the member's own side, and the secretariat
//	keep milestones; create, schedule,         the secretariat
//	  reschedule, cancel meetings; build
//	  the agenda; draft minutes; record who
//	  attended
//	answer the poll                            heads and delegates of a delegation
//	approve a meeting agenda or minutes        a head, for their own delegation, if it is a party
//	list attendees                             writers of a side, for their own side
//	write a statement for the record           heads and delegates, for their own delegation
//
// Every rule asks app.CanWrite first: observers, pending members and
// disabled accounts change nothing.

// isSecretariat: a confirmed, writing member of the secretariat.
func isSecretariat(actor *app.User) bool {
	return app.CanWrite(actor) && actor.Side != nil && actor.Side.Kind == app.KindSecretariat &&
		actor.Role == app.RoleSecretariat
}

// isDelegationWriter: a head or delegate of a delegation.
func isDelegationWriter(actor *app.User) bool {
	return app.CanWrite(actor) && actor.Side != nil && actor.Side.IsDelegation() &&
		(actor.Role == app.RoleHead || actor.Role == app.RoleDelegate)
}

// canSeeAnswersOf: a side's individual answers are its own and the secretariat's to read.
func canSeeAnswersOf(actor *app.User, sideID int64) bool {
	if actor == nil || actor.Pending {
		return false
	}
	return actor.InternalSideID() == sideID || (actor.Side != nil && actor.Side.Kind == app.KindSecretariat)
}

// seesEveryAnswer: the secretariat reads every delegation's answers.
func seesEveryAnswer(actor *app.User) bool {
	return actor != nil && !actor.Pending && actor.Side != nil && actor.Side.Kind == app.KindSecretariat
}

func canManage(actor *app.User) bool { return isSecretariat(actor) }

func canAnswer(actor *app.User, m *Meeting) bool {
	return isDelegationWriter(actor) && m.PollOpen()
}

func canApprove(actor *app.User) bool { return app.IsDelegationHead(actor) }

func canEditAgenda(actor *app.User, m *Meeting) bool {
	return canManage(actor) && (m.Status == StatusPlanning || m.Status == StatusScheduled)
}

func canEditMinutes(actor *app.User, m *Meeting) bool {
	return canManage(actor) && (m.Status == StatusHeld || m.Status == StatusMinutesApproved)
}

func canListAttendees(actor *app.User, m *Meeting) bool {
	return app.CanWrite(actor) && actor.Side != nil && m.Status != StatusCancelled && m.Status != StatusMinutesApproved
}

func canWriteStatement(actor *app.User, m *Meeting) bool {
	return isDelegationWriter(actor) && (m.Status == StatusHeld || m.Status == StatusMinutesApproved)
}

// CanManage tells views whether to offer the secretariat's forms.
func CanManage(actor *app.User) bool { return canManage(actor) }

// Permissions tells views which actions to offer on a meeting.
type Permissions struct {
	Manage         bool // add slots, confirm, cancel
	Answer         bool
	EditAgenda     bool
	ApproveAgenda  bool
	MarkHeld       bool
	EditMinutes    bool
	ApproveMinutes bool
	ListAttendees  bool
	RecordAttended bool
	WriteStatement bool
	Comment        bool
	SeeEveryAnswer bool
}

// PermissionsOn returns what the actor may do with a meeting now.
func PermissionsOn(actor *app.User, m *Meeting, parties []int64) Permissions {
	party := false
	for _, id := range parties {
		party = party || (actor != nil && id == actor.SideID)
	}
	open := m.Status == StatusPlanning || m.Status == StatusScheduled
	return Permissions{
		Manage:         canManage(actor) && open,
		Answer:         canAnswer(actor, m),
		EditAgenda:     canEditAgenda(actor, m),
		ApproveAgenda:  canApprove(actor) && party && open && m.AgendaRevision > 0,
		MarkHeld:       canManage(actor) && m.Status == StatusScheduled,
		EditMinutes:    canEditMinutes(actor, m) && m.AgendaRevision > 0,
		ApproveMinutes: canApprove(actor) && party && m.Status == StatusHeld && m.MinutesRevision > 0,
		ListAttendees:  canListAttendees(actor, m),
		RecordAttended: canManage(actor) && (m.Status == StatusScheduled || m.Status == StatusHeld),
		WriteStatement: canWriteStatement(actor, m),
		Comment:        app.CanWrite(actor),
		SeeEveryAnswer: seesEveryAnswer(actor),
	}
}
