package email_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	smtpd "github.com/emersion/go-smtp"

	"github.com/monitord/monitord/internal/notify/email"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// certificate makes a self-signed certificate for 127.0.0.1.
func certificate(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "monitord test SMTP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// received is one message the server accepted.
type received struct {
	from string
	to   []string
	data []byte
}

// server is a real SMTP server (github.com/emersion/go-smtp) on loopback
// that offers STARTTLS and AUTH PLAIN (only after TLS), requires AUTH, and
// answers RCPT for "busy@" with 450 and for "nobody@" with 550.
type server struct {
	addr string
	pool *x509.CertPool
	mu   sync.Mutex
	got  []received
}

type backend struct{ s *server }

func (b backend) NewSession(*smtpd.Conn) (smtpd.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *server
	auth bool
	cur  received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "monitord" || pass != "s3cret-비밀" {
			return &smtpd.SMTPError{Code: 535, EnhancedCode: smtpd.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.auth = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtpd.MailOptions) error {
	if !s.auth {
		return smtpd.ErrAuthRequired
	}
	s.cur.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtpd.RcptOptions) error {
	switch {
	case strings.HasPrefix(to, "busy@"):
		return &smtpd.SMTPError{Code: 450, EnhancedCode: smtpd.EnhancedCode{4, 2, 1}, Message: "Mailbox busy, try again later"}
	case strings.HasPrefix(to, "nobody@"):
		return &smtpd.SMTPError{Code: 550, EnhancedCode: smtpd.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = b
	s.s.mu.Lock()
	s.s.got = append(s.s.got, s.cur)
	s.s.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

// startServer starts the server; withTLS false makes one that offers no
// STARTTLS.
func startServer(t *testing.T, withTLS bool) *server {
	t.Helper()
	s := &server{}
	srv := smtpd.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	if withTLS {
		cert, pool := certificate(t)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.pool = pool
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *server) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func newNotifier(t *testing.T, s *server, cfg email.Config) *email.Notifier {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = "smtp://" + s.addr
	}
	if cfg.From == "" {
		cfg.From = "monitord 알림 <monitord@example.kr>"
	}
	if cfg.To == nil {
		cfg.To = []string{"개인정보팀 <privacy@example.kr>", "legal@example.kr"}
	}
	if cfg.Username == "" {
		cfg.Username, cfg.Password = "monitord", "s3cret-비밀"
	}
	if cfg.RootCAs == nil {
		cfg.RootCAs = s.pool
	}
	cfg.Name = "privacy-mail"
	cfg.Timeout = 10 * time.Second
	cfg.Now = func() time.Time { return time.Date(2026, 11, 21, 0, 12, 0, 0, time.FixedZone("KST", 9*3600)) }
	n, err := email.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDeliverThroughSMTP sends a Korean alert through the loopback server
// with STARTTLS and AUTH, and reads what the server received as a mail
// reader would: net/mail for the headers, mime for the subject and the
// parts.
func TestDeliverThroughSMTP(t *testing.T) {
	s := startServer(t, true)
	n := newNotifier(t, s, email.Config{})
	e := notifytest.Changed()
	if retry, err := n.Send(context.Background(), e); err != nil || retry {
		t.Fatalf("Send = %v, %v", retry, err)
	}
	got := s.messages()
	if len(got) != 1 {
		t.Fatalf("the server received %d messages", len(got))
	}
	if got[0].from != "monitord@example.kr" || strings.Join(got[0].to, ",") != "privacy@example.kr,legal@example.kr" {
		t.Errorf("envelope from %q to %q", got[0].from, got[0].to)
	}
	m, err := mail.ReadMessage(bytes.NewReader(got[0].data))
	if err != nil {
		t.Fatal(err)
	}
	raw := m.Header.Get("Subject")
	if !strings.HasPrefix(raw, "=?UTF-8?b?") {
		t.Errorf("raw subject %q is not RFC 2047 encoded", raw)
	}
	for _, line := range strings.Split(string(got[0].data[:bytes.Index(got[0].data, []byte("\r\n\r\n"))]), "\r\n") {
		if len(line) > 998 {
			t.Errorf("header line of %d characters (RFC 5322 allows 998): %q", len(line), line)
		}
		for _, w := range strings.Fields(line) {
			if strings.HasPrefix(w, "=?") && len(w) > 75 {
				t.Errorf("encoded word of %d characters (RFC 2047 allows 75): %q", len(w), w)
			}
		}
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(raw)
	if err != nil {
		t.Fatal(err)
	}
	if want := message.NewView(e, "ko").Headline; subject != want {
		t.Errorf("subject = %q, want %q", subject, want)
	}
	if from, err := m.Header.AddressList("From"); err != nil || from[0].Name != "monitord 알림" {
		t.Errorf("From = %v, %v", from, err)
	}
	if m.Header.Get("Message-ID") != "<"+e.ID+"@example.kr>" || m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Message-ID %q, Auto-Submitted %q", m.Header.Get("Message-ID"), m.Header.Get("Auto-Submitted"))
	}
	if d, err := m.Header.Date(); err != nil || !strings.HasSuffix(m.Header.Get("Date"), "+0900") || !d.Equal(time.Date(2026, 11, 21, 0, 12, 0, 0, time.FixedZone("KST", 9*3600))) {
		t.Errorf("Date %q: %v, want the send time in KST", m.Header.Get("Date"), err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, %v", m.Header.Get("Content-Type"), err)
	}
	parts := map[string]string{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if cp["charset"] != "UTF-8" {
			t.Errorf("%s charset %q", ct, cp["charset"])
		}
		b, err := io.ReadAll(p) // quoted-printable, decoded by the reader
		if err != nil {
			t.Fatal(err)
		}
		parts[ct] = string(b)
	}
	text, html := parts["text/plain"], parts["text/html"]
	for _, want := range []string{"위반 · 사전 고지 지연 — dabit 개인정보 처리방침 변경", "이전: 제공받는 자: [-없음-]", "이후: 제공받는 자: {+<배송 대행사> & 결제 대행사+}", "monitord가 관찰하여 확인", e.DiffURL} {
		if !strings.Contains(text, want) {
			t.Errorf("text part lacks %q:\n%s", want, text)
		}
	}
	for _, want := range []string{"<del", "&lt;배송 대행사&gt; &amp; 결제 대행사", `href="https://monitord.example.kr/targets/dabit/diff?from=v_b1&amp;to=v_b2"`} {
		if !strings.Contains(html, want) {
			t.Errorf("html part lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<배송") {
		t.Error("policy text reached the HTML part unescaped")
	}
	// A retry is the same message.
	if _, err := n.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	again, _ := mail.ReadMessage(bytes.NewReader(s.messages()[1].data))
	if again.Header.Get("Message-ID") != m.Header.Get("Message-ID") {
		t.Error("a retried delivery has another Message-ID")
	}
	// A digest is one message too.
	if _, err := n.SendDigest(context.Background(), notifytest.Baselines(12)); err != nil {
		t.Fatal(err)
	}
	dm, _ := mail.ReadMessage(bytes.NewReader(s.messages()[2].data))
	if subj, _ := new(mime.WordDecoder).DecodeHeader(dm.Header.Get("Subject")); subj != "개인정보 처리방침 12곳 확인 시작" {
		t.Errorf("digest subject %q", subj)
	}
}

func TestClassification(t *testing.T) {
	s := startServer(t, true)
	plain := startServer(t, false)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()
	tests := []struct {
		name  string
		s     *server
		cfg   email.Config
		retry bool
		code  int
		is    error
	}{
		{"busy mailbox", s, email.Config{To: []string{"busy@example.kr"}}, true, 450, nil},
		{"no such user", s, email.Config{To: []string{"nobody@example.kr"}}, false, 550, nil},
		{"wrong password", s, email.Config{Username: "monitord", Password: "wrong"}, false, 535, nil},
		{"no STARTTLS", plain, email.Config{RootCAs: x509.NewCertPool()}, false, 0, email.ErrNoSTARTTLS},
		{"untrusted certificate", s, email.Config{RootCAs: x509.NewCertPool()}, false, 0, nil},
		{"refused", s, email.Config{URL: "smtp://" + closedAddr}, true, 0, nil},
	}
	for _, tt := range tests {
		n := newNotifier(t, tt.s, tt.cfg)
		retry, err := n.Send(context.Background(), notifytest.Baseline())
		var ee *email.Error
		if !errors.As(err, &ee) || retry != tt.retry || ee.Code != tt.code || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("%s: Send = %v, %v (code %v); want retry=%v code %d", tt.name, retry, err, ee, tt.retry, tt.code)
		}
		notifytest.AssertNoLeak(t, err, "s3cret", "wrong")
	}
	if n := len(s.messages()); n != 0 {
		t.Errorf("%d messages accepted by failing deliveries", n)
	}
}

func TestGolden(t *testing.T) {
	s := &server{addr: "127.0.0.1:587"}
	n := newNotifier(t, s, email.Config{RootCAs: x509.NewCertPool()})
	notifytest.GoldenCases(t, *update, func(e message.Event, lang string) (any, error) {
		nl := n
		if lang != "ko" {
			nl = newNotifier(t, s, email.Config{RootCAs: x509.NewCertPool(), Lang: lang})
		}
		m, err := nl.Render(e)
		if err != nil {
			return nil, err
		}
		return "Subject: " + m.Subject + "\n\n" + m.Text + "\n----- text/html -----\n" + m.HTML, nil
	})
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []email.Config{
		{URL: "https://mail.example.kr", From: "a@example.kr", To: []string{"b@example.kr"}},
		{URL: "smtp://mail.example.kr", From: "not an address", To: []string{"b@example.kr"}},
		{URL: "smtp://mail.example.kr", From: "a@example.kr"},
		{URL: "smtp://mail.example.kr", From: "a@example.kr", To: []string{"b@example.kr"}, Username: "u"},
	} {
		if _, err := email.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}
