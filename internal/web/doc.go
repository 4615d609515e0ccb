// Package web owns monitord's HTTP surface: the status server of `monitord
// run` (liveness, readiness, Prometheus metrics and a JSON read API over the
// store) and the client that reads that API, together behind one Source
// interface. It never writes to the store except to re-queue an alert on an
// operator's request, and it renders no policy page: stored pages are served
// as opaque bytes.
//
// # Readers and the running daemon
//
// bbolt lets one process open the file for writing, and that process holds an
// exclusive lock: while `monitord run` is up, no other process can open the
// store, not even read-only. Reading commands (targets, history, show, diff,
// alerts) therefore go through a Source, and OpenSource picks one:
//
//  1. open the store read-only with a short timeout (storage.Options.Timeout);
//     when that works, read it directly (NewStoreSource); a PostgreSQL store
//     ([storage] driver = "postgres") always opens, shared by every process;
//  2. when the bbolt file is in use (storage.ErrInUse) and [server] listen is set,
//     read the same data from the running daemon's API (NewClient), with the
//     configured token. A daemon bound to 0.0.0.0 or [::] is reached on
//     loopback.
//
// Both Sources return the same values, and the server itself answers from a
// StoreSource, so a reading command prints the same output whether or not a
// daemon runs; a test suite runs against both to keep them equal. Reads use
// only the store's read transactions, which bbolt runs concurrently with the
// daemon's writer. The one write, re-queueing an alert, is a POST that always
// carries the token when one is configured.
//
// # Routes
//
// Options.UI (package ui, the web UI) answers every path not listed here,
// behind the same middleware.
//
//	GET  /healthz                                   200 "ok" while the process is up (no auth)
//	GET  /readyz                                    200 "ok" or 503 with the reason (no auth)
//	GET  /metrics                                   Prometheus text format
//	GET  /api/targets                               []TargetInfo (+ "status")
//	GET  /api/targets/{name}                        TargetInfo (+ "status")
//	GET  /api/targets/{name}/versions               []snapshot.Version, oldest first
//	GET  /api/targets/{name}/versions/{id}          {version, text, document}
//	GET  /api/targets/{name}/versions/{id}/raw      the page as fetched, application/octet-stream; 204 when none was kept
//	GET  /api/targets/{name}/failures               []snapshot.Failure, oldest first (the last 50)
//	GET  /api/targets/{name}/diff?from=&to=         {target, from, to, change}; ?format=html gives an HTML fragment
//	GET  /api/events?target=&type=&state=&limit=    []snapshot.EventWithDeliveries, newest first (limit 100 by default, 0: all)
//	POST /api/events/{id}/retry                     re-queue an expired or failed alert
//	GET  /api/backup                                a consistent copy of the store (a bbolt file), application/octet-stream
//	GET  /api/targets/{name}/export?from=&to=       the export bundle of a change (package evidence), application/zip
//	GET  /api/chain                                 []TargetHead: every target's chain head (records, head hash, time, trusted_from)
//
// Errors are JSON {"error": "..."}: 400 for a bad parameter, 401 without the
// right token, 404 for an unknown target, version or event, 405 (with Allow)
// for a known path and the wrong method, 409 when an event has nothing to
// re-queue, 500 for a store failure. JSON is compact and not HTML-escaped,
// so stored alert payloads come back byte for byte. With a token, Prometheus
// scrapes /metrics with it (scrape_config authorization.credentials).
//
// # Security
//
// Off loopback a token is required (New refuses to start without one); with
// a token every route but /healthz, /readyz, /login and /static/ needs
// "Authorization: Bearer <token>" or the web UI's login cookie
// (SessionCookie: a digest of the token, HttpOnly, SameSite=Strict, set by
// the UI's login form; a page asked for without either redirects there), compared in constant time over sha256 digests so that neither
// the content nor the length of the token leaks through timing. Without a
// token (loopback only) requests must name a loopback host, so a web page
// cannot reach the API through DNS rebinding, and cross-origin browser POSTs
// are refused (http.CrossOriginProtection). Every response carries nosniff,
// no-referrer, frame-denying and no-store headers; the raw page endpoint adds
// "Content-Security-Policy: sandbox" and never serves text/html, so a
// hostile stored page cannot run in the operator's browser.
package web
