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
