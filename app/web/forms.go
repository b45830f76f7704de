package web

import (
	"github.com/parley/parley/app"
	"github.com/parley/parley/views"
)

// formErrors turns a domain error into what a form shows: field messages for
// bad input, a form-level message for a conflict. Other errors go to the
// error handler (ok is false).
func formErrors(err error) (errs views.Errors, ok bool) {
	if fields := app.FieldErrors(err); fields != nil {
		return views.NewErrors(fields), true
	}
	switch app.ErrorCode(err) {
	case app.ECONFLICT:
		return views.FormError(app.ErrorMessage(err)), true
	case app.EINVALID:
		return views.FormError(app.ErrorMessage(err)), true
	}
	return views.Errors{}, false
}
