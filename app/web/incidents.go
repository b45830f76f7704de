package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/views"
)

// Incidents. Every rule is in app/incidents; these handlers read forms,
// call the service and render.

func (s *Server) incidentsRoutes() {
	e := s.e
	e.GET("/incidents", s.incidentsPage)
	e.GET("/incidents/new", s.newIncidentPage)
	e.POST("/incidents/new", s.createIncident)
	e.GET("/incidents/stats", s.incidentStats)
	e.GET("/incidents/tlp", s.tlpHelp)
	e.GET("/incidents/export.csv", s.exportIncidentList)
	e.GET("/incidents/:id", s.incidentPage)
	e.GET("/incidents/:id/edit", s.editIncidentPage)
	e.POST("/incidents/:id/edit", s.updateIncident)
	e.GET("/incidents/:id/translation", s.incidentTranslationPage)
	e.POST("/incidents/:id/translation", s.saveIncidentTranslation)
	e.POST("/incidents/:id/report", s.reportIncident)
	e.POST("/incidents/:id/status", s.moveIncident)
	e.POST("/incidents/:id/agree-close", s.agreeToClose)
	e.POST("/incidents/:id/tlp", s.changeTLP)
	e.POST("/incidents/:id/recipients", s.setRecipients)
	e.POST("/incidents/:id/claims", s.addClaim)
	e.GET("/incidents/:id/positions", s.positionsPage)
	e.POST("/incidents/:id/positions", s.setPosition)
	e.GET("/incidents/:id/indicators", s.indicatorsPage)
	e.POST("/incidents/:id/indicators", s.addIndicators)
	e.GET("/incidents/:id/requests", s.requestsPage)
	e.POST("/incidents/:id/requests", s.askRequest)
	e.POST("/incidents/:id/requests/:rid/answer", s.answerRequest)
	e.POST("/incidents/:id/requests/:rid/withdraw", s.withdrawRequest)
	e.GET("/incidents/:id/attachments", s.attachmentsPage)
	e.POST("/incidents/:id/attachments", s.uploadAttachment)
	e.GET("/incidents/:id/attachments/:aid", s.downloadAttachment)
	e.GET("/incidents/:id/history", s.incidentHistory)
	e.GET("/incidents/:id/export.csv", s.exportIndicators)
	e.GET("/incidents/:id/stix.json", s.exportStix)
	e.POST("/incidents/:id/comments", s.addComment(incidents.KindIncident, incidents.RefIncident, "/incidents/",
		func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error {
			return s.renderIncident(c, status, views.IncidentDetail{Thread: views.Thread{Form: form}, Errors: errs})
		}))
	e.POST("/incidents/:id/comments/:cid", s.editComment(incidents.KindIncident, incidents.RefIncident, "/incidents/",
		func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error {
			return s.renderIncident(c, status, views.IncidentDetail{Errors: errs})
		}))
}

// maxPasteBytes bounds a paste of indicators: 10,000 lines of up to 2,048
// characters would be more, but no real list comes near it.
const maxPasteBytes = 16 << 20

// incidentFilter reads the list's filter from the query.
func (s *Server) incidentFilter(c echo.Context) (incidents.Filter, string) {
	f := incidents.Filter{Status: incidents.Status(c.QueryParam("status")), Category: incidents.Category(c.QueryParam("category")),
		TLP: incidents.TLP(c.QueryParam("tlp")), Text: app.ClipText(strings.TrimSpace(c.QueryParam("q")), 200), Page: pageParam(c)}
	if !slices.Contains(incidents.Statuses, f.Status) {
		f.Status = ""
	}
	if !slices.Contains(incidents.Categories, f.Category) {
		f.Category = ""
	}
	if !f.TLP.Valid() {
		f.TLP = ""
	}
	sideRef := c.QueryParam("side")
	if f.SideID = s.valueRef(c, app.RefSide, sideRef); f.SideID == 0 {
		sideRef = ""
	}
	return f, sideRef
}

func (s *Server) incidentsPage(c echo.Context) error {
	f, sideRef := s.incidentFilter(c)
	list, err := s.inc.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	l := views.IncidentList{List: list, Filter: f, SideRef: sideRef, CanReport: incidents.CanReport(actor(c))}
	l.Pager = views.Pager{Number: list.Page.Number, Pages: min(list.Pages(), incidents.MaxListPage), Total: list.Total,
		BaseURL: views.IncidentListURL(l, f.Status)}
	return s.show(c, http.StatusOK, "incident.list_title", func(p views.Page) templ.Component { return views.IncidentsPage(p, l) })
}

func (s *Server) exportIncidentList(c echo.Context) error {
	f, _ := s.incidentFilter(c)
	return s.sendCSV(c, "incidents.csv", func(w io.Writer) error {
		return s.inc.ExportListCSV(c.Request().Context(), actor(c), f, w)
	})
}

// sendCSV writes a CSV download. The export writes into a buffer first, so
// that a refusal is an error page, never half a file.
func (s *Server) sendCSV(c echo.Context, name string, write func(io.Writer) error) error {
	var buf strings.Builder
	if err := write(&buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(buf.String()))
}

func (s *Server) newIncidentPage(c echo.Context) error {
	if !incidents.CanReport(actor(c)) {
		return app.ErrForbidden
	}
	u := actor(c)
	return s.renderIncidentForm(c, http.StatusOK, views.IncidentForm{Language: u.PreferredLanguage(), TLP: string(incidents.TLPAmber),
		ObservedZone: u.Location().String()})
}

func (s *Server) renderIncidentForm(c echo.Context, status int, f views.IncidentForm) error {
	f.Title, f.Summary = app.ClipText(f.Title, incidents.MaxTitleLen), app.ClipText(f.Summary, incidents.MaxSummaryLen)
	f.ObservedFrom, f.ObservedTo, f.ObservedZone = app.ClipText(f.ObservedFrom, 20), app.ClipText(f.ObservedTo, 20), app.ClipText(f.ObservedZone, 64)
	f.Category, f.TLP, f.Language = app.ClipText(f.Category, 40), app.ClipText(f.TLP, 20), app.ClipText(f.Language, 5)
	if len(f.Sectors) > len(incidents.Sectors) {
		f.Sectors = f.Sectors[:len(incidents.Sectors)]
	}
	title := "incident.new"
	if f.Ref != "" {
		title = "incident.edit"
	}
	return s.show(c, status, title, func(p views.Page) templ.Component { return views.IncidentFormPage(p, f) })
}

// incidentForm reads the new-incident and edit-draft form. The addressed
// side is the other delegation, never a form field.
func (s *Server) incidentForm(c echo.Context) (views.IncidentForm, incidents.Input) {
	f := views.IncidentForm{Title: c.FormValue("title"), Summary: c.FormValue("summary"), Language: c.FormValue("language"),
		Category: c.FormValue("category"), TLP: c.FormValue("tlp"), Sectors: formSectors(c),
		ObservedFrom: c.FormValue("observed_from"), ObservedTo: c.FormValue("observed_to"), ObservedZone: c.FormValue("observed_zone"),
		Version: formInt64(c, "version")}
	in := incidents.Input{TLP: incidents.TLP(f.TLP), Category: incidents.Category(f.Category), Title: f.Title, Summary: f.Summary,
		Language: f.Language, ObservedFrom: f.ObservedFrom, ObservedTo: f.ObservedTo, ObservedZone: f.ObservedZone}
	for _, sc := range f.Sectors {
		in.Sectors = append(in.Sectors, incidents.Sector(sc))
	}
	return f, in
}

// formSectors reads the ticked sectors: one checkbox per sector,
// "sector-<code>" (one name per control, as HTML checkers prefer).
func formSectors(c echo.Context) []string {
	var out []string
	for _, sc := range incidents.Sectors {
		if c.FormValue("sector-"+string(sc)) != "" {
			out = append(out, string(sc))
		}
	}
	return out
}

func (s *Server) createIncident(c echo.Context) error {
	f, in := s.incidentForm(c)
	if !incidents.CanReport(actor(c)) {
		return app.ErrForbidden
	}
	inc, err := s.inc.Create(c.Request().Context(), actor(c), in)
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		f.Errors = errs
		return s.renderIncidentForm(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/incidents/"+inc.PublicID, "flash.incident_created") })
}

func (s *Server) editIncidentPage(c echo.Context) error {
	inc, err := s.inc.Get(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if !incidents.PermissionsOn(actor(c), inc).Edit {
		return app.ErrForbidden
	}
	f := views.IncidentForm{Ref: inc.PublicID, Version: inc.Version, Title: inc.Title, Summary: inc.Summary, Language: inc.Language,
		Category: string(inc.Category), TLP: string(inc.TLP), ObservedZone: inc.ObservedZone,
		ObservedFrom: views.LocalInput(inc.ObservedFrom, inc.ObservedZone), ObservedTo: views.LocalInput(inc.ObservedTo, inc.ObservedZone)}
	for _, sc := range inc.Sectors {
		f.Sectors = append(f.Sectors, string(sc))
	}
	return s.renderIncidentForm(c, http.StatusOK, f)
}

func (s *Server) updateIncident(c echo.Context) error {
	id, err := s.ref(c, incidents.RefIncident, "id")
	if err != nil {
		return err
	}
	f, in := s.incidentForm(c)
	f.Ref = c.Param("id")
	err = s.inc.UpdateDraft(c.Request().Context(), actor(c), id, f.Version, in)
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		f.Errors = errs
		if conflict && app.ErrorMessage(err) == "error.conflict" {
			f.Errors = views.FormError("incident.changed_meanwhile")
			if cur, err := s.inc.Only(c.Request().Context(), actor(c), f.Ref); err == nil {
				f.Version = cur.Version // what was typed is kept; saving again is a deliberate choice
			}
		}
		return s.renderIncidentForm(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/incidents/"+f.Ref, "flash.saved") })
}

func (s *Server) incidentPage(c echo.Context) error {
	return s.renderIncident(c, http.StatusOK, views.IncidentDetail{})
}

// incidentFrame is the page data of an incident's pages: its status and
// marking on the main element.
func (s *Server) incidentFrame(c echo.Context, title string, inc *incidents.Incident) (views.Page, error) {
	p, err := s.page(c, title)
	if err != nil {
		return p, err
	}
	p.MainStatus = string(inc.Status)
	p.MainAttrs = templ.Attributes{"data-tlp": string(inc.TLP)}
	return p, nil
}

// renderIncident shows an incident's main page; d carries what a refused
// form needs shown again.
func (s *Server) renderIncident(c echo.Context, status int, d views.IncidentDetail) error {
	u := actor(c)
	ctx := c.Request().Context()
	cur := app.ThreadCursor{Before: c.QueryParam("before"), From: c.QueryParam("comment")}
	v, err := s.inc.View(ctx, u, c.Param("id"), cur)
	if err != nil {
		return err
	}
	inc := v.Incident
	if d.Candidates, err = s.inc.Candidates(ctx, u, inc); err != nil {
		return err
	}
	p, err := s.incidentFrame(c, "incident.title", inc)
	if err != nil {
		return err
	}
	d.Incident, d.Claims, d.Perms = inc, v.Claims, incidents.PermissionsOn(u, inc)
	d.Thread.Comments, d.Thread.Older, d.Thread.Newer = v.Thread.Comments, v.Thread.Older, v.Thread.Newer
	d.Thread.Action, d.Thread.PageURL, d.Thread.Now = "/incidents/"+inc.PublicID+"/comments", "/incidents/"+inc.PublicID, s.svc.Now()
	d.Thread.CanComment, d.Thread.SharedAllowed = d.Perms.Comment, inc.Status.Shared()
	if d.Perms.Attach {
		d.Thread.AttachURL = "/incidents/" + inc.PublicID + "/attachments"
	}
	d.Thread.Form.Body = app.ClipText(d.Thread.Form.Body, app.MaxCommentLen)
	d.Claim.Text, d.Claim.Figure = app.ClipText(d.Claim.Text, incidents.MaxClaimLen), app.ClipText(d.Claim.Figure, incidents.MaxFigureLen)
	d.TLP.TLP, d.TLP.Reason = app.ClipText(d.TLP.TLP, 20), app.ClipText(d.TLP.Reason, incidents.MaxReasonLen)
	return render(c, status, views.IncidentPage(p, d))
}

// incidentPost runs a change on an incident. A refusal the person can act
// on is shown again by again (the page the form was on, keeping what was
// typed); success goes to the incident's page under suffix.
func (s *Server) incidentPost(c echo.Context, flash, suffix string, again func(status int, errs views.Errors) error,
	act func(u *app.User, id int64) error) error {
	id, err := s.ref(c, incidents.RefIncident, "id")
	if err != nil {
		return err
	}
	err = act(actor(c), id)
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		if conflict && app.ErrorMessage(err) == "error.conflict" {
			errs = views.FormError("incident.changed_meanwhile")
		}
		return again(status, errs)
	}, func() error { return s.redirectWithFlash(c, "/incidents/"+c.Param("id")+suffix, flash) })
}

// incidentAction is incidentPost for the forms of the main page.
func (s *Server) incidentAction(c echo.Context, flash, anchor string, again views.IncidentDetail,
	act func(u *app.User, id int64) error) error {
	return s.incidentPost(c, flash, anchor, func(status int, errs views.Errors) error {
		again.Errors = errs
		return s.renderIncident(c, status, again)
	}, act)
}

func (s *Server) reportIncident(c echo.Context) error {
	return s.incidentAction(c, "flash.incident_reported", "", views.IncidentDetail{}, func(u *app.User, id int64) error {
		return s.inc.Report(c.Request().Context(), u, id, formInt64(c, "version"))
	})
}

func (s *Server) moveIncident(c echo.Context) error {
	to := incidents.Status(c.FormValue("to")) // the service refuses a status out of order, or unknown
	return s.incidentAction(c, "flash.incident_moved", "", views.IncidentDetail{}, func(u *app.User, id int64) error {
		return s.inc.Move(c.Request().Context(), u, id, formInt64(c, "version"), to)
	})
}

func (s *Server) agreeToClose(c echo.Context) error {
	return s.incidentPost(c, "flash.close_agreed", "/positions#closing", func(status int, errs views.Errors) error {
		return s.renderPositions(c, status, views.PositionsDetail{Errors: errs})
	}, func(u *app.User, id int64) error { return s.inc.AgreeToClose(c.Request().Context(), u, id) })
}

func (s *Server) changeTLP(c echo.Context) error {
	form := views.TLPForm{TLP: c.FormValue("tlp"), Reason: c.FormValue("reason")}
	return s.incidentAction(c, "flash.tlp_changed", "", views.IncidentDetail{TLP: form}, func(u *app.User, id int64) error {
		return s.inc.ChangeTLP(c.Request().Context(), u, id, formInt64(c, "version"), incidents.TLP(form.TLP), form.Reason)
	})
}

func (s *Server) setRecipients(c echo.Context) error {
	vals, _ := c.FormParams()
	var refs []string // one checkbox per person: "recipient-<opaque id>"
	for k := range vals {
		if ref, ok := strings.CutPrefix(k, "recipient-"); ok && len(refs) < 1000 {
			refs = append(refs, ref)
		}
	}
	var users []int64
	for _, ref := range refs {
		id := s.valueRef(c, app.RefUser, ref)
		if id == 0 {
			id = -1 // named, but no one: refused as such
		}
		users = append(users, id)
	}
	return s.incidentAction(c, "flash.saved", "#tlp", views.IncidentDetail{}, func(u *app.User, id int64) error {
		return s.inc.SetRecipients(c.Request().Context(), u, id, formInt64(c, "version"), users)
	})
}

func (s *Server) addClaim(c echo.Context) error {
	form := views.ClaimForm{Text: c.FormValue("text"), Figure: c.FormValue("figure")}
	return s.incidentAction(c, "flash.claim_added", "#claims", views.IncidentDetail{Claim: form}, func(u *app.User, id int64) error {
		_, err := s.inc.AddClaim(c.Request().Context(), u, id, formInt64(c, "version"), form.Text, form.Figure)
		return err
	})
}

func (s *Server) incidentTranslationPage(c echo.Context) error {
	inc, err := s.inc.Only(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if !incidents.PermissionsOn(actor(c), inc).Translate {
		return app.ErrForbidden
	}
	f := incidentTranslation(inc)
	if tr := inc.Translation; tr != nil {
		f.Version, f.Title, f.Description = tr.Version, tr.Title, tr.Body
	}
	return s.renderIncidentTranslation(c, http.StatusOK, f)
}

// incidentTranslation is the translation form of an incident, before what was typed.
func incidentTranslation(inc *incidents.Incident) views.TranslationForm {
	base := "/incidents/" + inc.PublicID
	return views.TranslationForm{Back: base, Action: base + "/translation", Heading: inc.Title,
		Original: views.Text{Lang: inc.Language, Title: inc.Title, Body: inc.Summary},
		Into:     inc.TranslationLanguage(), Revision: inc.Revision}
}

func (s *Server) renderIncidentTranslation(c echo.Context, status int, f views.TranslationForm) error {
	f.Title, f.Description = app.ClipText(f.Title, incidents.MaxTitleLen), app.ClipText(f.Description, incidents.MaxSummaryLen)
	return s.show(c, status, "agenda.translate", func(p views.Page) templ.Component { return views.TranslationPage(p, f) })
}

func (s *Server) saveIncidentTranslation(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.ref(c, incidents.RefIncident, "id")
	if err != nil {
		return err
	}
	version, title, summary := formInt64(c, "version"), c.FormValue("tr_title"), c.FormValue("tr_description")
	err = s.inc.SetTranslation(ctx, actor(c), id, version, title, summary)
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		inc, err := s.inc.Only(ctx, actor(c), c.Param("id"))
		if err != nil {
			return err
		}
		f := incidentTranslation(inc)
		f.Version, f.Title, f.Description, f.Errors = version, title, summary, errs
		if conflict && inc.Translation != nil {
			f.Version = inc.Translation.Version
		}
		return s.renderIncidentTranslation(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/incidents/"+c.Param("id"), "flash.saved") })
}

func (s *Server) positionsPage(c echo.Context) error {
	return s.renderPositions(c, http.StatusOK, views.PositionsDetail{})
}

func (s *Server) renderPositions(c echo.Context, status int, d views.PositionsDetail) error {
	u := actor(c)
	v, err := s.inc.Positions(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	p, err := s.incidentFrame(c, "incident.positions", v.Incident)
	if err != nil {
		return err
	}
	if v.Incident.Status.Shared() { // positions are set on reported incidents only
		d.Logged, err = s.svc.LogMarkOf(c.Request().Context(), u, app.Ref{Kind: incidents.KindIncident, ID: v.Incident.ID}, "incident.position")
		if err != nil {
			return err
		}
	}
	d.View, d.Perms = v, incidents.PermissionsOn(u, v.Incident)
	n, pages := pageParam(c).Number, (len(v.Claims.Claims)+views.ClaimsPerPage-1)/views.ClaimsPerPage
	of := d.Form.Of // a refused position's claim, or the one just set: the page that holds it
	if of == "" {
		of = c.QueryParam("claim")
	}
	if of != "" {
		for i, cl := range v.Claims.Claims {
			if cl.PublicID == of {
				n = i/views.ClaimsPerPage + 1
			}
		}
	}
	d.Pager = views.Pager{Number: min(n, max(pages, 1)), Pages: pages, Total: int64(len(v.Claims.Claims)),
		BaseURL: "/incidents/" + v.Incident.PublicID + "/positions"}
	d.Form.Reason, d.Form.Body = app.ClipText(d.Form.Reason, incidents.MaxReasonLen), app.ClipText(d.Form.Body, incidents.MaxPositionLen)
	d.Form.Kind, d.Form.Of, d.Form.Target = app.ClipText(d.Form.Kind, 30), app.ClipText(d.Form.Of, 64), app.ClipText(d.Form.Target, 20)
	return render(c, status, views.IncidentPositionsPage(p, d))
}

// setPosition sets the actor's side's position: the side is never a form
// field. The form names its target by its opaque identifier, and the page
// it came from (positions or indicators) by back.
func (s *Server) setPosition(c echo.Context) error {
	form := views.PositionForm{Target: c.FormValue("target"), Of: c.FormValue("of"), Kind: c.FormValue("kind"),
		Reason: c.FormValue("reason"), Body: c.FormValue("body")}
	in := incidents.PositionInput{Target: incidents.Target(form.Target), Kind: incidents.PositionKind(form.Kind),
		Reason: form.Reason, Body: form.Body, Standing: formInt64(c, "standing")}
	switch in.Target {
	case incidents.TargetClaim:
		if in.TargetID = s.valueRef(c, incidents.RefClaim, form.Of); in.TargetID == 0 {
			return app.ErrNotFound
		}
	case incidents.TargetIndicator:
		if in.TargetID = s.valueRef(c, incidents.RefIndicator, form.Of); in.TargetID == 0 {
			return app.ErrNotFound
		}
	case incidents.TargetIncident:
	default:
		return app.ErrNotFound
	}
	back, anchor := "/positions", ""
	switch {
	case c.FormValue("back") == "indicators" && in.Target == incidents.TargetIndicator:
		back, anchor = "/indicators", "#indicator-"+form.Of
	case in.Target == incidents.TargetClaim:
		anchor = "?claim=" + form.Of + "#claim-" + form.Of
	default:
		anchor = "#official"
	}
	return s.incidentPost(c, "flash.position_set", back+anchor, func(status int, errs views.Errors) error {
		if back == "/indicators" {
			return s.renderIndicators(c, status, views.IndicatorsDetail{Position: form, Errors: errs})
		}
		return s.renderPositions(c, status, views.PositionsDetail{Form: form, Errors: errs})
	}, func(u *app.User, id int64) error { return s.inc.SetPosition(c.Request().Context(), u, id, in) })
}

func (s *Server) indicatorsPage(c echo.Context) error {
	return s.renderIndicators(c, http.StatusOK, views.IndicatorsDetail{})
}

// indicatorsPerPage is an indicator list's page: each row carries a form.
const indicatorsPerPage = 30

func (s *Server) renderIndicators(c echo.Context, status int, d views.IndicatorsDetail) error {
	u := actor(c)
	ctx := c.Request().Context()
	f := incidents.IndicatorFilter{Type: incidents.IndicatorType(c.QueryParam("type")),
		Position: incidents.PositionKind(c.QueryParam("position")), Text: app.ClipText(strings.TrimSpace(c.QueryParam("q")), 200),
		Page: app.Page{Number: pageParam(c).Number, Size: indicatorsPerPage}}
	if !slices.Contains(incidents.IndicatorTypes, f.Type) {
		f.Type = ""
	}
	if f.Position != incidents.PositionNone && !slices.Contains(incidents.PositionKinds, f.Position) {
		f.Position = ""
	}
	sideRef := c.QueryParam("side")
	f.Side = s.valueRef(c, app.RefSide, sideRef)
	if f.Side == 0 {
		sideRef = ""
	}
	inc, list, err := s.inc.IndicatorsPage(ctx, u, c.Param("id"), f)
	if err != nil {
		return err
	}
	if f.Side == 0 {
		f.Side = u.SideID // the form's default: the viewer's side (the other's for the secretariat's first choice)
		if f.Side != inc.ReportingSideID && f.Side != inc.AddressedSideID {
			f.Side = inc.AddressedSideID
		}
	}
	p, err := s.incidentFrame(c, "incident.indicators", inc)
	if err != nil {
		return err
	}
	d.Incident, d.List, d.Filter, d.SideRef, d.Perms = inc, list, f, sideRef, incidents.PermissionsOn(u, inc)
	d.Pager = views.Pager{Number: list.Page.Number, Pages: list.Pages(), Total: list.Total, BaseURL: views.IndicatorFilterURL(d)}
	if d.Paste.Role == "" {
		d.Paste.Role = string(incidents.RoleSource)
	}
	if d.Paste.Zone == "" {
		d.Paste.Zone = u.Location().String()
	}
	d.Paste.Role, d.Paste.Zone = app.ClipText(d.Paste.Role, 20), app.ClipText(d.Paste.Zone, 64)
	d.Paste.FirstSeen, d.Paste.LastSeen = app.ClipText(d.Paste.FirstSeen, 20), app.ClipText(d.Paste.LastSeen, 20)
	d.Position.Reason = app.ClipText(d.Position.Reason, incidents.MaxReasonLen)
	return render(c, status, views.IncidentIndicatorsPage(p, d))
}

// addIndicators takes a bulk paste. Its result, line by line, is shown on
// the indicators page whether or not anything was saved.
func (s *Server) addIndicators(c echo.Context) error {
	id, err := s.ref(c, incidents.RefIncident, "id")
	if err != nil {
		return err
	}
	var tooBig *http.MaxBytesError
	if errors.As(c.Request().ParseForm(), &tooBig) {
		return echo.ErrStatusRequestEntityTooLarge
	}
	paste := views.PasteForm{Lines: c.FormValue("lines"), Role: c.FormValue("role"), AllOrNothing: c.FormValue("all_or_nothing") == "1",
		FirstSeen: c.FormValue("first_seen"), LastSeen: c.FormValue("last_seen"), Zone: c.FormValue("seen_zone")}
	res, err := s.inc.Paste(c.Request().Context(), actor(c), id, formInt64(c, "version"), incidents.Paste{Text: paste.Lines,
		Role: incidents.IndicatorRole(paste.Role), AllOrNothing: paste.AllOrNothing, FirstSeen: paste.FirstSeen,
		LastSeen: paste.LastSeen, Zone: paste.Zone})
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		if conflict && app.ErrorMessage(err) == "error.conflict" {
			errs = views.FormError("incident.changed_meanwhile")
		}
		paste.Lines = app.ClipText(paste.Lines, maxPasteBytes)
		return s.renderIndicators(c, status, views.IndicatorsDetail{Paste: paste, Errors: errs})
	}, func() error {
		paste.Result = res
		status := http.StatusOK
		if res.Saved {
			paste.Lines = "" // saved: the form is ready for the next list
		} else {
			status = http.StatusUnprocessableEntity
		}
		return s.renderIndicators(c, status, views.IndicatorsDetail{Paste: paste})
	})
}

func (s *Server) requestsPage(c echo.Context) error {
	return s.renderRequests(c, http.StatusOK, views.RequestsDetail{})
}

func (s *Server) renderRequests(c echo.Context, status int, d views.RequestsDetail) error {
	u := actor(c)
	inc, reqs, files, err := s.inc.RequestsPage(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	p, err := s.incidentFrame(c, "incident.requests", inc)
	if err != nil {
		return err
	}
	d.Incident, d.Requests, d.Files, d.Perms = inc, reqs, files, incidents.PermissionsOn(u, inc)
	d.Ask.Question, d.Ask.Due = app.ClipText(d.Ask.Question, incidents.MaxQuestionLen), app.ClipText(d.Ask.Due, 20)
	d.Answer.Answer, d.Answer.Request = app.ClipText(d.Answer.Answer, incidents.MaxQuestionLen), app.ClipText(d.Answer.Request, 64)
	return render(c, status, views.IncidentRequestsPage(p, d))
}

func (s *Server) askRequest(c echo.Context) error {
	form := views.AskForm{Question: c.FormValue("question"), Due: c.FormValue("due")}
	return s.incidentPost(c, "flash.request_sent", "/requests", func(status int, errs views.Errors) error {
		return s.renderRequests(c, status, views.RequestsDetail{Ask: form, Errors: errs})
	}, func(u *app.User, id int64) error {
		_, err := s.inc.Ask(c.Request().Context(), u, id, form.Question, form.Due)
		return err
	})
}

func (s *Server) answerRequest(c echo.Context) error {
	form := views.AnswerForm{Request: c.Param("rid"), Answer: c.FormValue("answer")}
	rid, err := s.ref(c, incidents.RefRequest, "rid")
	if err != nil {
		return err
	}
	return s.incidentPost(c, "flash.request_answered", "/requests#request-"+form.Request, func(status int, errs views.Errors) error {
		return s.renderRequests(c, status, views.RequestsDetail{Answer: form, Errors: errs})
	}, func(u *app.User, id int64) error {
		return s.inc.Answer(c.Request().Context(), u, id, rid, formInt64(c, "version"), form.Answer)
	})
}

func (s *Server) withdrawRequest(c echo.Context) error {
	rid, err := s.ref(c, incidents.RefRequest, "rid")
	if err != nil {
		return err
	}
	return s.incidentPost(c, "flash.request_withdrawn", "/requests", func(status int, errs views.Errors) error {
		return s.renderRequests(c, status, views.RequestsDetail{Errors: errs})
	}, func(u *app.User, id int64) error {
		return s.inc.Withdraw(c.Request().Context(), u, id, rid, formInt64(c, "version"))
	})
}

func (s *Server) attachmentsPage(c echo.Context) error {
	d := views.AttachmentsDetail{Comment: c.QueryParam("comment")}
	if r := c.QueryParam("request"); r != "" {
		d.Parent = "request:" + r
	}
	if d.Comment != "" {
		d.Parent = "comment:" + d.Comment
	}
	return s.renderAttachments(c, http.StatusOK, d)
}

func (s *Server) renderAttachments(c echo.Context, status int, d views.AttachmentsDetail) error {
	u := actor(c)
	ctx := c.Request().Context()
	inc, files, err := s.inc.AttachmentsPage(ctx, u, c.Param("id"))
	if err != nil {
		return err
	}
	d.Incident, d.Files, d.Perms, d.Max = inc, files, incidents.PermissionsOn(u, inc), s.inc.MaxFileSize()
	if d.Perms.Attach {
		_, reqs, _, err := s.inc.RequestsPage(ctx, u, inc.PublicID)
		if err != nil {
			return err
		}
		for _, r := range reqs {
			if incidents.CanAnswer(u, inc, &r) {
				d.Requests = append(d.Requests, r) // files go with answers: to the requests the viewer's side answers
			}
		}
	}
	if !app.ValidPublicID(d.Comment) {
		d.Comment = ""
	}
	d.Parent = app.ClipText(d.Parent, 80)
	p, err := s.incidentFrame(c, "incident.attachments", inc)
	if err != nil {
		return err
	}
	return render(c, status, views.IncidentAttachmentsPage(p, d))
}

// uploadAttachment takes one file (multipart field "file"), attached to
// the incident, to one of its requests ("request:<id>") or to a comment
// ("comment:<id>") of its thread.
func (s *Server) uploadAttachment(c echo.Context) error {
	limit := s.inc.MaxFileSize()
	id, err := s.ref(c, incidents.RefIncident, "id")
	if err != nil {
		return err
	}
	// Who may not attach is refused before the file is read.
	inc, err := s.inc.Only(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if !incidents.PermissionsOn(actor(c), inc).Attach {
		return app.ErrForbidden
	}
	var tooBig *http.MaxBytesError
	if err := c.Request().ParseMultipartForm(32 << 20); errors.As(err, &tooBig) {
		return s.renderAttachments(c, http.StatusRequestEntityTooLarge, views.AttachmentsDetail{
			Errors: views.NewErrors(map[string]string{"file": "attachment.too_large"})})
	}
	parentField := c.FormValue("parent")
	refused := func(field, msg string) error {
		return s.renderAttachments(c, http.StatusUnprocessableEntity, views.AttachmentsDetail{Parent: parentField,
			Comment: strings.TrimPrefix(parentField, "comment:"), Errors: views.NewErrors(map[string]string{field: msg})})
	}
	fh, err := c.FormFile("file")
	switch {
	case err != nil:
		return refused("file", "attachment.empty")
	case fh.Size > limit:
		return refused("file", "attachment.too_large")
	}
	parent, parentID := incidents.TargetIncident, id
	if kind, ref, ok := strings.Cut(parentField, ":"); ok {
		switch kind {
		case "request":
			parent, parentID = incidents.TargetRequest, s.valueRef(c, incidents.RefRequest, ref)
		case "comment":
			parent, parentID = incidents.TargetComment, s.valueRef(c, app.RefComment, ref)
		default:
			parentID = 0
		}
		if parentID == 0 {
			return refused("parent", "attachment.parent_invalid")
		}
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return err
	}
	_, err = s.inc.Attach(c.Request().Context(), actor(c), id, parent, parentID, fh.Filename, data)
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		return s.renderAttachments(c, status, views.AttachmentsDetail{Parent: parentField,
			Comment: strings.TrimPrefix(parentField, "comment:"), Errors: errs})
	}, func() error {
		return s.redirectWithFlash(c, "/incidents/"+c.Param("id")+"/attachments#files", "flash.file_attached")
	})
}

// downloadAttachment serves a file only as a download, recorded.
func (s *Server) downloadAttachment(c echo.Context) error {
	id, err := s.ref(c, incidents.RefIncident, "id")
	if err != nil {
		return err
	}
	a, err := s.inc.Download(c.Request().Context(), actor(c), id, c.Param("aid"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", contentDisposition(a.Name))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(a.Content)))
	return c.Blob(http.StatusOK, a.MediaType, a.Content)
}

// contentDisposition names a download: an ASCII fallback and the UTF-8 name
// (RFC 6266, RFC 5987).
func contentDisposition(name string) string {
	ascii := make([]rune, 0, len(name))
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			r = '_'
		}
		ascii = append(ascii, r)
	}
	return `attachment; filename="` + string(ascii) + `"; filename*=UTF-8''` + url.PathEscape(name)
}

func (s *Server) incidentHistory(c echo.Context) error {
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	inc, recs, err := s.inc.History(c.Request().Context(), actor(c), c.Param("id"), pg)
	if err != nil {
		return err
	}
	p, err := s.incidentFrame(c, "history.title", inc)
	if err != nil {
		return err
	}
	base := "/incidents/" + inc.PublicID
	return render(c, http.StatusOK, views.HistoryPage(p, inc.Title, base, recs.Items,
		views.Pager{Number: recs.Page.Number, Pages: recs.Pages(), Total: recs.Total, BaseURL: base + "/history"}))
}

func (s *Server) exportIndicators(c echo.Context) error {
	id, err := s.ref(c, incidents.RefIncident, "id")
	if err != nil {
		return err
	}
	return s.sendCSV(c, c.Param("id")+"-indicators.csv", func(w io.Writer) error {
		return s.inc.ExportCSV(c.Request().Context(), actor(c), id, w)
	})
}

func (s *Server) exportStix(c echo.Context) error {
	id, err := s.ref(c, incidents.RefIncident, "id")
	if err != nil {
		return err
	}
	bundle, err := s.inc.StixBundle(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(bundle, "", "  ")
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+c.Param("id")+`-stix.json"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/stix+json;version=2.1", b)
}

func (s *Server) incidentStats(c echo.Context) error {
	st, err := s.inc.Stats(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.show(c, http.StatusOK, "stats.title", func(p views.Page) templ.Component {
		return views.IncidentStatsPage(p, views.StatsView{Stats: st})
	})
}

func (s *Server) tlpHelp(c echo.Context) error {
	return s.show(c, http.StatusOK, "tlp.help_title", func(p views.Page) templ.Component { return views.TLPHelpPage(p) })
}
