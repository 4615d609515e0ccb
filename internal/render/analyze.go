package render

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

// Analysis is what the static HTML of a page says about where its text is.
type Analysis struct {
	// Frames are the absolute http(s) URLs of the page's <iframe> and
	// <frame> documents, those that look like a policy (by their address,
	// title, id or name) first, then in document order.
	Frames []string
	// Data are the JSON documents the page carries for its script app:
	// __NEXT_DATA__, <script type="application/json">, and objects assigned
	// in inline scripts (window.__INITIAL_STATE__ = {...}), in document order.
	Data [][]byte
	// Shell lists the signs that the page is a script app whose text is
	// written by JavaScript ("empty #root", "__NEXT_DATA__", "noscript",
	// "json", "scripts only"); empty for an ordinary page.
	Shell []string
	// Assets are the hosts the page loads scripts, styles, images and frames
	// from: a browser rendering it may reach them, and nothing else off the
	// page's own site.
	Assets []string
}

// NeedsScript reports whether the page looks like a script app.
func (a *Analysis) NeedsScript() bool { return len(a.Shell) > 0 }

// maxFrames bounds the frames followed per page.
const maxFrames = 3

// appRoots are the ids script frameworks mount their app on.
var appRoots = []string{"root", "app", "__next", "__nuxt", "___gatsby", "svelte", "main-app", "wrap-app"}

// policyHints mark a frame address or label that likely holds a policy.
var policyHints = []string{"privacy", "policy", "personal", "개인정보", "처리방침", "취급방침", "terms", "약관", "agreement"}

// Analyze reads page (HTML, already UTF-8) served at pageURL.
func Analyze(pageURL, page string) Analysis {
	var a Analysis
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return a
	}
	base, _ := url.Parse(pageURL)
	if b, ok := doc.Find("base[href]").Attr("href"); ok && base != nil {
		if u, err := base.Parse(strings.TrimSpace(b)); err == nil {
			base = u
		}
	}
	abs := func(ref string) string {
		ref = strings.TrimSpace(ref)
		if base == nil || ref == "" {
			return ""
		}
		u, err := base.Parse(ref)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return ""
		}
		u.Fragment = ""
		return u.String()
	}

	var hinted, plain []string
	doc.Find("iframe[src], frame[src]").Each(func(_ int, s *goquery.Selection) {
		src, _ := s.Attr("src")
		u := abs(src)
		if u == "" || u == pageURL {
			return
		}
		label := strings.ToLower(src + " " + s.AttrOr("title", "") + " " + s.AttrOr("id", "") + " " + s.AttrOr("name", "") + " " + s.AttrOr("class", ""))
		if containsAny(label, policyHints) {
			hinted = appendNew(hinted, u)
		} else {
			plain = appendNew(plain, u)
		}
	})
	a.Frames = append(hinted, plain...)
	if len(a.Frames) > maxFrames {
		a.Frames = a.Frames[:maxFrames]
	}

	hosts := map[string]bool{}
	addHost := func(ref string) {
		if u, err := url.Parse(abs(ref)); err == nil && u.Host != "" && !hosts[u.Host] {
			hosts[u.Host] = true
			a.Assets = append(a.Assets, u.Host)
		}
	}
	doc.Find("script[src], link[href], img[src], iframe[src], frame[src], source[src]").Each(func(_ int, s *goquery.Selection) {
		if src, ok := s.Attr("src"); ok {
			addHost(src)
		} else if href, ok := s.Attr("href"); ok && linkIsAsset(s.AttrOr("rel", "")) {
			addHost(href)
		}
	})

	scripts := 0
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		scripts++
		typ := strings.ToLower(strings.TrimSpace(s.AttrOr("type", "")))
		body := s.Text()
		switch {
		case s.AttrOr("id", "") == "__NEXT_DATA__":
			a.Data = append(a.Data, []byte(body))
			a.Shell = appendNew(a.Shell, "__NEXT_DATA__")
		case typ == "application/json" || typ == "application/ld+json":
			if strings.TrimSpace(body) != "" {
				a.Data = append(a.Data, []byte(body))
			}
		case typ == "" || strings.Contains(typ, "javascript") || typ == "module":
			if blob := assignedJSON(body); blob != nil {
				a.Data = append(a.Data, blob)
			}
		}
	})
	if scripts == 0 {
		return a
	}
	for _, id := range appRoots {
		el := doc.Find("#" + id).First()
		if el.Length() == 1 && utf8.RuneCountInString(strings.TrimSpace(el.Text())) < 40 {
			a.Shell = appendNew(a.Shell, "empty #"+id)
		}
	}
	doc.Find("noscript").Each(func(_ int, s *goquery.Selection) {
		t := strings.ToLower(s.Text())
		if strings.Contains(t, "javascript") || strings.Contains(t, "자바스크립트") || strings.Contains(t, "js를") || strings.Contains(t, "enable js") {
			a.Shell = appendNew(a.Shell, "noscript")
		}
	})
	body := doc.Find("body").Clone()
	body.Find("script, noscript, style, template").Remove()
	if utf8.RuneCountInString(strings.TrimSpace(body.Text())) < 40 {
		a.Shell = appendNew(a.Shell, "scripts only")
	}
	if len(a.Data) > 0 && len(a.Shell) > 0 {
		a.Shell = appendNew(a.Shell, "json")
	}
	return a
}

// linkIsAsset reports whether a <link rel> loads something the page
// renders with (a style sheet, a preloaded script or font, an icon).
func linkIsAsset(rel string) bool {
	rel = strings.ToLower(rel)
	for _, r := range []string{"stylesheet", "preload", "modulepreload", "prefetch", "icon", "manifest"} {
		if strings.Contains(rel, r) {
			return true
		}
	}
	return false
}

// assignedJSON finds a JSON object or array assigned in an inline script
// (`window.__INITIAL_STATE__ = {...};`, `var __DATA__ = [...]`), or nil.
func assignedJSON(script string) []byte {
	for i := 0; i < len(script); i++ {
		if script[i] != '=' {
			continue
		}
		if i+1 < len(script) && script[i+1] == '=' {
			i++ // == or ===
			continue
		}
		if i > 0 && strings.IndexByte("=!<>", script[i-1]) >= 0 {
			continue
		}
		rest := strings.TrimLeft(script[i+1:], " \t\r\n")
		if rest == "" || (rest[0] != '{' && rest[0] != '[') {
			continue
		}
		if end := jsonEnd(rest); end > 0 {
			return []byte(rest[:end])
		}
	}
	return nil
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
