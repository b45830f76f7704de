package web

import (
	"github.com/a-h/templ"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/views"
)

func (s *Server) accountPage(c echo.Context) error {
	u := actor(c)
	return s.renderAccount(c, http.StatusOK, views.SettingsForm{Version: u.Version, Language: u.Language, TimeZone: u.TimeZone})
}

func (s *Server) renderAccount(c echo.Context, status int, f views.SettingsForm) error {
	tok, err := s.meet.FeedToken(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	if tok != "" {
		f.FeedURL = s.absoluteURL(c, "/calendar/"+tok+".ics")
	}
	return s.show(c, status, "account.title", func(p views.Page) templ.Component { return views.AccountPage(p, f) })
}

func (s *Server) saveSettings(c echo.Context) error {
	f := views.SettingsForm{Version: formInt64(c, "version"), Language: c.FormValue("language"), TimeZone: c.FormValue("time_zone")}
	err := s.svc.UpdateSettings(c.Request().Context(), actor(c), f.Version, f.Language, f.TimeZone)
	if fields := app.FieldErrors(err); fields != nil {
		f.Errors = views.NewErrors(fields)
		return s.renderAccount(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/account", "flash.saved")
}

func (s *Server) passwordPage(c echo.Context) error {
	return s.renderPassword(c, http.StatusOK, views.PasswordForm{})
}

func (s *Server) renderPassword(c echo.Context, status int, f views.PasswordForm) error {
	f.Forced = actor(c).MustChangePassword
	return s.show(c, status, "password.title", func(p views.Page) templ.Component { return views.PasswordPage(p, f) })
}

func (s *Server) changePassword(c echo.Context) error {
	err := s.svc.ChangePassword(c.Request().Context(), actor(c), currentSession(c).ID,
		c.FormValue("current_password"), c.FormValue("new_password"), c.FormValue("confirm_password"))
	if fields := app.FieldErrors(err); fields != nil {
		return s.renderPassword(c, http.StatusUnprocessableEntity, views.PasswordForm{Errors: views.NewErrors(fields)})
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/", "flash.password_changed")
}
