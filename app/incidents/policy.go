package incidents

import "github.com/parley/parley/app"

// The incidents' policy. Service methods will ask these functions; views
// ask the exported Can… helpers, and the service checks again.
//
//	what                                        who
//	-------------------------------------------------------------------------
//	see a draft                                 the reporting side's confirmed members
//	see a reported CLEAR or GREEN incident      everyone signed in
//	see a reported AMBER or AMBER+STRICT one    confirmed members of the two delegations
//	                                            and of the secretariat (not pending ones)
//	see a reported RED one                      the reporting side's confirmed members and
//	                                            the named recipients
//	write an incident                           heads and delegates of a delegation
//	write, edit and report a draft              heads and delegates of the reporting side
//	add claims and indicators                   heads and delegates of the reporting side,
//	                                            until closed
//	acknowledge, start investigating, respond   heads and delegates of the addressed side
//	close                                       the reporting side's head; the secretariat
//	                                            once both heads have agreed to close
//	agree that the secretariat close it         the head of either delegation of the incident
//	set the side's position on a claim or       heads and delegates of either delegation,
//	  an indicator                              for their own side only, until closed
//	set the side's official position            the head, for their own side
//	add a note beside the positions             the secretariat
//	change the marking                          heads and delegates of the reporting side
//	export (CSV, STIX)                          anyone who may see a CLEAR or GREEN incident;
//	                                            the reporting side only for AMBER and above
//	see who downloaded a file                   the side that attached it
//
// Every write asks app.CanWrite first: observers, pending members and
// disabled accounts change nothing.

// sideWriter: a head or delegate (not an observer, not pending) of the side.
func sideWriter(actor *app.User, sideID int64) bool {
	return app.CanWrite(actor) && actor.SideID == sideID && (actor.Role == app.RoleHead || actor.Role == app.RoleDelegate)
}

// sideHead: the confirmed head of the side.
func sideHead(actor *app.User, sideID int64) bool {
	return app.CanWrite(actor) && actor.SideID == sideID && actor.Role == app.RoleHead
}

func isSecretariat(actor *app.User) bool {
	return app.CanWrite(actor) && actor.Side != nil && actor.Side.Kind == app.KindSecretariat &&
		actor.Role == app.RoleSecretariat
}

// canSee decides whether the actor may see the incident at all; recipient
// says that the actor is one of a RED incident's named recipients. What the
// actor may not see is not found, and is never counted.
func canSee(actor *app.User, inc *Incident, recipient bool) bool {
	if actor == nil || actor.Disabled() {
		return false
	}
	own := actor.InternalSideID() == inc.ReportingSideID && inc.ReportingSideID != 0
	if !inc.Status.Shared() {
		return own
	}
	switch inc.TLP {
	case TLPClear, TLPGreen:
		return true
	case TLPAmber, TLPAmberStrict:
		return !actor.Pending
	case TLPRed:
		return own || (recipient && !actor.Pending)
	}
	return own // an unknown marking: the reporting side only
}

// canReport: a head or delegate of a delegation writes incidents.
func canReport(actor *app.User) bool {
	return actor != nil && actor.Side != nil && actor.Side.IsDelegation() && sideWriter(actor, actor.SideID)
}

// canAddToReport: the reporting side's writers add claims and indicators until it is closed.
func canAddToReport(actor *app.User, inc *Incident) bool {
	return inc.Status != StatusClosed && sideWriter(actor, inc.ReportingSideID)
}

// canAgreeToClose: the head of either delegation of a reported incident, for their side.
func canAgreeToClose(actor *app.User, inc *Incident) bool {
	return inc.Status.Shared() && inc.Status != StatusClosed && actor != nil &&
		(actor.SideID == inc.ReportingSideID || actor.SideID == inc.AddressedSideID) && sideHead(actor, actor.SideID)
}

// canSeeDownloads: who downloaded a file is its uploading side's to know.
func canSeeDownloads(actor *app.User, a *Attachment) bool {
	return actor != nil && actor.InternalSideID() == a.SideID
}

// canEditDraft: the reporting side's writers, while it is a draft.
func canEditDraft(actor *app.User, inc *Incident) bool {
	return inc.Status == StatusDraft && sideWriter(actor, inc.ReportingSideID)
}

// canMove decides whether the actor may move the incident to a status;
// bothAgreed says that both delegations' heads have agreed to close it.
func canMove(actor *app.User, inc *Incident, to Status, bothAgreed bool) bool {
	if !statusFollows(inc.Status, to) {
		return false
	}
	switch to {
	case StatusReported:
		return sideWriter(actor, inc.ReportingSideID)
	case StatusAcknowledged, StatusInvestigating, StatusResponded:
		return sideWriter(actor, inc.AddressedSideID)
	case StatusClosed:
		return sideHead(actor, inc.ReportingSideID) || (bothAgreed && isSecretariat(actor))
	}
	return false
}

// statusFollows is the order of the statuses: reported after a draft,
// acknowledged after reported, investigation after acknowledgement, a
// response after either of those, closing from any shared status.
func statusFollows(from, to Status) bool {
	switch to {
	case StatusReported:
		return from == StatusDraft
	case StatusAcknowledged:
		return from == StatusReported
	case StatusInvestigating:
		return from == StatusAcknowledged
	case StatusResponded:
		return from == StatusAcknowledged || from == StatusInvestigating
	case StatusClosed:
		return from.Shared() && from != StatusClosed
	}
	return false
}

// canSetPosition: a writer of either delegation, for their own side, on a
// reported incident that is not closed.
func canSetPosition(actor *app.User, inc *Incident, sideID int64) bool {
	return inc.Status.Shared() && inc.Status != StatusClosed && actor != nil && actor.SideID == sideID &&
		(sideID == inc.ReportingSideID || sideID == inc.AddressedSideID) && sideWriter(actor, sideID)
}

// canSetOfficialPosition: the head, for their own delegation.
func canSetOfficialPosition(actor *app.User, inc *Incident, sideID int64) bool {
	return canSetPosition(actor, inc, sideID) && sideHead(actor, sideID)
}

// canAddSecretariatNote: the secretariat, beside the positions of a reported incident.
func canAddSecretariatNote(actor *app.User, inc *Incident) bool {
	return inc.Status.Shared() && isSecretariat(actor)
}

// canChangeTLP: the reporting side's writers.
func canChangeTLP(actor *app.User, inc *Incident) bool {
	return inc.Status != StatusClosed && sideWriter(actor, inc.ReportingSideID)
}

// canExport: for CLEAR and GREEN, anyone who may see the incident; for
// AMBER and above, the reporting side only (no export leaves Parley with it
// otherwise).
func canExport(actor *app.User, inc *Incident, recipient bool) bool {
	if !canSee(actor, inc, recipient) {
		return false
	}
	if inc.TLP.Level() >= TLPAmber.Level() || !inc.TLP.Valid() {
		return actor.InternalSideID() == inc.ReportingSideID
	}
	return true
}

// Permissions are what the actor may do on an incident, for the pages to
// offer; the service checks each again when it is done.
type Permissions struct {
	Edit, Report, AddToReport, ChangeTLP bool
	Acknowledge, Investigate, Respond    bool
	Close, AgreeToClose                  bool
	SetPosition, SetOfficial, AddNote    bool
	Ask, Attach, Export, Translate       bool
	Comment                              bool
}

// PermissionsOn answers, for the pages, what the actor may do on an
// incident loaded for them. Closing by the secretariat is offered when it
// may be, once both heads have agreed (the positions page shows that).
func PermissionsOn(actor *app.User, inc *Incident) Permissions {
	var p Permissions
	if actor == nil {
		return p
	}
	p.Edit = canEditDraft(actor, inc)
	p.Report = canMove(actor, inc, StatusReported, false)
	p.AddToReport = canAddToReport(actor, inc)
	p.ChangeTLP = canChangeTLP(actor, inc)
	p.Acknowledge = canMove(actor, inc, StatusAcknowledged, false)
	p.Investigate = canMove(actor, inc, StatusInvestigating, false)
	p.Respond = canMove(actor, inc, StatusResponded, false)
	p.Close = canMove(actor, inc, StatusClosed, true)
	p.AgreeToClose = canAgreeToClose(actor, inc)
	p.SetPosition = canSetPosition(actor, inc, actor.SideID)
	p.SetOfficial = canSetOfficialPosition(actor, inc, actor.SideID)
	p.AddNote = canAddSecretariatNote(actor, inc)
	p.Ask, p.Attach = p.SetPosition, p.SetPosition
	p.Export = canExport(actor, inc, inc.Recipient)
	p.Translate = record(actor, inc).CanTranslate
	p.Comment = record(actor, inc).CanComment
	return p
}

// CanReport reports whether the actor may write incidents at all.
func CanReport(actor *app.User) bool { return canReport(actor) }

// CanAnswer reports whether the actor may answer a request.
func CanAnswer(actor *app.User, inc *Incident, r *Request) bool {
	return r.Status == RequestOpen && canSetPosition(actor, inc, r.AskedSideID)
}

// CanWithdraw reports whether the actor may withdraw a request.
func CanWithdraw(actor *app.User, r *Request) bool {
	return r.Status == RequestOpen && sideWriter(actor, r.AskingSideID)
}
