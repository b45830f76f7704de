// Package web is Parley's HTTP layer: routes, middleware, handlers and the
// one error handler. Handlers return errors; rules live in the app package.
package web

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/i18n"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
	"github.com/parley/parley/views"
)

// Config is how the server is reached.
type Config struct {
	// BaseURL is the public address, e.g. https://parley.example.org. Under
	// https, cookies are Secure with the __Host- prefix and HSTS is sent.
	BaseURL string
	// TrustedProxies are the CIDR ranges of reverse proxies whose
	// X-Forwarded-For header is believed. Empty: the header is ignored.
	TrustedProxies []string
}

// Services are the core and the features the server serves.
type Services struct {
	Core      *app.Service
	Agenda    *agenda.Service
	Meetings  *meetings.Service
	Incidents *incidents.Service
	Actions   *actions.Service
}

// Server serves Parley.
type Server struct {
	svc     *app.Service
	agenda  *agenda.Service
	meet    *meetings.Service
	inc     *incidents.Service
	act     *actions.Service
	demo    bool // the database holds the demo working group (read at start: it never changes after)
	cfg     Config
	secure  bool
	origin  string // of BaseURL; "" when not configured
	e       *echo.Echo
	msgs    *i18n.Bundle
	metrics *metrics
}

// publicRoutes may be used without signing in. Every other route requires
// a session; a test walks the router to keep this list honest.
var publicRoutes = map[string]bool{
	"GET /login":         true,
	"POST /login":        true,
	"POST /language":     true,
	"GET /healthz":       true,
	"GET /readyz":        true,
	"GET /static/:file":  true,
	"HEAD /static/:file": true,
	"HEAD /healthz":      true,
	"HEAD /readyz":       true,
	// The personal calendar feed: calendar programs do not sign in; its
	// 256-bit token, which its owner can replace, is the credential.
	"GET /calendar/:token": true,
	// The witness API: a delegation's witness token is the credential
	// (tokenRoutes); it reads no session.
	"GET /api/witness/logs":    true,
	"GET /api/witness/proof":   true,
	"POST /api/witness/cosign": true,
	"GET /api/witness/export":  true,
}

// IsPublic reports whether a route ("METHOD /path") is on the public list.
func IsPublic(route string) bool { return publicRoutes[route] }

// New builds the server and its routes.
func New(sv Services, cfg Config) (*Server, error) {
	svc := sv.Core
	s := &Server{svc: svc, agenda: sv.Agenda, meet: sv.Meetings, inc: sv.Incidents, act: sv.Actions, cfg: cfg, demo: svc.IsDemo(context.Background()), secure: strings.HasPrefix(cfg.BaseURL, "https://"), msgs: i18n.MustLoad(),
		origin: publicOrigin(cfg.BaseURL)}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if len(cfg.TrustedProxies) > 0 {
		var opts []echo.TrustOption
		for _, cidr := range cfg.TrustedProxies {
			_, n, err := net.ParseCIDR(strings.TrimSpace(cidr))
			if err != nil {
				return nil, err
			}
			opts = append(opts, echo.TrustIPRange(n))
		}
		opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	s.e = e
	s.metrics = newMetrics(svc.DB())

	e.Use(s.requestID)
	e.Use(s.securityHeaders)
	e.Use(compress)
	e.Use(s.logRequests)
	e.Use(s.limitBody)
	e.Use(s.recoverPanics)
	e.Use(s.loadSession)
	e.Use(s.requireLogin)
	e.Use(s.requirePasswordChange)
	e.Use(s.checkCSRF)

	s.routes()
	return s, nil
}

func (s *Server) routes() {
	e := s.e
	e.GET("/healthz", s.healthz)
	e.HEAD("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.HEAD("/readyz", s.readyz)
	e.GET("/static/:file", s.staticFile)
	e.HEAD("/static/:file", s.staticFile)

	e.GET("/login", s.loginPage)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout)
	e.POST("/language", s.setLanguage)

	e.GET("/", s.dashboard)
	e.GET("/account", s.accountPage)
	e.POST("/account", s.saveSettings)
	e.GET("/account/password", s.passwordPage)
	e.POST("/account/password", s.changePassword)

	e.GET("/admin/users", s.usersPage)
	e.GET("/admin/users/new", s.newUserPage)
	e.POST("/admin/users", s.createUser)
	e.GET("/admin/users/:id", s.userPage)
	e.POST("/admin/users/:id", s.updateUser)
	e.POST("/admin/users/:id/disable", s.disableUser)
	e.POST("/admin/users/:id/enable", s.enableUser)
	e.POST("/admin/users/:id/password", s.resetPassword)
	e.POST("/admin/users/:id/confirm", s.confirmUser)

	e.GET("/admin/sides", s.sidesPage)
	e.GET("/admin/sides/new", s.newSidePage)
	e.POST("/admin/sides", s.createSide)
	e.GET("/admin/sides/:id", s.sidePage)
	e.POST("/admin/sides/:id", s.updateSide)

	e.GET("/audit", s.auditPage)

	e.GET("/agenda", s.agendaPage)
	e.GET("/agenda/new", s.newItemPage)
	e.POST("/agenda/new", s.createItem)
	e.GET("/agenda/categories", s.categoriesPage)
	e.POST("/agenda/categories", s.createCategory)
	e.POST("/agenda/categories/:id", s.updateCategory)
	e.GET("/agenda/:id", s.itemPage)
	e.GET("/agenda/:id/edit", s.editItemPage)
	e.POST("/agenda/:id/edit", s.updateItem)
	e.GET("/agenda/:id/history", s.itemHistory)
	e.GET("/agenda/:id/revisions", s.itemRevisions)
	e.GET("/agenda/:id/translation", s.translationPage)
	e.POST("/agenda/:id/translation", s.saveTranslation)
	e.POST("/agenda/:id/table", s.tableItem)
	e.POST("/agenda/:id/concur", s.decide(agenda.Concur))
	e.POST("/agenda/:id/object", s.decide(agenda.Object))
	e.POST("/agenda/:id/withdraw-objection", s.withdrawObjection)
	e.POST("/agenda/:id/withdraw", s.withdrawItem)
	e.POST("/agenda/:id/comments", s.addComment(agenda.KindItem, agenda.RefItem, "/agenda/",
		func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error {
			return s.renderItem(c, status, views.ItemDetail{Thread: views.Thread{Form: form}, Errors: errs})
		}))
	e.POST("/agenda/:id/comments/:cid", s.editComment(agenda.KindItem, agenda.RefItem, "/agenda/",
		func(c echo.Context, status int, form views.CommentForm, errs views.Errors) error {
			return s.renderItem(c, status, views.ItemDetail{Errors: errs})
		}))
	e.GET("/agenda/:id/amendments", s.itemAmendments)
	e.GET("/agenda/:id/amendments/new", s.newAmendmentPage)
	e.POST("/agenda/:id/amendments", s.proposeAmendment)
	e.GET("/agenda/:id/amendments/:aid", s.amendmentPage)
	e.POST("/agenda/:id/amendments/:aid/accept", s.settleAmendment(true))
	e.POST("/agenda/:id/amendments/:aid/decline", s.settleAmendment(false))
	e.POST("/agenda/:id/amendments/:aid/withdraw", s.withdrawAmendment)

	s.meetingsRoutes()
	s.incidentsRoutes()
	s.actionsRoutes()
	s.witnessRoutes()
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

// Routes lists every registered route as "METHOD /path".
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.e.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// MetricsHandler serves Prometheus metrics (for a separate listen address).
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler() }
