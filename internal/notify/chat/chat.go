// Package chat holds what the chat formats (slack, discord, jandi) share:
// their configuration, the endpoint they post to, their message templates
// and language, and the rendering of an event into those templates. Each
// format keeps only its payload shape and its limits.
package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"text/template"
	"time"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/post"
)

// Config configures one chat webhook.
type Config struct {
	Name     string
	URL      string // a credential: errors show scheme and host only
	Lang     string // "ko" (default) or "en"
	Template string // optional text/template redefining the format's templates
	Timeout  time.Duration
	Now      func() time.Time
}

// Base is embedded by each chat format's Notifier.
type Base struct {
	Endpoint  *post.Endpoint
	Templates *template.Template
	Lang      string
}

// New validates cfg for format and builds its Base: defaults are the
// format's embedded templates, esc its escaping function (available to
// templates as "esc"), names the templates every message renders.
func New(format string, cfg Config, client *http.Client, defaults string, esc func(string) string, names ...string) (Base, error) {
	ep, err := post.NewEndpoint(format, cfg.Name, cfg.URL, cfg.Timeout, client, cfg.Now)
	if err != nil {
		return Base{}, err
	}
	t, err := message.Templates(format, defaults, cfg.Template, template.FuncMap{"esc": esc}, names...)
	if err != nil {
		return Base{}, fmt.Errorf("%s: webhook %q: %w", format, cfg.Name, err)
	}
	return Base{Endpoint: ep, Templates: t, Lang: message.Lang(cfg.Lang)}, nil
}

// Render builds the view of e in the webhook's language and renders the
// named templates with it, in order.
func (b Base) Render(e message.Event, names ...string) (message.View, []string, error) {
	v := message.NewView(e, b.Lang)
	out := make([]string, len(names))
	for i, name := range names {
		s, err := message.Render(b.Templates, name, v)
		if err != nil {
			return v, nil, err
		}
		out[i] = s
	}
	return v, out, nil
}

// PostJSON encodes payload as JSON and posts it once, with the extra
// headers (Content-Type is set). It returns what post.Endpoint.Post does.
func (b Base) PostJSON(ctx context.Context, eventID string, payload any, extra http.Header) (retry bool, err error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return false, fmt.Errorf("%s: encode event %s: %w", b.Endpoint.Format, eventID, err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	for k, v := range extra {
		h[k] = v
	}
	return b.Endpoint.Post(ctx, h, body)
}

// Markup is how a format writes text: its escaping, how it marks deleted and
// inserted words, and how it sets a line's label ("이전", "이후").
type Markup struct {
	Esc      func(string) string
	Del, Ins func(string) string
	Label    func(string) string
}

// SectionLines renders the edited lines of a section for people: a replaced
// line as a before and an after line, an added or removed line as one,
// each starting with its label. It stops before budget runes and then says
// how many lines it left out.
func SectionLines(v message.View, s message.SectionView, m Markup, budget int) string {
	label := m.Label
	if label == nil {
		label = func(s string) string { return s }
	}
	var out []string
	used := 0
	for i, line := range s.Lines {
		var ls []string
		switch line.Kind {
		case message.LineChanged:
			ls = []string{label(v.T("chat.before")) + " " + line.Side(true, m.Esc, m.Del), label(v.T("chat.after")) + " " + line.Side(false, m.Esc, m.Ins)}
		case message.LineAdded:
			ls = []string{label(v.T("chat.line.added")) + " " + line.Side(false, m.Esc, func(s string) string { return s })}
		case message.LineRemoved:
			ls = []string{label(v.T("chat.line.removed")) + " " + line.Side(true, m.Esc, m.Del)}
		}
		n := 0
		for _, l := range ls {
			n += message.RuneLen(l) + 1
		}
		more := m.Esc(v.T("chat.more_lines", len(s.Lines)-i))
		if used+n+message.RuneLen(more) > budget {
			if i == 0 && len(ls) > 0 { // show the start of the first line rather than nothing
				out = append(out, message.Truncate(ls[0], max(budget-message.RuneLen(more)-1, 1)))
			}
			out = append(out, more)
			break
		}
		out = append(out, ls...)
		used += n
	}
	return strings.Join(out, "\n")
}

// Send posts the payload build makes, once: the Send and SendDigest of
// every chat format.
func Send[P any](ctx context.Context, b Base, id string, extra http.Header, build func() (P, error)) (retry bool, err error) {
	p, err := build()
	if err != nil {
		return false, err
	}
	return b.PostJSON(ctx, id, p, extra)
}
