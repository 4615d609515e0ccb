// Package retry owns the one grammar of trying again over HTTP that both
// ends of monitord share, the polite fetcher and the webhook deliveries:
// which statuses are transient, how a Retry-After header reads, and the
// exponential backoff with "equal jitter". It is pure: no clock of its own,
// no randomness it does not take as an argument.
package retry
