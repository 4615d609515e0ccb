package config

import (
	"net/mail"
	"net/url"
	"strconv"
	"text/template"
)

// validateMessageKeys checks the keys that shape a webhook's messages:
// template (chat and e-mail formats) and e-mail's from, to, username and
// password. formatOK says whether Format is known.
func (w *Webhook) validateMessageKeys(s scope, formatOK bool) {
	if !formatOK {
		return
	}
	if w.Template != "" {
		if w.Format == FormatJSON {
			s.failf("template", "only chat and e-mail formats take a template; format %q sends the event as is", FormatJSON)
		} else if _, err := template.New("template").Parse(w.Template); err != nil {
			s.failf("template", "does not parse as a Go text/template: %w", err)
		}
	}
	if w.Format != FormatEmail {
		for _, k := range []struct {
			key string
			set bool
		}{{"from", w.From != ""}, {"to", w.To != nil}, {"username", w.Username != ""}, {"password", w.Password.IsSet()}} {
			if k.set {
				s.failf(k.key, "only applies to format %q; remove it or set format = %q", FormatEmail, FormatEmail)
			}
		}
		return
	}
	if w.From == "" {
		s.failf("from", `missing: an e-mail webhook needs a sender, such as "monitord <monitord@example.kr>"`)
	} else if _, err := mail.ParseAddress(w.From); err != nil {
		s.failf("from", "%q is not an e-mail address (%v); write one such as \"monitord <monitord@example.kr>\"", w.From, err)
	}
	if len(w.To) == 0 {
		s.failf("to", `missing: list the recipients, such as ["privacy@example.kr"]`)
	}
	for i, t := range w.To {
		if _, err := mail.ParseAddress(t); err != nil {
			s.failf("to."+strconv.Itoa(i), "%q is not an e-mail address (%v)", t, err)
		}
	}
	if (w.Username == "") != !w.Password.IsSet() {
		key := "password"
		if w.Username == "" {
			key = "username"
		}
		s.failf(key, "missing: SMTP AUTH needs both username and password, or neither")
	}
}

// checkSMTPURL accepts smtp://host[:port] and smtps://host[:port]; its
// errors never quote the value.
func checkSMTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return cerr("it does not parse as a URL; write smtp://host:587 or smtps://host:465")
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return cerr(`scheme must be "smtp" (STARTTLS, required) or "smtps" (TLS)`)
	}
	if u.Hostname() == "" {
		return cerr("missing host; write smtp://host:587")
	}
	if u.User != nil {
		return cerr("put the credentials in username and password, not in the URL")
	}
	return nil
}
