// Package webhook sends events as the JSON of design.md's contract, signed
// per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).
// It owns the signing; the retry policy lives in package post.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/post"
)

// Format is this package's format name in the config.
const Format = "json"

// SecretPrefix starts a Standard Webhooks secret; base64 of the key follows.
const SecretPrefix = "whsec_"

// Config configures one JSON webhook.
type Config struct {
	Name    string
	URL     string
	Secret  string // "whsec_<base64 key>"; empty sends unsigned events
	Lang    string // language of Event.Summary when the event has none
	Timeout time.Duration
	Now     func() time.Time // signature timestamps; nil means time.Now
}

// Notifier posts signed JSON events to one receiver.
type Notifier struct {
	ep   *post.Endpoint
	key  []byte
	lang string
}

// New validates cfg and returns a Notifier using client (nil means
// http.DefaultClient).
func New(cfg Config, client *http.Client) (*Notifier, error) {
	ep, err := post.NewEndpoint(Format, cfg.Name, cfg.URL, cfg.Timeout, client, cfg.Now)
	if err != nil {
		return nil, err
	}
	n := &Notifier{ep: ep, lang: message.Lang(cfg.Lang)}
	if cfg.Secret != "" {
		if n.key, err = decodeSecret(cfg.Secret); err != nil {
			return nil, fmt.Errorf("webhook: json webhook %q: %w", cfg.Name, err)
		}
	}
	return n, nil
}

// DecodeSecret returns the signing key of a Standard Webhooks secret
// ("whsec_" followed by base64; the prefix is optional). Its errors never
// contain the secret.
func DecodeSecret(secret string) ([]byte, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	return key, nil
}

func decodeSecret(secret string) ([]byte, error) {
	b64 := strings.TrimPrefix(strings.TrimSpace(secret), SecretPrefix)
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		// Secrets copied without their '=' padding are common; the config
		// accepts them, so must the signer.
		key, err = base64.RawStdEncoding.DecodeString(b64)
	}
	if err != nil {
		return nil, errors.New("secret is not whsec_ followed by standard base64; generate one with: echo whsec_$(head -c 32 /dev/urandom | base64)")
	}
	if len(key) == 0 {
		return nil, errors.New("secret has an empty key; use whsec_ followed by base64 of 24 to 64 random bytes")
	}
	return key, nil
}

// Sign returns the webhook-signature value for a message: "v1," followed by
// base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body).
func Sign(key []byte, id string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Body is the JSON the receiver gets for e: the event, with its summary
// filled in lang when the caller left it empty.
func Body(e message.Event, lang string) ([]byte, error) {
	if e.Summary == "" {
		e.Summary = message.Summary(e, lang)
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode event %s: %w", e.ID, err)
	}
	return b, nil
}

// Send posts e once. The webhook-id is the event id, so a receiver can
// de-duplicate retries; the timestamp is the time of this attempt.
func (n *Notifier) Send(ctx context.Context, e message.Event) (retry bool, err error) {
	body, err := Body(e, n.lang)
	if err != nil {
		return false, err
	}
	ts := n.ep.Now().Unix()
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("webhook-id", e.ID)
	h.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	if n.key != nil {
		h.Set("webhook-signature", Sign(n.key, e.ID, ts, body))
	}
	return n.ep.Post(ctx, h, body)
}
