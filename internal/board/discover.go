package board

import (
	"net"
	"net/url"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// boardWords are the link texts of a notice board, best first.
var boardWords = []string{"공지사항", "공지", "새소식", "알림", "소식", "notice", "notices", "news", "announcements"}

// boardPaths are path and query fragments of notice boards, for links whose
// text is an icon or an image.
var boardPaths = []string{"bo_table=notice", "/notice", "board=notice", "bbs=notice", "mid=notice", "/news", "board_no=1&"}

// Discover returns the links of pageURL's page that lead to a notice board
// on the same site, best first: by their text (공지사항, 공지, 새소식, 알림,
// Notice, News), then by a board path (bo_table=notice, /notice). Each URL
// appears once.
func Discover(pageURL, page string) []string {
	if _, err := url.Parse(pageURL); err != nil {
		return nil
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return nil
	}
	return DiscoverIn(pageURL, doc.Nodes[0])
}

// DiscoverIn is Discover on the page's parsed tree (not changed).
func DiscoverIn(pageURL string, root *html.Node) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	doc := goquery.NewDocumentFromNode(root)
	type cand struct {
		url  string
		rank int
		pos  int
	}
	best := map[string]cand{}
	pos := 0
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		pos++
		a := s.Nodes[0]
		href := strings.TrimSpace(attr(a, "href"))
		u, err := base.Parse(href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !sameSite(base.Hostname(), u.Hostname()) {
			return
		}
		u.Fragment, u.RawFragment = "", ""
		text := strings.ToLower(strings.Join(strings.Fields(linkText(a)), ""))
		rank := -1
		for i, w := range boardWords {
			if text == w || (i == 0 && strings.Contains(text, w) && len([]rune(text)) <= 12) {
				rank = i
				break
			}
		}
		if rank < 0 {
			low := strings.ToLower(u.RequestURI())
			for _, p := range boardPaths {
				if strings.Contains(low, p) {
					rank = len(boardWords)
					break
				}
			}
		}
		if rank < 0 {
			return
		}
		k := u.String()
		if c, ok := best[k]; !ok || rank < c.rank {
			best[k] = cand{url: k, rank: rank, pos: pos}
		}
	})
	cs := make([]cand, 0, len(best))
	for _, c := range best {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].rank != cs[j].rank {
			return cs[i].rank < cs[j].rank
		}
		return cs[i].pos < cs[j].pos
	})
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.url
	}
	return out
}

// linkText is a link's text, or its image's alt text when it has none.
func linkText(a *html.Node) string {
	if t := strings.TrimSpace(textOf(a)); t != "" {
		return t
	}
	var alt string
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if alt == "" && x.Type == html.ElementNode && x.DataAtom == atom.Img {
			alt = attr(x, "alt")
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(a)
	if alt == "" {
		alt = attr(a, "title")
	}
	return alt
}

// sameSite reports whether two hosts belong to one site: equal without
// "www.", or under the same registered domain (example.co.kr, example.kr).
func sameSite(a, b string) bool {
	a, b = strings.TrimPrefix(strings.ToLower(a), "www."), strings.TrimPrefix(strings.ToLower(b), "www.")
	if a == b {
		return true
	}
	if net.ParseIP(a) != nil || net.ParseIP(b) != nil {
		return false
	}
	return a != "" && registered(a) == registered(b)
}

// registered is the registered domain of a host: its last two labels, or
// three under a two-letter country code with a short second level
// (co.kr, or.kr, go.kr, ac.kr, co.jp).
func registered(host string) string {
	l := strings.Split(host, ".")
	n := 2
	if len(l) >= 3 && len(l[len(l)-1]) == 2 && len(l[len(l)-2]) <= 3 {
		n = 3
	}
	if len(l) <= n {
		return host
	}
	return strings.Join(l[len(l)-n:], ".")
}
