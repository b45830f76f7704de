package web

import (
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/views"
)

// Comment threads, the same on every kind of record: the handlers post to
// the record parts' service and show the record's own page again on a
// refusal (render keeps what was typed in form, or shows errs).

type commentPage func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error

// addComment adds a comment or an internal note to the record named by :id
// (an opaque identifier of refKind), whose pages live under base.
func (s *Server) addComment(kind app.Kind, refKind, base string, render commentPage) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := s.ref(c, refKind, "id")
		if err != nil {
			return err
		}
		form := views.CommentForm{Body: c.FormValue("body"), Visibility: c.FormValue("visibility")}
		cm, err := s.svc.AddComment(c.Request().Context(), actor(c), app.Ref{Kind: kind, ID: id},
			app.Visibility(form.Visibility), form.Body)
		return submit(err, func(status int, errs views.Errors, _ bool) error {
			form.Errors = errs
			return render(c, status, form, views.Errors{})
		}, func() error {
			return s.redirectWithFlash(c, base+c.Param("id")+"#comment-"+cm.PublicID, "flash.comment_added")
		})
	}
}

// editComment corrects the actor's own comment :cid on the record :id.
func (s *Server) editComment(kind app.Kind, refKind, base string, render commentPage) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := s.ref(c, refKind, "id")
		if err != nil {
			return err
		}
		cid, err := s.ref(c, app.RefComment, "cid")
		if err != nil {
			return err
		}
		err = s.svc.EditComment(c.Request().Context(), actor(c), app.Ref{Kind: kind, ID: id}, cid,
			formInt64(c, "version"), c.FormValue("body"))
		return submit(err, func(status int, errs views.Errors, _ bool) error {
			if app.FieldErrors(err) != nil {
				errs = views.FormError("comment.edit_invalid")
			}
			return render(c, status, views.CommentForm{}, errs)
		}, func() error {
			return s.redirectWithFlash(c, base+c.Param("id")+"?comment="+c.Param("cid")+"#comment-"+c.Param("cid"), "flash.saved")
		})
	}
}
