package board

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/policy"
)

// Fetcher fetches one page; the monitor's *fetch.Client implements it, so a
// board is read with the same politeness and size limits as its target.
type Fetcher interface {
	Fetch(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Reasons a board could not be read (Error.Reason); the catalogue words are
// board.reason.<reason>.
const (
	ReasonNotFound = "not_found" // discovery found no board on the site
	ReasonHTTP     = "http"      // the board answered an error status
	ReasonFetch    = "fetch"     // the board could not be fetched at all
	ReasonLogin    = "login"     // the board needs a login
	ReasonNotHTML  = "not_html"  // the board is not an HTML page
	ReasonNoPosts  = "no_posts"  // no post with a date was found on it
)

// Error is why a board could not be read.
type Error struct {
	Reason string
	// Detail is the status ("404 Not Found") or the fetch error.
	Detail string
	Err    error
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return "board: " + e.Reason + ": " + e.Detail
	}
	return "board: " + e.Reason
}

func (e *Error) Unwrap() error { return e.Err }

// Page is one page of a board as fetched.
type Page struct {
	URL       string
	Raw       []byte
	SHA256    string
	MediaType string
	Charset   string
}

// Read is one read of a board's list.
type Read struct {
	URL   string
	Pages []Page
	Posts []Post
}

// Reader reads boards through a Fetcher. It is safe for concurrent use.
type Reader struct {
	Fetch Fetcher
	// Location is the zone of the lists' dates (Asia/Seoul when nil).
	Location *time.Location
}

// Discover finds the notice board of a target: among the links of its
// policy page (already fetched: policyURL, policyPage), then of its site's
// home page, the first board that lists posts. It returns "" and an *Error
// with ReasonNotFound when none does.
func (r *Reader) Discover(ctx context.Context, policyURL, policyPage string, now time.Time) (string, error) {
	return r.discover(ctx, policyURL, func() []string { return Discover(policyURL, policyPage) }, now)
}

// DiscoverIn is Discover with the policy page's parsed tree (not changed).
func (r *Reader) DiscoverIn(ctx context.Context, policyURL string, policyTree *html.Node, now time.Time) (string, error) {
	return r.discover(ctx, policyURL, func() []string { return DiscoverIn(policyURL, policyTree) }, now)
}

func (r *Reader) discover(ctx context.Context, policyURL string, links func() []string, now time.Time) (string, error) {
	tried := map[string]bool{policyURL: true}
	try := func(cands []string) string {
		n := 0
		for _, c := range cands {
			if tried[c] || n == 3 {
				continue
			}
			tried[c] = true
			n++
			if _, err := r.List(ctx, c, policy.Date{}, now); err == nil {
				return c
			}
		}
		return ""
	}
	if b := try(links()); b != "" {
		return b, nil
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	home, err := url.Parse(policyURL)
	if err == nil {
		home = &url.URL{Scheme: home.Scheme, Host: home.Host, Path: "/"}
		if !tried[home.String()] {
			tried[home.String()] = true
			if resp, err := r.Fetch.Fetch(ctx, fetch.Request{URL: home.String()}); err == nil && isHTML(resp) {
				if b := try(Discover(resp.URL, resp.Text)); b != "" {
					return b, nil
				}
			}
		}
	}
	return "", &Error{Reason: ReasonNotFound}
}

// List reads a board's list page, and its next page when every post of the
// first is newer than since (the date of the last known policy; zero reads
// the first page only).
func (r *Reader) List(ctx context.Context, boardURL string, since policy.Date, now time.Time) (Read, error) {
	rd := Read{URL: boardURL}
	pg, ls, err := r.page(ctx, boardURL, now)
	if err != nil {
		return rd, err
	}
	rd.Pages = append(rd.Pages, pg)
	if len(ls.Posts) == 0 {
		if isLogin(pg.URL, string(pg.Raw)) {
			return rd, &Error{Reason: ReasonLogin}
		}
		return rd, &Error{Reason: ReasonNoPosts}
	}
	rd.Posts = ls.Posts
	if ls.Next != "" && !since.IsZero() && allAfter(ls.Posts, since) {
		if pg2, ls2, err := r.page(ctx, ls.Next, now); err == nil {
			rd.Pages = append(rd.Pages, pg2)
			rd.Posts = appendNew(rd.Posts, ls2.Posts)
		}
	}
	return rd, nil
}

func (r *Reader) page(ctx context.Context, u string, now time.Time) (Page, Listing, error) {
	resp, err := r.Fetch.Fetch(ctx, fetch.Request{URL: u})
	if err != nil {
		var se *fetch.StatusError
		if errors.As(err, &se) {
			return Page{}, Listing{}, &Error{Reason: ReasonHTTP, Detail: strings.TrimSpace(se.Status), Err: err}
		}
		return Page{}, Listing{}, &Error{Reason: ReasonFetch, Detail: err.Error(), Err: err}
	}
	if !isHTML(resp) {
		return Page{}, Listing{}, &Error{Reason: ReasonNotHTML, Detail: resp.MediaType}
	}
	sum := sha256.Sum256(resp.Raw)
	pg := Page{URL: resp.URL, Raw: resp.Raw, SHA256: hex.EncodeToString(sum[:]), MediaType: resp.MediaType, Charset: resp.Charset}
	if pg.URL == "" {
		pg.URL = u
	}
	return pg, Parse(pg.URL, resp.Text, now, r.Location), nil
}

// Follow fetches a policy post and reads it (ReadPost).
func (r *Reader) Follow(ctx context.Context, postURL string) (Page, Detail, error) {
	resp, err := r.Fetch.Fetch(ctx, fetch.Request{URL: postURL})
	if err != nil {
		return Page{}, Detail{}, fmt.Errorf("board: follow post %s: %w", fetch.RedactURL(postURL), err)
	}
	if !isHTML(resp) {
		return Page{}, Detail{}, fmt.Errorf("board: follow post %s: not an HTML page (%s)", fetch.RedactURL(postURL), resp.MediaType)
	}
	sum := sha256.Sum256(resp.Raw)
	pg := Page{URL: resp.URL, Raw: resp.Raw, SHA256: hex.EncodeToString(sum[:]), MediaType: resp.MediaType, Charset: resp.Charset}
	return pg, ReadPost(resp.Text), nil
}

func isHTML(resp *fetch.Response) bool {
	return resp != nil && (resp.MediaType == "text/html" || resp.MediaType == "application/xhtml+xml")
}

// isLogin reports whether a page is a login form: a login path after the
// redirects, or a password field.
func isLogin(finalURL, page string) bool {
	if u, err := url.Parse(finalURL); err == nil {
		p := strings.ToLower(u.Path + "?" + u.RawQuery)
		for _, w := range []string{"login", "signin", "sign_in", "logon", "auth"} {
			if strings.Contains(p, w) {
				return true
			}
		}
	}
	low := strings.ToLower(page)
	return strings.Contains(low, `type="password"`) || strings.Contains(low, `type='password'`) || strings.Contains(low, "type=password")
}

func allAfter(ps []Post, since policy.Date) bool {
	for _, p := range ps {
		if !since.Before(p.Posted) {
			return false
		}
	}
	return true
}

func appendNew(ps, more []Post) []Post {
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.URL] = true
	}
	for _, p := range more {
		if !seen[p.URL] && len(ps) < 2*MaxPosts {
			seen[p.URL] = true
			ps = append(ps, p)
		}
	}
	return ps
}
