package app

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. One place in app/web maps them to HTTP status codes.
const (
	EINVALID      = "invalid"      // bad input; Fields says which
	ENOTFOUND     = "not_found"    // missing, or not visible to the actor
	EFORBIDDEN    = "forbidden"    // visible, but the actor may not do this
	ECONFLICT     = "conflict"     // someone else changed the record first
	EUNAUTHORIZED = "unauthorized" // not logged in, or bad credentials
	ETHROTTLED    = "throttled"    // too many attempts; RetryAfter says how long
	EINTERNAL     = "internal"     // a bug or an outage; never shown in detail
)

// Error is a domain error. Message is a message-catalogue key, never
// internal text, so it can always be shown to the user in their language.
type Error struct {
	Code    string
	Message string
	// Fields maps a form field name to a message key, for errors shown next to the field.
	Fields     map[string]string
	RetryAfter time.Duration
	Err        error // the underlying cause; logged, never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a domain error with the given code and message key.
func Errorf(code, message string) *Error { return &Error{Code: code, Message: message} }

// ErrorCode returns the code of a domain error, or EINTERNAL for any other error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message key of a domain error, or the generic internal one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "error.internal"
}

// Common errors.
var (
	ErrNotFound = Errorf(ENOTFOUND, "error.not_found")
	ErrConflict = Errorf(ECONFLICT, "error.conflict")
	// ErrForbidden is for actions on objects the actor can see but not change.
	ErrForbidden = Errorf(EFORBIDDEN, "error.forbidden")
	ErrBadLogin  = Errorf(EUNAUTHORIZED, "login.failed")
)

// Validation collects field errors; Err returns nil when there are none.
type Validation map[string]string

// Add records the first problem with a field.
func (v Validation) Add(field, key string) {
	if _, ok := v[field]; !ok {
		v[field] = key
	}
}

// Err returns an EINVALID error carrying the field messages, or nil.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "error.invalid", Fields: map[string]string(v)}
}

// FieldErrors returns the per-field message keys of an EINVALID error.
func FieldErrors(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && e.Code == EINVALID {
		return e.Fields
	}
	return nil
}
