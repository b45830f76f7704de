package web

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/views"
)

// handleError is the one place that turns errors into responses. Users see
// a translated message, never internal text.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "error.internal"
	wait := 0
	var he *echo.HTTPError
	var de *app.Error
	switch {
	case errors.Is(err, errCSRF):
		status, msg = http.StatusForbidden, "error.csrf"
	case errors.As(err, &he):
		status = he.Code
		switch he.Code {
		case http.StatusNotFound:
			msg = "error.not_found"
		case http.StatusMethodNotAllowed:
			msg = "error.method"
		case http.StatusRequestEntityTooLarge:
			msg = "error.too_large"
		case http.StatusForbidden:
			msg = "error.forbidden"
		default:
			if he.Code < 500 {
				msg = "error.bad_request"
			}
		}
	case errors.As(err, &de):
		msg = app.ErrorMessage(err)
		switch de.Code {
		case app.EINVALID:
			status = http.StatusUnprocessableEntity
		case app.ENOTFOUND:
			status = http.StatusNotFound
		case app.EFORBIDDEN:
			status = http.StatusForbidden
		case app.ECONFLICT:
			status = http.StatusConflict
		case app.EUNAUTHORIZED:
			s.setFlash(c, "session.ended")
			_ = c.Redirect(http.StatusSeeOther, "/login")
			return
		case app.ETHROTTLED:
			status = http.StatusTooManyRequests
			wait = int(math.Ceil(de.RetryAfter.Minutes()))
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(de.RetryAfter.Seconds()))))
		}
	}
	if status >= 500 {
		slog.ErrorContext(c.Request().Context(), "request failed", "err", err,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "route", c.Path())
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if c.Get(ctxNonce) == nil {
		c.Set(ctxNonce, "")
	}
	p, perr := s.page(c, "error.title")
	if perr != nil {
		slog.ErrorContext(c.Request().Context(), "error page failed", "err", perr)
		_ = c.String(status, http.StatusText(status))
		return
	}
	if err := render(c, status, views.ErrorPage(p, views.ErrorInfo{Status: status, Message: msg, Wait: wait})); err != nil {
		slog.ErrorContext(c.Request().Context(), "error page failed", "err", err)
		_ = c.String(status, http.StatusText(status))
	}
}
