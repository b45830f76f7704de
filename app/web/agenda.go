package web

import (
	"github.com/a-h/templ"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/views"
)

// Agenda items. Every rule is in app/agenda.go; these handlers read forms,
// call the service and render.

func (s *Server) agendaPage(c echo.Context) error {
	ctx := c.Request().Context()
	u := actor(c)
	f := agenda.ItemFilter{Status: agenda.Status(c.QueryParam("status")), Text: app.ClipText(c.QueryParam("q"), maxQueryLen),
		Sort: c.QueryParam("sort"), Page: pageParam(c)}
	if !validStatus(f.Status) {
		f.Status = ""
	}
	v := views.AgendaList{}
	if f.SideID = s.valueRef(c, app.RefSide, c.QueryParam("side")); f.SideID != 0 {
		v.SideRef = c.QueryParam("side")
	}
	if f.CategoryID = s.valueRef(c, agenda.RefCategory, c.QueryParam("category")); f.CategoryID != 0 {
		v.CategoryRef = c.QueryParam("category")
	}
	list, err := s.agenda.ListItems(ctx, u, f)
	if err != nil {
		return err
	}
	cats, err := s.agenda.Categories(ctx, u, true)
	if err != nil {
		return err
	}
	p, err := s.page(c, "agenda.title")
	if err != nil {
		return err
	}
	v.Items, v.Filter, v.Categories, v.CanPropose = list.Items, f, cats, agenda.CanProposeItems(u)
	v.Capped = list.Capped
	v.Pager = views.Pager{Number: list.Page.Number, Pages: min(list.Pages(), agenda.MaxListPage), Total: list.Total,
		BaseURL: views.AgendaURL(v, f.Status)}
	for _, st := range agenda.Statuses {
		if n := list.Counts[st]; n > 0 {
			v.Counts = append(v.Counts, views.StatusCount{Status: st, N: n})
		}
		v.All += list.Counts[st]
	}
	return render(c, http.StatusOK, views.AgendaPage(p, v))
}

// maxQueryLen bounds a search text.
const maxQueryLen = 200

func validStatus(st agenda.Status) bool {
	for _, x := range agenda.Statuses {
		if x == st {
			return true
		}
	}
	return false
}

func (s *Server) renderItemForm(c echo.Context, status int, f views.ItemForm) error {
	f.Title, f.Description = app.ClipText(f.Title, agenda.MaxTitleLen), app.ClipText(f.Description, agenda.MaxDescriptionLen)
	f.Duration, f.Language = app.ClipText(f.Duration, 10), app.ClipText(f.Language, 10)
	cats, err := s.agenda.Categories(c.Request().Context(), actor(c), false)
	if err != nil {
		return err
	}
	f.Categories = cats
	title := "agenda.new"
	if f.Ref != "" {
		title = "agenda.edit"
	}
	p, err := s.page(c, title)
	if err != nil {
		return err
	}
	return render(c, status, views.ItemFormPage(p, f))
}

func (s *Server) newItemPage(c echo.Context) error {
	u := actor(c)
	if !agenda.CanProposeItems(u) {
		return app.ErrForbidden
	}
	return s.renderItemForm(c, http.StatusOK, views.ItemForm{Duration: "30", Language: u.PreferredLanguage()})
}

func (s *Server) itemForm(c echo.Context) views.ItemForm {
	return views.ItemForm{Version: formInt64(c, "version"), Title: c.FormValue("title"), Description: c.FormValue("description"),
		CategoryID: s.valueRef(c, agenda.RefCategory, c.FormValue("category")), Duration: strings.TrimSpace(c.FormValue("duration")),
		Language: c.FormValue("language")}
}

func itemInput(f views.ItemForm) agenda.ItemInput {
	d, err := strconv.Atoi(f.Duration)
	if err != nil {
		d = -1
	}
	return agenda.ItemInput{Title: f.Title, Description: f.Description, CategoryID: f.CategoryID, DurationMinutes: d, Language: f.Language}
}

func (s *Server) createItem(c echo.Context) error {
	f := s.itemForm(c)
	it, err := s.agenda.CreateItem(c.Request().Context(), actor(c), itemInput(f))
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		f.Errors = errs
		return s.renderItemForm(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/agenda/"+it.PublicID, "flash.draft_saved") })
}

func (s *Server) editItemPage(c echo.Context) error {
	it, err := s.item(c)
	if err != nil {
		return err
	}
	if !agenda.PermissionsOn(actor(c), it).Edit {
		return app.ErrForbidden
	}
	return s.renderItemForm(c, http.StatusOK, views.ItemForm{Ref: it.PublicID, Version: it.Version, Title: it.Title,
		Description: it.Description, CategoryID: it.CategoryID, Duration: strconv.Itoa(it.DurationMinutes), Status: it.Status})
}

func (s *Server) updateItem(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.ref(c, agenda.RefItem, "id")
	if err != nil {
		return err
	}
	f := s.itemForm(c)
	f.Ref = c.Param("id")
	_, err = s.agenda.UpdateItem(ctx, actor(c), id, f.Version, itemInput(f))
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		cur, err := s.agenda.GetItem(ctx, actor(c), id)
		if err != nil {
			return err
		}
		f.Errors, f.Status = errs, cur.Status
		if conflict {
			f.Version = cur.Version // what was typed is kept; saving again is a deliberate choice
		}
		return s.renderItemForm(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/agenda/"+c.Param("id"), "flash.saved") })
}

// item loads the item named in the path, as the actor may see it.
func (s *Server) item(c echo.Context) (*agenda.Item, error) {
	id, err := s.ref(c, agenda.RefItem, "id")
	if err != nil {
		return nil, err
	}
	return s.agenda.GetItem(c.Request().Context(), actor(c), id)
}

func (s *Server) itemPage(c echo.Context) error {
	return s.renderItem(c, http.StatusOK, views.ItemDetail{})
}

// renderItem shows an item page; d carries what a refused action needs shown again.
func (s *Server) renderItem(c echo.Context, status int, d views.ItemDetail) error {
	u := actor(c)
	cur := app.ThreadCursor{Before: c.QueryParam("before"), From: c.QueryParam("comment")}
	view, err := s.agenda.ItemView(c.Request().Context(), u, c.Param("id"), cur)
	if err != nil {
		return err
	}
	it, amendments := view.Item, view.Amendments
	p, err := s.page(c, "agenda.item")
	if err != nil {
		return err
	}
	p.MainStatus = string(it.Status)
	switch it.Status {
	case agenda.StatusAdopted, agenda.StatusScheduled, agenda.StatusClosed: // adopted, and maybe on a meeting since
		if d.Logged, err = s.svc.LogMarkOf(c.Request().Context(), u, app.Ref{Kind: agenda.KindItem, ID: it.ID}, "agenda.adopt"); err != nil {
			return err
		}
	}
	d.Item, d.Amendments, d.MoreAmendments = it, amendments, view.MoreAmendments
	d.Perms = agenda.PermissionsOn(u, it)
	d.Thread.Comments, d.Thread.Older, d.Thread.Newer = view.Thread.Comments, view.Thread.Older, view.Thread.Newer
	d.Thread.Action, d.Thread.PageURL, d.Thread.Now = "/agenda/"+it.PublicID+"/comments", "/agenda/"+it.PublicID, s.svc.Now()
	d.Thread.CanComment, d.Thread.SharedAllowed = d.Perms.Comment, it.Tabled()
	d.Thread.Form.Body = app.ClipText(d.Thread.Form.Body, app.MaxCommentLen)
	d.Decide.Reason = app.ClipText(d.Decide.Reason, agenda.MaxReasonLen)
	return render(c, status, views.ItemPage(p, d))
}

// itemAction runs a state change on an item. A refusal the person can act
// on (bad input, a conflict, the wrong state) is shown on the item page.
func (s *Server) itemAction(c echo.Context, flash string, act func(u *app.User, id int64) error) error {
	id, err := s.ref(c, agenda.RefItem, "id")
	if err != nil {
		return err
	}
	err = act(actor(c), id)
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		d := views.ItemDetail{Errors: errs, Decide: views.DecideForm{Reason: c.FormValue("reason"), Errors: errs}}
		if conflict {
			d.Errors = views.FormError(app.ErrorMessage(err))
			if app.ErrorMessage(err) == "error.conflict" {
				d.Errors = views.FormError("agenda.changed_meanwhile")
			}
			d.Decide.Errors = views.Errors{}
		}
		return s.renderItem(c, status, d)
	}, func() error { return s.redirectWithFlash(c, "/agenda/"+c.Param("id"), flash) })
}

func (s *Server) tableItem(c echo.Context) error {
	return s.itemAction(c, "flash.tabled", func(u *app.User, id int64) error {
		return s.agenda.TableItem(c.Request().Context(), u, id, formInt64(c, "version"))
	})
}

func (s *Server) withdrawItem(c echo.Context) error {
	return s.itemAction(c, "flash.withdrawn", func(u *app.User, id int64) error {
		return s.agenda.WithdrawItem(c.Request().Context(), u, id, formInt64(c, "version"))
	})
}

func (s *Server) decide(kind app.DecisionKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.itemAction(c, "flash.decision_"+string(kind), func(u *app.User, id int64) error {
			rev, err := strconv.Atoi(c.FormValue("revision"))
			if err != nil {
				rev = -1
			}
			return s.agenda.Decide(c.Request().Context(), u, id, rev, kind, c.FormValue("reason"))
		})
	}
}

func (s *Server) withdrawObjection(c echo.Context) error {
	return s.itemAction(c, "flash.objection_withdrawn", func(u *app.User, id int64) error {
		return s.agenda.WithdrawObjection(c.Request().Context(), u, id)
	})
}

func (s *Server) itemHistory(c echo.Context) error {
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	v, err := s.agenda.ItemHistory(c.Request().Context(), actor(c), c.Param("id"), pg)
	if err != nil {
		return err
	}
	it := v.Item
	p, err := s.page(c, "history.title")
	if err != nil {
		return err
	}
	p.MainStatus = string(it.Status)
	return render(c, http.StatusOK, views.HistoryPage(p, it.Title, "/agenda/"+it.PublicID, v.Records.Items,
		views.Pager{Number: v.Records.Page.Number, Pages: v.Records.Pages(), Total: v.Records.Total, BaseURL: "/agenda/" + it.PublicID + "/history"}))
}

func (s *Server) itemRevisions(c echo.Context) error {
	num := func(name string) int { n, _ := strconv.Atoi(c.QueryParam(name)); return n }
	rv, err := s.agenda.ItemRevisions(c.Request().Context(), actor(c), c.Param("id"), num("page"), num("from"), num("to"))
	if err != nil {
		return err
	}
	base := "/agenda/" + rv.Item.PublicID + "/revisions"
	if rv.From != nil && rv.To != nil {
		base += "?from=" + strconv.Itoa(rv.From.Number) + "&to=" + strconv.Itoa(rv.To.Number)
	}
	v := views.RevisionsView{Item: rv.Item, Revisions: rv.Revisions.Items, From: rv.From, To: rv.To,
		Decisions: rv.Decisions, MoreDecisions: rv.MoreDecisions,
		Pager: views.Pager{Number: rv.Revisions.Page.Number, Pages: rv.Revisions.Pages(), Total: rv.Revisions.Total, BaseURL: base}}
	return s.show(c, http.StatusOK, "agenda.revisions", func(p views.Page) templ.Component { return views.RevisionsPage(p, v) })
}

func (s *Server) itemAmendments(c echo.Context) error {
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	it, list, err := s.agenda.ItemAmendments(c.Request().Context(), actor(c), c.Param("id"), pg)
	if err != nil {
		return err
	}
	v := views.AmendmentsView{Item: it, Amendments: list.Items, Capped: list.Total > agenda.CountCap,
		Pager: views.Pager{Number: list.Page.Number, Pages: list.Pages(), Total: list.Total,
			BaseURL: "/agenda/" + it.PublicID + "/amendments"}}
	return s.show(c, http.StatusOK, "amendment.title", func(p views.Page) templ.Component { return views.AmendmentsPage(p, v) })
}

func (s *Server) translationPage(c echo.Context) error {
	it, err := s.item(c)
	if err != nil {
		return err
	}
	if !agenda.PermissionsOn(actor(c), it).Translate {
		return app.ErrForbidden
	}
	f := translationOf(it)
	if tr := it.Translation; tr != nil {
		f.Version, f.Title, f.Description = tr.Version, tr.Title, tr.Body
	}
	return s.renderTranslation(c, http.StatusOK, f)
}

// translationOf is the translation form of an item, before what was typed.
func translationOf(it *agenda.Item) views.TranslationForm {
	base := "/agenda/" + it.PublicID
	return views.TranslationForm{Back: base, Action: base + "/translation", Heading: it.Title,
		Original: views.Text{Lang: it.Language, Title: it.Title, Body: it.Description},
		Into:     it.TranslationLanguage(), Revision: it.Revision}
}

func (s *Server) renderTranslation(c echo.Context, status int, f views.TranslationForm) error {
	f.Title, f.Description = app.ClipText(f.Title, agenda.MaxTitleLen), app.ClipText(f.Description, agenda.MaxDescriptionLen)
	return s.show(c, status, "agenda.translate", func(p views.Page) templ.Component { return views.TranslationPage(p, f) })
}

func (s *Server) saveTranslation(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.ref(c, agenda.RefItem, "id")
	if err != nil {
		return err
	}
	version, title, description := formInt64(c, "version"), c.FormValue("tr_title"), c.FormValue("tr_description")
	err = s.agenda.SetTranslation(ctx, actor(c), id, version, title, description)
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		it, err := s.agenda.GetItem(ctx, actor(c), id)
		if err != nil {
			return err
		}
		f := translationOf(it)
		f.Version, f.Title, f.Description, f.Errors = version, title, description, errs
		if conflict && it.Translation != nil {
			f.Version = it.Translation.Version
		}
		return s.renderTranslation(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/agenda/"+c.Param("id"), "flash.saved") })
}

func (s *Server) newAmendmentPage(c echo.Context) error {
	it, err := s.item(c)
	if err != nil {
		return err
	}
	if !agenda.PermissionsOn(actor(c), it).Amend {
		return app.ErrForbidden
	}
	return s.renderAmendmentForm(c, http.StatusOK, views.AmendmentForm{Item: it, Title: it.Title, Description: it.Description})
}

func (s *Server) renderAmendmentForm(c echo.Context, status int, f views.AmendmentForm) error {
	f.Title, f.Description = app.ClipText(f.Title, agenda.MaxTitleLen), app.ClipText(f.Description, agenda.MaxDescriptionLen)
	f.Rationale = app.ClipText(f.Rationale, agenda.MaxReasonLen)
	return s.show(c, status, "amendment.propose", func(p views.Page) templ.Component { return views.NewAmendmentPage(p, f) })
}

func (s *Server) proposeAmendment(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.ref(c, agenda.RefItem, "id")
	if err != nil {
		return err
	}
	f := views.AmendmentForm{Title: c.FormValue("title"), Description: c.FormValue("description"), Rationale: c.FormValue("rationale")}
	a, err := s.agenda.ProposeAmendment(ctx, actor(c), id, agenda.AmendmentInput{Title: f.Title, Description: f.Description,
		Rationale: f.Rationale})
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		it, err := s.agenda.GetItem(ctx, actor(c), id)
		if err != nil {
			return err
		}
		f.Item, f.Errors = it, errs
		return s.renderAmendmentForm(c, status, f)
	}, func() error {
		return s.redirectWithFlash(c, "/agenda/"+c.Param("id")+"/amendments/"+a.PublicID, "flash.amendment_proposed")
	})
}

func (s *Server) amendmentPage(c echo.Context) error {
	return s.renderAmendment(c, http.StatusOK, views.AmendmentView{})
}

func (s *Server) renderAmendment(c echo.Context, status int, v views.AmendmentView) error {
	id, aid, err := s.itemAnd(c, agenda.RefAmendment, "aid")
	if err != nil {
		return err
	}
	it, a, err := s.agenda.GetAmendment(c.Request().Context(), actor(c), id, aid)
	if err != nil {
		return err
	}
	v.Item, v.Amendment, v.Perms = it, a, agenda.PermissionsOnAmendment(actor(c), it, a)
	v.Reason = app.ClipText(v.Reason, agenda.MaxReasonLen)
	p, err := s.page(c, "amendment.one")
	if err != nil {
		return err
	}
	p.MainStatus = string(a.Status)
	return render(c, status, views.AmendmentPage(p, v))
}

// itemAnd resolves the item in the path and a record under it (":aid", ":cid").
func (s *Server) itemAnd(c echo.Context, kind, param string) (int64, int64, error) {
	id, err := s.ref(c, agenda.RefItem, "id")
	if err != nil {
		return 0, 0, err
	}
	sub, err := s.ref(c, kind, param)
	return id, sub, err
}

// amendmentAction runs a decision on an amendment; a refusal the person can
// act on is shown on the amendment's page with the reason they typed.
func (s *Server) amendmentAction(c echo.Context, flash string, act func(u *app.User, id, aid int64) error) error {
	id, aid, err := s.itemAnd(c, agenda.RefAmendment, "aid")
	if err != nil {
		return err
	}
	return submit(act(actor(c), id, aid), func(status int, errs views.Errors, _ bool) error {
		return s.renderAmendment(c, status, views.AmendmentView{Reason: c.FormValue("reason"), Errors: errs})
	}, func() error {
		return s.redirectWithFlash(c, "/agenda/"+c.Param("id")+"/amendments/"+c.Param("aid"), flash)
	})
}

func (s *Server) settleAmendment(accept bool) echo.HandlerFunc {
	flash := "flash.amendment_declined"
	if accept {
		flash = "flash.amendment_accepted"
	}
	return func(c echo.Context) error {
		return s.amendmentAction(c, flash, func(u *app.User, id, aid int64) error {
			return s.agenda.SettleAmendment(c.Request().Context(), u, id, aid, formInt64(c, "version"), accept, c.FormValue("reason"))
		})
	}
}

func (s *Server) withdrawAmendment(c echo.Context) error {
	return s.amendmentAction(c, "flash.amendment_withdrawn", func(u *app.User, id, aid int64) error {
		return s.agenda.WithdrawAmendment(c.Request().Context(), u, id, aid, formInt64(c, "version"))
	})
}

func (s *Server) categoriesPage(c echo.Context) error {
	return s.renderCategories(c, http.StatusOK, views.CategoryForm{})
}

func (s *Server) renderCategories(c echo.Context, status int, f views.CategoryForm) error {
	f.NameEN, f.NameZH, f.Position = app.ClipText(f.NameEN, 100), app.ClipText(f.NameZH, 100), app.ClipText(f.Position, 10)
	u := actor(c)
	cats, err := s.agenda.Categories(c.Request().Context(), u, true)
	if err != nil {
		return err
	}
	return s.show(c, status, "category.title", func(p views.Page) templ.Component {
		return views.CategoriesPage(p, views.CategoriesView{Categories: cats, New: f, CanManage: agenda.CanManageCategories(u)})
	})
}

func categoryInput(c echo.Context) (agenda.CategoryInput, views.CategoryForm) {
	f := views.CategoryForm{NameEN: c.FormValue("name_en"), NameZH: c.FormValue("name_zh"), Position: c.FormValue("position")}
	pos, _ := strconv.Atoi(strings.TrimSpace(f.Position))
	return agenda.CategoryInput{NameEN: f.NameEN, NameZH: f.NameZH, Position: pos, Archived: c.FormValue("archived") == "1"}, f
}

func (s *Server) createCategory(c echo.Context) error {
	in, f := categoryInput(c)
	_, err := s.agenda.CreateCategory(c.Request().Context(), actor(c), in)
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		f.Errors = errs
		return s.renderCategories(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/agenda/categories", "flash.saved") })
}

func (s *Server) updateCategory(c echo.Context) error {
	id, err := s.ref(c, agenda.RefCategory, "id")
	if err != nil {
		return err
	}
	in, _ := categoryInput(c)
	err = s.agenda.UpdateCategory(c.Request().Context(), actor(c), id, formInt64(c, "version"), in)
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		if app.FieldErrors(err) != nil {
			errs = views.FormError("category.edit_invalid") // the fields below belong to the new-category form
		}
		return s.renderCategories(c, status, views.CategoryForm{Errors: errs})
	}, func() error { return s.redirectWithFlash(c, "/agenda/categories", "flash.saved") })
}
