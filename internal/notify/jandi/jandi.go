// Package jandi sends events to a JANDI (잔디) incoming webhook, the team chat
// many Korean companies use: a body line with the summary and a link, a color
// bar, and one connectInfo card per violation and changed section.
package jandi

import (
	"context"
	_ "embed" // default templates
	"fmt"
	"net/http"
	"strings"

	"github.com/monitord/monitord/internal/notify/chat"
	"github.com/monitord/monitord/internal/notify/message"
)

// Format is this package's format name in the config.
const Format = "jandi"

// Accept is the media type JANDI requires on incoming-webhook requests.
const Accept = "application/vnd.tosslab.jandi-v2+json"

// Conservative sizes: JANDI documents no limits, and long cards are unread.
const (
	maxBody        = 2000
	maxCards       = 10
	maxTitle       = 200
	maxDescription = 1000
)

// Colors of the card bar.
const (
	colorInfo      = "#FAC11B"
	colorViolation = "#D93F3F"
)

//go:embed default.tmpl
var defaultTemplate string

// Config configures one webhook of this format.
type Config = chat.Config

// Notifier posts messages to one JANDI incoming webhook.
type Notifier struct{ chat.Base }

// New validates cfg and returns a Notifier using client (nil means
// http.DefaultClient).
func New(cfg Config, client *http.Client) (*Notifier, error) {
	b, err := chat.New(Format, cfg, client, defaultTemplate, Escape, "body")
	if err != nil {
		return nil, err
	}
	return &Notifier{b}, nil
}

// Escape keeps text from closing JANDI's [[text]](url) link syntax.
func Escape(s string) string {
	return strings.NewReplacer("[", "(", "]", ")").Replace(s)
}

// Payload is the JSON body of an incoming-webhook message.
type Payload struct {
	Body         string `json:"body"`
	ConnectColor string `json:"connectColor"`
	ConnectInfo  []Card `json:"connectInfo,omitempty"`
}

// Card is one connectInfo entry.
type Card struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Build renders e as a JANDI payload.
func (n *Notifier) Build(e message.Event) (Payload, error) {
	v, r, err := n.Render(e, "body")
	if err != nil {
		return Payload{}, fmt.Errorf("jandi: %w", err)
	}
	body := r[0]
	p := Payload{Body: message.Truncate(strings.TrimSpace(body), maxBody), ConnectColor: colorInfo}
	if len(e.Violations) > 0 || e.Type == message.TypeFailing {
		p.ConnectColor = colorViolation
	}
	for _, x := range v.Violations {
		p.ConnectInfo = append(p.ConnectInfo, Card{Title: message.Truncate(x.Phrase, maxTitle), Description: message.Truncate(x.Detail, maxDescription)})
	}
	for _, s := range v.Sections {
		p.ConnectInfo = append(p.ConnectInfo, Card{
			Title:       message.Truncate(fmt.Sprintf("%s (%s)", strings.Join(strings.Fields(s.Title), " "), s.Change), maxTitle),
			Description: message.Truncate(strings.TrimSpace(s.Diff), maxDescription),
		})
	}
	if len(p.ConnectInfo) > maxCards {
		rest := len(p.ConnectInfo) - (maxCards - 1)
		p.ConnectInfo = p.ConnectInfo[:maxCards-1]
		more := fmt.Sprintf("… and %d more", rest)
		if v.Lang == message.Korean {
			more = fmt.Sprintf("… 외 %d건", rest)
		}
		p.ConnectInfo = append(p.ConnectInfo, Card{Title: more, Description: v.URL})
	}
	return p, nil
}

// Send posts e once.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	p, err := n.Build(e)
	if err != nil {
		return false, err
	}
	return n.PostJSON(ctx, e.ID, p, http.Header{"Accept": {Accept}})
}
