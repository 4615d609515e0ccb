package notify

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/notify/chat"
	"github.com/monitord/monitord/internal/notify/discord"
	"github.com/monitord/monitord/internal/notify/dooray"
	"github.com/monitord/monitord/internal/notify/email"
	"github.com/monitord/monitord/internal/notify/jandi"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/post"
	"github.com/monitord/monitord/internal/notify/slack"
	"github.com/monitord/monitord/internal/notify/teams"
	"github.com/monitord/monitord/internal/notify/webhook"
	"github.com/monitord/monitord/internal/policy"
)

// The wire types, defined in package message so the format packages can use
// them without importing this one.
type (
	// Event is one alert as delivered (design.md's webhook JSON).
	Event = message.Event
	// Target names the watched page.
	Target = message.Target
	// Version is the version an event is about.
	Version = message.Version
	// Previous is the version it replaced.
	Previous = message.Previous
	// Violation is a broken notice rule; notice.Violation converts to it.
	Violation = message.Violation
	// Section is one changed section.
	Section = message.Section
	// RetryAfterError carries a receiver's Retry-After; read it with errors.As.
	RetryAfterError = post.RetryAfterError
	// StatusError is a non-2xx answer; read it with errors.As.
	StatusError = post.StatusError
)

// Event types.
const (
	TypeBaseline  = message.TypeBaseline
	TypeChanged   = message.TypeChanged
	TypeFailing   = message.TypeFailing
	TypeRecovered = message.TypeRecovered
)

// Formats returns the formats New accepts.
func Formats() []string {
	return []string{webhook.Format, slack.Format, discord.Format, jandi.Format, teams.Format, dooray.Format, email.Format}
}

// Digester is a Sender that can send several first snapshots (baselines)
// as one message: the chat and e-mail formats. Its retry has Send's
// meaning, for all the events at once.
type Digester interface {
	Sender
	SendDigest(ctx context.Context, es []Event) (retry bool, err error)
}

// Sender delivers one event to one receiver, once. retry reports whether a
// failure is transient (try again later) rather than permanent. Senders are
// safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, e Event) (retry bool, err error)
}

// WebhookConfig is one [[webhook]] of the config, with plain strings: the
// config package keeps the URL and secret in its Secret type and converts.
type WebhookConfig struct {
	Name     string
	URL      string // a credential: errors show scheme and host only
	Format   string // json (default) | slack | discord | jandi | teams | dooray | email
	Secret   string // json only: Standard Webhooks "whsec_..." signing secret
	Lang     string // "ko" (default) | "en"
	Template string // chat formats: optional text/template overriding "title"/"body"
	// E-mail: URL is smtp://host:587 (STARTTLS) or smtps://host:465; the
	// sender, the recipients and the SMTP AUTH credentials.
	From               string
	To                 []string
	Username, Password string
	Timeout            time.Duration
	Now                func() time.Time // json signature timestamps and HTTP-date Retry-After; nil means time.Now
}

// Summary is one sentence for people about e (Korean unless lang is "en").
func Summary(e Event, lang string) string { return message.Summary(e, lang) }

// Day returns a date for the wire (YYYY-MM-DD), or nil for the zero Date.
func Day(d policy.Date) *string { return message.Day(d) }

// DayOf returns the date of a parsed date reference for the wire, or nil.
func DayOf(r *policy.DateRef) *string { return message.DayOf(r) }

// New validates cfg and returns the Sender for its format, using client for
// every attempt (nil means http.DefaultClient; give it a Transport with
// sensible dial and TLS timeouts).
func New(cfg WebhookConfig, client *http.Client) (Sender, error) {
	switch l := strings.TrimSpace(cfg.Lang); l {
	case "", message.Korean, message.English:
	default:
		return nil, fmt.Errorf("notify: webhook %q: language %q is not supported; use \"ko\" or \"en\"", cfg.Name, l)
	}
	format := strings.ToLower(strings.TrimSpace(cfg.Format))
	if cfg.Secret != "" && format != webhook.Format && format != "" {
		return nil, fmt.Errorf("notify: webhook %q: secret only applies to format \"json\"; %s webhooks authenticate by their URL", cfg.Name, format)
	}
	if cfg.Template != "" && (format == webhook.Format || format == "") {
		return nil, fmt.Errorf("notify: webhook %q: template only applies to chat and e-mail formats; json sends the event as is", cfg.Name)
	}
	switch format {
	case "", webhook.Format:
		return webhook.New(webhook.Config{Name: cfg.Name, URL: cfg.URL, Secret: cfg.Secret, Lang: cfg.Lang, Timeout: cfg.Timeout, Now: cfg.Now}, client)
	case slack.Format:
		return slack.New(chatConfig(cfg), client)
	case discord.Format:
		return discord.New(chatConfig(cfg), client)
	case jandi.Format:
		return jandi.New(chatConfig(cfg), client)
	case teams.Format:
		return teams.New(chatConfig(cfg), client)
	case dooray.Format:
		return dooray.New(chatConfig(cfg), client)
	case email.Format:
		return email.New(email.Config{Name: cfg.Name, URL: cfg.URL, From: cfg.From, To: cfg.To, Username: cfg.Username, Password: cfg.Password,
			Lang: cfg.Lang, Template: cfg.Template, Timeout: cfg.Timeout, Now: cfg.Now})
	}
	return nil, fmt.Errorf("notify: webhook %q: format %q is not supported; use one of: %s", cfg.Name, cfg.Format, strings.Join(Formats(), ", "))
}

func chatConfig(c WebhookConfig) chat.Config {
	return chat.Config{Name: c.Name, URL: c.URL, Lang: c.Lang, Template: c.Template, Timeout: c.Timeout, Now: c.Now}
}
