// Package slack sends events to a Slack incoming webhook as Block Kit
// blocks: a header naming the verdict, a section with the dates, the
// violations and their basis, the promise quoted once and the link to the
// diff, then one section per changed section with its before and after lines
// in Slack's own marks (~struck~, *bold*), and a context line. The summary is
// the notification text.
package slack

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
const Format = "slack"

// Slack's documented limits, and how many sections we show.
const (
	maxHeader   = 150
	maxText     = 3000
	maxBlocks   = 50
	maxSections = 8
	maxLines    = 1200 // runes of before/after lines per section
	maxDigest   = 20   // targets listed in one digest message
)

//go:embed default.tmpl
var defaultTemplate string

// Config configures one webhook of this format.
type Config = chat.Config

// Notifier posts Block Kit messages to one Slack incoming webhook.
type Notifier struct{ chat.Base }

// New validates cfg and returns a Notifier using client (nil means
// http.DefaultClient).
func New(cfg Config, client *http.Client) (*Notifier, error) {
	b, err := chat.New(Format, cfg, client, defaultTemplate, Escape, "title", "body")
	if err != nil {
		return nil, err
	}
	return &Notifier{b}, nil
}

// Escape escapes the three characters Slack's mrkdwn treats as control
// characters, so policy text can neither break formatting nor ping anyone.
func Escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// markup writes edits in Slack's marks. A zero-width space outside each mark
// lets Slack see it even inside a Korean word, where no space separates it.
var markup = chat.Markup{
	Esc:   Escape,
	Del:   func(s string) string { return "\u200b~" + s + "~\u200b" },
	Ins:   func(s string) string { return "\u200b*" + s + "*\u200b" },
	Label: func(s string) string { return "`" + s + "`" },
}

// Payload is the JSON body of an incoming-webhook message.
type Payload struct {
	Text   string  `json:"text"`
	Blocks []Block `json:"blocks"`
}

// Block is one Block Kit layout block (header, section, divider, context,
// actions).
type Block struct {
	Type     string `json:"type"`
	Text     *Text  `json:"text,omitempty"`
	Elements []any  `json:"elements,omitempty"` // Text (context) or Button (actions)
}

// Text is a Block Kit text object.
type Text struct {
	Type  string `json:"type"` // plain_text | mrkdwn
	Text  string `json:"text"`
	Emoji bool   `json:"emoji,omitempty"`
}

// Button is a link button of an actions block.
type Button struct {
	Type string `json:"type"` // button
	Text Text   `json:"text"`
	URL  string `json:"url"`
}

// Build renders e as a Slack payload.
func (n *Notifier) Build(e message.Event) (Payload, error) {
	v, r, err := n.Render(e, "title", "body")
	if err != nil {
		return Payload{}, fmt.Errorf("slack: %w", err)
	}
	title, body := r[0], r[1]
	if strings.TrimSpace(title) == "" {
		title = v.Headline
	}
	p := Payload{Text: truncateMrkdwn(Escape(v.Summary), maxText)}
	p.Blocks = append(p.Blocks, header(title))
	if b := strings.TrimSpace(body); b != "" {
		p.Blocks = append(p.Blocks, section(b))
	}
	if len(v.Sections) > 0 {
		p.Blocks = append(p.Blocks, Block{Type: "divider"})
	}
	for i, s := range v.Sections {
		if i == maxSections {
			p.Blocks = append(p.Blocks, contextBlock(Escape(v.T("chat.more_sections", len(v.Sections)-maxSections))))
			break
		}
		text := fmt.Sprintf("*%s* _(%s)_", Escape(s.Title), Escape(s.Change))
		if s.Renamed != "" {
			text += "\n_" + Escape(s.Renamed) + "_"
		}
		if lines := chat.SectionLines(v, s, markup, maxLines); lines != "" {
			text += "\n" + lines
		}
		p.Blocks = append(p.Blocks, section(text))
	}
	p.Blocks = append(p.Blocks, Block{Type: "actions", Elements: []any{Button{Type: "button", Text: Text{Type: "plain_text", Text: message.Truncate(v.Link.Text, 75)}, URL: v.Link.URL}}})
	p.Blocks = append(p.Blocks, contextBlock(footer(v)))
	return p, nil
}

// BuildDigest renders first snapshots as one message: a header with their
// number and one line per target with its verdict, at most maxDigest lines.
func (n *Notifier) BuildDigest(es []message.Event) (Payload, error) {
	d := message.NewDigest(es, n.Lang)
	p := Payload{Text: Escape(d.Headline)}
	p.Blocks = append(p.Blocks, header(d.Headline), section(Escape(d.Body)))
	lines := d.Lines(maxDigest, Escape, func(it message.DigestItem) string {
		mark := ":white_check_mark:"
		if it.Violation {
			mark = ":warning:"
		}
		return fmt.Sprintf("%s *<%s|%s>* · %s · %s", mark, Escape(it.Link.URL), Escape(it.Name), Escape(it.Dates), Escape(it.Verdict))
	})
	p.Blocks = append(p.Blocks, section(strings.Join(lines, "\n")))
	p.Blocks = append(p.Blocks, contextBlock(Escape(d.Footer)))
	return p, nil
}

func header(s string) Block {
	return Block{Type: "header", Text: &Text{Type: "plain_text", Text: message.Truncate(message.OneLine(s), maxHeader), Emoji: true}}
}

func section(mrkdwn string) Block {
	return Block{Type: "section", Text: &Text{Type: "mrkdwn", Text: truncateMrkdwn(mrkdwn, maxText)}}
}

func contextBlock(mrkdwn string) Block {
	return Block{Type: "context", Elements: []any{Text{Type: "mrkdwn", Text: truncateMrkdwn(mrkdwn, maxText)}}}
}

func footer(v message.View) string {
	s := fmt.Sprintf("%s `%s`", Escape(v.T("chat.event")), Escape(v.Event.ID))
	if v.Detected != "" {
		s += fmt.Sprintf(" · %s %s", Escape(v.T("chat.detected")), v.Detected)
	}
	return s
}

// Send posts e once.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, e.ID, nil, func() (Payload, error) { return n.Build(e) })
}

// SendDigest posts the first snapshots es as one message, once.
func (n *Notifier) SendDigest(ctx context.Context, es []message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, es[0].ID, nil, func() (Payload, error) { return n.BuildDigest(es) })
}

// truncateMrkdwn truncates escaped mrkdwn without leaving half an entity
// ("&am…") behind.
func truncateMrkdwn(s string, n int) string {
	t := message.Truncate(s, n)
	if t == s {
		return s
	}
	body := strings.TrimSuffix(t, "…")
	if amp := strings.LastIndexByte(body, '&'); amp >= 0 && !strings.Contains(body[amp:], ";") {
		body = body[:amp]
	}
	return body + "…"
}
