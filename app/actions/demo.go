package actions

import (
	"context"
	"fmt"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
)

// SeedDemo loads the demo working group into an empty database — its
// accounts, agenda, meetings and incidents (incidents.SeedDemo) and then
// its actions — and reports whether it did.
func (s *Service) SeedDemo(ctx context.Context, inc *incidents.Service, mt *meetings.Service) (bool, error) {
	seeded, err := inc.SeedDemo(ctx, mt)
	if err != nil || !seeded {
		return seeded, err
	}
	if err := s.seedDemoActions(ctx, inc, mt); err != nil {
		return false, fmt.Errorf("demo actions: %w", err)
	}
	return true, nil
}

// seedDemoActions loads the actions agreed at the past meeting: points of
// contact exchanged jointly (the US part done and verified by China, the
// Chinese part done and awaiting US verification); server logs the US owes
// for the Chinese information request, overdue; the secretariat's draft
// terms of reference, in progress; and a US-internal preparation task.
// They are written with the service clock set to the day after the past
// meeting, so that their history reads as it happened.
func (s *Service) seedDemoActions(ctx context.Context, inc *incidents.Service, mt *meetings.Service) error {
	acct, err := s.core.DemoUsers(ctx)
	if err != nil {
		return err
	}
	sec, usHead, usDel, cnDel := acct["secretariat"], acct["us.head"], acct["us.delegate"], acct["cn.delegate"]
	past, _, err := mt.List(ctx, sec, meetings.Filter{When: "past"})
	if err != nil || len(past.Items) == 0 || past.Items[0].StartsAt == nil {
		return fmt.Errorf("the past meeting: %v", err)
	}
	meeting := past.Items[0]
	awaiting, err := inc.AwaitingAnswer(ctx, usHead, 10)
	if err != nil || len(awaiting) == 0 {
		return fmt.Errorf("the Chinese information request: %v", err)
	}
	clock := s.core.Now
	defer func() { s.core.Now = clock }()
	now := clock()
	after := meeting.StartsAt.Add(24 * time.Hour)
	s.core.Now = func() time.Time { return after }
	date := func(t time.Time, zone string) string { return app.Today(t, app.LoadLocation(zone)).String() }

	contacts, err := s.Create(ctx, sec, Input{Title: "Exchange points of contact for incident notification",
		Description: "Each delegation names a point of contact reachable at any hour for the notification of incidents.",
		Language:    "en", SourceType: SourceMeeting, SourceID: meeting.ID, Joint: true,
		Due: date(after.AddDate(0, 0, 30), "America/New_York")})
	if err != nil {
		return err
	}
	logs, err := s.Create(ctx, sec, Input{Title: "Provide server logs for the reported addresses",
		Description: "The United States provides the server logs the Chinese side asked for in its information request.",
		Language:    "en", SourceType: SourceRequest, SourceID: awaiting[0].ID, OwnerSideID: usHead.SideID,
		AssigneeID: usDel.ID, Due: date(now.AddDate(0, 0, -10), "America/New_York")})
	if err != nil {
		return err
	}
	terms, err := s.Create(ctx, sec, Input{Title: "Circulate draft terms of reference for the working group",
		Description: "草拟工作组职责范围并分发给双方代表团。", Language: "zh", SourceType: SourceMeeting, SourceID: meeting.ID,
		OwnerSideID: sec.SideID, Due: date(now.AddDate(0, 0, 21), "Asia/Shanghai")})
	if err != nil {
		return err
	}
	if _, err := s.Create(ctx, usDel, Input{Title: "Prepare talking points on the theft of intellectual property",
		Description: "Internal: agree the line before the next meeting.", Language: "en", OwnerSideID: usHead.SideID,
		Internal: true, AssigneeID: usDel.ID, Due: date(now.AddDate(0, 0, 7), "America/New_York")}); err != nil {
		return err
	}
	s.core.Now = func() time.Time { return after.Add(72 * time.Hour) }
	steps := []struct {
		who *app.User
		a   *Action
		do  func(u *app.User, a *Action) error
	}{
		{usDel, contacts, func(u *app.User, a *Action) error {
			return s.Done(ctx, u, a.ID, a.Version, "US point of contact: the duty officer, +1 202 555 0100, at any hour.")
		}},
		{cnDel, contacts, func(u *app.User, a *Action) error { return s.Verify(ctx, u, a.ID, a.Version) }},
		{cnDel, contacts, func(u *app.User, a *Action) error {
			return s.Done(ctx, u, a.ID, a.Version, "中方联络人：值班室，电话 +86 10 5555 0100，全天候。")
		}},
		{sec, terms, func(u *app.User, a *Action) error { return s.Start(ctx, u, a.ID, a.Version) }},
		{usDel, logs, func(u *app.User, a *Action) error { return s.Start(ctx, u, a.ID, a.Version) }},
	}
	for _, st := range steps {
		cur, err := s.byID(ctx, st.who, st.a.ID)
		if err != nil {
			return err
		}
		if err := st.do(st.who, cur); err != nil {
			return err
		}
	}
	return nil
}
