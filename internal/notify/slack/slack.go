// Package slack sends events to a Slack incoming webhook as Block Kit
// blocks: a header, the summary and violations, the first changed sections,
// and a context line, with the summary as the notification fallback text.
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

// Slack's documented limits, and how much of a diff we show.
const (
	maxHeader   = 150
	maxText     = 3000
	maxSections = 5
	maxDiff     = 600
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

// Payload is the JSON body of an incoming-webhook message.
type Payload struct {
	Text   string  `json:"text"`
	Blocks []Block `json:"blocks"`
}

// Block is one Block Kit layout block (header, section, divider, context).
type Block struct {
	Type     string `json:"type"`
	Text     *Text  `json:"text,omitempty"`
	Elements []Text `json:"elements,omitempty"`
}

// Text is a Block Kit text object.
type Text struct {
	Type  string `json:"type"` // plain_text | mrkdwn
	Text  string `json:"text"`
	Emoji bool   `json:"emoji,omitempty"`
}

// Build renders e as a Slack payload.
func (n *Notifier) Build(e message.Event) (Payload, error) {
	v, r, err := n.Render(e, "title", "body")
	if err != nil {
		return Payload{}, fmt.Errorf("slack: %w", err)
	}
	title, body := r[0], r[1]
	p := Payload{Text: truncateMrkdwn(Escape(v.Summary), maxText)}
	p.Blocks = append(p.Blocks,
		Block{Type: "header", Text: &Text{Type: "plain_text", Text: message.Truncate(oneLine(title), maxHeader), Emoji: true}},
		Block{Type: "section", Text: &Text{Type: "mrkdwn", Text: truncateMrkdwn(strings.TrimSpace(body), maxText)}},
	)
	if len(v.Sections) > 0 {
		p.Blocks = append(p.Blocks, Block{Type: "divider"})
	}
	for i, s := range v.Sections {
		if i == maxSections {
			more := fmt.Sprintf("… %d more", len(v.Sections)-maxSections)
			if v.Lang == message.Korean {
				more = fmt.Sprintf("… 외 %d개 조항", len(v.Sections)-maxSections)
			}
			p.Blocks = append(p.Blocks, Block{Type: "context", Elements: []Text{{Type: "mrkdwn", Text: more}}})
			break
		}
		text := fmt.Sprintf("*%s* _(%s)_", Escape(oneLine(s.Title)), Escape(s.Change))
		if d := strings.TrimSpace(s.Diff); d != "" {
			d = strings.ReplaceAll(message.Truncate(d, maxDiff), "```", "`\u200b``")
			text += "\n```" + Escape(d) + "\n```"
		}
		p.Blocks = append(p.Blocks, Block{Type: "section", Text: &Text{Type: "mrkdwn", Text: truncateMrkdwn(text, maxText)}})
	}
	ctxLine := fmt.Sprintf("%s `%s`", v.L.Event, Escape(e.ID))
	if v.Detected != "" {
		ctxLine += fmt.Sprintf(" · %s %s", v.L.Detected, v.Detected)
	}
	p.Blocks = append(p.Blocks, Block{Type: "context", Elements: []Text{{Type: "mrkdwn", Text: ctxLine}}})
	return p, nil
}

// Send posts e once.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	p, err := n.Build(e)
	if err != nil {
		return false, err
	}
	return n.PostJSON(ctx, e.ID, p, nil)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

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
