package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
	// ctxSessionCSRF is the signed-in session's CSRF token.
	ctxSessionCSRF = "parley.session_csrf"
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

// setCookie sets a cookie, replacing one of the same name set earlier in
// the response (a cleared stale session, then the new one at login).
func (s *Server) setCookie(c echo.Context, name, value string, maxAge int, sameSite http.SameSite) {
	h := c.Response().Header()
	if old := h.Values("Set-Cookie"); len(old) > 0 {
		h.Del("Set-Cookie")
		for _, v := range old {
			if !strings.HasPrefix(v, name+"=") {
				h.Add("Set-Cookie", v)
			}
		}
	}
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.secure, SameSite: sameSite})
}

// loadSession finds the signed-in user, if any. A dead session's cookie is cleared.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if p := c.Request().URL.Path; strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" {
			return next(c) // no one's session is needed to serve these
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
			c.Set(ctxSessionCSRF, sessionCSRF(ck.Value))
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

// sessionCSRF is the CSRF token of a signed-in browser, derived from its
// session token: nothing more is stored, it changes with every sign-in, and
// no other session's token matches it.
func sessionCSRF(sessionToken string) string {
	sum := sha256.Sum256([]byte("csrf:" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// checkCSRF protects every state-changing request. The token travels in the
// body field _csrf or the X-CSRF-Token header, never in the query string.
// Signed in, it must be the session's own token; before signing in (the
// login form, the anonymous language switch) it must match the CSRF cookie.
// Browsers' fetch metadata and Origin must not name another site.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if tokenRoutes[route(c)] {
			return next(c) // a bearer token, not a cookie, authenticates these
		}
		token, _ := c.Get(ctxSessionCSRF).(string)
		if token == "" {
			if ck, err := c.Cookie(s.csrfCookieName()); err == nil && len(ck.Value) >= 32 {
				token = ck.Value
			}
		}
		if token != "" {
			c.Set(ctxCSRF, token) // the forms of a refusal page work too
		}
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			site := r.Header.Get("Sec-Fetch-Site")
			sent := r.Header.Get("X-CSRF-Token")
			if sent == "" {
				sent = r.PostFormValue("_csrf")
			}
			if (site != "" && site != "same-origin" && site != "none") || !s.sameOrigin(r) || token == "" ||
				(subtle.ConstantTimeCompare([]byte(token), []byte(sent)) != 1 &&
					subtle.ConstantTimeCompare([]byte(token), []byte(unmaskToken(sent))) != 1) {
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

// sameOrigin reports whether the request's Origin, when it sends one, is
// this site: the configured public address, else the request's own host
// (under http or https, for a server behind a proxy that terminates TLS).
// "null" (sandboxed frames, some redirects) is not.
func (s *Server) sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if s.origin != "" {
		return strings.EqualFold(origin, s.origin)
	}
	return r.Host != "" && (strings.EqualFold(origin, "http://"+r.Host) || strings.EqualFold(origin, "https://"+r.Host))
}

// publicOrigin is the origin (scheme://host[:port], default port left out)
// of a public address, or "" when there is none.
func publicOrigin(baseURL string) string {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && !(u.Scheme == "http" && p == "80") && !(u.Scheme == "https" && p == "443") {
		host += ":" + p
	}
	return u.Scheme + "://" + host
}

// requestID gives every request a fresh id of the server's own making, in
// the response header and the log. A client's X-Request-ID is dropped: it
// is neither echoed nor logged.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := randomString(12)
		c.Request().Header.Set(echo.HeaderXRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

var errCSRF = echo.NewHTTPError(http.StatusForbidden, "csrf")

// maskToken hides the CSRF token behind a fresh random pad on every page:
// the pad, then the token XOR the pad. Pages are compressed and repeat what
// people typed; a token that looked the same on every page could be guessed
// byte by byte from the compressed sizes (BREACH). unmaskToken undoes it.
func maskToken(token string) string {
	pad := make([]byte, len(token))
	if _, err := rand.Read(pad); err != nil {
		panic("no randomness: " + err.Error())
	}
	out := make([]byte, 2*len(token))
	copy(out, pad)
	for i := 0; i < len(token); i++ {
		out[len(token)+i] = token[i] ^ pad[i]
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

func unmaskToken(masked string) string {
	b, err := base64.RawURLEncoding.DecodeString(masked)
	if err != nil || len(b) == 0 || len(b)%2 != 0 {
		return ""
	}
	n := len(b) / 2
	out := make([]byte, n)
	for i := range out {
		out[i] = b[n+i] ^ b[i]
	}
	return string(out)
}

// largeBodies are the routes that take more than the usual body limit, and
// their limit: a file (with the form around it), and a paste of up to
// 10,000 indicators.
var largeBodies = map[string]func(s *Server) int64{
	"/incidents/:id/attachments": func(s *Server) int64 { return s.inc.MaxFileSize() + 1<<20 },
	"/incidents/:id/indicators":  func(*Server) int64 { return maxPasteBytes },
	"/actions/:id/done":          func(s *Server) int64 { return s.act.MaxFileSize() + 1<<20 },
}

// maxBody is the largest request body, but for the routes in largeBodies.
const maxBody = 2 << 20

// limitBody refuses a request body larger than its route takes (413), and
// stops reading one that grows past it, before anything parses it.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit := int64(maxBody)
		if c.Request().Method == http.MethodPost {
			if l := largeBodies[c.Path()]; l != nil {
				limit = l(s)
			}
		}
		r := c.Request()
		if r.ContentLength > limit {
			return echo.ErrStatusRequestEntityTooLarge
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}
