package board

import (
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/monitord/monitord/internal/policy"
)

// Limits that keep a hostile page cheap: a list page yields at most
// MaxPosts posts, titles are cut at maxTitle runes, and the row search looks
// at most maxRowDepth elements above a title link.
const (
	MaxPosts    = 200
	maxTitle    = 200
	maxRowDepth = 8
	maxDateCell = 40 // runes of a text that can be a date cell
)

// Post is one post of a board's list page.
type Post struct {
	Title string `json:"title"`
	// URL is the post's link, absolute, without a fragment.
	URL string `json:"url"`
	// Posted is the date the list shows for the post.
	Posted policy.Date `json:"posted"`
}

// Listing is what one list page holds.
type Listing struct {
	Posts []Post
	// Next is the link to the list's next page, "" when none was found.
	Next string
}

// Parse reads a board's list page (HTML, already decoded) served at
// pageURL. now is the time of the read, used for the list shorthands of
// today and this year, in loc (Asia/Seoul when nil). Posts come in page
// order, each URL once.
func Parse(pageURL, page string, now time.Time, loc *time.Location) Listing {
	base, err := url.Parse(pageURL)
	if err != nil {
		base = &url.URL{}
	}
	if loc == nil {
		loc = seoul
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return Listing{}
	}
	p := newPage(doc.Nodes[0], base, policy.DateOf(now, loc))
	return Listing{Posts: p.posts(), Next: p.next()}
}

var seoul = time.FixedZone("KST", 9*60*60)

// page indexes a parsed document: every node gets its position in document
// order and the end of its subtree, so "how many date cells and title links
// lie inside this element" is two binary searches.
type page struct {
	base   *url.URL
	today  policy.Date
	pos    map[*html.Node]int
	end    map[*html.Node]int
	dates  []cell // in document order
	links  []link // in document order
	anchor []*html.Node
}

type cell struct {
	at   int
	date policy.Date
	node *html.Node
}

type link struct {
	at    int
	node  *html.Node
	href  string // absolute, no fragment
	title string
}

func newPage(root *html.Node, base *url.URL, today policy.Date) *page {
	p := &page{base: base, today: today, pos: map[*html.Node]int{}, end: map[*html.Node]int{}}
	n := 0
	var walk func(*html.Node, bool)
	walk = func(x *html.Node, inA bool) {
		if x.Type == html.ElementNode && skipped(x) {
			return
		}
		p.pos[x] = n
		n++
		switch {
		case x.Type == html.TextNode:
			if d, ok := dateCell(x.Data, p.today); ok {
				p.dates = append(p.dates, cell{at: p.pos[x], date: d, node: x})
			}
		case x.Type == html.ElementNode && x.DataAtom == atom.Time:
			if d, ok := timeElement(x); ok {
				p.dates = append(p.dates, cell{at: p.pos[x], date: d, node: x})
				p.end[x] = n
				return // its text ("3일 전") is the same date
			}
		case x.Type == html.ElementNode && x.DataAtom == atom.A && !inA:
			p.anchor = append(p.anchor, x)
			inA = true
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inA)
		}
		p.end[x] = n
	}
	walk(root, false)
	for _, a := range p.anchor {
		href, ok := p.resolve(a)
		if !ok {
			continue
		}
		title := p.titleOf(a)
		if !isTitle(title) {
			continue
		}
		p.links = append(p.links, link{at: p.pos[a], node: a, href: href, title: title})
	}
	return p
}

// skipped elements hold no visible text of the list.
func skipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Select, atom.Option, atom.Textarea:
		return true
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// resolve returns the absolute link of an anchor without its fragment;
// false for links that lead nowhere (javascript:, mailto:, "#").
func (p *page) resolve(a *html.Node) (string, bool) {
	h := strings.TrimSpace(attr(a, "href"))
	if h == "" || strings.HasPrefix(h, "#") {
		return "", false
	}
	u, err := p.base.Parse(h)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), true
}

// titleOf is the anchor's visible text without the date cells it holds.
func (p *page) titleOf(a *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.ElementNode && (skipped(x) || x.DataAtom == atom.Time) {
			return
		}
		if x.Type == html.TextNode {
			if _, ok := dateCell(x.Data, p.today); !ok {
				b.WriteString(x.Data)
				b.WriteByte(' ')
			}
			return
		}
		if x.Type == html.ElementNode && (x.DataAtom == atom.Img || x.DataAtom == atom.Br) {
			b.WriteByte(' ')
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(a)
	return clip(policy.Normalize(b.String()), maxTitle)
}

// isTitle tells a post's title from the other links of a list: page
// numbers, arrows, "더보기", one-letter icons.
func isTitle(s string) bool {
	if utf8.RuneCountInString(s) < 2 {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 2 {
		return false
	}
	switch strings.ToLower(strings.Join(strings.Fields(s), "")) {
	case "더보기", "more", "목록", "이전", "다음", "처음", "맨처음", "마지막", "맨끝", "prev", "next", "first", "last",
		"글쓰기", "write", "검색", "search", "로그인", "login", "rss", "이전글", "다음글", "이전페이지", "다음페이지":
		return false
	}
	return true
}

// count returns how many of xs (sorted by position) lie in n's subtree.
func countIn[T any](xs []T, at func(T) int, lo, hi int) (first, n int) {
	i := sort.Search(len(xs), func(i int) bool { return at(xs[i]) >= lo })
	j := sort.Search(len(xs), func(i int) bool { return at(xs[i]) >= hi })
	return i, j - i
}

// posts finds, for every title link, the smallest element around it that
// holds exactly one date cell: that element is the post's row. A row with
// another title link of a different post (a box of links under one date)
// is no row.
func (p *page) posts() []Post {
	var out []Post
	seen := map[string]bool{}
	cellAt := func(c cell) int { return c.at }
	linkAt := func(l link) int { return l.at }
	for _, l := range p.links {
		if len(out) == MaxPosts {
			break
		}
		if seen[l.href] {
			continue
		}
		depth := 0
		for e := l.node; e != nil && depth <= maxRowDepth; e, depth = e.Parent, depth+1 {
			if e.Type != html.ElementNode || e.DataAtom == atom.Body || e.DataAtom == atom.Html {
				break
			}
			lo, hi := p.pos[e], p.end[e]
			di, nd := countIn(p.dates, cellAt, lo, hi)
			if nd > 1 {
				break
			}
			li, nl := countIn(p.links, linkAt, lo, hi)
			if !p.oneTitle(p.links[li:li+nl], l) {
				break
			}
			if nd == 1 {
				seen[l.href] = true
				out = append(out, Post{Title: l.title, URL: l.href, Posted: p.dates[di].date})
				break
			}
		}
	}
	return out
}

// oneTitle reports whether the links of a row all lead to l's post, or are
// clearly not titles beside it (an author's name, a category, a comment
// count): shorter than half of l's title.
func (p *page) oneTitle(ls []link, l link) bool {
	n := utf8.RuneCountInString(l.title)
	for _, o := range ls {
		if o.href == l.href {
			continue
		}
		if m := utf8.RuneCountInString(o.title); m*2 >= n || m >= 20 {
			return false
		}
	}
	return true
}

// next finds the link to the list's second page: rel="next", a link "2"
// or an arrow/"다음" link that stays on the board.
func (p *page) next() string {
	var byNumber, byWord string
	for _, a := range p.anchor {
		href, ok := p.resolve(a)
		if !ok || !sameBoard(p.base, href) {
			continue
		}
		if strings.Contains(" "+attr(a, "rel")+" ", " next ") {
			return href
		}
		t := strings.ToLower(strings.Join(strings.Fields(textOf(a)), ""))
		t = strings.TrimSuffix(strings.TrimSuffix(t, "페이지"), "page")
		switch t {
		case "2":
			if byNumber == "" {
				byNumber = href
			}
		case "다음", "다음페이지", "next", "›", "»", ">", "next›", "다음›":
			if byWord == "" {
				byWord = href
			}
		}
	}
	if byNumber != "" {
		return byNumber
	}
	return byWord
}

// sameBoard reports whether href is another page of the list: on the same
// host and path (only the query differs), or naming a page in its path or
// query (/notice/page/2, ?pageid=2).
func sameBoard(base *url.URL, href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	if !strings.EqualFold(u.Host, base.Host) || u.String() == base.String() {
		return false
	}
	return strings.TrimSuffix(u.Path, "/") == strings.TrimSuffix(base.Path, "/") ||
		strings.Contains(strings.ToLower(u.RequestURI()), "page")
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
