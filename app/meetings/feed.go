package meetings

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/parley/parley/app"
)

// Calendar files and the personal feed. A calendar file holds only what
// every side may see (meetings are shared), never a video link, an internal
// note or a poll answer.

// FeedToken is the actor's personal calendar feed token, or "" before they made one.
func (s *Service) FeedToken(ctx context.Context, actor *app.User) (string, error) {
	if actor == nil {
		return "", app.ErrNotFound
	}
	return s.st.feedToken(ctx, actor.ID)
}

// ReplaceFeedToken gives the actor a (new) feed token; the old one stops working at once.
func (s *Service) ReplaceFeedToken(ctx context.Context, actor *app.User) (string, error) {
	if actor == nil || actor.Disabled() {
		return "", app.ErrForbidden
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b)
	err := s.write(ctx, func(tx wtx) error {
		if err := tx.setFeedToken(actor.ID, tok); err != nil {
			return err
		}
		return tx.Audit(actor, app.Audit{Action: "calendar.token_replace", ObjectType: "user", ObjectID: actor.ID,
			Visibility: app.Internal, SideID: actor.SideID})
	})
	return tok, err
}

// validToken: 64 lower-case hex characters.
func validToken(tok string) bool {
	if len(tok) != 64 {
		return false
	}
	return strings.Trim(tok, "0123456789abcdef") == ""
}

// FeedOwner is the account a feed token belongs to; an unknown token, or a
// disabled account's, is not found.
func (s *Service) FeedOwner(ctx context.Context, token string) (int64, error) {
	if !validToken(token) {
		return 0, app.ErrNotFound
	}
	id, err := s.st.feedUser(ctx, token)
	if err == nil && id == 0 {
		err = app.ErrNotFound
	}
	return id, err
}

// Feed lists the meetings of the actor's calendar feed — those with a time
// from FeedMonths ago on, soonest first, at most MaxFeedEvents — and the
// lines of their agendas, by meeting, in two queries.
func (s *Service) Feed(ctx context.Context, actor *app.User) ([]Meeting, map[int64][]Line, error) {
	if actor == nil {
		return nil, nil, app.ErrNotFound
	}
	since := s.core.Clock().AddDate(0, -FeedMonths, 0)
	ms, err := s.st.timed(ctx, since, []Status{StatusScheduled, StatusHeld, StatusMinutesApproved, StatusCancelled}, MaxFeedEvents)
	if err != nil || len(ms) == 0 {
		return ms, nil, err
	}
	ids := make([]int64, len(ms))
	for i := range ms {
		ids[i] = ms[i].ID
	}
	lines, err := s.st.linesOf(ctx, ids)
	return ms, lines, err
}

// CalendarOf is one meeting and its agenda lines, for its calendar file.
func (s *Service) CalendarOf(ctx context.Context, actor *app.User, publicID string) (*Meeting, []Line, error) {
	m, err := s.ByRef(ctx, actor, publicID)
	if err != nil {
		return nil, nil, err
	}
	lines, err := s.st.lines(ctx, m.ID)
	return m, lines, err
}

// EventText is what a calendar event says, in the reader's language: the
// views build it from the catalogues.
type EventText func(m *Meeting) (summary, description, location string)

// Events turns meetings with a time into calendar events.
func Events(ms []Meeting, stamp time.Time, text EventText) []Event {
	var out []Event
	for i := range ms {
		m := &ms[i]
		if m.StartsAt == nil {
			continue
		}
		summary, desc, loc := text(m)
		out = append(out, Event{UID: m.PublicID + "@parley", Sequence: m.Sequence, Stamp: stamp, Start: *m.StartsAt,
			Duration: m.Duration(), Summary: summary, Description: desc, Location: loc,
			Cancelled: m.Status == StatusCancelled})
	}
	return out
}
