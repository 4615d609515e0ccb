package render

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// PastLink is the address of a past version of the policy, as its page
// offers it.
type PastLink struct {
	URL   string
	Label string // the option's or link's text ("2023. 06. 01 시행")
	// Index marks a page that lists past versions rather than holding one
	// ("이전 개인정보처리방침 보기"): its own links are read in turn.
	Index bool
}

// maxPast bounds the past versions read from one page.
const maxPast = 20

// dateInLabel finds a date in a version's label: 2023-06-01, 2023.06.01,
// 2023. 6. 1, 2023년 6월 1일, 20230601.
var dateInLabel = regexp.MustCompile(`(19|20)\d{2}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*\d{1,2}|(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])`)

// versionWords mark a link or option as a version of the policy.
var versionWords = []string{"시행", "개정", "버전", "이전", "과거", "지난", "변경", "적용", "version", "ver.", "v."}

// indexWords mark a link to a page of past versions.
var indexWords = []string{"이전 개인정보", "이전 방침", "이전 처리방침", "과거 개인정보", "지난 개인정보", "이전 버전", "개정 이력", "변경 이력", "previous version", "past version"}

// PastVersions returns the past versions page (HTML served at pageURL)
// links to: the options of a <select> of versions (each option's value a
// URL, or — for a select with a name — a value the page takes as that
// query parameter, as the form would send it), links whose text names a
// version with its date, and links to a page of past versions. The page's
// own address is left out.
func PastVersions(pageURL, page string) []PastLink {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return nil
	}
	return PastVersionsIn(pageURL, doc.Nodes[0])
}

// PastVersionsIn is PastVersions on the page's parsed tree (not changed).
func PastVersionsIn(pageURL string, root *html.Node) []PastLink {
	doc := goquery.NewDocumentFromNode(root)
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	self := normURL(base)
	var out []PastLink
	seen := map[string]bool{self: true}
	add := func(u *url.URL, label string, index bool) {
		if u == nil || (u.Scheme != "http" && u.Scheme != "https") || len(out) >= maxPast {
			return
		}
		k := normURL(u)
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, PastLink{URL: u.String(), Label: strings.Join(strings.Fields(label), " "), Index: index})
	}
	resolve := func(ref string) *url.URL {
		ref = strings.TrimSpace(ref)
		if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(strings.ToLower(ref), "javascript:") {
			return nil
		}
		u, err := base.Parse(ref)
		if err != nil {
			return nil
		}
		u.Fragment = ""
		return u
	}

	doc.Find("select").Each(func(_ int, sel *goquery.Selection) {
		opts := sel.Find("option")
		dated := 0
		opts.Each(func(_ int, o *goquery.Selection) {
			if dateInLabel.MatchString(o.Text()) {
				dated++
			}
		})
		if dated == 0 || dated*2 < opts.Length() {
			return // not a select of versions (a language, a category)
		}
		name := strings.TrimSpace(sel.AttrOr("name", ""))
		action := base
		if form := sel.Closest("form"); form.Length() > 0 {
			if a := resolve(form.AttrOr("action", "")); a != nil {
				action = a
			}
			if m := strings.ToLower(form.AttrOr("method", "get")); m != "get" {
				name = "" // a POST form cannot be followed by address
			}
		}
		opts.Each(func(_ int, o *goquery.Selection) {
			v, ok := o.Attr("value")
			if !ok {
				v = o.Text()
			}
			v = strings.TrimSpace(v)
			if v == "" || !dateInLabel.MatchString(o.Text()) {
				return
			}
			if looksLikeAddress(v) {
				add(resolve(v), o.Text(), false)
				return
			}
			if name != "" {
				u := *action
				q := u.Query()
				q.Set(name, v)
				u.RawQuery = q.Encode()
				add(&u, o.Text(), false)
			}
		})
	})

	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		label := strings.TrimSpace(a.Text() + " " + a.AttrOr("title", ""))
		lower := strings.ToLower(label)
		u := resolve(a.AttrOr("href", ""))
		switch {
		case u == nil:
		case dateInLabel.MatchString(label) && containsAny(lower, versionWords):
			add(u, label, false)
		case containsAny(lower, indexWords):
			add(u, label, true)
		}
	})
	return out
}

// looksLikeAddress tells an option value that is an address ("/privacy/
// 2023.html", "https://...", "privacy_v3.html") from a bare value ("3",
// "2023-06-01").
func looksLikeAddress(v string) bool {
	if strings.Contains(v, "/") || strings.HasPrefix(v, "?") {
		return true
	}
	lower := strings.ToLower(v)
	for _, ext := range []string{".html", ".htm", ".php", ".jsp", ".asp", ".aspx", ".do"} {
		if strings.Contains(lower, ext) {
			return true
		}
	}
	return false
}

// normURL is u without its fragment, for comparing addresses.
func normURL(u *url.URL) string {
	c := *u
	c.Fragment = ""
	return c.String()
}
