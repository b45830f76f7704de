package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/app"
	"github.com/parley/parley/views"
)

// The witness API: what a delegation's witness reads and posts, with its
// token (Authorization: Bearer …) as the only credential. It reads no
// session and sets no cookie, so it needs no CSRF token; it answers in
// JSON (or plain text for notes and exports), never with a page.

// tokenRoutes are authenticated by a witness token, not a session.
var tokenRoutes = map[string]bool{
	"GET /api/witness/logs":    true,
	"GET /api/witness/proof":   true,
	"POST /api/witness/cosign": true,
	"GET /api/witness/export":  true,
}

func (s *Server) witnessRoutes() {
	e := s.e
	e.GET("/api/witness/logs", s.witnessAPI(s.witnessLogs))
	e.GET("/api/witness/proof", s.witnessAPI(s.witnessProof))
	e.POST("/api/witness/cosign", s.witnessAPI(s.witnessCosign))
	e.GET("/api/witness/export", s.witnessAPI(s.witnessExport))

	e.GET("/account/witnesses", s.witnessesPage)
	e.POST("/account/witnesses", s.createWitnessToken)
	e.POST("/account/witnesses/:id/revoke", s.revokeWitnessToken)
}

// apiError is a witness API error: a status and an English sentence.
type apiError struct {
	Error string `json:"error"`
}

// witnessAPI authenticates the witness and turns errors into JSON.
func (s *Server) witnessAPI(h func(c echo.Context, w *app.Witness) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		token, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		var err error
		var w *app.Witness
		if !ok {
			err = app.Errorf(app.EUNAUTHORIZED, "witness.bad_token")
		} else {
			w, err = s.svc.WitnessByToken(c.Request().Context(), strings.TrimSpace(token))
		}
		if err == nil {
			err = h(c, w)
		}
		if err == nil {
			return nil
		}
		status := http.StatusInternalServerError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &he):
			status = he.Code
		default:
			switch app.ErrorCode(err) {
			case app.EUNAUTHORIZED:
				status = http.StatusUnauthorized
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="parley-witness"`)
			case app.ENOTFOUND:
				status = http.StatusNotFound
			case app.EINVALID:
				status = http.StatusBadRequest
			case app.EFORBIDDEN:
				status = http.StatusForbidden
			}
		}
		if c.Response().Committed {
			return nil
		}
		msg := s.msgs.For("en").T(app.ErrorMessage(err))
		if status >= 500 {
			c.Logger().Error(err)
		}
		return c.JSON(status, apiError{Error: msg})
	}
}

// witnessLogsPage is the answer of GET /api/witness/logs.
type witnessLogsPage struct {
	ServerKey string         `json:"server_key"`
	Side      string         `json:"side"`
	Logs      []app.LogState `json:"logs"`
	Next      string         `json:"next,omitempty"`
}

func (s *Server) witnessLogs(c echo.Context, w *app.Witness) error {
	ctx := c.Request().Context()
	logs, next, err := s.svc.WitnessLogs(ctx, w, c.QueryParam("after"))
	if err != nil {
		return err
	}
	if logs == nil {
		logs = []app.LogState{}
	}
	return c.JSON(http.StatusOK, witnessLogsPage{ServerKey: s.svc.LogVerifierKey(), Side: w.SideCode, Logs: logs, Next: next})
}

func (s *Server) witnessProof(c echo.Context, w *app.Witness) error {
	older, err1 := strconv.ParseInt(c.QueryParam("old"), 10, 64)
	newer, err2 := strconv.ParseInt(c.QueryParam("new"), 10, 64)
	if err1 != nil || err2 != nil {
		return app.Errorf(app.EINVALID, "witness.bad_sizes")
	}
	p, err := s.svc.WitnessProof(c.Request().Context(), w, c.QueryParam("log"), older, newer)
	if err != nil {
		return err
	}
	out := make([]string, len(p))
	for i, h := range p {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return c.JSON(http.StatusOK, map[string][]string{"proof": out})
}

// witnessCosign takes one cosigned note (text/plain) or a JSON array of
// them, all recorded or none.
func (s *Server) witnessCosign(c echo.Context, w *app.Witness) error {
	body, err := io.ReadAll(c.Request().Body) // bounded by limitBody
	if err != nil {
		return err
	}
	notes := []string{string(body)}
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEApplicationJSON) {
		notes = nil
		if err := json.Unmarshal(body, &notes); err != nil {
			return app.Errorf(app.EINVALID, "witness.bad_checkpoint")
		}
	}
	if err := s.svc.Cosign(c.Request().Context(), w, notes...); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) witnessExport(c echo.Context, w *app.Witness) error {
	c.Response().Header().Set(echo.HeaderContentType, "application/json")
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+sanitizeName(c.QueryParam("log"))+`.json"`)
	// Nothing is written until the export is ready: an error is still an answer.
	var buf strings.Builder
	if err := s.svc.WitnessExport(c.Request().Context(), w, &buf, c.QueryParam("log")); err != nil {
		return err
	}
	c.Response().WriteHeader(http.StatusOK)
	_, err := io.WriteString(c.Response(), buf.String())
	return err
}

func sanitizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "log"
	}
	return b.String()
}

// The witness tokens page: a delegation's heads create and revoke them.

func (s *Server) witnessesPage(c echo.Context) error {
	return s.renderWitnesses(c, http.StatusOK, views.WitnessesPage{})
}

func (s *Server) renderWitnesses(c echo.Context, status int, vm views.WitnessesPage) error {
	tokens, err := s.svc.WitnessTokens(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	vm.Tokens = tokens
	vm.ServerKey = s.svc.LogVerifierKey()
	vm.BaseURL = s.absoluteURL(c, "")
	return s.show(c, status, "witness.title", func(p views.Page) templ.Component { return views.Witnesses(p, vm) })
}

func (s *Server) createWitnessToken(c echo.Context) error {
	form := views.WitnessForm{Label: c.FormValue("label"), Key: c.FormValue("key")}
	token, err := s.svc.CreateWitnessToken(c.Request().Context(), actor(c), form.Label, form.Key)
	if fe := app.FieldErrors(err); fe != nil {
		return s.renderWitnesses(c, http.StatusUnprocessableEntity, views.WitnessesPage{Form: form, Errors: views.NewErrors(fe)})
	}
	if err != nil {
		return err
	}
	// The token is shown once, on this answer, and never kept in clear.
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.renderWitnesses(c, http.StatusOK, views.WitnessesPage{NewToken: token, NewLabel: form.Label})
}

func (s *Server) revokeWitnessToken(c echo.Context) error {
	if err := s.svc.RevokeWitnessToken(c.Request().Context(), actor(c), c.Param("id")); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/account/witnesses", "flash.witness_revoked")
}
