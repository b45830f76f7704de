package web

import (
	"net/http"

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

// submit ends the save → refusal → show-again cycle every form shares. A
// refusal the person can act on (bad input, a conflict, the wrong state) is
// shown again by again, with its status and messages, keeping what was
// typed (conflict says whether someone else changed the record: again then
// refreshes what it must); other errors go to the error handler; success is
// done (usually a redirect with a notice).
func submit(err error, again func(status int, errs views.Errors, conflict bool) error, done func() error) error {
	if errs, ok := formErrors(err); ok {
		return again(formStatus(err), errs, app.ErrorCode(err) == app.ECONFLICT)
	}
	if err != nil {
		return err
	}
	return done()
}

// formStatus is the status of a form shown again: 409 for a conflict, else 422.
func formStatus(err error) int {
	if app.ErrorCode(err) == app.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}
