// Package oms holds Shipshape's domain: the types every other package speaks
// (products, stock, orders, pick tasks, pack sessions), the one error type that
// carries a code from the domain to the HTTP layer, and pure rules such as scan
// verification. It does no I/O.
package oms

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to a status; see server.errorHandler.
const (
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	EInternal     = "internal"
)

// Error is a domain error: a code for machines and a message fit for a user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface; it returns the message alone so
// that wrapping it with context ("row 3: ...") reads well to a user.
func (e *Error) Error() string {
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// ErrorMessage returns the user-facing text of err: the whole chain when it
// holds an *Error (its wrappers only add context such as the row), or a
// generic text for internal errors, whose details must not leak.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return err.Error()
	default:
		return "internal error"
	}
}
