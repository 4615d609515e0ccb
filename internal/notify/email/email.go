// Package email sends events as e-mail over SMTP: STARTTLS (smtp://, port
// 587 by default) or implicit TLS (smtps://, port 465), AUTH PLAIN when a
// username is set, and a multipart/alternative message with a text and an
// HTML part rendered from the same view as the chat formats, its Korean
// subject encoded per RFC 2047. The Message-ID is derived from the event id,
// so a retried delivery is recognisably the same message.
//
// Classification follows the SMTP reply: 4xx is transient (retry), 5xx is
// permanent, network errors are retried; a server that offers no STARTTLS,
// or a certificate that does not verify, is permanent (the operator must
// fix the configuration: monitord never sends a password or a policy
// verdict in clear text).
package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	_ "embed" // templates
	"encoding/hex"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"text/template"
	"time"

	"github.com/monitord/monitord/internal/notify/chat"
	"github.com/monitord/monitord/internal/notify/message"
)

// Format is this package's format name in the config.
const Format = "email"

// Schemes of the server URL.
const (
	SchemeSTARTTLS = "smtp"  // STARTTLS required
	SchemeTLS      = "smtps" // TLS from the first byte
)

// kst is Korea Standard Time, the zone of the Date header (people read it).
var kst = time.FixedZone("KST", 9*60*60)

// DefaultTimeout bounds one delivery (connect to QUIT).
const DefaultTimeout = 30 * time.Second

var (
	//go:embed text.tmpl
	textTemplates string
	//go:embed html.tmpl
	htmlTemplate string
	//go:embed digest.html.tmpl
	digestHTMLTemplate string
)

// Config configures one e-mail webhook.
type Config struct {
	Name     string
	URL      string   // smtp://host[:587] or smtps://host[:465]
	From     string   // "monitord <monitord@example.kr>"
	To       []string // recipients
	Username string   // AUTH PLAIN when set
	Password string
	Lang     string
	Template string // optional text/template redefining "subject" and "text"
	Timeout  time.Duration
	// RootCAs verifies the server's certificate (nil: the system's roots).
	RootCAs *x509.CertPool
	// Hello is the name given in EHLO (default "localhost").
	Hello string
	Now   func() time.Time
}

// Notifier sends e-mail through one SMTP server.
type Notifier struct {
	name     string
	host     string // host:port
	server   string // host name, for TLS and AUTH
	implicit bool
	from     *mail.Address
	to       []*mail.Address
	user     string
	pass     string
	lang     string
	text     *template.Template
	html     *htmltemplate.Template
	digest   *htmltemplate.Template
	timeout  time.Duration
	roots    *x509.CertPool
	hello    string
	now      func() time.Time
}

// plain marks edits in the text part the way wdiff does.
var plain = chat.Markup{
	Esc:   func(s string) string { return s },
	Del:   func(s string) string { return "[-" + s + "-]" },
	Ins:   func(s string) string { return "{+" + s + "+}" },
	Label: func(s string) string { return s + ":" },
}

// maxLines bounds the before/after lines of one section in the text part.
const maxLines = 2000

// New validates cfg and returns a Notifier.
func New(cfg Config) (*Notifier, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("email: webhook %q: "+format, append([]any{cfg.Name}, args...)...)
	}
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != SchemeSTARTTLS && u.Scheme != SchemeTLS) || u.Hostname() == "" {
		return nil, fail("url must be smtp://host:587 (STARTTLS) or smtps://host:465 (TLS)")
	}
	n := &Notifier{name: cfg.Name, server: u.Hostname(), implicit: u.Scheme == SchemeTLS, user: cfg.Username, pass: cfg.Password,
		lang: message.Lang(cfg.Lang), timeout: cfg.Timeout, roots: cfg.RootCAs, hello: cfg.Hello, now: cfg.Now}
	port := u.Port()
	if port == "" {
		port = "587"
		if n.implicit {
			port = "465"
		}
	}
	n.host = net.JoinHostPort(n.server, port)
	if n.from, err = mail.ParseAddress(cfg.From); err != nil {
		return nil, fail("from %q is not an e-mail address: %w", cfg.From, err)
	}
	if len(cfg.To) == 0 {
		return nil, fail("no recipients: list at least one address in to")
	}
	for _, t := range cfg.To {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return nil, fail("to %q is not an e-mail address: %w", t, err)
		}
		n.to = append(n.to, a)
	}
	if (cfg.Username == "") != (cfg.Password == "") {
		return nil, fail("set both username and password for SMTP AUTH, or neither")
	}
	if n.timeout <= 0 {
		n.timeout = DefaultTimeout
	}
	if n.hello == "" {
		n.hello = "localhost"
	}
	if n.now == nil {
		n.now = time.Now
	}
	funcs := template.FuncMap{"lines": func(v message.View, s message.SectionView) string { return chat.SectionLines(v, s, plain, maxLines) }}
	if n.text, err = message.Templates(Format, textTemplates, cfg.Template, funcs, "subject", "text"); err != nil {
		return nil, fail("%w", err)
	}
	hf := htmltemplate.FuncMap{"color": color}
	n.html = htmltemplate.Must(htmltemplate.New("html").Funcs(hf).Parse(htmlTemplate))
	n.digest = htmltemplate.Must(htmltemplate.New("digest").Parse(digestHTMLTemplate))
	return n, nil
}

func color(verdict string) string {
	switch verdict {
	case message.VerdictViolation, message.VerdictFailing:
		return "#d93f3f"
	case message.VerdictBaseline, message.VerdictRecovered:
		return "#2eb67d"
	}
	return "#b8860b"
}

// Message is a rendered e-mail.
type Message struct {
	Subject, Text, HTML string
}

// Render renders e as an e-mail.
func (n *Notifier) Render(e message.Event) (Message, error) {
	v := message.NewView(e, n.lang)
	subject, err := message.Render(n.text, "subject", v)
	if err != nil {
		return Message{}, fmt.Errorf("email: %w", err)
	}
	text, err := message.Render(n.text, "text", v)
	if err != nil {
		return Message{}, fmt.Errorf("email: %w", err)
	}
	var h bytes.Buffer
	if err := n.html.Execute(&h, v); err != nil {
		return Message{}, fmt.Errorf("email: render html: %w", err)
	}
	if strings.TrimSpace(subject) == "" {
		subject = v.Headline
	}
	return Message{Subject: message.OneLine(subject), Text: text, HTML: h.String()}, nil
}

// RenderDigest renders first snapshots as one e-mail.
func (n *Notifier) RenderDigest(es []message.Event) (Message, error) {
	d := message.NewDigest(es, n.lang)
	text, err := message.Render(n.text, "digest_text", d)
	if err != nil {
		return Message{}, fmt.Errorf("email: %w", err)
	}
	var h bytes.Buffer
	if err := n.digest.Execute(&h, d); err != nil {
		return Message{}, fmt.Errorf("email: render html: %w", err)
	}
	return Message{Subject: d.Headline, Text: text, HTML: h.String()}, nil
}

// Compose writes m as an RFC 5322 message with a multipart/alternative
// body. id becomes the Message-ID's left part.
func (n *Notifier) Compose(m Message, id string) ([]byte, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	to := make([]string, len(n.to))
	for i, a := range n.to {
		to[i] = a.String()
	}
	domain := n.from.Address[strings.LastIndexByte(n.from.Address, '@')+1:]
	hdr := []struct{ k, v string }{
		{"From", n.from.String()},
		{"To", strings.Join(to, ",\r\n ")},
		{"Subject", encodeSubject(m.Subject)},
		{"Date", n.now().In(kst).Format(time.RFC1123Z)},
		{"Message-ID", "<" + id + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()})},
		{"Auto-Submitted", "auto-generated"},
		{"X-Monitord-Event", id},
	}
	var head bytes.Buffer
	for _, h := range hdr {
		head.WriteString(h.k + ": " + h.v + "\r\n")
	}
	head.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=UTF-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, fmt.Errorf("email: compose: %w", err)
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := io.WriteString(qp, strings.ReplaceAll(strings.ReplaceAll(part.body, "\r\n", "\n"), "\n", "\r\n")); err != nil {
			return nil, fmt.Errorf("email: compose: %w", err)
		}
		if err := qp.Close(); err != nil {
			return nil, fmt.Errorf("email: compose: %w", err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("email: compose: %w", err)
	}
	return append(head.Bytes(), b.Bytes()...), nil
}

// encodeSubject encodes a subject per RFC 2047 (B encoding, UTF-8) when it
// is not plain ASCII, folding between encoded words so no line is long.
func encodeSubject(s string) string {
	enc := mime.BEncoding.Encode("UTF-8", s)
	return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}

// Send mails e once.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	m, err := n.Render(e)
	if err != nil {
		return false, err
	}
	msg, err := n.Compose(m, e.ID)
	if err != nil {
		return false, err
	}
	return n.Deliver(ctx, msg)
}

// SendDigest mails the first snapshots es as one message, once.
func (n *Notifier) SendDigest(ctx context.Context, es []message.Event) (retry bool, err error) {
	m, err := n.RenderDigest(es)
	if err != nil {
		return false, err
	}
	msg, err := n.Compose(m, "digest."+es[0].ID)
	if err != nil {
		return false, err
	}
	return n.Deliver(ctx, msg)
}

// Error is a failed SMTP delivery.
type Error struct {
	Webhook string
	Host    string
	Stage   string // connect, tls, auth, mail, rcpt, data
	Code    int    // the SMTP reply code, 0 when there was none
	Err     error
}

// Error names the webhook, server and stage, never the password.
func (e *Error) Error() string {
	return fmt.Sprintf("email: webhook %q: %s at %s: %v", e.Webhook, e.Stage, e.Host, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrNoSTARTTLS is the cause when an smtp:// server offers no STARTTLS.
var ErrNoSTARTTLS = errors.New("the server does not offer STARTTLS; monitord does not send mail in clear text (use a server with STARTTLS, or smtps://)")

// Deliver sends a composed message once, bounded by the timeout and ctx.
func (n *Notifier) Deliver(ctx context.Context, msg []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	fail := func(stage string, err error) (bool, error) {
		e := &Error{Webhook: n.name, Host: n.host, Stage: stage, Err: err}
		var tp *textproto.Error
		switch {
		case errors.As(err, &tp):
			e.Code = tp.Code
			return tp.Code/100 == 4, e
		case errors.Is(err, ErrNoSTARTTLS), isCertError(err):
			return false, e
		case ctx.Err() != nil:
			e.Err = fmt.Errorf("%w (%v)", err, context.Cause(ctx))
		}
		return true, e
	}
	tlsConf := &tls.Config{ServerName: n.server, RootCAs: n.roots, MinVersion: tls.VersionTLS12}
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", n.host)
	if err != nil {
		return fail("connect", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if n.implicit {
		tc := tls.Client(conn, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail("tls", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, n.server)
	if err != nil {
		return fail("connect", err)
	}
	defer c.Close()
	if err := c.Hello(n.hello); err != nil {
		return fail("ehlo", err)
	}
	if !n.implicit {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fail("tls", ErrNoSTARTTLS)
		}
		if err := c.StartTLS(tlsConf); err != nil {
			return fail("tls", err)
		}
	}
	if n.user != "" {
		if err := c.Auth(smtp.PlainAuth("", n.user, n.pass, n.server)); err != nil {
			return fail("auth", err)
		}
	}
	if err := c.Mail(n.from.Address); err != nil {
		return fail("mail", err)
	}
	for _, a := range n.to {
		if err := c.Rcpt(a.Address); err != nil {
			return fail("rcpt", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fail("data", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fail("data", err)
	}
	if err := w.Close(); err != nil {
		return fail("data", err)
	}
	_ = c.Quit() // the message is accepted; a failed QUIT does not undo it
	return false, nil
}

func isCertError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// MessageID returns a random id for messages that belong to no event (a
// test message).
func MessageID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "test." + hex.EncodeToString(b)
}
