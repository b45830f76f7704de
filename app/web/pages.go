package web

import (
	"context"
	"errors"
	"github.com/a-h/templ"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/static"
	"github.com/parley/parley/views"
)

func errorAs(err error, target **app.Error) bool { return errors.As(err, target) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// dashboardRequests is how many open requests the dashboard lists.
const dashboardRequests = 10

func (s *Server) dashboard(c echo.Context) error {
	a, err := s.agenda.Attention(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	pending, err := s.svc.PendingMembers(c.Request().Context(), actor(c), 20)
	if err != nil {
		return err
	}
	m, err := s.meet.Attention(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	awaiting, err := s.inc.AwaitingAnswer(c.Request().Context(), actor(c), dashboardRequests)
	if err != nil {
		return err
	}
	act, err := s.act.Attention(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.show(c, http.StatusOK, "dashboard.title", func(p views.Page) templ.Component {
		return views.Dashboard(p, a, pending, m, awaiting, act)
	})
}

func (s *Server) auditPage(c echo.Context) error {
	chains, err := s.svc.AuditChains(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.show(c, http.StatusOK, "audit.title", func(p views.Page) templ.Component { return views.AuditPage(p, chains, s.svc.LogVerifierKey()) })
}

func (s *Server) healthz(c echo.Context) error { return c.String(http.StatusOK, "ok\n") }

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2e9)
	defer cancel()
	if err := s.svc.DB().Ready(ctx); err != nil {
		return c.String(http.StatusServiceUnavailable, "not ready\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

// staticFile serves the stylesheet, script and icon. Named by their content
// hash (as pages name them) they may be kept for a year; by their plain name
// for an hour.
func (s *Server) staticFile(c echo.Context) error {
	name, immutable, ok := static.Lookup(c.Param("file"))
	if !ok {
		return echo.ErrNotFound
	}
	if immutable {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	return echo.StaticFileHandler(name, static.FS)(c)
}
