package incidents

import (
	"context"
	"time"

	"github.com/parley/parley/app"
)

// Information requests: one delegation asks the other a question on an
// incident, due on a calendar date in the asking side's capital; the other
// side answers; the asking side may withdraw it. Overdue is computed from
// the date and its zone, so no change of zone can move a due date by a day.

// RequestStatus is where a request stands (overdue is computed: Overdue).
type RequestStatus string

// The statuses of a request.
const (
	RequestOpen      RequestStatus = "open"
	RequestAnswered  RequestStatus = "answered"
	RequestWithdrawn RequestStatus = "withdrawn"
)

// Request is one side's question to the other on an incident.
type Request struct {
	ID           int64
	PublicID     string
	IncidentID   int64
	AskingSideID int64
	AskedSideID  int64
	Question     string // Markdown
	DueDate      string // 2026-12-15: a calendar date, due in DueZone
	DueZone      string // the asking side's capital's zone
	Status       RequestStatus
	Answer       string // Markdown
	AnsweredBy   *int64
	AnsweredAt   *time.Time
	AuthorID     int64
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName is the requests' table.
func (Request) TableName() string { return "incident_requests" }

// Due is the request's due date.
func (r *Request) Due() app.Date { d, _ := app.ParseDate(r.DueDate); return d }

// Overdue reports whether an open request is past the end of its due date
// in its zone.
func (r *Request) Overdue(now time.Time) bool {
	return r.Status == RequestOpen && r.Due().Overdue(now, app.LoadLocation(r.DueZone))
}

// Limits of requests.
const (
	MaxQuestionLen = 20000
	MaxRequests    = 500 // on one incident
)

// Ask puts a question to the other delegation on an incident both may
// answer on: a head or delegate of either delegation of the incident asks
// for their side, due on a date (2026-12-15) not yet past in their capital.
func (s *Service) Ask(ctx context.Context, actor *app.User, incidentID int64, question, due string) (*Request, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	asked := inc.AddressedSideID
	if actor.SideID == inc.AddressedSideID {
		asked = inc.ReportingSideID
	}
	if !canSetPosition(actor, inc, actor.SideID) || actor.Side == nil {
		return nil, app.ErrForbidden
	}
	question = app.CleanText(question)
	v := app.Validation{}
	app.CheckText(v, "question", question, MaxQuestionLen, true)
	zone := actor.Side.TimeZone
	date, err := app.ParseDate(due)
	now := s.core.Clock()
	if err != nil {
		v.Add("due", "date.invalid")
	} else if date.Before(app.Today(now, app.LoadLocation(zone))) {
		v.Add("due", "incident.due_past")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if n, err := s.st.requestCount(ctx, inc.ID); err != nil {
		return nil, err
	} else if n >= MaxRequests {
		return nil, app.Errorf(app.EINVALID, "incident.too_many_requests")
	}
	r := &Request{IncidentID: inc.ID, AskingSideID: actor.SideID, AskedSideID: asked, Question: question,
		DueDate: date.String(), DueZone: zone, Status: RequestOpen, AuthorID: actor.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx wtx) error {
		if err := tx.createRequest(r); err != nil {
			return err
		}
		return tx.Audit(actor, audit(inc, "incident.request_ask", map[string]any{"request": r.PublicID,
			"question": r.Question, "due": r.DueDate, "zone": r.DueZone}))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Answer answers an open request put to the actor's side, if it is still at version.
func (s *Service) Answer(ctx context.Context, actor *app.User, incidentID, requestID, version int64, answer string) error {
	inc, r, err := s.request(ctx, actor, incidentID, requestID)
	if err != nil {
		return err
	}
	if r.Status != RequestOpen {
		return app.Errorf(app.EINVALID, "incident.request_not_open")
	}
	if !canSetPosition(actor, inc, r.AskedSideID) {
		return app.ErrForbidden
	}
	answer = app.CleanText(answer)
	v := app.Validation{}
	app.CheckText(v, "answer", answer, MaxQuestionLen, true)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("incident_requests", r.ID, version, map[string]any{"status": RequestAnswered,
			"answer": answer, "answered_by": actor.ID, "answered_at": tx.Now(), "updated_at": tx.Now(),
			"version": version + 1}); err != nil {
			return err
		}
		return tx.Audit(actor, audit(inc, "incident.request_answer", map[string]any{"request": r.PublicID, "answer": answer}))
	})
}

// Withdraw withdraws an open request of the actor's side.
func (s *Service) Withdraw(ctx context.Context, actor *app.User, incidentID, requestID, version int64) error {
	inc, r, err := s.request(ctx, actor, incidentID, requestID)
	if err != nil {
		return err
	}
	if r.Status != RequestOpen {
		return app.Errorf(app.EINVALID, "incident.request_not_open")
	}
	if !sideWriter(actor, r.AskingSideID) {
		return app.ErrForbidden
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("incident_requests", r.ID, version, map[string]any{"status": RequestWithdrawn,
			"updated_at": tx.Now(), "version": version + 1}); err != nil {
			return err
		}
		return tx.Audit(actor, audit(inc, "incident.request_withdraw", map[string]any{"request": r.PublicID}))
	})
}

// request loads a request of an incident the actor may see.
func (s *Service) request(ctx context.Context, actor *app.User, incidentID, requestID int64) (*Incident, *Request, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.st.request(ctx, inc.ID, requestID)
	if err != nil {
		return nil, nil, err
	}
	return inc, r, nil
}

// Requests lists an incident's requests, oldest first: at most
// MaxRequests, the most an incident takes.
func (s *Service) Requests(ctx context.Context, actor *app.User, incidentID int64) ([]Request, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	return s.st.requests(ctx, inc.ID)
}

// Awaiting is an open request put to the actor's side, with its incident's
// identifier and title.
type Awaiting struct {
	Request
	IncidentRef, IncidentTitle, IncidentLanguage string
}

// AwaitingAnswer lists the open requests put to the actor's side, on
// incidents the actor may see, soonest due first: one query.
func (s *Service) AwaitingAnswer(ctx context.Context, actor *app.User, limit int) ([]Awaiting, error) {
	if actor == nil || actor.InternalSideID() == 0 {
		return nil, nil
	}
	return s.st.awaitingAnswer(ctx, actor, limit)
}
