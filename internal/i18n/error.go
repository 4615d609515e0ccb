package i18n

import (
	"errors"
	"fmt"
	"strings"
)

// Msg is a message of the catalogue with its arguments, kept so that it can
// be rendered later, in the language of whoever reads it: a failure stored
// today is shown in Korean by the CLI and in English by an API client
// tomorrow. Arguments are kept as text (fmt.Sprint of the values given to
// M), so a Msg survives JSON; the formats of such keys take %s.
type Msg struct {
	Key  string   `json:"key"`
	Args []string `json:"args,omitempty"`
}

// M builds a Msg of key with args formatted by fmt.Sprint.
func M(key string, args ...any) Msg {
	m := Msg{Key: key}
	for _, a := range args {
		m.Args = append(m.Args, fmt.Sprint(a))
	}
	return m
}

// Render renders the message in language l.
func (m Msg) Render(l Lang) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = a
	}
	return l.T(m.Key, args...)
}

// Render renders messages one after the other: a sentence and the parts
// that follow it (a hint, where it happened).
func (l Lang) Render(ms []Msg) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Render(l))
	}
	return b.String()
}

// Localized is an error whose words for people are in the catalogue. Its
// Error() stays English, for logs and for callers that match on it; Code is
// a stable name of the kind of failure, for JSON; Message is what people
// read, rendered in their language with Lang.Render.
type Localized interface {
	error
	Code() string
	Message() []Msg
}

// Error is the plain Localized error: a code, the message and, optionally,
// the error it wraps (errors.Is and errors.As see through it).
type Error struct {
	Kind string
	Msgs []Msg
	// Err is the cause, for errors.Is/As and for logs.
	Err error
	// wrapped: Error() is Err's text (Wrap), not the catalogue's English.
	wrapped bool
}

// Errorf returns an *Error of kind code whose message is key with args. Its
// Error() is the catalogue's English, followed by ": " and the cause's text
// when cause is not nil (the detail logs want and people need not read).
func Errorf(code string, cause error, key string, args ...any) *Error {
	return &Error{Kind: code, Msgs: []Msg{M(key, args...)}, Err: cause}
}

// Wrap gives err a code and words for people (key with args); Error() stays
// err's own text, so logs and callers matching on it see no change.
func Wrap(code string, err error, key string, args ...any) *Error {
	return &Error{Kind: code, Msgs: []Msg{M(key, args...)}, Err: err, wrapped: true}
}

func (e *Error) Error() string {
	if e.wrapped {
		return e.Err.Error()
	}
	s := English.Render(e.Msgs)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Code names the kind of failure.
func (e *Error) Code() string { return e.Kind }

// Message is the error's words in the catalogue.
func (e *Error) Message() []Msg { return e.Msgs }

// Err renders err for people in language l: every Localized error of a
// joined error (errors.Join) by its catalogue message, one a line; an error
// with none in its chain by its own (English) text.
func (l Lang) Err(err error) string {
	if err == nil {
		return ""
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var lines []string
		for _, e := range j.Unwrap() {
			if e != nil {
				lines = append(lines, l.Err(e))
			}
		}
		return strings.Join(lines, "\n")
	}
	if ms := Messages(err); ms != nil {
		return l.Render(ms)
	}
	return err.Error()
}

// Messages returns the catalogue message of the first Localized error in
// err's chain, nil when there is none.
func Messages(err error) []Msg {
	var lz Localized
	if errors.As(err, &lz) {
		return lz.Message()
	}
	return nil
}

// Code returns the code of the first Localized error in err's chain, "" when
// there is none.
func Code(err error) string {
	var lz Localized
	if errors.As(err, &lz) {
		return lz.Code()
	}
	return ""
}
