package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/i18n"
	"github.com/parley/parley/views"
)

const (
	langCookie  = "parley_lang"
	flashCookie = "parley_flash"
)

// language picks the viewer's language: their setting, else the language
// cookie, else the browser's Accept-Language.
func (s *Server) language(c echo.Context) string {
	if u := actor(c); u != nil {
		return u.PreferredLanguage()
	}
	pref := ""
	if ck, err := c.Cookie(langCookie); err == nil && app.ValidLanguage(ck.Value) {
		pref = ck.Value
	}
	return i18n.Match(pref, c.Request().Header.Get("Accept-Language"))
}

func (s *Server) localizer(c echo.Context) *i18n.Localizer { return s.msgs.For(s.language(c)) }

// page builds the common page data.
func (s *Server) page(c echo.Context, title string) (views.Page, error) {
	ctx := c.Request().Context()
	p := views.Page{
		L: s.localizer(c), Title: title, User: actor(c), Loc: time.UTC,
		Nonce: c.Get(ctxNonce).(string), Path: c.Request().URL.Path, Here: c.Request().URL.Path, Now: s.svc.Now(),
		Demo: s.demo, Flash: s.takeFlash(c),
	}
	if c.Request().Method == http.MethodGet {
		p.Here = c.Request().URL.RequestURI()
	}
	if sess := currentSession(c); sess != nil && p.User != nil {
		p.FailedLogins = sess.FailedLogins
	}
	if p.Flash == views.FlashFailedLogins && (p.FailedLogins == 0 || p.Path == "/") {
		p.Flash = "" // nothing to report, or the dashboard reports it
	}
	if tok, ok := c.Get(ctxCSRF).(string); ok {
		p.CSRF = maskToken(tok)
	}
	if p.User != nil {
		p.Loc = p.User.Location()
		sides, err := s.svc.ListSides(ctx, p.User)
		if err != nil {
			return p, err
		}
		p.Sides = sides
	} else if lang := p.L.Lang(); lang == "zh" {
		p.Loc = app.LoadLocation("Asia/Shanghai")
	}
	return p, nil
}

// show renders a page titled by a message key, with the common page data.
func (s *Server) show(c echo.Context, status int, title string, page func(views.Page) templ.Component) error {
	p, err := s.page(c, title)
	if err != nil {
		return err
	}
	return render(c, status, page(p))
}

// render writes a component with a status.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	ctx := templ.WithNonce(c.Request().Context(), c.Get(ctxNonce).(string))
	if err := comp.Render(ctx, &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// setFlash leaves a one-time notice (a message id) for the next page.
func (s *Server) setFlash(c echo.Context, id string) {
	s.setCookie(c, flashCookie, id, 60, http.SameSiteLaxMode)
}

func (s *Server) takeFlash(c echo.Context) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	s.setCookie(c, flashCookie, "", -1, http.SameSiteLaxMode)
	if strings.HasPrefix(ck.Value, "flash.") || ck.Value == "session.ended" {
		return ck.Value
	}
	return ""
}

// redirectWithFlash redirects after a successful POST (post/redirect/get).
func (s *Server) redirectWithFlash(c echo.Context, to, flash string) error {
	if flash != "" {
		s.setFlash(c, flash)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// safeNext keeps redirects on this site: it returns next when it is a path
// here, else "/". A path starts with "/" not followed by "/" or "\\" (nor by
// their percent-encodings), and holds no control or space character at all:
// browsers drop some of those (tab, newline) and would then read "//host".
func safeNext(next string) string {
	if len(next) < 2 || next[0] != '/' {
		return "/"
	}
	switch next[1] {
	case '/', '\\':
		return "/"
	}
	if rest := strings.ToLower(next[1:]); strings.HasPrefix(rest, "%2f") || strings.HasPrefix(rest, "%5c") {
		return "/"
	}
	if !utf8.ValidString(next) {
		return "/"
	}
	for _, r := range next {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return "/"
		}
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// ref resolves the opaque identifier in a path parameter to the row id the
// service works with. A malformed or unknown identifier is not found; so is
// one the actor may not see, once the service has looked.
func (s *Server) ref(c echo.Context, kind, name string) (int64, error) {
	return s.svc.Resolve(c.Request().Context(), actor(c), kind, c.Param(name))
}

// valueRef resolves an opaque identifier from a form or query value: 0 when
// it is empty or names nothing (the service then refuses or ignores it).
func (s *Server) valueRef(c echo.Context, kind, value string) int64 {
	if value == "" {
		return 0
	}
	id, err := s.svc.Resolve(c.Request().Context(), actor(c), kind, value)
	if err != nil {
		return 0
	}
	return id
}

// formInt64 reads a numeric form field (0 when absent or malformed).
func formInt64(c echo.Context, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(c.FormValue(name)), 10, 64)
	return n
}

// pageParam reads ?page=N.
func pageParam(c echo.Context) app.Page {
	n, _ := strconv.Atoi(c.QueryParam("page"))
	return app.Page{Number: n}.Normalize()
}
