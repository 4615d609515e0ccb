// Package jandi sends events to a JANDI (잔디) incoming webhook, the team chat
// many Korean companies use: a body with the headline linked to the diff and
// the dates, a color bar, and connectInfo cards for the violations (basis and
// evidence), the promise they share and the changed sections' before and
// after lines.
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

// markup writes lines as plain text: JANDI cards have no strike-through.
var markup = chat.Markup{
	Esc: func(s string) string { return s }, Del: func(s string) string { return s }, Ins: func(s string) string { return s },
	Label: func(s string) string { return "[" + s + "]" },
}

// Build renders e as a JANDI payload: the body with the headline linked to
// the diff, a card per violation (its basis and evidence), one for the
// promise they share, and one per changed section with its before and after
// lines.
func (n *Notifier) Build(e message.Event) (Payload, error) {
	v, r, err := n.Render(e, "body")
	if err != nil {
		return Payload{}, fmt.Errorf("jandi: %w", err)
	}
	body := r[0]
	if strings.TrimSpace(body) == "" {
		body = v.Headline
	}
	p := Payload{Body: message.Truncate(strings.TrimSpace(body), maxBody), ConnectColor: colorInfo}
	if v.Verdict == message.VerdictViolation || v.Verdict == message.VerdictFailing {
		p.ConnectColor = colorViolation
	}
	for _, x := range v.Violations {
		title := "⚠ " + x.Phrase
		if x.Basis != "" {
			title += " · " + x.Basis
		}
		desc := []string{x.Detail}
		for _, ev := range x.Evidence {
			line := "• " + strings.TrimSpace(ev.Name+" "+ev.At)
			if ev.Text != "" {
				line += " “" + ev.Text + "”"
			}
			desc = append(desc, line)
		}
		p.ConnectInfo = append(p.ConnectInfo, Card{Title: message.Truncate(title, maxTitle), Description: message.Truncate(strings.TrimSpace(strings.Join(desc, "\n")), maxDescription)})
	}
	if len(v.Shared) > 0 {
		p.ConnectInfo = append(p.ConnectInfo, Card{Title: v.T("chat.promise"), Description: message.Truncate(strings.Join(v.Shared, "\n"), maxDescription)})
	}
	if a := v.Announcement; a != nil {
		p.ConnectInfo = append(p.ConnectInfo, Card{Title: message.Truncate(v.T("chat.announcement")+": "+a.Title, maxTitle), Description: message.Truncate(strings.TrimSpace(a.Posted+" "+a.URL+"\n"+a.Note), maxDescription)})
	}
	for _, s := range v.Sections {
		lines := chat.SectionLines(v, s, markup, maxDescription)
		if s.Renamed != "" {
			lines = s.Renamed + "\n" + lines
		}
		p.ConnectInfo = append(p.ConnectInfo, Card{
			Title:       message.Truncate(fmt.Sprintf("%s (%s)", s.Title, s.Change), maxTitle),
			Description: message.Truncate(lines, maxDescription),
		})
	}
	if len(p.ConnectInfo) > maxCards {
		rest := len(p.ConnectInfo) - (maxCards - 1)
		p.ConnectInfo = p.ConnectInfo[:maxCards-1]
		p.ConnectInfo = append(p.ConnectInfo, Card{Title: v.T("chat.more", rest), Description: v.Link.URL})
	}
	return p, nil
}

// BuildDigest renders first snapshots as one message with a card per
// target (at most maxCards, the last saying how many more).
func (n *Notifier) BuildDigest(es []message.Event) (Payload, error) {
	d := message.NewDigest(es, n.Lang)
	p := Payload{Body: message.Truncate(Escape(d.Headline)+"\n"+d.Body, maxBody), ConnectColor: colorInfo}
	for i, it := range d.Items {
		if i == maxCards-1 && len(d.Items) > maxCards {
			p.ConnectInfo = append(p.ConnectInfo, Card{Title: d.More(len(d.Items) - i), Description: d.Footer})
			break
		}
		mark := "✓ "
		if it.Violation {
			mark, p.ConnectColor = "⚠ ", colorViolation
		}
		p.ConnectInfo = append(p.ConnectInfo, Card{Title: message.Truncate(mark+it.Site, maxTitle), Description: message.Truncate(it.Dates+" · "+it.Verdict+"\n"+it.Link.URL, maxDescription)})
	}
	return p, nil
}

// SendDigest posts the first snapshots es as one message, once.
func (n *Notifier) SendDigest(ctx context.Context, es []message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, es[0].ID, http.Header{"Accept": {Accept}}, func() (Payload, error) { return n.BuildDigest(es) })
}

// Send posts e once.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, e.ID, http.Header{"Accept": {Accept}}, func() (Payload, error) { return n.Build(e) })
}
