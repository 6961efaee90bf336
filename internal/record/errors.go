package record

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
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

// HTTPStatus is the HTTP status answering an error of this code, for the API and
// the pages (docs/api.md); any other code, as an unexpected error, is a 500.
func (c Code) HTTPStatus() int {
	switch c {
	case CodeInvalid:
		return http.StatusUnprocessableEntity
	case CodeNotFound:
		return http.StatusNotFound
	case CodeConflict:
		return http.StatusConflict
	case CodeForbidden:
		return http.StatusForbidden
	case CodeUnauthorized:
		return http.StatusUnauthorized
	case CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeRateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

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
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		m := e.Fields[f]
		s += fmt.Sprintf("; %s: %s %v", f, m.Key, m.Args)
	}
	return s
}

// Translator renders catalogue keys in a language; *i18n.Catalog is one.
type Translator interface {
	T(lang, key string, args ...any) string
	Has(lang, key string) bool
}

// ErrorText is an Error as a user reads it, in one language.
type ErrorText struct {
	Message string
	Fields  []FieldText // in the type's field order, then the others by name
}

// FieldText is one field's message.
type FieldText struct {
	Field string // the field's name: the form input or API key it belongs to
	Label string // what the user calls the field
	Text  string // the message alone
	Line  string // label and message together, for a list of problems
}

// Render translates e into lang: its message, and each field's message with the
// field's label. t, when known, labels and orders the fields; without it the
// framework's and the catalogue's field labels are used.
func (e *Error) Render(tr Translator, lang string, t *Type) ErrorText {
	out := ErrorText{Message: tr.T(lang, e.Msg.Key, e.Msg.Args...)}
	for _, f := range fieldOrder(t, e.Fields) {
		m := e.Fields[f]
		label := FieldLabel(tr, lang, t, f)
		text := tr.T(lang, m.Key, m.Args...)
		out.Fields = append(out.Fields, FieldText{Field: f, Label: label, Text: text, Line: tr.T(lang, "err.field", label, text)})
	}
	return out
}

// String is the message and each field's line on one line, for logs, agents and
// the command line.
func (x ErrorText) String() string {
	var b strings.Builder
	b.WriteString(x.Message)
	for _, f := range x.Fields {
		b.WriteString("; ")
		b.WriteString(f.Line)
	}
	return b.String()
}

// Lines are the fields' lines, label and message, in order.
func (x ErrorText) Lines() []string {
	var out []string
	for _, f := range x.Fields {
		out = append(out, f.Line)
	}
	return out
}

// ByField maps each field's name to its message: a form's inputs, the API's fields.
func (x ErrorText) ByField() map[string]string {
	out := make(map[string]string, len(x.Fields))
	for _, f := range x.Fields {
		out[f.Field] = f.Text
	}
	return out
}

// fieldOrder lists the fields of an error in t's field order, then the others
// (the framework's columns, extras) sorted, so that messages always read alike.
func fieldOrder(t *Type, fields map[string]Msg) []string {
	out := make([]string, 0, len(fields))
	seen := map[string]bool{}
	if t != nil {
		for _, f := range t.Fields {
			if _, ok := fields[f.Name]; ok {
				out = append(out, f.Name)
				seen[f.Name] = true
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		if !seen[f] {
			out = append(out, f)
		}
	}
	return out
}

// FieldLabel is the label of a field name of t (t may be nil), the framework's
// columns included; a name without any label is shown as it is.
func FieldLabel(tr Translator, lang string, t *Type, name string) string {
	if t != nil {
		if f := t.Field(name); f != nil {
			return tr.T(lang, f.LabelKey())
		}
	}
	if name == "organization" {
		name = "organization_id"
	}
	if tr.Has(lang, "field."+name) {
		return tr.T(lang, "field."+name)
	}
	return name
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
