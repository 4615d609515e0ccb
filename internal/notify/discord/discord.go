// Package discord sends events to a Discord webhook as one embed, kept within
// Discord's limits (title 256, description 4096, 25 fields, field name 256,
// field value 1024, footer 2048, 6000 in all) by truncating on rune
// boundaries with "…" and dropping the last fields first.
package discord

import (
	"context"
	_ "embed" // default templates
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/monitord/monitord/internal/notify/chat"
	"github.com/monitord/monitord/internal/notify/message"
)

// Format is this package's format name in the config.
const Format = "discord"

// Discord's embed limits, counted in UTF-16 code units as Discord does.
const (
	MaxTitle       = 256
	MaxDescription = 4096
	MaxFields      = 25
	MaxFieldName   = 256
	MaxFieldValue  = 1024
	MaxFooter      = 2048
	MaxTotal       = 6000
)

// Colors of the embed's side bar.
const (
	colorViolation = 0xD93F3F
	colorChange    = 0xFAC11B
	colorOK        = 0x2EB67D
)

//go:embed default.tmpl
var defaultTemplate string

// Config configures one webhook of this format.
type Config = chat.Config

// Notifier posts embeds to one Discord webhook.
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

// Escape escapes Discord markdown in policy text.
func Escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`, ">", `\>`, "#", `\#`, "[", `\[`, "]", `\]`).Replace(s)
}

// Payload is the JSON body of an execute-webhook request.
type Payload struct {
	Embeds          []Embed         `json:"embeds"`
	AllowedMentions AllowedMentions `json:"allowed_mentions"`
}

// AllowedMentions with an empty Parse keeps policy text from pinging anyone.
type AllowedMentions struct {
	Parse []string `json:"parse"`
}

// Embed is a Discord rich embed.
type Embed struct {
	Title       string  `json:"title,omitempty"`
	URL         string  `json:"url,omitempty"`
	Description string  `json:"description,omitempty"`
	Color       int     `json:"color"`
	Fields      []Field `json:"fields,omitempty"`
	Footer      *Footer `json:"footer,omitempty"`
	Timestamp   string  `json:"timestamp,omitempty"`
}

// Field is one embed field.
type Field struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// Footer is the embed footer.
type Footer struct {
	Text string `json:"text"`
}

// Size is the number of characters Discord counts against MaxTotal.
func (e Embed) Size() int {
	n := units(e.Title) + units(e.Description)
	for _, f := range e.Fields {
		n += units(f.Name) + units(f.Value)
	}
	if e.Footer != nil {
		n += units(e.Footer.Text)
	}
	return n
}

// markup writes edits in Discord's own marks, ~~struck~~ and **bold**.
var markup = chat.Markup{
	Esc:   Escape,
	Del:   func(s string) string { return "~~" + s + "~~" },
	Ins:   func(s string) string { return "**" + s + "**" },
	Label: func(s string) string { return "`" + s + "`" },
}

// maxSectionFields bounds the changed sections shown as fields.
const maxSectionFields = 10

// Build renders e as a Discord payload within the limits.
func (n *Notifier) Build(e message.Event) (Payload, error) {
	v, r, err := n.Render(e, "title", "body")
	if err != nil {
		return Payload{}, fmt.Errorf("discord: %w", err)
	}
	title, desc := r[0], r[1]
	if strings.TrimSpace(title) == "" {
		title = v.Headline
	}
	em := Embed{
		Title:       Truncate(message.OneLine(title), MaxTitle),
		URL:         v.Link.URL,
		Description: Truncate(strings.TrimSpace(desc), MaxDescription),
		Color:       color(v.Verdict),
		Footer:      &Footer{Text: Truncate(v.T("chat.footer", e.ID), MaxFooter)},
	}
	if !e.DetectedAt.IsZero() {
		em.Timestamp = e.DetectedAt.Format(time.RFC3339)
	}
	for i, s := range v.Sections {
		if i == maxSectionFields {
			em.Fields = append(em.Fields, Field{Name: "…", Value: Truncate(Escape(v.T("chat.more_sections", len(v.Sections)-maxSectionFields)), MaxFieldValue)})
			break
		}
		value := chat.SectionLines(v, s, markup, MaxFieldValue/2)
		if s.Renamed != "" {
			value = "*" + Escape(s.Renamed) + "*\n" + value
		}
		em.Fields = append(em.Fields, Field{Name: Truncate(fmt.Sprintf("%s (%s)", s.Title, s.Change), MaxFieldName), Value: Truncate(orDash(value), MaxFieldValue)})
	}
	fit(&em)
	return Payload{Embeds: []Embed{em}, AllowedMentions: AllowedMentions{Parse: []string{}}}, nil
}

// maxDigest bounds the targets listed in one digest.
const maxDigest = 30

// BuildDigest renders first snapshots as one embed listing every target
// with its verdict.
func (n *Notifier) BuildDigest(es []message.Event) (Payload, error) {
	d := message.NewDigest(es, n.Lang)
	lines := []string{Escape(d.Body), ""}
	lines = append(lines, d.Lines(maxDigest, Escape, func(it message.DigestItem) string {
		mark := "✅"
		if it.Violation {
			mark = "⚠️"
		}
		return fmt.Sprintf("%s [%s](%s) · %s · %s", mark, Escape(it.Name), it.Link.URL, Escape(it.Dates), Escape(it.Verdict))
	})...)
	em := Embed{Title: Truncate(d.Headline, MaxTitle), Description: Truncate(strings.Join(lines, "\n"), MaxDescription), Color: colorChange,
		Footer: &Footer{Text: Truncate(d.Footer, MaxFooter)}}
	fit(&em)
	return Payload{Embeds: []Embed{em}, AllowedMentions: AllowedMentions{Parse: []string{}}}, nil
}

// SendDigest posts the first snapshots es as one message, once.
func (n *Notifier) SendDigest(ctx context.Context, es []message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, es[0].ID, nil, func() (Payload, error) { return n.BuildDigest(es) })
}

// fit drops fields from the end, then shortens the description, until the
// embed is within MaxFields and MaxTotal.
func fit(em *Embed) {
	if len(em.Fields) > MaxFields {
		em.Fields = em.Fields[:MaxFields]
	}
	size := em.Size()
	for size > MaxTotal && len(em.Fields) > 0 {
		last := em.Fields[len(em.Fields)-1]
		size -= units(last.Name) + units(last.Value)
		em.Fields = em.Fields[:len(em.Fields)-1]
	}
	if over := size - MaxTotal; over > 0 {
		em.Description = Truncate(em.Description, max(units(em.Description)-over, 1))
	}
}

func color(verdict string) int {
	switch verdict {
	case message.VerdictViolation, message.VerdictFailing:
		return colorViolation
	case message.VerdictRecovered, message.VerdictBaseline:
		return colorOK
	}
	return colorChange
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// units counts UTF-16 code units, the length Discord checks.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Truncate shortens s to at most n UTF-16 code units, ending with "…" when
// cut, never splitting a rune (or a surrogate pair).
func Truncate(s string, n int) string {
	if units(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	budget := n - 1 // room for "…" (one unit)
	used := 0
	for i, r := range s {
		l := utf16.RuneLen(r)
		if used+l > budget {
			return s[:i] + "…"
		}
		used += l
	}
	return s
}

// Send posts e once.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	return chat.Send(ctx, n.Base, e.ID, nil, func() (Payload, error) { return n.Build(e) })
}
