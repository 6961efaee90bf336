package record

import (
	"errors"
	"fmt"
)

// Code classifies an error for the API and the UI.
type Code string

const (
	CodeInvalid      Code = "invalid"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeForbidden    Code = "forbidden"
	CodeUnauthorized Code = "unauthorized"
	CodeTooLarge     Code = "too_large"
	CodeRateLimited  Code = "rate_limited"
)

// Msg is a translatable message: a catalogue key and its arguments.
type Msg struct {
	Key  string
	Args []any
}

// Error is what the services return for anything the caller did wrong. Its message
// and field messages are catalogue keys so that each interface renders them in the
// user's language.
type Error struct {
	Code   Code
	Msg    Msg
	Fields map[string]Msg
}

// Error is for logs and the command line, untranslated: the key with its arguments
// (what a refused inventory said is wrong), then each field's.
func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Msg.Key
	if len(e.Msg.Args) > 0 {
		s += fmt.Sprintf(" %v", e.Msg.Args)
	}
	for f, m := range e.Fields {
		s += fmt.Sprintf("; %s: %s %v", f, m.Key, m.Args)
	}
	return s
}

// E makes an Error.
func E(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Msg: Msg{Key: key, Args: args}}
}

// ErrNotFound is the answer for anything missing or outside the caller's scope:
// both look the same so that ids cannot be probed.
func ErrNotFound() *Error { return E(CodeNotFound, "err.not_found") }

// ErrForbidden says the caller may see the record but not do this to it.
func ErrForbidden() *Error { return E(CodeForbidden, "err.forbidden") }

// FieldErrors collects validation messages by field.
type FieldErrors map[string]Msg

// Add records the first message for a field.
func (fe FieldErrors) Add(field, key string, args ...any) {
	if _, ok := fe[field]; !ok {
		fe[field] = Msg{Key: key, Args: args}
	}
}

// Err turns the collected messages into an Error, or nil when there are none.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Msg: Msg{Key: "err.invalid"}, Fields: fe}
}

// AsError finds a *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
