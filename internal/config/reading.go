package config

// LoadForReading reads the configuration like Load, for commands that only
// read what is stored (targets, history, show, diff, alerts): a secret
// written "env:NAME" whose variable is unset or empty is left empty instead
// of failing, and the checks that need its value (a webhook's URL and
// signing secret, the server token's length) are skipped. Every other
// problem of the file is still an error, with its line.
//
// A Config loaded this way must not be used to deliver alerts: its
// webhooks may lack their URL and signing key. A server token that is set
// is read, so a reader can still talk to a daemon that requires it.
func LoadForReading(path string, getenv func(string) string) (*Config, error) {
	return load(path, getenv, true)
}

// unresolved marks key as holding a secret that LoadForReading could not
// read: no problem is reported, and later checks of the key are skipped as
// for a key that already failed.
func (s scope) unresolved(key string) {
	if s.c.failed == nil {
		s.c.failed = map[string]bool{}
	}
	s.c.failed[s.join(key)] = true
}
