package web

import (
	"github.com/a-h/templ"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/views"
)

// Accounts: admins manage every account; heads the delegates and observers
// of their own delegation. The service decides; these handlers only render.

func (s *Server) usersPage(c echo.Context) error {
	ctx := c.Request().Context()
	pg := pageParam(c)
	list, err := s.svc.ListUsers(ctx, actor(c), app.UserFilter{Page: pg})
	if err != nil {
		return err
	}
	p, err := s.page(c, "users.title")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.UsersPage(p, views.UserList{
		Users: list.Items, CanAdd: true,
		Pager: views.Pager{Number: list.Page.Number, Pages: list.Pages(), Total: list.Total, BaseURL: "/admin/users"},
	}))
}

// userFormFor fills the choices the viewer has in the account form.
func (s *Server) userFormFor(c echo.Context, f views.UserForm) (views.UserForm, error) {
	u := actor(c)
	f.Email, f.Name, f.Role = app.ClipText(f.Email, 254), app.ClipText(f.Name, 100), app.ClipText(f.Role, 20)
	sides, err := s.svc.ListSides(c.Request().Context(), u)
	if err != nil {
		return f, err
	}
	f.CanAdmin = u.Admin
	for _, side := range sides {
		if u.Admin || side.ID == u.SideID {
			f.Sides = append(f.Sides, side)
		}
	}
	return f, nil
}

func (s *Server) newUserPage(c echo.Context) error {
	u := actor(c)
	if !app.CanManageAccounts(u) {
		return app.ErrNotFound
	}
	return s.renderNewUser(c, http.StatusOK, views.UserForm{SideID: u.SideID, Role: string(app.RoleDelegate)})
}

func (s *Server) renderNewUser(c echo.Context, status int, f views.UserForm) error {
	f, err := s.userFormFor(c, f)
	if err != nil {
		return err
	}
	return s.show(c, status, "users.new", func(p views.Page) templ.Component { return views.NewUserPage(p, f) })
}

func (s *Server) createUser(c echo.Context) error {
	f := views.UserForm{Email: c.FormValue("email"), Name: c.FormValue("name"), SideID: s.valueRef(c, app.RefSide, c.FormValue("side")),
		Role: c.FormValue("role"), Admin: c.FormValue("admin") == "1"}
	u, temp, err := s.svc.CreateUser(c.Request().Context(), actor(c), app.UserInput{Email: f.Email, Name: f.Name,
		SideID: f.SideID, Role: app.Role(f.Role), Admin: f.Admin})
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		f.Errors = errs
		return s.renderNewUser(c, status, f)
	}, func() error { return s.renderTempPassword(c, u, temp) })
}

func (s *Server) renderTempPassword(c echo.Context, u *app.User, temp string) error {
	return s.show(c, http.StatusOK, "users.temp_title", func(p views.Page) templ.Component {
		return views.TempPasswordPage(p, views.TempPassword{User: u, Password: temp})
	})
}

func (s *Server) userPage(c echo.Context) error {
	id, err := s.ref(c, app.RefUser, "id")
	if err != nil {
		return err
	}
	u, err := s.svc.GetUser(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.renderUser(c, http.StatusOK, u, views.UserForm{Ref: u.PublicID, Version: u.Version, Email: u.Email,
		Name: u.Name, SideID: u.SideID, Role: string(u.Role), Admin: u.Admin})
}

func (s *Server) renderUser(c echo.Context, status int, u *app.User, f views.UserForm) error {
	ctx := c.Request().Context()
	me := actor(c)
	hist, err := s.svc.UserHistory(ctx, me, u.ID)
	if err != nil {
		return err
	}
	if f, err = s.userFormFor(c, f); err != nil {
		return err
	}
	p, err := s.page(c, "users.title")
	if err != nil {
		return err
	}
	return render(c, status, views.UserPage(p, views.UserDetail{User: u, Form: f, History: hist, IsSelf: u.ID == me.ID,
		CanManage: app.CanManageAccount(me, u), CanConfirm: app.CanConfirmMember(me, u)}))
}

func (s *Server) updateUser(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.ref(c, app.RefUser, "id")
	if err != nil {
		return err
	}
	f := views.UserForm{Ref: c.Param("id"), Version: formInt64(c, "version"), Email: c.FormValue("email"), Name: c.FormValue("name"),
		Role: c.FormValue("role"), Admin: c.FormValue("admin") == "1"}
	_, err = s.svc.UpdateUser(ctx, actor(c), id, f.Version, app.UserEdit{Email: f.Email, Name: f.Name,
		Role: app.Role(f.Role), Admin: f.Admin})
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		cur, err := s.svc.GetUser(ctx, actor(c), id)
		if err != nil {
			return err
		}
		f.Errors, f.SideID = errs, cur.SideID
		if conflict {
			f.Version = cur.Version // what was typed is kept; saving again is a deliberate choice
		}
		return s.renderUser(c, status, cur, f)
	}, func() error { return s.redirectWithFlash(c, "/admin/users/"+c.Param("id"), "flash.saved") })
}

func (s *Server) setDisabled(c echo.Context, disabled bool) error {
	id, err := s.ref(c, app.RefUser, "id")
	if err != nil {
		return err
	}
	if err := s.svc.SetUserDisabled(c.Request().Context(), actor(c), id, formInt64(c, "version"), disabled); err != nil {
		return err
	}
	flash := "flash.user_enabled"
	if disabled {
		flash = "flash.user_disabled"
	}
	return s.redirectWithFlash(c, "/admin/users/"+c.Param("id"), flash)
}

func (s *Server) confirmUser(c echo.Context) error {
	id, err := s.ref(c, app.RefUser, "id")
	if err != nil {
		return err
	}
	if err := s.svc.ConfirmMember(c.Request().Context(), actor(c), id, formInt64(c, "version")); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/admin/users/"+c.Param("id"), "flash.user_confirmed")
}

func (s *Server) disableUser(c echo.Context) error { return s.setDisabled(c, true) }
func (s *Server) enableUser(c echo.Context) error  { return s.setDisabled(c, false) }

func (s *Server) resetPassword(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.ref(c, app.RefUser, "id")
	if err != nil {
		return err
	}
	temp, err := s.svc.ResetPassword(ctx, actor(c), id, formInt64(c, "version"))
	if err != nil {
		return err
	}
	u, err := s.svc.GetUser(ctx, actor(c), id)
	if err != nil {
		return err
	}
	return s.renderTempPassword(c, u, temp)
}

// Sides (delegations and the secretariat): administrators only.

func (s *Server) sidesPage(c echo.Context) error {
	sides, err := s.svc.ManagedSides(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.show(c, http.StatusOK, "sides.title", func(p views.Page) templ.Component { return views.SidesPage(p, sides) })
}

func (s *Server) renderSide(c echo.Context, status int, f views.SideForm) error {
	f.Code, f.NameEN, f.NameZH = app.ClipText(f.Code, 8), app.ClipText(f.NameEN, 100), app.ClipText(f.NameZH, 100)
	f.TimeZone, f.Language = app.ClipText(f.TimeZone, 64), app.ClipText(f.Language, 10)
	if f.Ref != "" {
		hist, err := s.svc.SideHistory(c.Request().Context(), actor(c), s.valueRef(c, app.RefSide, f.Ref))
		if err != nil {
			return err
		}
		f.History = hist
	}
	return s.show(c, status, "sides.title", func(p views.Page) templ.Component { return views.SidePage(p, f) })
}

func (s *Server) newSidePage(c echo.Context) error {
	if !app.CanManageSides(actor(c)) {
		return app.ErrNotFound
	}
	return s.renderSide(c, http.StatusOK, views.SideForm{Language: "en"})
}

func sideForm(c echo.Context) views.SideForm {
	return views.SideForm{Version: formInt64(c, "version"), Code: c.FormValue("code"), NameEN: c.FormValue("name_en"),
		NameZH: c.FormValue("name_zh"), TimeZone: c.FormValue("time_zone"), Language: c.FormValue("language")}
}

func (s *Server) createSide(c echo.Context) error {
	f := sideForm(c)
	side, err := s.svc.CreateDelegation(c.Request().Context(), actor(c), app.SideInput{Code: f.Code, NameEN: f.NameEN,
		NameZH: f.NameZH, TimeZone: f.TimeZone, Language: f.Language})
	return submit(err, func(status int, errs views.Errors, _ bool) error {
		f.Errors = errs
		return s.renderSide(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/admin/sides/"+side.PublicID, "flash.side_created") })
}

func (s *Server) sidePage(c echo.Context) error {
	id, err := s.ref(c, app.RefSide, "id")
	if err != nil {
		return err
	}
	side, err := s.svc.ManagedSide(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.renderSide(c, http.StatusOK, views.SideForm{Ref: side.PublicID, Version: side.Version, Code: side.Code,
		NameEN: side.NameEN, NameZH: side.NameZH, TimeZone: side.TimeZone, Language: side.Language})
}

func (s *Server) updateSide(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.ref(c, app.RefSide, "id")
	if err != nil {
		return err
	}
	f := sideForm(c)
	f.Ref = c.Param("id")
	err = s.svc.UpdateSide(ctx, actor(c), id, f.Version, app.SideInput{Code: f.Code, NameEN: f.NameEN,
		NameZH: f.NameZH, TimeZone: f.TimeZone, Language: f.Language})
	return submit(err, func(status int, errs views.Errors, conflict bool) error {
		if conflict {
			if cur, err := s.svc.ManagedSide(ctx, actor(c), id); err == nil {
				f.Version = cur.Version
			}
		}
		f.Errors = errs
		return s.renderSide(c, status, f)
	}, func() error { return s.redirectWithFlash(c, "/admin/sides/"+c.Param("id"), "flash.saved") })
}
