// Package dooray sends events to a Dooray! (두레이) messenger incoming
// webhook, the collaboration suite of NHN used by many Korean companies and
// public bodies: the text carries the headline linked to the diff and the
// dates; one attachment per violation (with its basis and evidence), one for
// the promise they share, and one per changed section with its before and
// after lines in Dooray!'s markdown (~~old~~, **new**).
package dooray

import (
	"context"
	_ "embed" // default templates
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/monitord/monitord/internal/notify/chat"
	"github.com/monitord/monitord/internal/notify/message"
)

// Format is this package's format name in the config.
const Format = "dooray"

// BotName is the sender name shown in the channel.
const BotName = "monitord"

// Conservative sizes: Dooray! documents no limits, and long messages go unread.
const (
	maxText        = 2000
	maxAttachments = 10
	maxAttachText  = 1000
	maxTitle       = 200
	maxDigest      = 30
)

// Colors of the attachment bar.
const (
	colorViolation = "red"
	colorChange    = "orange"
	colorOK        = "green"
)

//go:embed default.tmpl
var defaultTemplate string

// Config configures one webhook of this format.
type Config = chat.Config

// Notifier posts messages to one Dooray! incoming webhook.
type Notifier struct{ chat.Base }

// New validates cfg and returns a Notifier using client (nil means
// http.DefaultClient).
func New(cfg Config, client *http.Client) (*Notifier, error) {
	b, err := chat.New(Format, cfg, client, defaultTemplate, Escape, "body")
	if err != nil {
		return nil, err
	}
	b.Endpoint.Check = refused
	return &Notifier{b}, nil
}

// result is the header Dooray! answers with, HTTP 200 included.
type result struct {
	Header *struct {
		IsSuccessful  *bool  `json:"isSuccessful"`
		ResultCode    int    `json:"resultCode"`
		ResultMessage string `json:"resultMessage"`
	} `json:"header"`
}

// refused reads a 2xx answer: Dooray! may answer 200 with
// {"header":{"isSuccessful":false,...}} for a message it did not post.
// Only an explicit isSuccessful false is a refusal; an empty or other body
// is a delivery, as before.
func refused(body []byte) (bool, int, string) {
	var r result
	if json.Unmarshal(body, &r) != nil || r.Header == nil || r.Header.IsSuccessful == nil || *r.Header.IsSuccessful {
		return false, 0, ""
	}
	msg := r.Header.ResultMessage
	if msg == "" {
		msg = "no resultMessage"
	}
	return true, r.Header.ResultCode, msg
}

// Escape keeps policy text from being read as markdown.
func Escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "[", `\[`, "]", `\]`).Replace(s)
}

var markup = chat.Markup{
	Esc:   Escape,
	Del:   func(s string) string { return "~~" + s + "~~" },
	Ins:   func(s string) string { return "**" + s + "**" },
	Label: func(s string) string { return "`" + s + "`" },
}

// Payload is the JSON body of an incoming-webhook message.
type Payload struct {
	BotName     string       `json:"botName"`
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment is one block under the text.
type Attachment struct {
	Title     string `json:"title,omitempty"`
	TitleLink string `json:"titleLink,omitempty"`
	Text      string `json:"text,omitempty"`
	Color     string `json:"color,omitempty"`
}

func colorOf(verdict string) string {
	switch verdict {
	case message.VerdictViolation, message.VerdictFailing:
		return colorViolation
	case message.VerdictBaseline, message.VerdictRecovered:
		return colorOK
	}
	return colorChange
}

// Build renders e as a Dooray! payload.
func (n *Notifier) Build(e message.Event) (Payload, error) {
	v, r, err := n.Render(e, "body")
	if err != nil {
		return Payload{}, fmt.Errorf("dooray: %w", err)
	}
	body := strings.TrimSpace(r[0])
	if body == "" {
		body = Escape(v.Headline)
	}
	p := Payload{BotName: BotName, Text: message.Truncate(body, maxText)}
	color := colorOf(v.Verdict)
	for _, x := range v.Violations {
		title := "⚠ " + x.Phrase
		if x.Basis != "" {
			title += " · " + x.Basis
		}
		lines := []string{Escape(x.Detail)}
		for _, f := range x.Evidence {
			line := "• " + Escape(strings.TrimSpace(f.Name+" "+f.At))
			if f.URL != "" {
				line = "• [" + Escape(strings.TrimSpace(f.Name+" "+f.At)) + "](" + f.URL + ")"
			}
			if f.Text != "" {
				line += " “" + Escape(f.Text) + "”"
			}
			lines = append(lines, line)
		}
		p.Attachments = append(p.Attachments, Attachment{Title: message.Truncate(title, maxTitle), Text: message.Truncate(strings.TrimSpace(strings.Join(lines, "\n")), maxAttachText), Color: color})
	}
	if len(v.Shared) > 0 {
		p.Attachments = append(p.Attachments, Attachment{Title: v.T("chat.promise"), Text: message.Truncate(Escape(strings.Join(v.Shared, "\n")), maxAttachText), Color: color})
	}
	if a := v.Announcement; a != nil {
		p.Attachments = append(p.Attachments, Attachment{Title: message.Truncate(v.T("chat.announcement")+": "+a.Title, maxTitle), TitleLink: a.URL, Text: message.Truncate(Escape(strings.TrimSpace(a.Posted+" "+a.Note)), maxAttachText), Color: color})
	}
	for _, s := range v.Sections {
		lines := chat.SectionLines(v, s, markup, maxAttachText)
		if s.Renamed != "" {
			lines = Escape(s.Renamed) + "\n" + lines
		}
		p.Attachments = append(p.Attachments, Attachment{Title: message.Truncate(fmt.Sprintf("%s (%s)", s.Title, s.Change), maxTitle), TitleLink: v.DiffURL, Text: message.Truncate(lines, maxAttachText), Color: color})
	}
	if len(p.Attachments) > maxAttachments {
		rest := len(p.Attachments) - (maxAttachments - 1)
		p.Attachments = append(p.Attachments[:maxAttachments-1], Attachment{Title: v.T("chat.more", rest), TitleLink: v.Link.URL, Color: color})
	}
	return p, nil
}

// BuildDigest renders first snapshots as one message, one line per target.
func (n *Notifier) BuildDigest(es []message.Event) (Payload, error) {
	d := message.NewDigest(es, n.Lang)
	lines := []string{"**" + Escape(d.Headline) + "**", Escape(d.Body)}
	lines = append(lines, d.Lines(maxDigest, Escape, func(it message.DigestItem) string {
		mark := "✅"
		if it.Violation {
			mark = "⚠"
		}
		return fmt.Sprintf("%s [%s](%s) · %s · %s", mark, Escape(it.Name), it.Link.URL, Escape(it.Dates), Escape(it.Verdict))
	})...)
	return Payload{BotName: BotName, Text: message.Truncate(strings.Join(lines, "\n"), 4*maxText)}, nil
}

// Send posts e once.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, e.ID, nil, func() (Payload, error) { return n.Build(e) })
}

// SendDigest posts the first snapshots es as one message, once.
func (n *Notifier) SendDigest(ctx context.Context, es []message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, es[0].ID, nil, func() (Payload, error) { return n.BuildDigest(es) })
}
