package knowledge

import (
	"errors"
	"fmt"
)

// Code classifies an error for the edge that shows it: the bot turns a code
// into the kind of answer a user sees, and an exit status on the command line.
type Code string

// The error codes. Every error a store or a handler returns either is an
// *Error with one of these codes or is treated as CodeInternal.
const (
	// CodeInvalid: the input breaks a rule; the message says which field and how to fix it.
	CodeInvalid Code = "invalid"
	// CodeNotFound: the record does not exist or is not visible to the asker.
	CodeNotFound Code = "not_found"
	// CodeConflict: the write would collide with a record that exists (a duplicate id).
	CodeConflict Code = "conflict"
	// CodeForbidden: the asker lacks the right the action needs; the message names it.
	CodeForbidden Code = "forbidden"
	// CodeUnavailable: a dependency (the database) is busy or closed; trying again may work.
	CodeUnavailable Code = "unavailable"
	// CodeInternal: a bug or an unexpected failure; users see a generic apology only.
	CodeInternal Code = "internal"
)

// Error is the one error type that crosses package boundaries. Message is
// safe to show to a Discord user (it never holds SQL, paths or stack
// detail); Err holds the internal cause for logs.
type Error struct {
	Code    Code
	Message string // user-safe, short, says what to fix
	Field   string // the input field at fault, when there is one
	Err     error  // internal cause, logged, never shown
}

// Error returns the code, the field and the message, plus the internal cause
// when there is one; it is meant for logs, not for users.
func (e *Error) Error() string {
	s := string(e.Code)
	if e.Field != "" {
		s += " " + e.Field
	}
	s += ": " + e.Message
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a user-safe message formatted from
// format and args. It never wraps an internal cause; use Wrap for that.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns a CodeInvalid error about one input field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with code and a user-safe message whose internal
// cause is err. A nil err gives a nil *Error only when code is not needed:
// callers pass non-nil errors.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for a
// nil err, and CodeInternal for any other error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user-safe message of the first *Error in err's
// chain, or a generic apology for any other error: internal detail is never
// returned.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" && e.Code != CodeInternal {
		return e.Message
	}
	return "Something went wrong on our side. It has been logged; please try again in a moment."
}
