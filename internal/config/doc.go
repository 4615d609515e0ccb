// Package config owns monitord's configuration: it reads config.toml, applies
// defaults and validates every value before anything starts.
//
// The pipeline is parse → defaults → validate. Parsing is strict: unknown keys
// are errors, and so is any value of the wrong type, a bad cron spec, URL, CSS
// selector, duration, size, time zone or range. Every problem is reported at
// once (joined with errors.Join), each as an *Error that names the file, the
// line, the key, the [[target]] or [[webhook]] it belongs to, and what would be
// valid:
//
//	config.toml:23: target[2] "naver": schedule: invalid cron spec "x": ...
//
// Sections are numbered from 1 in the order they appear in the file.
//
// # Secrets
//
// server.token, webhook.url and webhook.secret are credentials and have the
// type Secret, which prints as "<secret>" in every format (fmt, JSON, text).
// A value written "env:NAME" is read from the environment variable NAME when
// the file is parsed; an unset or empty variable is an error naming the key.
//
// # Paths
//
// Load resolves a relative storage.path against the directory of the config
// file, so the daemon finds its store whatever its working directory. Parse
// has no file on disk and leaves the path as written.
//
// The package reads no global state other than the environment function it is
// given, and it starts nothing: it only turns bytes into a checked *Config.
package config
