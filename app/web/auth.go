package web

import (
	"github.com/a-h/templ"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/views"
)

func (s *Server) loginPage(c echo.Context) error {
	if actor(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return s.show(c, http.StatusOK, "login.title", func(p views.Page) templ.Component {
		return views.LoginPage(p, views.LoginForm{Next: safeNext(c.QueryParam("next"))})
	})
}

func (s *Server) login(c echo.Context) error {
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	token, _, err := s.svc.Login(c.Request().Context(), email, c.FormValue("password"), c.RealIP(), c.Request().UserAgent())
	if err != nil {
		code := app.ErrorCode(err)
		if code != app.EUNAUTHORIZED && code != app.ETHROTTLED {
			return err
		}
		form := views.LoginForm{Email: app.ClipText(email, 254), Next: next, Error: app.ErrorMessage(err)}
		status := http.StatusUnauthorized
		if code == app.ETHROTTLED {
			status = http.StatusTooManyRequests
			var de *app.Error
			if errorAs(err, &de) {
				form.Wait = int(math.Ceil(de.RetryAfter.Minutes()))
				c.Response().Header().Set("Retry-After", itoa(int64(math.Ceil(de.RetryAfter.Seconds()))))
			}
		}
		p, perr := s.page(c, "login.title")
		if perr != nil {
			return perr
		}
		return render(c, status, views.LoginPage(p, form))
	}
	// A new session token at every login; a new CSRF token too.
	s.setCookie(c, s.sessionCookieName(), token, 0, http.SameSiteLaxMode)
	s.setCookie(c, s.csrfCookieName(), randomString(32), 0, http.SameSiteLaxMode)
	if next != "/" {
		// Failed attempts since the last visit, if any, are reported on the
		// first page; the dashboard reports them anyway.
		s.setFlash(c, views.FlashFailedLogins)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c echo.Context) error {
	if err := s.svc.Logout(c.Request().Context(), actor(c), currentSession(c).ID); err != nil {
		return err
	}
	s.setCookie(c, s.sessionCookieName(), "", -1, http.SameSiteLaxMode)
	return s.redirectWithFlash(c, "/login", "flash.logged_out")
}

// setLanguage is the header's language switch. Signed-in users' choice is
// saved to their account; anonymous visitors' to a cookie.
func (s *Server) setLanguage(c echo.Context) error {
	lang := c.FormValue("lang")
	if !app.ValidLanguage(lang) {
		return app.Validation{"lang": "lang.invalid"}.Err()
	}
	if u := actor(c); u != nil {
		if err := s.svc.SetLanguage(c.Request().Context(), u, lang); err != nil {
			return err
		}
	} else {
		c.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	}
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}
