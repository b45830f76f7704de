package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
)

// Context keys.
const (
	ctxUser    = "parley.user"
	ctxSession = "parley.session"
	ctxNonce   = "parley.nonce"
	ctxCSRF    = "parley.csrf"
)

func actor(c echo.Context) *app.User {
	u, _ := c.Get(ctxUser).(*app.User)
	return u
}

func currentSession(c echo.Context) *app.Session {
	s, _ := c.Get(ctxSession).(*app.Session)
	return s
}

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// route is "METHOD /registered/path" for the request's matched route.
func route(c echo.Context) string { return c.Request().Method + " " + c.Path() }

// securityHeaders sets the headers every response carries, errors and
// static files included, and a fresh CSP nonce per response.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		nonce := randomString(18)
		c.Set(ctxNonce, nonce)
		h := c.Response().Header()
		h.Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; script-src 'self' 'nonce-%s'; "+
			"style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "+
			"frame-ancestors 'none'; object-src 'none'; base-uri 'none'", nonce))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if strings.HasPrefix(c.Request().URL.Path, "/static/") {
			h.Set("Cache-Control", "public, max-age=3600")
		} else {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// logRequests writes one structured line per request. It never logs
// query strings, cookies, form values or tokens.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // render now, so the logged status is the one sent
		}
		status := c.Response().Status
		elapsed := time.Since(start)
		s.metrics.observe(c.Path(), c.Request().Method, status, elapsed)
		attrs := []any{"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"method", c.Request().Method, "path", c.Request().URL.Path, "route", c.Path(),
			"status", status, "ms", elapsed.Milliseconds(), "client_ip", c.RealIP()}
		if u := actor(c); u != nil {
			attrs = append(attrs, "user_id", u.ID)
		}
		slog.InfoContext(c.Request().Context(), "request", attrs...)
		return nil
	}
}

// recoverPanics turns a panic into an internal error (logged with its stack).
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = &app.Error{Code: app.EINTERNAL, Message: "error.internal",
					Err: fmt.Errorf("panic: %v\n%s", r, debug.Stack())}
			}
		}()
		return next(c)
	}
}

func (s *Server) sessionCookieName() string {
	if s.secure {
		return "__Host-parley_session"
	}
	return "parley_session"
}

func (s *Server) csrfCookieName() string {
	if s.secure {
		return "__Host-parley_csrf"
	}
	return "parley_csrf"
}

func (s *Server) setCookie(c echo.Context, name, value string, maxAge int, sameSite http.SameSite) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.secure, SameSite: sameSite})
}

// loadSession finds the signed-in user, if any. A dead session's cookie is cleared.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/static/") {
			return next(c)
		}
		ck, err := c.Cookie(s.sessionCookieName())
		if err != nil || ck.Value == "" {
			return next(c)
		}
		u, sess, err := s.svc.Authenticate(c.Request().Context(), ck.Value)
		switch {
		case err == nil:
			c.Set(ctxUser, u)
			c.Set(ctxSession, sess)
		case app.ErrorCode(err) == app.EUNAUTHORIZED:
			s.setCookie(c, s.sessionCookieName(), "", -1, http.SameSiteLaxMode)
			s.setFlash(c, "session.ended")
		default:
			return err
		}
		return next(c)
	}
}

// requireLogin blocks by default: every route not on the public list, and
// every unknown path, needs a session. Anonymous visitors go to the login page.
func (s *Server) requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if actor(c) != nil || IsPublic(route(c)) {
			return next(c)
		}
		target := "/login"
		if r := c.Request(); r.Method == http.MethodGet && r.URL.Path != "/" && safeNext(r.URL.RequestURI()) != "/" {
			target += "?next=" + urlQueryEscape(r.URL.RequestURI())
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
}

// requirePasswordChange keeps a user with a temporary password on the
// change-password page until they have chosen their own.
func (s *Server) requirePasswordChange(next echo.HandlerFunc) echo.HandlerFunc {
	allowed := map[string]bool{"GET /account/password": true, "POST /account/password": true,
		"POST /logout": true, "POST /language": true}
	return func(c echo.Context) error {
		if u := actor(c); u != nil && u.MustChangePassword && !allowed[route(c)] && !IsPublic(route(c)) {
			return c.Redirect(http.StatusSeeOther, "/account/password")
		}
		return next(c)
	}
}

// checkCSRF protects every state-changing request: the form (or header)
// token must match the cookie token, and browsers' fetch metadata must not
// say the request came from another site.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token := ""
		if ck, err := c.Cookie(s.csrfCookieName()); err == nil && len(ck.Value) >= 32 {
			token = ck.Value
		}
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			site := r.Header.Get("Sec-Fetch-Site")
			sent := r.Header.Get("X-CSRF-Token")
			if sent == "" {
				sent = c.FormValue("_csrf")
			}
			if (site != "" && site != "same-origin" && site != "none") || token == "" ||
				subtle.ConstantTimeCompare([]byte(token), []byte(sent)) != 1 {
				return errCSRF
			}
		}
		if token == "" {
			token = randomString(32)
			s.setCookie(c, s.csrfCookieName(), token, 0, http.SameSiteLaxMode)
		}
		c.Set(ctxCSRF, token)
		return next(c)
	}
}

var errCSRF = echo.NewHTTPError(http.StatusForbidden, "csrf")
