// Package notify owns how monitord tells people about an event: the event's
// wire form, the formats it is sent in, and the retry decisions around one
// attempt.
//
// The pieces, one package each so that adding a format touches only its own:
//
//   - message: the Event DTO (design.md's JSON contract), Summary, and the
//     localized view chat templates render;
//   - post: one HTTP attempt and the single retry classification (2xx done;
//     408, 429, 5xx and network errors retried; other 4xx permanent);
//   - webhook (json, Standard Webhooks signatures), slack, discord, jandi.
//
// This package is the front door: New picks a format from a WebhookConfig,
// and NextAttempt computes the backoff. It does not store, queue or loop:
// the outbox is internal/snapshot's, the delivery worker the daemon's.
package notify
