package web

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
	"github.com/parley/parley/views"
)

// Actions. Every rule is in app/actions; these handlers read forms, call
// the service and render.

func (s *Server) actionsRoutes() {
	e := s.e
	e.GET("/actions", s.actionsPage)
	e.GET("/actions.csv", s.exportActions)
	e.GET("/actions/new", s.newActionPage)
	e.POST("/actions/new", s.createAction)
	e.GET("/actions/:id", s.actionPage)
	e.GET("/actions/:id/history", s.actionHistory)
	e.GET("/actions/:id/translation", s.actionTranslationPage)
	e.POST("/actions/:id/translation", s.saveActionTranslation)
	e.POST("/actions/:id/start", s.actionStep("flash.action_started", func(c echo.Context, u *app.User, id, v int64) error {
		return s.act.Start(c.Request().Context(), u, id, v)
	}))
	e.POST("/actions/:id/done", s.actionStep("flash.action_done", s.markDone))
	e.GET("/actions/:id/files/:fid", s.downloadActionFile)
	e.POST("/actions/:id/verify", s.actionStep("flash.action_verified", func(c echo.Context, u *app.User, id, v int64) error {
		return s.act.Verify(c.Request().Context(), u, id, v)
	}))
	e.POST("/actions/:id/reopen", s.actionStep("flash.action_reopened", func(c echo.Context, u *app.User, id, v int64) error {
		return s.act.Reopen(c.Request().Context(), u, id, v, c.FormValue("reason"))
	}))
	e.POST("/actions/:id/cancel", s.actionStep("flash.action_cancelled", func(c echo.Context, u *app.User, id, v int64) error {
		return s.act.Cancel(c.Request().Context(), u, id, v, c.FormValue("reason"))
	}))
	e.POST("/actions/:id/due-date", s.actionStep("flash.due_proposed", func(c echo.Context, u *app.User, id, v int64) error {
		return s.act.ProposeDue(c.Request().Context(), u, id, v, c.FormValue("due"))
	}))
	e.POST("/actions/:id/agree-due", s.actionStep("flash.due_agreed", func(c echo.Context, u *app.User, id, _ int64) error {
		rev, _ := strconv.Atoi(c.FormValue("revision"))
		return s.act.AgreeDue(c.Request().Context(), u, id, rev)
	}))
	e.POST("/actions/:id/comments", s.addComment(actions.KindAction, actions.RefAction, "/actions/",
		func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error {
			return s.renderAction(c, status, views.ActionDetail{Thread: views.Thread{Form: form}, Errors: errs})
		}))
	e.POST("/actions/:id/comments/:cid", s.editComment(actions.KindAction, actions.RefAction, "/actions/",
		func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error {
			return s.renderAction(c, status, views.ActionDetail{Errors: errs})
		}))
}

// sourceRefKinds are the opaque identifiers of each kind of source.
var sourceRefKinds = map[actions.SourceType]string{
	actions.SourceAgenda: agenda.RefItem, actions.SourceMeeting: meetings.RefMeeting,
	actions.SourceIncident: incidents.RefIncident, actions.SourceRequest: incidents.RefRequest,
}

// actionFilter reads the list's view and filter from the query.
func (s *Server) actionFilter(c echo.Context) (actions.Filter, string) {
	f := actions.Filter{View: c.QueryParam("view"), Status: actions.Status(c.QueryParam("status")),
		SourceType: actions.SourceType(c.QueryParam("source_type")), Page: pageParam(c)}
	if !slices.Contains(actions.Views, f.View) {
		f.View = actions.ViewAll
	}
	if !slices.Contains(actions.Statuses, f.Status) {
		f.Status = ""
	}
	if !slices.Contains(actions.SourceTypes, f.SourceType) {
		f.SourceType = ""
	}
	ref := c.QueryParam("source")
	if f.SourceType != "" && ref != "" {
		if f.SourceID = s.valueRef(c, sourceRefKinds[f.SourceType], ref); f.SourceID == 0 {
			f.SourceID = -1 // named, but nothing: lists nothing
		}
	} else {
		ref = ""
	}
	return f, ref
}

func (s *Server) actionsPage(c echo.Context) error {
	f, ref := s.actionFilter(c)
	list, err := s.act.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	l := views.ActionList{List: list, Filter: f, SourceRef: ref, CanCreate: actions.CanCreate(actor(c))}
	l.Pager = views.Pager{Number: list.Page.Number, Pages: min(list.Pages(), actions.MaxListPage), Total: list.Total,
		BaseURL: views.ActionListURL(l, f.View)}
	return s.show(c, http.StatusOK, "action.list_title", func(p views.Page) templ.Component { return views.ActionsPage(p, l) })
}

func (s *Server) exportActions(c echo.Context) error {
	f, _ := s.actionFilter(c)
	return s.sendCSV(c, "actions.csv", func(w io.Writer) error {
		return s.act.ExportCSV(c.Request().Context(), actor(c), f, w)
	})
}

// newActionPage offers the form, filled from a source when one is named
// (?source=<kind>:<opaque identifier>).
func (s *Server) newActionPage(c echo.Context) error {
	u := actor(c)
	if !actions.CanCreate(u) {
		return app.ErrForbidden
	}
	f := views.ActionForm{Language: u.PreferredLanguage(), Owner: u.Side.Code, Source: c.QueryParam("source")}
	if u.Side.Kind == app.KindSecretariat {
		f.Owner = "joint"
	}
	if f.Source != "" {
		t, id := s.actionSource(c, f.Source)
		src, err := s.act.Source(c.Request().Context(), u, t, id)
		if err != nil {
			return err
		}
		f.SourceTitle = src.Title(u.PreferredLanguage())
		f.Title = src.Title(u.PreferredLanguage())
		f.Internal = src.Restricted // a draft's or a RED incident's actions stay with the side
	}
	if title := strings.TrimSpace(c.QueryParam("title")); title != "" {
		f.Title = title // an agreed outcome of the minutes names what is to be done
	}
	return s.renderActionForm(c, http.StatusOK, f)
}

// actionSource reads a source field, "<kind>:<opaque identifier>".
func (s *Server) actionSource(c echo.Context, field string) (actions.SourceType, int64) {
	kind, ref, ok := strings.Cut(field, ":")
	t := actions.SourceType(kind)
	refKind, known := sourceRefKinds[t]
	if !ok || !known {
		return "", 0
	}
	return t, s.valueRef(c, refKind, ref)
}

func (s *Server) renderActionForm(c echo.Context, status int, f views.ActionForm) error {
	u := actor(c)
	assignees, err := s.act.Assignees(c.Request().Context(), u)
	if err != nil {
		return err
	}
	f.Assignees = assignees
	f.Title, f.Description = app.ClipText(f.Title, actions.MaxTitleLen), app.ClipText(f.Description, actions.MaxDescriptionLen)
	f.Owner, f.Assignee, f.Due = app.ClipText(f.Owner, 10), app.ClipText(f.Assignee, 64), app.ClipText(f.Due, 20)
	f.Source, f.Language = app.ClipText(f.Source, 100), app.ClipText(f.Language, 5)
	return s.show(c, status, "action.new", func(p views.Page) templ.Component {
		for _, sd := range p.Sides {
			if u.Side.Kind == app.KindSecretariat || sd.ID == u.SideID {
				f.Sides = append(f.Sides, sd)
			}
		}
		return views.ActionFormPage(p, f)
	})
}

func (s *Server) createAction(c echo.Context) error {
	u := actor(c)
	if !actions.CanCreate(u) {
		return app.ErrForbidden
	}
	ctx := c.Request().Context()
	f := views.ActionForm{Title: c.FormValue("title"), Description: c.FormValue("description"), Language: c.FormValue("language"),
		Owner: c.FormValue("owner"), Assignee: c.FormValue("assignee"), Due: c.FormValue("due"),
		Internal: c.FormValue("internal") == "1", Source: c.FormValue("source")}
	in := actions.Input{Title: f.Title, Description: f.Description, Language: f.Language, Due: f.Due, Internal: f.Internal,
		Joint: f.Owner == "joint"}
	if !in.Joint {
		if sd, err := s.svc.SideByCode(ctx, u, f.Owner); err == nil {
			in.OwnerSideID = sd.ID
		} else {
			in.OwnerSideID = -1 // named, but no side: refused as such
		}
	}
	if f.Assignee != "" {
		if in.AssigneeID = s.valueRef(c, app.RefUser, f.Assignee); in.AssigneeID == 0 {
			in.AssigneeID = -1
		}
	}
	if f.Source != "" {
		if in.SourceType, in.SourceID = s.actionSource(c, f.Source); in.SourceID == 0 {
			in.SourceType, in.SourceID = actions.SourceMeeting, -1 // named, but nothing the actor may see
		}
	}
	a, err := s.act.Create(ctx, u, in)
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		f.Errors = errs
		if f.Source != "" {
			if t, id := s.actionSource(c, f.Source); id != 0 {
				if src, err := s.act.Source(ctx, u, t, id); err == nil {
					f.SourceTitle = src.Title(u.PreferredLanguage())
				}
			}
		}
		return s.renderActionForm(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/actions/"+a.PublicID, "flash.action_created") })
}

func (s *Server) actionPage(c echo.Context) error {
	return s.renderAction(c, http.StatusOK, views.ActionDetail{})
}

// renderAction shows an action's page; d carries what a refused form needs
// shown again.
func (s *Server) renderAction(c echo.Context, status int, d views.ActionDetail) error {
	u := actor(c)
	cur := app.ThreadCursor{Before: c.QueryParam("before"), From: c.QueryParam("comment")}
	v, err := s.act.View(c.Request().Context(), u, c.Param("id"), cur)
	if err != nil {
		return err
	}
	a := v.Action
	p, err := s.page(c, "action.title")
	if err != nil {
		return err
	}
	p.MainStatus = string(a.Status)
	if slices.ContainsFunc(a.Parts, func(part actions.Part) bool { return part.Status == actions.StatusVerified }) {
		if d.Logged, err = s.svc.LogMarkOf(c.Request().Context(), u, app.Ref{Kind: actions.KindAction, ID: a.ID}, "action.verify"); err != nil {
			return err
		}
	}
	d.Action, d.Source, d.Perms = a, v.Source, actions.PermissionsOn(u, a)
	d.Thread.Comments, d.Thread.Older, d.Thread.Newer = v.Thread.Comments, v.Thread.Older, v.Thread.Newer
	d.Thread.Action, d.Thread.PageURL, d.Thread.Now = "/actions/"+a.PublicID+"/comments", "/actions/"+a.PublicID, s.svc.Now()
	d.Thread.CanComment, d.Thread.SharedAllowed = app.CanWrite(u), a.Visibility == app.Shared
	d.Thread.Form.Body = app.ClipText(d.Thread.Form.Body, app.MaxCommentLen)
	d.Note, d.Due = app.ClipText(d.Note, actions.MaxNoteLen), app.ClipText(d.Due, 20)
	return render(c, status, views.ActionPage(p, d))
}

// actionStep runs a change on an action from its page: a refusal the
// person can act on shows the page again with what was typed; success
// returns to the page.
func (s *Server) actionStep(flash string, act func(c echo.Context, u *app.User, id, version int64) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := s.ref(c, actions.RefAction, "id")
		if err != nil {
			return err
		}
		err = act(c, actor(c), id, formInt64(c, "version"))
		return submit(err, func(status int, errs views.Errors, conflict bool) error {
			if conflict && app.ErrorMessage(err) == "error.conflict" {
				errs = views.FormError("action.changed_meanwhile")
			}
			note := c.FormValue("note")
			if note == "" {
				note = c.FormValue("reason")
			}
			return s.renderAction(c, status, views.ActionDetail{Note: note, Due: c.FormValue("due"), Errors: errs})
		}, func() error { return s.redirectWithFlash(c, "/actions/"+c.Param("id"), flash) })
	}
}

func (s *Server) actionHistory(c echo.Context) error {
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	a, recs, err := s.act.History(c.Request().Context(), actor(c), c.Param("id"), pg)
	if err != nil {
		return err
	}
	p, err := s.page(c, "history.title")
	if err != nil {
		return err
	}
	p.MainStatus = string(a.Status)
	base := "/actions/" + a.PublicID
	return render(c, http.StatusOK, views.HistoryPage(p, a.Title, base, recs.Items,
		views.Pager{Number: recs.Page.Number, Pages: recs.Pages(), Total: recs.Total, BaseURL: base + "/history"}))
}

func (s *Server) actionTranslationPage(c echo.Context) error {
	a, err := s.act.Get(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if !actions.PermissionsOn(actor(c), a).Translate {
		return app.ErrForbidden
	}
	f := actionTranslation(a)
	if tr := a.Translation; tr != nil {
		f.Version, f.Title, f.Description = tr.Version, tr.Title, tr.Body
	}
	return s.renderActionTranslation(c, http.StatusOK, f)
}

// actionTranslation is the translation form of an action, before what was typed.
func actionTranslation(a *actions.Action) views.TranslationForm {
	base := "/actions/" + a.PublicID
	return views.TranslationForm{Back: base, Action: base + "/translation", Heading: a.Title,
		Original: views.Text{Lang: a.Language, Title: a.Title, Body: a.Description},
		Into:     a.TranslationLanguage(), Revision: a.Revision}
}

func (s *Server) renderActionTranslation(c echo.Context, status int, f views.TranslationForm) error {
	f.Title, f.Description = app.ClipText(f.Title, actions.MaxTitleLen), app.ClipText(f.Description, actions.MaxDescriptionLen)
	return s.show(c, status, "agenda.translate", func(p views.Page) templ.Component { return views.TranslationPage(p, f) })
}

func (s *Server) saveActionTranslation(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.ref(c, actions.RefAction, "id")
	if err != nil {
		return err
	}
	version, title, description := formInt64(c, "version"), c.FormValue("tr_title"), c.FormValue("tr_description")
	err = s.act.SetTranslation(ctx, actor(c), id, version, title, description)
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		a, err := s.act.Get(ctx, actor(c), c.Param("id"))
		if err != nil {
			return err
		}
		f := actionTranslation(a)
		f.Version, f.Title, f.Description, f.Errors = version, title, description, errs
		if conflict && a.Translation != nil {
			f.Version = a.Translation.Version
		}
		return s.renderActionTranslation(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/actions/"+c.Param("id"), "flash.saved") })
}

// markDone marks the actor's side's part done, with the note and, when the
// form carries one, a file as evidence (multipart field "file").
func (s *Server) markDone(c echo.Context, u *app.User, id, version int64) error {
	var ev *actions.Evidence
	var tooBig *http.MaxBytesError
	if err := c.Request().ParseMultipartForm(32 << 20); errors.As(err, &tooBig) {
		v := app.Validation{}
		v.Add("file", "attachment.too_large")
		return v.Err()
	}
	if fh, err := c.FormFile("file"); err == nil && fh.Filename != "" {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, s.act.MaxFileSize()+1))
		if err != nil {
			return err
		}
		ev = &actions.Evidence{Name: fh.Filename, Data: data}
	}
	return s.act.DoneWith(c.Request().Context(), u, id, version, c.FormValue("note"), ev)
}

// downloadActionFile serves evidence only as a download.
func (s *Server) downloadActionFile(c echo.Context) error {
	id, err := s.ref(c, actions.RefAction, "id")
	if err != nil {
		return err
	}
	f, err := s.act.File(c.Request().Context(), actor(c), id, c.Param("fid"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", contentDisposition(f.Name))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, f.MediaType, f.Content)
}
