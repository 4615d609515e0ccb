// Package teams sends events to Microsoft Teams through a Workflows webhook
// ("Post to a channel when a webhook request is received"), as one Adaptive
// Card: the headline coloured by verdict, the dates as facts, each violation
// with its basis and evidence, the promise they share once, the changed
// sections' before and after lines, and a button to the diff page.
//
// Workflows answers 202 Accepted; errors are JSON {"error":{"code",...}}
// with 400 for a body that does not match the trigger's schema, 401/403 for
// a bad signature in the URL, 404 for a deleted flow, 429 (with
// Retry-After) when throttled. package post classifies them.
package teams

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
const Format = "teams"

// Limits: Teams refuses messages over about 28 KB; we stay well under.
const (
	maxText     = 2000 // runes of one text block
	maxSections = 8
	maxLines    = 800 // runes of before/after lines per section
	maxDigest   = 30
	// MaxBytes is the size of the JSON body Teams accepts.
	MaxBytes = 28 << 10
)

// CardContentType is the attachment content type of an Adaptive Card.
const CardContentType = "application/vnd.microsoft.card.adaptive"

//go:embed default.tmpl
var defaultTemplate string

// Config configures one webhook of this format.
type Config = chat.Config

// Notifier posts Adaptive Cards to one Workflows webhook.
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

// Escape keeps policy text from being read as Adaptive Card markdown:
// emphasis, links and list markers at a line's start.
func Escape(s string) string {
	s = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "+ ") || strings.HasPrefix(t, "#") || strings.HasPrefix(t, ">") || numbered(t) {
			lines[i] = l[:len(l)-len(t)] + `\` + t
		}
	}
	return strings.Join(lines, "\n")
}

// numbered reports a "1. " list marker.
func numbered(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(s[i:], ". ")
}

// Adaptive Card markdown has no strike-through: the old words are shown
// plain, the new ones bold.
var markup = chat.Markup{
	Esc:   Escape,
	Del:   func(s string) string { return s },
	Ins:   func(s string) string { return "**" + s + "**" },
	Label: func(s string) string { return "**" + s + "**" },
}

// Payload is the body a Workflows webhook takes: a message with one card.
type Payload struct {
	Type        string       `json:"type"` // message
	Attachments []Attachment `json:"attachments"`
}

// Attachment carries the card.
type Attachment struct {
	ContentType string  `json:"contentType"`
	ContentURL  *string `json:"contentUrl"` // always null
	Content     Card    `json:"content"`
}

// Card is an Adaptive Card (schema 1.4, which Teams renders).
type Card struct {
	Schema  string    `json:"$schema"`
	Type    string    `json:"type"` // AdaptiveCard
	Version string    `json:"version"`
	Body    []Element `json:"body"`
	Actions []Action  `json:"actions,omitempty"`
	MSTeams *MSTeams  `json:"msteams,omitempty"`
}

// MSTeams holds Teams' extensions of the card.
type MSTeams struct {
	Width string `json:"width"` // Full
}

// Element is a TextBlock, a FactSet or a Container of elements.
type Element struct {
	Type      string    `json:"type"`
	Text      string    `json:"text,omitempty"`
	Wrap      bool      `json:"wrap,omitempty"`
	Size      string    `json:"size,omitempty"`
	Weight    string    `json:"weight,omitempty"`
	Color     string    `json:"color,omitempty"`
	IsSubtle  bool      `json:"isSubtle,omitempty"`
	Separator bool      `json:"separator,omitempty"`
	Style     string    `json:"style,omitempty"`
	Facts     []Fact    `json:"facts,omitempty"`
	Items     []Element `json:"items,omitempty"`
}

// Fact is one title/value row of a FactSet.
type Fact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// Action is a card action; only Action.OpenUrl is used.
type Action struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

func text(s string, opts ...func(*Element)) Element {
	e := Element{Type: "TextBlock", Text: message.Truncate(s, maxText), Wrap: true}
	for _, o := range opts {
		o(&e)
	}
	return e
}

func bold(e *Element)   { e.Weight = "Bolder" }
func subtle(e *Element) { e.IsSubtle = true }

func colorOf(verdict string) string {
	switch verdict {
	case message.VerdictViolation, message.VerdictFailing:
		return "Attention"
	case message.VerdictBaseline, message.VerdictRecovered:
		return "Good"
	}
	return "Warning"
}

func card(body []Element, link message.Link) Payload {
	c := Card{Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard", Version: "1.4", Body: body, MSTeams: &MSTeams{Width: "Full"}}
	if link.URL != "" {
		c.Actions = []Action{{Type: "Action.OpenUrl", Title: link.Text, URL: link.URL}}
	}
	return Payload{Type: "message", Attachments: []Attachment{{ContentType: CardContentType, Content: c}}}
}

// Build renders e as a Workflows payload.
func (n *Notifier) Build(e message.Event) (Payload, error) {
	v, r, err := n.Render(e, "title", "body")
	if err != nil {
		return Payload{}, fmt.Errorf("teams: %w", err)
	}
	title, intro := r[0], strings.TrimSpace(r[1])
	if strings.TrimSpace(title) == "" {
		title = v.Headline
	}
	body := []Element{text(message.OneLine(title), bold, func(e *Element) { e.Size, e.Color = "Medium", colorOf(v.Verdict) })}
	if intro != "" {
		body = append(body, text(intro))
	}
	var facts []Fact
	if e.Version != nil {
		facts = append(facts, Fact{Title: v.T("chat.dates"), Value: v.Dates})
		if v.PreviousDates != "" {
			facts = append(facts, Fact{Title: v.T("chat.before"), Value: v.PreviousDates})
		}
	}
	if v.Detected != "" {
		facts = append(facts, Fact{Title: v.T("chat.detected"), Value: v.Detected})
	}
	if len(facts) > 0 {
		body = append(body, Element{Type: "FactSet", Facts: facts})
	}
	for _, x := range v.Violations {
		items := []Element{text("⚠ "+Escape(x.Phrase), bold, func(e *Element) { e.Color = "Attention" })}
		if x.Basis != "" {
			items = append(items, text(v.T("chat.basis")+": "+Escape(x.Basis), subtle))
		}
		if x.Detail != "" {
			items = append(items, text(Escape(x.Detail)))
		}
		var ev []string
		for _, f := range x.Evidence {
			line := "- " + Escape(strings.TrimSpace(f.Name+" "+f.At))
			if f.URL != "" {
				line = "- [" + Escape(strings.TrimSpace(f.Name+" "+f.At)) + "](" + f.URL + ")"
			}
			if f.Text != "" {
				line += " “" + Escape(f.Text) + "”"
			}
			ev = append(ev, line)
		}
		if len(ev) > 0 {
			items = append(items, text(strings.Join(ev, "\n"), subtle))
		}
		body = append(body, Element{Type: "Container", Items: items, Separator: true})
	}
	if len(v.Shared) > 0 {
		body = append(body, text(Escape(strings.Join(v.Shared, " ")), subtle, func(e *Element) { e.Separator = true }))
	}
	if a := v.Announcement; a != nil {
		body = append(body, text(fmt.Sprintf("**%s** [%s](%s) %s", Escape(v.T("chat.announcement")), Escape(a.Title), a.URL, a.Posted), func(e *Element) { e.Separator = true }))
	}
	for i, s := range v.Sections {
		if i == maxSections {
			body = append(body, text(Escape(v.T("chat.more_sections", len(v.Sections)-maxSections)), subtle))
			break
		}
		items := []Element{text(fmt.Sprintf("**%s** (%s)", Escape(s.Title), Escape(s.Change)))}
		if s.Renamed != "" {
			items = append(items, text(Escape(s.Renamed), subtle))
		}
		if lines := chat.SectionLines(v, s, markup, maxLines); lines != "" {
			items = append(items, text(strings.ReplaceAll(lines, "\n", "\n\n")))
		}
		body = append(body, Element{Type: "Container", Items: items, Separator: true})
	}
	footer := text(v.T("chat.footer", e.ID), subtle, func(e *Element) { e.Size = "Small" })
	return fit(body, footer, v), nil
}

// fit drops containers (violations, sections) from the end until the card
// is well under MaxBytes, saying how many were left out.
func fit(body []Element, footer Element, v message.View) Payload {
	dropped := 0
	for {
		all := append(body[:len(body):len(body)], footer)
		if dropped > 0 {
			all = append(body[:len(body):len(body)], text(Escape(v.T("chat.more", dropped)), subtle), footer)
		}
		p := card(all, v.Link)
		b, err := json.Marshal(p)
		if err != nil || len(b) <= MaxBytes-2<<10 || len(body) <= 2 {
			return p
		}
		body = body[:len(body)-1]
		dropped++
	}
}

// BuildDigest renders first snapshots as one card with a fact per target.
func (n *Notifier) BuildDigest(es []message.Event) (Payload, error) {
	d := message.NewDigest(es, n.Lang)
	body := []Element{text(d.Headline, bold, func(e *Element) { e.Size = "Medium" }), text(Escape(d.Body))}
	lines := d.Lines(maxDigest, Escape, func(it message.DigestItem) string {
		mark := "✅"
		if it.Violation {
			mark = "⚠"
		}
		return fmt.Sprintf("%s [%s](%s) · %s · %s", mark, Escape(it.Name), it.Link.URL, Escape(it.Dates), Escape(it.Verdict))
	})
	body = append(body, Element{Type: "TextBlock", Text: strings.Join(lines, "\n\n"), Wrap: true}, text(d.Footer, subtle, func(e *Element) { e.Size = "Small" }))
	return card(body, message.Link{}), nil
}

// Send posts e once.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, e.ID, nil, func() (Payload, error) { return n.Build(e) })
}

// SendDigest posts the first snapshots es as one card, once.
func (n *Notifier) SendDigest(ctx context.Context, es []message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, es[0].ID, nil, func() (Payload, error) { return n.BuildDigest(es) })
}
