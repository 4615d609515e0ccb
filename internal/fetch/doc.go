// Package fetch owns the network edge of monitord: it downloads a target's
// page politely and turns the bytes into valid UTF-8 text.
//
// A Client is built once and shared by every check. It bounds each attempt
// (connect timeout, total timeout, body size, redirects), sends a
// User-Agent naming monitord and conditional GET headers so that an
// unchanged page costs one 304, retries transient failures (timeouts,
// connection errors, 408, 429, 5xx) with exponential backoff that honours
// Retry-After, and limits requests in flight globally and per host, with an
// optional minimum gap between requests to the same host.
//
// Decode is pure: it picks the charset from a BOM, the Content-Type header,
// the page's <meta> declaration or sniffing, and decodes EUC-KR pages as
// Code Page 949 so the syllables CP949 adds (똠, 햏, 믜, 쌰) survive.
//
// The package does not judge content: whether a page is a privacy policy, an
// error page or a login wall is for the extract and monitor packages. It
// keeps no state beyond the Client's connection pool and host limiter.
package fetch
