package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server timeouts. Writes get longer than reads: a diff of two long
// policies or a large raw page may take a while on a slow link.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 5 * time.Second
	maxHeaderBytes    = 64 << 10
)

// Options configures a Server.
type Options struct {
	// Listen is host:port ("127.0.0.1:8080"; port 0 picks a free one).
	Listen string
	// Token is the bearer token; "" is allowed only on a loopback Listen.
	Token string
	// Source answers the API, usually NewStoreSource over the daemon's store.
	Source Source
	// Ready reports readiness: nil means ready, an error is the reason for a
	// 503 from /readyz. Nil Ready means always ready.
	Ready func() error
	// Registry is served at /metrics; nil leaves /metrics out.
	Registry *prometheus.Registry
	// Logger receives request logs (debug) and handler failures (default: discard).
	Logger *slog.Logger
	// Lang is the language of the HTML diff's labels ("ko" or "en"); nil means "ko".
	Lang func() string
	// OnRetry, when set, is called after an event was re-queued through the
	// API (the daemon wakes its delivery loop with it).
	OnRetry func(eventID string)
	// UI, when set, answers every path the API does not (the web UI of
	// package ui), behind the same middleware: token or login cookie,
	// loopback Host check, security headers.
	UI http.Handler
	// Checker, when set, runs the checks of POST /api/check (check.go).
	Checker Checker
}

// Server is monitord's status and read API server.
type Server struct {
	o       Options
	log     *slog.Logger
	handler http.Handler

	mu        sync.Mutex
	addr      string
	started   bool
	listening chan struct{}
}

// New checks o and builds the server. It refuses a non-loopback Listen
// without a token, whatever the configuration said.
func New(o Options) (*Server, error) {
	if o.Listen == "" {
		return nil, errors.New("web: no listen address: set [server] listen (\"\" disables the server, so do not start it)")
	}
	loopback, err := isLoopbackListen(o.Listen)
	if err != nil {
		return nil, err
	}
	if !loopback && o.Token == "" {
		return nil, fmt.Errorf("web: refusing to listen on %s without a token: it is not a loopback address; set [server] token or listen on 127.0.0.1", o.Listen)
	}
	if o.Source == nil {
		return nil, errors.New("web: no Source to answer the API from")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Lang == nil {
		o.Lang = func() string { return "ko" }
	}
	s := &Server{o: o, log: o.Logger, listening: make(chan struct{})}
	s.handler = s.routes()
	return s, nil
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if s.o.Registry != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(s.o.Registry, promhttp.HandlerOpts{
			ErrorLog:      promLogger{s.log},
			ErrorHandling: promhttp.ContinueOnError, // a failed store read drops its metrics, not the scrape
		}))
	}
	mux.HandleFunc("GET /api/targets", s.targets)
	mux.HandleFunc("GET /api/targets/{name}", s.target)
	mux.HandleFunc("GET /api/targets/{name}/versions", s.versions)
	mux.HandleFunc("GET /api/targets/{name}/versions/{id}", s.version)
	mux.HandleFunc("GET /api/targets/{name}/versions/{id}/raw", s.raw)
	mux.HandleFunc("GET /api/targets/{name}/diff", s.diff)
	mux.HandleFunc("GET /api/events", s.events)
	mux.HandleFunc("POST /api/events/{id}/retry", s.retry)
	mux.HandleFunc("GET /api/targets/{name}/failures", s.failures)
	mux.HandleFunc("GET /api/backup", s.backup)
	mux.HandleFunc("GET /api/chain", s.chainHeads)
	mux.HandleFunc("GET /api/targets/{name}/export", s.export)
	if s.o.Checker != nil {
		mux.HandleFunc("POST /api/check", s.check)
	}
	mux.Handle("/api/", s.notFound(mux))
	if s.o.UI != nil {
		mux.Handle("/", s.o.UI)
	}

	cop := http.NewCrossOriginProtection()
	return chain(mux,
		logRequests(s.log),
		recoverPanics(s.log),
		securityHeaders,
		tokenAuth(s.o.Token),
		cop.Handler,
	)
}

// Handler returns the server's handler with all middleware, for tests and
// for embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens on Listen and serves until ctx is done, then shuts down,
// giving requests in flight up to 5 seconds.
func (s *Server) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("web: Run called twice: build a new Server with New")
	}
	s.started = true
	s.mu.Unlock()
	ln, err := net.Listen("tcp", s.o.Listen)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w (is another monitord or program using the port? change [server] listen)", s.o.Listen, err)
	}
	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.mu.Unlock()
	close(s.listening)

	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.log.Info("http server listening", slog.String("addr", s.Addr()), slog.Bool("token", s.o.Token != ""))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("web: serve on %s: %w", s.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("web: shut down %s: %w", s.Addr(), err)
	}
	s.log.Info("http server stopped", slog.String("addr", s.Addr()))
	return nil
}

// Addr returns the address the server listens on, "" before Run listens.
// With port 0 in Listen it is the port that was picked.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Listening is closed once Run listens (Addr is then set).
func (s *Server) Listening() <-chan struct{} { return s.listening }

// promLogger adapts slog to promhttp's error log.
type promLogger struct{ l *slog.Logger }

func (p promLogger) Println(v ...any) {
	p.l.Warn("metrics scrape error", slog.String("error", fmt.Sprint(v...)))
}
