package config

import (
	"fmt"
	"io"
)

// Secret is a credential read from the configuration: a server token, a
// webhook URL or a webhook signing secret. It never prints its value: String,
// GoString, MarshalText and MarshalJSON all give "<secret>" (or "" when the
// secret is empty, which reveals nothing but that it is unset). Call Reveal
// at the single place that needs the value.
type Secret string

const redacted = "<secret>"

// Reveal returns the secret's value. Keep the result out of logs and errors.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool { return s != "" }

// String returns "<secret>", or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString returns "<secret>", or "" for an empty secret, so that %#v does not
// print the value either.
func (s Secret) GoString() string { return s.String() }

// MarshalText returns "<secret>", or nothing for an empty secret.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalJSON returns the JSON string "<secret>", or "" for an empty secret.
func (s Secret) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte(`""`), nil
	}
	return []byte(`"` + redacted + `"`), nil
}

// Format implements fmt.Formatter so that no verb (%v, %+v, %#v, %s, %q, %x,
// %d, ...) can print the value: each prints what String returns.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		_, _ = io.WriteString(f, `"`+s.String()+`"`)
		return
	}
	_, _ = io.WriteString(f, s.String())
}
