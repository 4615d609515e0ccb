package monitor

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/render"
	"github.com/monitord/monitord/internal/snapshot"
)

// Keys of snapshot.Version.Meta about how the text was obtained.
const (
	metaRender        = "render"         // render.Method
	metaRenderURL     = "render_url"     // the frame's address, for render.MethodFrame
	metaRenderDecided = "render_decided" // RFC 3339: when auto last chose the method
)

// redecideAfter is how long auto keeps a decision to render in the browser
// before it tries the static page again.
const redecideAfter = 24 * time.Hour

// obtained is the text of a check and where it came from.
type obtained struct {
	method    render.Method
	url       string // the document the text came from, for a frame
	text      string
	raw       []byte // the document the text came from
	fetched   bool   // raw is the fetched page itself (resp.Raw)
	original  []byte // the page as fetched, when raw is another document
	mediaType string
	charset   string
	decided   time.Time // when auto chose method (zero: kept from the current version)
	assessed  bool      // text passed assessText already
	// docURL and html are the document the text came from, decoded: past
	// versions are found from its links.
	docURL, html string
}

// fingerprint is the Rules fingerprint of a version made by method: the
// static one is the extraction rules' own (so stores made before rendering
// existed keep theirs), the others add the method, so that a change of
// method is a technical version, like a change of rules.
func fingerprintFor(rules extract.Rules, m render.Method) string {
	fp := rules.Fingerprint()
	if m == render.MethodStatic || m == "" {
		return fp
	}
	return fp + ":" + string(m)
}

// rememberedBrowser reports whether auto chose the browser for the current
// version less than redecideAfter ago.
func rememberedBrowser(cur *snapshot.Version, at time.Time) bool {
	if cur == nil || cur.Meta[metaRender] != string(render.MethodBrowser) {
		return false
	}
	d, err := time.Parse(time.RFC3339, cur.Meta[metaRenderDecided])
	return err == nil && at.Sub(d) < redecideAfter
}

// obtain reads the policy text of resp as the target's render mode says:
// static reads the page's HTML; browser renders it; auto reads the HTML and,
// when that holds no policy, looks in the page's frames, its script data
// and finally renders it (see internal/render).
func (c *Checker) obtain(ctx context.Context, cfg *config.Config, t *config.Target, cur *snapshot.Version, resp *fetch.Response, page *extract.Page, rules extract.Rules, at time.Time) (obtained, error) {
	lang := i18n.Parse(cfg.Language)
	static := obtained{method: render.MethodStatic, raw: resp.Raw, fetched: true, mediaType: resp.MediaType, charset: resp.Charset, docURL: resp.URL}
	if resp.MediaType == "text/html" {
		static.html = resp.Text
	}
	if t.Render == config.RenderBrowser || (t.Render != config.RenderStatic && rememberedBrowser(cur, at)) {
		res, err := c.resolver().Render(ctx, resp, rules, lang)
		if err != nil {
			return obtained{}, err
		}
		return fromResult(res, resp, time.Time{}), nil
	}
	var text string
	var err error
	if page != nil {
		text, err = page.Extract() // the same as Content of an HTML page
	} else {
		text, err = extract.Content(resp.Text, resp.MediaType, rules)
	}
	if err == nil {
		static.text = text
	}
	if t.Render == config.RenderStatic || resp.MediaType != "text/html" {
		return static, err
	}
	if err == nil && assessText(text) == nil {
		static.assessed = true
		return static, nil
	}
	if err != nil && !errors.Is(err, extract.ErrNoContent) {
		return static, err
	}
	res, aerr := c.resolver().Alternative(ctx, resp, rules, func(s string) error { return assess(s, 0, false) }, lang)
	switch {
	case aerr != nil:
		return obtained{}, aerr
	case res == nil:
		return static, err // the page's own text, refused by the caller as before
	}
	return fromResult(res, resp, at), nil
}

func fromResult(res *render.Result, resp *fetch.Response, decided time.Time) obtained {
	o := obtained{method: res.Method, text: res.Text, raw: res.Raw, mediaType: res.MediaType, charset: res.Charset, docURL: res.URL, html: res.HTML}
	if o.docURL == "" {
		o.docURL = resp.URL
	}
	if res.Method == render.MethodBrowser {
		o.decided = decided // only the browser is remembered: the others are cheap to find again
	}
	if res.Method == render.MethodFrame {
		o.url = res.URL
	}
	if res.Method == render.MethodFrame || res.Method == render.MethodBrowser {
		o.original = resp.Raw
	}
	return o
}

// renderMeta returns meta (a version's metadata, or nil) with the keys
// saying how o was obtained, or nil when nothing about it changes.
func (o obtained) renderMeta(meta map[string]string, cur *snapshot.Version) map[string]string {
	want := map[string]string{}
	if o.method != render.MethodStatic {
		want[metaRender] = string(o.method)
		if o.url != "" {
			want[metaRenderURL] = o.url
		}
		switch {
		case !o.decided.IsZero():
			want[metaRenderDecided] = o.decided.UTC().Format(time.RFC3339)
		case o.method == render.MethodBrowser && cur != nil && cur.Meta[metaRenderDecided] != "":
			want[metaRenderDecided] = cur.Meta[metaRenderDecided]
		}
	}
	if meta == nil {
		same := cur != nil
		for _, k := range []string{metaRender, metaRenderURL, metaRenderDecided} {
			if same && cur.Meta[k] != want[k] {
				same = false
			}
		}
		if same || cur == nil {
			return nil
		}
		meta = maps.Clone(cur.Meta)
	}
	for _, k := range []string{metaRender, metaRenderURL, metaRenderDecided} {
		delete(meta, k)
	}
	maps.Copy(meta, want)
	return meta
}

// resolver is the Checker's render.Resolver (one without a browser when
// none was given: pages that need one then fail with the catalogue's
// render.need_browser).
func (c *Checker) resolver() *render.Resolver {
	c.resolverOnce.Do(func() {
		if c.render == nil {
			c.render = render.NewResolver(c.fetch, c.browser, c.logger)
		}
	})
	return c.render
}

// UseBrowser makes the Checker render pages that need a browser with b
// (owned by the caller, who closes it). Call it before the first check.
func (c *Checker) UseBrowser(b *render.Browser) { c.browser = b }
