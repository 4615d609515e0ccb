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

// Build renders e as a Discord payload within the limits.
func (n *Notifier) Build(e message.Event) (Payload, error) {
	v, r, err := n.Render(e, "title", "body")
	if err != nil {
		return Payload{}, fmt.Errorf("discord: %w", err)
	}
	title, desc := r[0], r[1]
	em := Embed{
		Title:       Truncate(strings.Join(strings.Fields(title), " "), MaxTitle),
		URL:         e.Target.URL,
		Description: Truncate(strings.TrimSpace(desc), MaxDescription),
		Color:       color(e),
		Footer:      &Footer{Text: Truncate("monitord · "+e.ID, MaxFooter)},
	}
	if !e.DetectedAt.IsZero() {
		em.Timestamp = e.DetectedAt.Format(time.RFC3339)
	}
	for _, x := range v.Violations {
		em.Fields = append(em.Fields, Field{Name: Truncate("⚠ "+x.Phrase, MaxFieldName), Value: Truncate(orDash(Escape(Truncate(x.Detail, MaxFieldValue))), MaxFieldValue)})
	}
	for _, s := range v.Sections {
		value := "—"
		if d := strings.TrimSpace(s.Diff); d != "" {
			d = strings.ReplaceAll(Truncate(d, MaxFieldValue), "```", "`\u200b``")
			// 8 units for the fences and the newlines around the diff.
			value = "```\n" + strings.TrimSuffix(Truncate(d, MaxFieldValue-8), "\n") + "\n```"
		}
		em.Fields = append(em.Fields, Field{Name: Truncate(fmt.Sprintf("%s (%s)", strings.Join(strings.Fields(s.Title), " "), s.Change), MaxFieldName), Value: value})
	}
	fit(&em)
	return Payload{Embeds: []Embed{em}, AllowedMentions: AllowedMentions{Parse: []string{}}}, nil
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

func color(e message.Event) int {
	switch {
	case len(e.Violations) > 0:
		return colorViolation
	case e.Type == message.TypeRecovered:
		return colorOK
	case e.Type == message.TypeFailing:
		return colorViolation
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
	p, err := n.Build(e)
	if err != nil {
		return false, err
	}
	return n.PostJSON(ctx, e.ID, p, nil)
}
