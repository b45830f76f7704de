package incidents

import (
	"context"
	"slices"
	"time"

	"github.com/parley/parley/app"
)

// An incident's indicators: pasted in bulk by the reporting side, listed a
// page at a time with each side's position, and marked when the viewer may
// see the same indicator in another incident.

// Indicator is one indicator of an incident.
type Indicator struct {
	ID         int64
	PublicID   string
	IncidentID int64
	Type       IndicatorType
	Value      string
	Role       IndicatorRole
	FirstSeen  *time.Time
	LastSeen   *time.Time
	Note       string
	AuthorID   int64
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName is the indicators' table.
func (Indicator) TableName() string { return "incident_indicators" }

// Defanged is the indicator as pages show it, so that no one clicks it.
func (i Indicator) Defanged() string { return Defang(i.Type, i.Value) }

// PasteResult is what became of a bulk paste: a result per line, and
// whether anything was saved (not when "all or nothing" met an invalid line).
type PasteResult struct {
	Lines []LineResult
	Saved bool
	Added int
}

// AddIndicators adds the indicators pasted in text, one per line, with the
// role given, to the reporting side's incident if it is still at version.
// Each line is added, a duplicate (of an earlier line or of an indicator
// already on the incident), or invalid with its reason. With allOrNothing,
// an invalid line saves nothing; otherwise the valid lines are saved, all in
// one transaction with one audit record.
func (s *Service) AddIndicators(ctx context.Context, actor *app.User, incidentID, version int64, text string,
	role IndicatorRole, allOrNothing bool) (*PasteResult, error) {
	return s.Paste(ctx, actor, incidentID, version, Paste{Text: text, Role: role, AllOrNothing: allOrNothing})
}

// Paste is a bulk paste of indicators and what applies to each of its
// lines: the role, and the time first and last seen (optional wall-clock
// times in Zone). A line's own note follows " #" on it.
type Paste struct {
	Text                string
	Role                IndicatorRole
	AllOrNothing        bool
	FirstSeen, LastSeen string
	Zone                string
}

// Paste adds a bulk paste of indicators: AddIndicators with the times seen.
func (s *Service) Paste(ctx context.Context, actor *app.User, incidentID, version int64, p Paste) (*PasteResult, error) {
	role, text, allOrNothing := p.Role, p.Text, p.AllOrNothing
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	if !canAddToReport(actor, inc) {
		return nil, app.ErrForbidden
	}
	v := app.Validation{}
	if !slices.Contains(IndicatorRoles, role) {
		v.Add("role", "indicator.role_invalid")
	}
	now := s.core.Clock()
	first := observed(v, "first_seen", "seen_zone", p.FirstSeen, p.Zone, now)
	last := observed(v, "last_seen", "seen_zone", p.LastSeen, p.Zone, now)
	if first != nil && last != nil && last.Before(*first) {
		v.Add("last_seen", "incident.observed_order")
	}
	lines, err := ParseBulk(text)
	if err != nil {
		v.Add("lines", app.ErrorMessage(err))
	} else if len(lines) == 0 {
		v.Add("lines", "indicator.empty")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	res := &PasteResult{Lines: lines}
	invalid := 0
	for _, l := range lines {
		if l.Outcome == OutcomeInvalid {
			invalid++
		}
	}
	if allOrNothing && invalid > 0 {
		return res, nil // nothing saved: the page shows why, line by line
	}
	err = s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("incidents", inc.ID, version, map[string]any{"updated_at": tx.Now(),
			"version": version + 1}); err != nil {
			return err
		}
		added, dups := 0, 0
		for i := range res.Lines {
			l := &res.Lines[i]
			if l.Outcome != OutcomeValid {
				if l.Outcome == OutcomeDuplicate {
					dups++
				}
				continue
			}
			ok, err := tx.addIndicator(&Indicator{IncidentID: inc.ID, Type: l.Indicator.Type, Value: l.Indicator.Value,
				Role: role, FirstSeen: first, LastSeen: last, Note: l.Note, AuthorID: actor.ID, Version: 1,
				CreatedAt: tx.Now(), UpdatedAt: tx.Now()})
			if err != nil {
				return err
			}
			if ok {
				l.Outcome = OutcomeAdded
				added++
			} else {
				l.Outcome, l.Reason = OutcomeDuplicate, "indicator.duplicate_on_incident"
				dups++
			}
		}
		res.Added = added
		ch := map[string]any{"role": string(role), "added": added, "duplicates": dups, "invalid": invalid}
		if first != nil {
			ch["first_seen"] = first.UTC().Format(time.RFC3339)
		}
		if last != nil {
			ch["last_seen"] = last.UTC().Format(time.RFC3339)
		}
		return tx.Audit(actor, audit(inc, "incident.indicators_add", ch))
	})
	if err != nil {
		return nil, err
	}
	res.Saved = true
	return res, nil
}

// IndicatorFilter narrows an incident's indicator list.
type IndicatorFilter struct {
	Type IndicatorType // "" for every type
	// Side and Position: the indicators on which that side holds that
	// position ("none": no position yet). Position "" ignores Side.
	Side     int64
	Position PositionKind
	Text     string // a part of the value, as typed (defanged forms too)
	Page     app.Page
}

// PositionNone filters the indicators a side has taken no position on.
const PositionNone PositionKind = "none"

// IndicatorRow is an indicator with the positions standing on it and the
// other incidents the viewer may see that carry it too.
type IndicatorRow struct {
	Indicator
	Positions map[int64]*Position // by side
	Elsewhere []string            // public ids of other incidents
}

// IndicatorList is a page of an incident's indicators, counted up to MaxCounted.
type IndicatorList struct {
	app.PageOf[IndicatorRow]
	Capped bool
}

// MaxCounted is how many indicators a list counts at most.
const MaxCounted = 10000

// Indicators lists a page of an incident's indicators with their positions
// and where else the viewer may see them: four queries, whatever their number.
func (s *Service) Indicators(ctx context.Context, actor *app.User, incidentID int64, f IndicatorFilter) (*IndicatorList, error) {
	inc, err := s.byID(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	return s.indicatorsOf(ctx, actor, inc, f)
}

// indicatorsOf is Indicators for an incident loaded for the actor.
func (s *Service) indicatorsOf(ctx context.Context, actor *app.User, inc *Incident, f IndicatorFilter) (*IndicatorList, error) {
	out := &IndicatorList{}
	out.Page = f.Page.Normalize()
	if f.Position != "" && f.Position != PositionNone && !slices.Contains(PositionKinds, f.Position) {
		return nil, app.Errorf(app.EINVALID, "incident.position_invalid")
	}
	f.Text = Refang(app.CleanText(f.Text))
	n, err := s.st.countIndicators(ctx, inc.ID, f, MaxCounted+1)
	if err != nil {
		return nil, err
	}
	out.Total, out.Capped = min(n, MaxCounted), n > MaxCounted
	rows, err := s.st.indicators(ctx, inc.ID, f, out.Page)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	positions, err := s.st.positionsOn(ctx, inc.ID, TargetIndicator, ids)
	if err != nil {
		return nil, err
	}
	elsewhere, err := s.st.elsewhere(ctx, actor, inc.ID, rows)
	if err != nil {
		return nil, err
	}
	byIndicator := byTarget(positions)
	for _, r := range rows {
		row := IndicatorRow{Indicator: r, Positions: byIndicator[r.ID]}
		if row.Positions == nil {
			row.Positions = map[int64]*Position{}
		}
		row.Elsewhere = elsewhere[r.Type.key(r.Value)]
		out.Items = append(out.Items, row)
	}
	return out, nil
}

// key identifies an indicator's value across incidents.
func (t IndicatorType) key(value string) string { return string(t) + " " + value }
