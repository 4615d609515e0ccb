// Package demo runs monitord end to end on loopback, without the internet:
// it serves two bundled sample policies (one UTF-8, one EUC-KR), checks
// them, changes one with a backdated 공고일자, checks again, and prints what
// a user would see — the stored versions, the section diff and the alert
// a webhook received. It uses the real pipeline (fetch, extract, parse,
// diff, rules, store, signed delivery), only the sites are local.
package demo

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/table"
)

//go:embed pages/*.tmpl
var pageFS embed.FS

// Options configures Run.
type Options struct {
	Out  io.Writer
	Lang string // "ko" (default) or "en"
	// Dir holds the demo's store; empty means a new temporary directory,
	// removed afterwards.
	Dir    string
	Now    func() time.Time // default time.Now
	Logger *slog.Logger
	// Serve, when set, is a loopback address ("127.0.0.1:0") where Run then
	// serves the web UI over the demo's store until ctx ends, printing the
	// URL of the violating change's diff page.
	Serve string
	// Listening, when set, is called with the UI's base URL once it serves.
	Listening func(baseURL string)
}

// Run performs the demonstration.
func Run(ctx context.Context, o Options) (err error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Dir == "" {
		dir, err := os.MkdirTemp("", "monitord-demo-")
		if err != nil {
			return fmt.Errorf("demo: make a temporary directory: %w", err)
		}
		defer os.RemoveAll(dir)
		o.Dir = dir
	}
	l := lang(o.Lang)
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		return fmt.Errorf("demo: load Asia/Seoul: %w", err)
	}
	today := policy.DateOf(o.Now(), seoul)
	shift := func(days int) string { return today.Time(time.UTC).AddDate(0, 0, days).Format("2006년 1월 2일") }

	tmpl, err := template.ParseFS(pageFS, "pages/*.tmpl")
	if err != nil {
		return fmt.Errorf("demo: parse bundled pages: %w", err)
	}
	render := func(name string, data any) ([]byte, error) {
		var b bytes.Buffer
		if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
			return nil, fmt.Errorf("demo: render %s: %w", name, err)
		}
		return b.Bytes(), nil
	}
	type shopData struct {
		V2                   bool
		Announced, Effective string
	}
	shopV1, err := render("shop.html.tmpl", shopData{Announced: shift(-40), Effective: shift(-33)})
	if err != nil {
		return err
	}
	// The change claims to have been announced 12 days ago, for an
	// effective date 3 days ahead: 15 days of notice on paper. monitord saw
	// the old text today, so the real notice is at most 3 days.
	shopV2, err := render("shop.html.tmpl", shopData{V2: true, Announced: shift(-12), Effective: shift(3)})
	if err != nil {
		return err
	}
	clinicUTF8, err := render("clinic.html.tmpl", shopData{Effective: shift(-400)})
	if err != nil {
		return err
	}
	clinic, err := korean.EUCKR.NewEncoder().Bytes(clinicUTF8)
	if err != nil {
		return fmt.Errorf("demo: encode the clinic page as EUC-KR: %w", err)
	}

	site := &pages{byPath: map[string]servedPage{
		"/shop/privacy":   {body: shopV1, contentType: "text/html; charset=utf-8"},
		"/clinic/privacy": {body: clinic, contentType: "text/html"}, // charset only in <meta>
	}}
	siteURL, stopSite, err := serve(site)
	if err != nil {
		return err
	}
	defer stopSite()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("demo: make a signing key: %w", err)
	}
	rcv := &receiver{}
	hookURL, stopHook, err := serve(rcv)
	if err != nil {
		return err
	}
	defer stopHook()

	cfgText := fmt.Sprintf(`language = %q
[storage]
path = %q
[server]
listen = ""
[schedule]
jitter = "0s"
[fetch]
retries = 0
host_interval = "0s"
[[webhook]]
name = "demo-receiver"
url = %q
format = "json"
secret = %q
[[target]]
name = "demo-shop"
url = %q
[[target]]
name = "demo-clinic"
url = %q
`, l, filepath.Join(o.Dir, "demo.db"), hookURL+"/hook", "whsec_"+base64.StdEncoding.EncodeToString(key),
		siteURL+"/shop/privacy", siteURL+"/clinic/privacy")
	cfg, err := config.Parse([]byte(cfgText), "demo.toml", func(string) string { return "" })
	if err != nil {
		return fmt.Errorf("demo: configuration: %w", err)
	}
	d, err := monitor.New(monitor.Options{Config: cfg, Logger: o.Logger, Now: o.Now})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, d.Close()) }()

	w := o.Out
	T := i18n.Parse(l).T
	fmt.Fprintln(w, T("demo.intro"))

	pass := func(title string) error {
		fmt.Fprintf(w, "\n== %s\n", title)
		rs := monitor.CheckAll(ctx, d.Checker, cfg.EnabledTargets(), 2, nil)
		for _, r := range rs {
			if r.Err != nil {
				return fmt.Errorf("demo: check %s: %w", r.Target, r.Err)
			}
			fmt.Fprintf(w, "%-12s %s v%d\n", r.Target, T("cli.check.status."+string(r.Status)), r.Version)
			for _, v := range r.Violations {
				fmt.Fprintf(w, "  ! %s: %s\n", T("rule."+v.Rule), v.Detail)
			}
		}
		fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		pending, err := d.Deliverer.Flush(fctx)
		if err != nil {
			return fmt.Errorf("demo: deliver alerts: %w", err)
		}
		if pending > 0 {
			return fmt.Errorf("demo: %d alerts were not delivered to the local receiver", pending)
		}
		return nil
	}
	if err := pass(T("demo.pass1")); err != nil {
		return err
	}
	site.set("/shop/privacy", servedPage{body: shopV2, contentType: "text/html; charset=utf-8"})
	fmt.Fprintf(w, "\n%s\n", T("demo.story", shift(-12)))
	if err := pass(T("demo.pass2")); err != nil {
		return err
	}

	fmt.Fprintf(w, "\n== %s\n", T("demo.history"))
	vs, err := d.Store.Versions("demo-shop")
	if err != nil {
		return err
	}
	tw := table.New(w)
	tw.Row(T("demo.history.header"))
	for _, v := range vs {
		tw.Row(fmt.Sprintf("%d\t%s\t%s\t%s\t%s", v.ID, v.FirstSeen.In(seoul).Format("2006-01-02 15:04:05"), dash(v.Meta["announced"]), dash(v.Meta["effective"]), ruleNames(T, v.Meta["violations"])))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\n== %s\n", T("demo.diff"))
	if len(vs) < 2 {
		return fmt.Errorf("demo: expected two versions of demo-shop, found %d", len(vs))
	}
	oldText, err := d.Store.Text(vs[0])
	if err != nil {
		return err
	}
	newText, err := d.Store.Text(vs[1])
	if err != nil {
		return err
	}
	c := diff.Compare(policy.Parse(oldText), policy.Parse(newText), diff.Options{})
	if err := diff.RenderText(w, c, diff.RenderOptions{Lang: l}); err != nil {
		return err
	}

	fmt.Fprintf(w, "\n== %s\n", T("demo.received"))
	got := rcv.received()
	for _, r := range got {
		if !r.verified(key) {
			return fmt.Errorf("demo: the alert %s arrived with a bad signature", r.event.ID)
		}
		fmt.Fprintf(w, "- [%s] %s\n", T("event."+r.event.Type), r.event.Summary)
	}
	for _, r := range got {
		if r.event.Type == message.TypeChanged {
			fmt.Fprintf(w, "\n%s\n", T("demo.json"))
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, r.body, "", "  "); err != nil {
				return err
			}
			fmt.Fprintln(w, pretty.String())
		}
	}
	if o.Serve != "" {
		return serveUI(ctx, o, d, cfg, l)
	}
	fmt.Fprintf(w, "\n%s\n", T("demo.done"))
	return nil
}

// pages is the demo's web site.
type pages struct {
	mu     sync.Mutex
	byPath map[string]servedPage
}

type servedPage struct {
	body        []byte
	contentType string
}

func (p *pages) set(path string, sp servedPage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byPath[path] = sp
}

func (p *pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	sp, ok := p.byPath[r.URL.Path]
	p.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", sp.contentType)
	w.Write(sp.body)
}

// receiver is the demo's webhook endpoint.
type receiver struct {
	mu  sync.Mutex
	got []receivedAlert
}

type receivedAlert struct {
	id, timestamp, signature string
	body                     []byte
	event                    message.Event
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	var e message.Event
	if err := json.Unmarshal(body, &e); err != nil {
		http.Error(w, "not an event", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.got = append(r.got, receivedAlert{
		id: req.Header.Get("webhook-id"), timestamp: req.Header.Get("webhook-timestamp"),
		signature: req.Header.Get("webhook-signature"), body: body, event: e,
	})
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) received() []receivedAlert {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedAlert(nil), r.got...)
}

// verified checks the Standard Webhooks signature as a receiver would.
func (a receivedAlert) verified(key []byte) bool {
	return strings.Contains(a.signature, signature(key, a.id, a.timestamp, a.body))
}

// serve starts h on a loopback port.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("demo: listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	return "http://" + ln.Addr().String(), func() { srv.Close(); <-done }, nil
}

func lang(s string) string {
	if s == config.LanguageEnglish {
		return s
	}
	return config.LanguageKorean
}

// ruleNames turns a comma-separated list of rule codes into their words.
func ruleNames(T func(string, ...any) string, codes string) string {
	if codes == "" {
		return "-"
	}
	rules := strings.Split(codes, ",")
	for i, r := range rules {
		rules[i] = T("rule." + strings.TrimSpace(r))
	}
	return strings.Join(rules, ", ")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// signature computes a Standard Webhooks v1 signature.
func signature(key []byte, id, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
