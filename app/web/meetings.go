package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/meetings"
	"github.com/parley/parley/views"
)

// Meetings. Every rule is in app/meetings; these handlers read forms, call
// the service and render.

func (s *Server) meetingsRoutes() {
	e := s.e
	e.GET("/milestones", s.milestonesPage)
	e.POST("/milestones", s.createMilestone)
	e.GET("/meetings", s.meetingsPage)
	e.GET("/meetings/new", s.newMeetingPage)
	e.POST("/meetings/new", s.createMeeting)
	e.GET("/meetings/:id", s.meetingPage)
	e.GET("/meetings/:id/edit", s.editMeetingPage)
	e.POST("/meetings/:id/edit", s.updateMeeting)
	e.POST("/meetings/:id/slots", s.addSlot)
	e.POST("/meetings/:id/answers", s.answerPoll)
	e.POST("/meetings/:id/confirm", s.confirmSlot)
	e.POST("/meetings/:id/cancel", s.cancelMeeting)
	e.POST("/meetings/:id/held", s.markHeld)
	e.POST("/meetings/:id/comments", s.addComment(meetings.KindMeeting, meetings.RefMeeting, "/meetings/",
		func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error {
			return s.renderMeeting(c, status, views.MeetingDetail{Thread: views.Thread{Form: form}, Errors: errs})
		}))
	e.POST("/meetings/:id/comments/:cid", s.editComment(meetings.KindMeeting, meetings.RefMeeting, "/meetings/",
		func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error {
			return s.renderMeeting(c, status, views.MeetingDetail{Errors: errs})
		}))
	e.POST("/meetings/:id/attendees", s.addAttendee)
	e.POST("/meetings/:id/attendees/:aid/remove", s.removeAttendee)
	e.POST("/meetings/:id/attendance", s.recordAttendance)
	e.GET("/meetings/:id/agenda", s.meetingAgendaPage)
	e.POST("/meetings/:id/agenda", s.addLine)
	e.POST("/meetings/:id/agenda/approve", s.approveAgenda)
	e.POST("/meetings/:id/agenda/:lid", s.changeLine)
	e.GET("/meetings/:id/agenda/print", s.printAgenda)
	e.GET("/meetings/:id/minutes", s.minutesPage)
	e.POST("/meetings/:id/minutes", s.saveMinutes)
	e.POST("/meetings/:id/minutes/approve", s.approveMinutes)
	e.POST("/meetings/:id/statement", s.saveStatement)
	e.GET("/meetings/:id/history", s.meetingHistory)
	e.GET("/meetings/:id/calendar.ics", s.meetingCalendar)
	e.GET("/calendar/:token", s.calendarFeed)
	e.POST("/account/calendar", s.replaceFeedToken)
}

func (s *Server) milestonesPage(c echo.Context) error {
	return s.renderMilestones(c, http.StatusOK, views.MilestoneForm{Zone: "Asia/Shanghai"})
}

func (s *Server) renderMilestones(c echo.Context, status int, f views.MilestoneForm) error {
	list, err := s.meet.Milestones(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	f.NameEN, f.NameZH = app.ClipText(f.NameEN, meetings.MaxTitleLen), app.ClipText(f.NameZH, meetings.MaxTitleLen)
	f.Start, f.Zone = app.ClipText(f.Start, 20), app.ClipText(f.Zone, 64)
	return s.show(c, status, "milestone.title", func(p views.Page) templ.Component {
		return views.MilestonesPage(p, list, meetings.CanManage(p.User), f)
	})
}

func (s *Server) createMilestone(c echo.Context) error {
	f := views.MilestoneForm{NameEN: c.FormValue("name_en"), NameZH: c.FormValue("name_zh"), Start: c.FormValue("start"),
		Zone: c.FormValue("zone")}
	_, err := s.meet.CreateMilestone(c.Request().Context(), actor(c), meetings.MilestoneInput{NameEN: f.NameEN,
		NameZH: f.NameZH, Start: f.Start, Zone: f.Zone})
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		f.Errors = errs
		return s.renderMilestones(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/milestones", "flash.saved") })
}

func (s *Server) meetingsPage(c echo.Context) error {
	f := meetings.Filter{When: c.QueryParam("when"), Status: meetings.Status(c.QueryParam("status")), Page: pageParam(c)}
	list, capped, err := s.meet.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	if f.When != "past" {
		f.When = "upcoming"
	}
	base := "/meetings?when=" + f.When
	if f.Status.Valid() {
		base += "&status=" + string(f.Status)
	} else {
		f.Status = ""
	}
	v := views.MeetingList{Meetings: list.Items, When: f.When, Status: string(f.Status), Capped: capped,
		Pager: views.Pager{Number: list.Page.Number, Pages: min(list.Pages(), meetings.MaxListPage), Total: list.Total, BaseURL: base}}
	return s.show(c, http.StatusOK, "meeting.list_title", func(p views.Page) templ.Component { return views.MeetingsPage(p, v) })
}

func (s *Server) newMeetingPage(c echo.Context) error {
	if !meetings.CanManage(actor(c)) {
		return app.ErrForbidden
	}
	return s.renderMeetingForm(c, http.StatusOK, views.MeetingForm{Kind: "informal", Format: "video", Duration: "90",
		Zone: "America/New_York"})
}

func (s *Server) renderMeetingForm(c echo.Context, status int, f views.MeetingForm) error {
	list, err := s.meet.UpcomingMilestones(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	f.Milestones = list
	f.TitleEN, f.TitleZH = app.ClipText(f.TitleEN, meetings.MaxTitleLen), app.ClipText(f.TitleZH, meetings.MaxTitleLen)
	f.Venue, f.VideoLink = app.ClipText(f.Venue, meetings.MaxVenueLen), app.ClipText(f.VideoLink, meetings.MaxLinkLen)
	f.Duration, f.Zone, f.Kind, f.Format = app.ClipText(f.Duration, 10), app.ClipText(f.Zone, 64), app.ClipText(f.Kind, 20), app.ClipText(f.Format, 20)
	title := "meeting.new"
	if f.Ref != "" {
		title = "meeting.edit"
	}
	return s.show(c, status, title, func(p views.Page) templ.Component { return views.MeetingFormPage(p, f) })
}

// meetingForm reads the new-meeting and edit-meeting form.
func (s *Server) meetingForm(c echo.Context) (views.MeetingForm, meetings.MeetingInput) {
	f := views.MeetingForm{TitleEN: c.FormValue("title_en"), TitleZH: c.FormValue("title_zh"), Kind: c.FormValue("kind"),
		Format: c.FormValue("format"), Venue: c.FormValue("venue"), VideoLink: c.FormValue("video_link"),
		Duration: strings.TrimSpace(c.FormValue("duration")), Zone: c.FormValue("zone"), Milestone: c.FormValue("milestone"),
		Version: formInt64(c, "version")}
	in := meetings.MeetingInput{Kind: meetings.Kind(f.Kind), TitleEN: f.TitleEN, TitleZH: f.TitleZH, Format: meetings.Format(f.Format),
		Venue: f.Venue, Zone: f.Zone, VideoLink: f.VideoLink, DurationMinutes: atoiOr(f.Duration, -1),
		MilestoneID: s.valueRef(c, meetings.RefMilestone, f.Milestone)}
	return f, in
}

func (s *Server) editMeetingPage(c echo.Context) error {
	m, err := s.meet.ByRef(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if !meetings.PermissionsOn(actor(c), m, nil).Manage {
		return app.ErrForbidden
	}
	return s.renderMeetingForm(c, http.StatusOK, views.MeetingForm{Ref: m.PublicID, Version: m.Version, TitleEN: m.TitleEN,
		TitleZH: m.TitleZH, Kind: string(m.Kind), Format: string(m.Format), Venue: m.Venue, VideoLink: m.VideoLink,
		Duration: strconv.Itoa(m.DurationMinutes), Zone: m.Zone})
}

func (s *Server) updateMeeting(c echo.Context) error {
	id, err := s.ref(c, meetings.RefMeeting, "id")
	if err != nil {
		return err
	}
	f, in := s.meetingForm(c)
	f.Ref = c.Param("id")
	err = s.meet.Update(c.Request().Context(), actor(c), id, f.Version, in)
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		f.Errors = errs
		if conflict && app.ErrorMessage(err) == "error.conflict" {
			f.Errors = views.FormError("meeting.changed_meanwhile")
			if m, err := s.meet.Get(c.Request().Context(), actor(c), id); err == nil {
				f.Version = m.Version // what was typed is kept; saving again is a deliberate choice
			}
		}
		return s.renderMeetingForm(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/meetings/"+c.Param("id"), "flash.saved") })
}

func (s *Server) createMeeting(c echo.Context) error {
	f, in := s.meetingForm(c)
	if f.Milestone != "" && in.MilestoneID == 0 {
		in.MilestoneID = -1 // named, but nothing: refused as such
	}
	m, err := s.meet.Create(c.Request().Context(), actor(c), in)
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		f.Errors = errs
		return s.renderMeetingForm(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/meetings/"+m.PublicID, "flash.meeting_created") })
}

func (s *Server) meetingPage(c echo.Context) error {
	return s.renderMeeting(c, http.StatusOK, views.MeetingDetail{})
}

// renderMeeting shows a meeting's page; d carries what a refused action needs shown again.
func (s *Server) renderMeeting(c echo.Context, status int, d views.MeetingDetail) error {
	u := actor(c)
	cur := app.ThreadCursor{Before: c.QueryParam("before"), From: c.QueryParam("comment")}
	v, err := s.meet.MeetingView(c.Request().Context(), u, c.Param("id"), cur)
	if err != nil {
		return err
	}
	m := v.Meeting
	p, err := s.page(c, "meeting.title")
	if err != nil {
		return err
	}
	p.MainStatus = string(m.Status)
	d.Meeting, d.Slots, d.Attendees, d.Members, d.SeesAnswersOf = m, v.Slots, v.Attendees, v.Members, v.SeesAnswersOf
	d.Perms = meetings.PermissionsOn(u, m, nil)
	d.Thread.Comments, d.Thread.Older, d.Thread.Newer = v.Thread.Comments, v.Thread.Older, v.Thread.Newer
	d.Thread.Action, d.Thread.PageURL, d.Thread.Now = "/meetings/"+m.PublicID+"/comments", "/meetings/"+m.PublicID, s.svc.Now()
	d.Thread.CanComment, d.Thread.SharedAllowed = d.Perms.Comment, true
	d.Thread.Form.Body = app.ClipText(d.Thread.Form.Body, app.MaxCommentLen)
	d.Slot.Start, d.Slot.Zone = app.ClipText(d.Slot.Start, 20), app.ClipText(d.Slot.Zone, 64)
	if d.Slot.Zone == "" {
		d.Slot.Zone = m.Zone
	}
	d.Cancel = app.ClipText(d.Cancel, meetings.MaxReasonLen)
	d.Guest = app.ClipText(d.Guest, meetings.MaxGuestLen)
	return render(c, status, views.MeetingPage(p, d))
}

// meetingPost runs a change on a meeting. A refusal the person can act on
// is shown again by again (the page the form was on, keeping what was
// typed); success goes to the meeting's page under suffix.
func (s *Server) meetingPost(c echo.Context, flash, suffix string, again func(status int, errs views.Errors) error,
	act func(u *app.User, id int64) error) error {
	id, err := s.ref(c, meetings.RefMeeting, "id")
	if err != nil {
		return err
	}
	err = act(actor(c), id)
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		if conflict && app.ErrorMessage(err) == "error.conflict" {
			errs = views.FormError("meeting.changed_meanwhile")
		}
		return again(status, errs)
	}, func() error { return s.redirectWithFlash(c, "/meetings/"+c.Param("id")+suffix, flash) })
}

// meetingAction is meetingPost for the forms of a meeting's main page.
func (s *Server) meetingAction(c echo.Context, flash, anchor string, again views.MeetingDetail,
	act func(u *app.User, id int64) error) error {
	return s.meetingPost(c, flash, anchor, func(status int, errs views.Errors) error {
		again.Errors = errs
		return s.renderMeeting(c, status, again)
	}, act)
}

func (s *Server) addSlot(c echo.Context) error {
	again := views.MeetingDetail{Slot: views.SlotForm{Start: c.FormValue("start"), Zone: c.FormValue("zone")}}
	return s.meetingAction(c, "flash.slot_added", "#poll", again, func(u *app.User, id int64) error {
		_, err := s.meet.AddSlot(c.Request().Context(), u, id, c.FormValue("start"), c.FormValue("zone"))
		return err
	})
}

// answerPoll reads one field per slot, "slot-<slot id>" = yes|if_need_be|no,
// and "note-<slot id>"; slots left unanswered are left alone.
func (s *Server) answerPoll(c echo.Context) error {
	return s.meetingAction(c, "flash.answers_saved", "#poll", views.MeetingDetail{}, func(u *app.User, id int64) error {
		form, err := c.FormParams()
		if err != nil {
			return err
		}
		var in []meetings.AnswerInput
		for name, vals := range form {
			ref, ok := strings.CutPrefix(name, "slot-")
			if !ok || len(vals) == 0 || vals[0] == "" {
				continue
			}
			if len(in) == meetings.MaxSlots {
				// No poll has more: a form with more names nothing to look up.
				return app.Errorf(app.EINVALID, "meeting.slot_not_in_poll")
			}
			slot := s.valueRef(c, meetings.RefSlot, ref)
			if slot == 0 {
				slot = -1 // names nothing: the service refuses it once it knows who answers
			}
			in = append(in, meetings.AnswerInput{SlotID: slot, Answer: meetings.Answer(vals[0]), Note: form.Get("note-" + ref)})
		}
		return s.meet.Answer(c.Request().Context(), u, id, in)
	})
}

func (s *Server) confirmSlot(c echo.Context) error {
	return s.meetingAction(c, "flash.meeting_confirmed", "", views.MeetingDetail{}, func(u *app.User, id int64) error {
		slot := s.valueRef(c, meetings.RefSlot, c.FormValue("slot"))
		if slot == 0 {
			slot = -1 // named nothing: "not a slot of this poll"
		}
		return s.meet.Confirm(c.Request().Context(), u, id, formInt64(c, "version"), slot)
	})
}

func (s *Server) cancelMeeting(c echo.Context) error {
	again := views.MeetingDetail{Cancel: c.FormValue("reason")}
	return s.meetingAction(c, "flash.meeting_cancelled", "", again, func(u *app.User, id int64) error {
		return s.meet.Cancel(c.Request().Context(), u, id, formInt64(c, "version"), c.FormValue("reason"))
	})
}

func (s *Server) markHeld(c echo.Context) error {
	return s.meetingAction(c, "flash.meeting_held", "", views.MeetingDetail{}, func(u *app.User, id int64) error {
		return s.meet.MarkHeld(c.Request().Context(), u, id, formInt64(c, "version"))
	})
}

func (s *Server) addAttendee(c echo.Context) error {
	again := views.MeetingDetail{Guest: c.FormValue("guest")}
	return s.meetingAction(c, "flash.saved", "#attendance", again, func(u *app.User, id int64) error {
		member := s.valueRef(c, app.RefUser, c.FormValue("member"))
		if c.FormValue("member") != "" && member == 0 {
			member = -1
		}
		return s.meet.AddAttendee(c.Request().Context(), u, id, member, c.FormValue("guest"))
	})
}

func (s *Server) removeAttendee(c echo.Context) error {
	return s.meetingAction(c, "flash.saved", "#attendance", views.MeetingDetail{}, func(u *app.User, id int64) error {
		aid, err := s.ref(c, meetings.RefAttendee, "aid")
		if err != nil {
			return err
		}
		return s.meet.RemoveAttendee(c.Request().Context(), u, id, aid)
	})
}

func (s *Server) recordAttendance(c echo.Context) error {
	return s.meetingAction(c, "flash.saved", "#attendance", views.MeetingDetail{}, func(u *app.User, id int64) error {
		form, err := c.FormParams()
		if err != nil {
			return err
		}
		var ids []int64
		if len(form["attended"]) > meetings.MaxListed {
			return app.Errorf(app.EINVALID, "meeting.too_many_attendees")
		}
		for _, ref := range form["attended"] {
			if aid := s.valueRef(c, meetings.RefAttendee, ref); aid != 0 {
				ids = append(ids, aid)
			}
		}
		return s.meet.RecordAttendance(c.Request().Context(), u, id, ids)
	})
}

func (s *Server) meetingHistory(c echo.Context) error {
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	m, recs, err := s.meet.History(c.Request().Context(), actor(c), c.Param("id"), pg)
	if err != nil {
		return err
	}
	p, err := s.page(c, "history.title")
	if err != nil {
		return err
	}
	p.MainStatus = string(m.Status)
	base := "/meetings/" + m.PublicID
	return render(c, http.StatusOK, views.HistoryPage(p, m.Title(p.L.Lang()), base, recs.Items,
		views.Pager{Number: recs.Page.Number, Pages: recs.Pages(), Total: recs.Total, BaseURL: base + "/history"}))
}

// The meeting's agenda.

func (s *Server) meetingAgendaPage(c echo.Context) error {
	return s.renderAgenda(c, http.StatusOK, views.AgendaDetail{}, false)
}

func (s *Server) printAgenda(c echo.Context) error {
	return s.renderAgenda(c, http.StatusOK, views.AgendaDetail{}, true)
}

func (s *Server) renderAgenda(c echo.Context, status int, d views.AgendaDetail, print bool) error {
	u := actor(c)
	v, err := s.meet.Agenda(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	p, err := s.page(c, "meeting.agenda_title")
	if err != nil {
		return err
	}
	p.MainStatus = string(v.Meeting.Status)
	d.View = v
	d.Perms = meetings.PermissionsOn(u, v.Meeting, v.Parties)
	for _, l := range v.Lines {
		if l.Procedure == meetings.ProcedureActionsReview {
			if d.Review, d.ReviewMore, err = s.act.Review(c.Request().Context(), u); err != nil {
				return err
			}
			break
		}
	}
	d.Line.Duration = app.ClipText(d.Line.Duration, 10)
	if print {
		return render(c, status, views.AgendaPrintPage(p, d))
	}
	return render(c, status, views.MeetingAgendaPage(p, d))
}

func (s *Server) agendaAction(c echo.Context, flash string, again views.AgendaDetail, act func(u *app.User, id int64) error) error {
	return s.meetingPost(c, flash, "/agenda", func(status int, errs views.Errors) error {
		again.Errors = errs
		return s.renderAgenda(c, status, again, false)
	}, act)
}

func (s *Server) addLine(c echo.Context) error {
	f := views.LineForm{Entry: c.FormValue("entry"), Duration: strings.TrimSpace(c.FormValue("duration")), Lead: c.FormValue("lead")}
	return s.agendaAction(c, "flash.saved", views.AgendaDetail{Line: f}, func(u *app.User, id int64) error {
		in := meetings.LineInput{DurationMinutes: atoiOr(f.Duration, -1), LeadSideID: s.valueRef(c, app.RefSide, f.Lead)}
		if proc, ok := strings.CutPrefix(f.Entry, "procedure:"); ok {
			in.Procedure = proc
		} else if item := s.valueRef(c, agenda.RefItem, f.Entry); item != 0 {
			in.ItemID = item
		}
		return s.meet.AddLine(c.Request().Context(), u, id, formInt64(c, "version"), in)
	})
}

func (s *Server) changeLine(c echo.Context) error {
	return s.agendaAction(c, "flash.saved", views.AgendaDetail{}, func(u *app.User, id int64) error {
		lid, err := s.ref(c, meetings.RefLine, "lid")
		if err != nil {
			return err
		}
		in := meetings.LineChange{LineID: lid, DurationMinutes: atoiOr(c.FormValue("duration"), -1),
			LeadSideID: s.valueRef(c, app.RefSide, c.FormValue("lead"))}
		switch c.FormValue("do") {
		case "up":
			in.Move = -1
		case "down":
			in.Move = 1
		case "remove":
			in.Remove = true
		}
		return s.meet.ChangeLine(c.Request().Context(), u, id, formInt64(c, "version"), in)
	})
}

func (s *Server) approveAgenda(c echo.Context) error {
	return s.agendaAction(c, "flash.approved", views.AgendaDetail{}, func(u *app.User, id int64) error {
		return s.meet.ApproveAgenda(c.Request().Context(), u, id, atoiOr(c.FormValue("revision"), -1))
	})
}

func atoiOr(s string, bad int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return bad
	}
	return n
}

// Minutes and statements.

func (s *Server) minutesPage(c echo.Context) error {
	return s.renderMinutes(c, http.StatusOK, views.MinutesDetail{})
}

func (s *Server) renderMinutes(c echo.Context, status int, d views.MinutesDetail) error {
	u := actor(c)
	v, err := s.meet.Minutes(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	p, err := s.page(c, "meeting.minutes_title")
	if err != nil {
		return err
	}
	p.MainStatus = string(v.Meeting.Status)
	if v.Current != nil && (v.Meeting.MinutesApproved == v.Current.Number || len(v.Standing) > 0) { // an approval of this revision
		d.Logged, err = s.svc.LogMarkOf(c.Request().Context(), u, app.Ref{Kind: meetings.KindMeeting, ID: v.Meeting.ID},
			"meeting.minutes_approved", "meeting.minutes_approve")
		if err != nil {
			return err
		}
	}
	d.View = v
	d.Perms = meetings.PermissionsOn(u, v.Meeting, v.Parties)
	if d.Sections == nil {
		for _, l := range v.Lines {
			d.Sections = append(d.Sections, views.SectionForm{Text: l.Minutes, Outcome: string(l.Outcome)})
		}
	}
	for i := range d.Sections {
		d.Sections[i].Text = app.ClipText(d.Sections[i].Text, meetings.MaxSectionLen)
	}
	d.Statement = app.ClipText(d.Statement, meetings.MaxStatementLen)
	return render(c, status, views.MinutesPage(p, d))
}

func (s *Server) minutesAction(c echo.Context, flash string, again views.MinutesDetail, act func(u *app.User, id int64) error) error {
	return s.meetingPost(c, flash, "/minutes", func(status int, errs views.Errors) error {
		again.Errors = errs
		return s.renderMinutes(c, status, again)
	}, act)
}

// saveMinutes reads "line-N" (the line's identifier), "section-N" and "outcome-N" for N = 0, 1, …
func (s *Server) saveMinutes(c echo.Context) error {
	var in []meetings.SectionInput
	var again views.MinutesDetail
	for i := 0; i < meetings.MaxLines; i++ {
		n := strconv.Itoa(i)
		ref := c.FormValue("line-" + n)
		if ref == "" {
			break
		}
		line := s.valueRef(c, meetings.RefLine, ref)
		in = append(in, meetings.SectionInput{LineID: line, Text: c.FormValue("section-" + n),
			Outcome: meetings.Outcome(c.FormValue("outcome-" + n))})
		again.Sections = append(again.Sections, views.SectionForm{Text: c.FormValue("section-" + n), Outcome: c.FormValue("outcome-" + n)})
	}
	return s.minutesAction(c, "flash.minutes_saved", again, func(u *app.User, id int64) error {
		return s.meet.SaveMinutes(c.Request().Context(), u, id, atoiOr(c.FormValue("revision"), -1), in)
	})
}

func (s *Server) approveMinutes(c echo.Context) error {
	return s.minutesAction(c, "flash.approved", views.MinutesDetail{}, func(u *app.User, id int64) error {
		return s.meet.ApproveMinutes(c.Request().Context(), u, id, atoiOr(c.FormValue("revision"), -1))
	})
}

func (s *Server) saveStatement(c echo.Context) error {
	again := views.MinutesDetail{Statement: c.FormValue("statement"), StatementTyped: true}
	return s.minutesAction(c, "flash.saved", again, func(u *app.User, id int64) error {
		return s.meet.SaveStatement(c.Request().Context(), u, id, formInt64(c, "version"), c.FormValue("statement"))
	})
}

// Calendar files.

func (s *Server) meetingCalendar(c echo.Context) error {
	u := actor(c)
	m, lines, err := s.meet.CalendarOf(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	if m.StartsAt == nil {
		return app.ErrNotFound // no time yet: nothing to put in a calendar
	}
	return s.writeCalendar(c, u, []meetings.Meeting{*m}, map[int64][]meetings.Line{m.ID: lines}, m.PublicID+".ics")
}

// calendarFeed is the personal feed: public (calendar programs do not sign
// in), named by a long random token the person can replace.
func (s *Server) calendarFeed(c echo.Context) error {
	ctx := c.Request().Context()
	tok, ok := strings.CutSuffix(c.Param("token"), ".ics")
	if !ok {
		return app.ErrNotFound
	}
	id, err := s.meet.FeedOwner(ctx, tok)
	if err != nil {
		return err
	}
	u, err := s.svc.FeedUser(ctx, id)
	if err != nil {
		return err
	}
	ms, lines, err := s.meet.Feed(ctx, u)
	if err != nil {
		return err
	}
	due, err := s.act.Calendar(ctx, u)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return s.writeCalendar(c, u, ms, lines, "parley.ics", s.dueEvents(c, u, due)...)
}

// dueEvents are actions' due dates as all-day calendar entries: the same
// date for every reader, whatever their zone; the UID stays, and SEQUENCE
// rises with each new date agreed.
func (s *Server) dueEvents(c echo.Context, u *app.User, due []actions.Action) []meetings.Event {
	l := s.msgs.For(u.PreferredLanguage())
	var out []meetings.Event
	for _, a := range due {
		d := a.Due()
		out = append(out, meetings.Event{UID: a.PublicID + "-due@parley", Sequence: a.DueSequence, Stamp: a.UpdatedAt,
			Day:     fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day),
			Summary: l.T("action.calendar_summary", "Title", a.Title),
			Description: l.T("action.calendar_description", "Status", l.T(a.Status.MessageKey()),
				"Zone", views.ZoneName(l, app.LoadLocation(a.DueZone))),
			URL: s.absoluteURL(c, "/actions/"+a.PublicID)})
	}
	return out
}

func (s *Server) writeCalendar(c echo.Context, u *app.User, ms []meetings.Meeting, lines map[int64][]meetings.Line, file string,
	more ...meetings.Event) error {
	sides, err := s.svc.ListSides(c.Request().Context(), u)
	if err != nil {
		return err
	}
	l := s.msgs.For(u.PreferredLanguage())
	events := append(meetings.Events(ms, s.svc.Now(), views.EventText(l, sides, lines)), more...)
	var buf bytes.Buffer
	if err := meetings.WriteCalendar(&buf, "Parley", events); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}

func (s *Server) replaceFeedToken(c echo.Context) error {
	if _, err := s.meet.ReplaceFeedToken(c.Request().Context(), actor(c)); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/account#calendar", "flash.calendar_replaced")
}

// absoluteURL is a path on this site as a full address: under the public
// address when one is configured, else under the request's own host.
func (s *Server) absoluteURL(c echo.Context, path string) string {
	if s.origin != "" {
		return s.origin + path
	}
	return c.Scheme() + "://" + c.Request().Host + path
}
