package incidents

import (
	"context"
	"slices"
	"time"

	"github.com/parley/parley/app"
)

// Claims and positions: the report's statements of fact, and each
// delegation's position on each of them (and on each indicator), with its
// official position on the incident. A side sets only its own positions —
// the service takes the side from the actor, never from a form — and a
// position is never changed in place: each change is a new row, and the
// one standing is the newest.

// Claim is one statement of fact of a report, with an optional figure.
type Claim struct {
	ID         int64
	PublicID   string
	IncidentID int64
	Position   int // its place in the report
	Text       string
	Figure     string // e.g. "249 websites, January–May"
	AuthorID   int64
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName is the claims' table.
func (Claim) TableName() string { return "incident_claims" }

// Target is what a position is on.
type Target string

// The targets of a position.
const (
	TargetIncident  Target = "incident" // the side's official position
	TargetClaim     Target = "claim"
	TargetIndicator Target = "indicator"
)

// PositionOfficial is the kind of an official position, whose text is its Body.
const PositionOfficial PositionKind = "official"

// Position is one side's position on a target, as set at one time.
type Position struct {
	ID           int64
	IncidentID   int64
	TargetType   Target
	TargetID     int64
	SideID       int64
	Kind         PositionKind
	Reason       string // why a claim or indicator is disputed
	Body         string // an official position (Markdown)
	UserID       int64
	CreatedAt    time.Time
	SupersededAt *time.Time
	User         *app.User `gorm:"foreignKey:UserID"`
}

// TableName is the positions' table.
func (Position) TableName() string { return "incident_positions" }

// Token names the position in a form as the one seen standing: when it was
// set, in microseconds (what both databases keep). Never its row id, which
// would let a side count the positions set where it may not look.
func (p *Position) Token() int64 {
	if p == nil {
		return 0
	}
	return p.CreatedAt.UnixMicro()
}

// Limits of claims and positions.
const (
	MaxClaimLen    = 2000
	MaxFigureLen   = 200
	MaxReasonLen   = 2000
	MaxPositionLen = 20000
	MaxClaims      = 200 // claims on one incident
)

// ClaimView is a claim with the position each side holds on it now.
type ClaimView struct {
	Claim
	Positions map[int64]*Position // by side
}

// ClaimsView is an incident's claims in their order, with the positions
// standing on them and each side's official position: two queries.
type ClaimsView struct {
	Claims   []ClaimView
	Official map[int64]*Position // by side: each delegation's official position, and the secretariat's note
}

// Claims returns an incident's claims and the positions standing, as the
// actor may see them.
func (s *Service) Claims(ctx context.Context, actor *app.User, incidentID int64) (*ClaimsView, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	return s.claimsOf(ctx, inc)
}

// claimsOf is Claims for an incident already loaded for the actor.
func (s *Service) claimsOf(ctx context.Context, inc *Incident) (*ClaimsView, error) {
	claims, err := s.st.claims(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	standing, err := s.st.reportPositions(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	v := &ClaimsView{Official: map[int64]*Position{}}
	var onClaims []Position
	for _, p := range standing {
		if p.TargetType == TargetIncident {
			v.Official[p.SideID] = &p
		} else {
			onClaims = append(onClaims, p)
		}
	}
	byClaim := byTarget(onClaims)
	for _, c := range claims {
		v.Claims = append(v.Claims, ClaimView{Claim: c, Positions: byClaim[c.ID]})
	}
	return v, nil
}

// byTarget groups standing positions by their target and then by side.
func byTarget(positions []Position) map[int64]map[int64]*Position {
	out := map[int64]map[int64]*Position{}
	for i := range positions {
		p := &positions[i]
		if out[p.TargetID] == nil {
			out[p.TargetID] = map[int64]*Position{}
		}
		out[p.TargetID][p.SideID] = p
	}
	return out
}

// AddClaim adds a statement of fact to the reporting side's incident, if
// the incident is still at version (a claim changes the report). Claims are
// added until the incident is closed; their text is changed only while the
// incident is a draft, so that no answer ever stands against words changed
// after it was given.
func (s *Service) AddClaim(ctx context.Context, actor *app.User, incidentID, version int64, text, figure string) (*Claim, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	if !canAddToReport(actor, inc) {
		return nil, app.ErrForbidden
	}
	text, figure = app.CleanText(text), app.CleanText(figure)
	v := app.Validation{}
	app.CheckText(v, "text", text, MaxClaimLen, true)
	app.CheckText(v, "figure", figure, MaxFigureLen, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.core.Clock()
	c := &Claim{IncidentID: inc.ID, Text: text, Figure: figure, AuthorID: actor.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("incidents", inc.ID, version, map[string]any{"updated_at": tx.Now(),
			"version": version + 1}); err != nil {
			return err
		}
		n, err := tx.claimCount(inc.ID)
		if err != nil {
			return err
		}
		if n >= MaxClaims {
			return app.Errorf(app.EINVALID, "incident.too_many_claims")
		}
		c.Position = int(n) + 1
		if err := tx.createClaim(c); err != nil {
			return err
		}
		return tx.Audit(actor, audit(inc, "incident.claim_add", map[string]any{"claim": c.PublicID, "text": c.Text,
			"figure": c.Figure}))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// EditClaim changes a claim of a draft, if the claim is still at version.
func (s *Service) EditClaim(ctx context.Context, actor *app.User, incidentID, claimID, version int64, text, figure string) error {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return err
	}
	if !canEditDraft(actor, inc) {
		return app.ErrForbidden
	}
	c, err := s.st.claim(ctx, inc.ID, claimID)
	if err != nil {
		return err
	}
	text, figure = app.CleanText(text), app.CleanText(figure)
	v := app.Validation{}
	app.CheckText(v, "text", text, MaxClaimLen, true)
	app.CheckText(v, "figure", figure, MaxFigureLen, false)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("incident_claims", c.ID, version, map[string]any{"text": text, "figure": figure,
			"updated_at": tx.Now(), "version": version + 1}); err != nil {
			return err
		}
		ch := map[string]any{"claim": c.PublicID}
		app.Diff(ch, "text", c.Text, text)
		app.Diff(ch, "figure", c.Figure, figure)
		return tx.Audit(actor, audit(inc, "incident.claim_edit", ch))
	})
}

// PositionInput is a side's position on a target: Standing is the Token of
// the position the actor saw standing (0 for none), so that two members of
// a side changing it at once never overwrite each other unseen.
type PositionInput struct {
	Target   Target
	TargetID int64 // a claim's or indicator's id; the incident's for an official position
	Kind     PositionKind
	Reason   string
	Body     string
	Standing int64
}

// SetPosition sets the actor's own side's position — on a claim or an
// indicator by its head or delegates, the official one by its head — or the
// secretariat's note on the incident. The side is the actor's: no one can
// set the other side's.
func (s *Service) SetPosition(ctx context.Context, actor *app.User, incidentID int64, in PositionInput) error {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return err
	}
	side := actor.SideID
	targetRef := inc.PublicID // what the history names: never a row id
	switch in.Target {
	case TargetIncident:
		// A delegation's official position is its head's; the secretariat's
		// note stands beside the positions, in its own column, never in one.
		if !canSetOfficialPosition(actor, inc, side) && !canAddSecretariatNote(actor, inc) {
			return app.ErrForbidden
		}
		in.TargetID, in.Kind, in.Reason = inc.ID, PositionOfficial, ""
	case TargetClaim:
		if !canSetPosition(actor, inc, side) {
			return app.ErrForbidden
		}
		c, err := s.st.claim(ctx, inc.ID, in.TargetID)
		if err != nil {
			return err
		}
		in.Body, targetRef = "", c.PublicID
	case TargetIndicator:
		if !canSetPosition(actor, inc, side) {
			return app.ErrForbidden
		}
		i, err := s.st.indicator(ctx, inc.ID, in.TargetID)
		if err != nil {
			return err
		}
		in.Body, targetRef = "", i.PublicID
	default:
		return app.ErrNotFound
	}
	in.Reason, in.Body = app.CleanText(in.Reason), app.CleanText(in.Body)
	v := app.Validation{}
	switch {
	case in.Kind == PositionOfficial:
		app.CheckText(v, "body", in.Body, MaxPositionLen, true)
	case !slices.Contains(PositionKinds, in.Kind):
		v.Add("kind", "incident.position_invalid")
	default:
		app.CheckText(v, "reason", in.Reason, MaxReasonLen, in.Kind == PositionDisputed)
	}
	if err := v.Err(); err != nil {
		return err
	}
	p := &Position{IncidentID: inc.ID, TargetType: in.Target, TargetID: in.TargetID, SideID: side, Kind: in.Kind,
		Reason: in.Reason, Body: in.Body, UserID: actor.ID}
	return s.write(ctx, func(tx wtx) error {
		p.CreatedAt = tx.Now()
		if err := tx.supersede(p, in.Standing); err != nil {
			return err
		}
		if err := tx.Gorm().Omit("User").Create(p).Error; err != nil {
			if app.IsUniqueViolation(err) {
				return app.ErrConflict // another member of the side set one meanwhile
			}
			return err
		}
		ch := map[string]any{"target": string(in.Target), "of": targetRef, "kind": string(in.Kind)}
		if in.Reason != "" {
			ch["reason"] = in.Reason
		}
		if in.Body != "" {
			ch["body"] = in.Body
		}
		return tx.Audit(actor, audit(inc, "incident.position", ch))
	})
}
