package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// ErrUnauthorized is returned by the Client when the daemon refuses its token.
var ErrUnauthorized = errors.New("web: the daemon refused the request")

// ErrUnavailable is returned by the Client when the daemon cannot be reached
// or is not answering the API.
var ErrUnavailable = errors.New("web: the daemon's API is unavailable")

// maxResponseBytes caps what the Client reads from one response: far more
// than any JSON answer, and above fetch's largest page limit.
const maxResponseBytes = 512 << 20

// defaultClientTimeout bounds one API call when the caller gives no client.
const defaultClientTimeout = 30 * time.Second

// client reads a running daemon's API.
type client struct {
	base  string
	token string
	hc    *http.Client
}

// NewClient returns a Source that reads the API of the daemon at baseURL
// ("http://127.0.0.1:8080"). token is sent as a bearer token when not
// empty; hc nil means a client with a 30s timeout. HTTP errors map back to
// the store's: 404 wraps snapshot.ErrNotFound, 409 snapshot.ErrDeliveryState,
// 401/403 ErrUnauthorized, and an unreachable daemon ErrUnavailable.
func NewClient(baseURL string, token string, hc *http.Client) Source {
	if hc == nil {
		hc = &http.Client{Timeout: defaultClientTimeout}
	}
	return &client{base: strings.TrimRight(baseURL, "/"), token: token, hc: hc}
}

func (c *client) Targets(ctx context.Context) ([]TargetInfo, error) {
	var out []TargetInfo
	return out, c.getJSON(ctx, "/api/targets", nil, &out)
}

func (c *client) Versions(ctx context.Context, target string) ([]snapshot.Version, error) {
	var out []snapshot.Version
	return out, c.getJSON(ctx, "/api/targets/"+url.PathEscape(target)+"/versions", nil, &out)
}

func (c *client) Text(ctx context.Context, target string, id uint64) (string, error) {
	var doc struct {
		Text string `json:"text"`
	}
	err := c.getJSON(ctx, versionPath(target, id), nil, &doc)
	return doc.Text, err
}

func (c *client) Raw(ctx context.Context, target string, id uint64) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, versionPath(target, id)+"/raw", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return nil, nil
	}
	b, err := readCapped(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("web: read raw page of version %d of %q from %s: %w", id, target, c.base, err)
	}
	return b, nil
}

func (c *client) Failures(ctx context.Context, target string) ([]snapshot.Failure, error) {
	var out []snapshot.Failure
	return out, c.getJSON(ctx, "/api/targets/"+url.PathEscape(target)+"/failures", nil, &out)
}

func (c *client) Events(ctx context.Context, f snapshot.EventFilter) ([]snapshot.EventWithDeliveries, error) {
	q := url.Values{}
	for k, v := range map[string]string{"target": f.Target, "type": f.Type, "state": f.State} {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("limit", strconv.Itoa(max(f.Limit, 0)))
	var out []snapshot.EventWithDeliveries
	return out, c.getJSON(ctx, "/api/events", q, &out)
}

func (c *client) Requeue(ctx context.Context, eventID string) error {
	resp, err := c.do(ctx, http.MethodPost, "/api/events/"+url.PathEscape(eventID)+"/retry", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return nil
}

func versionPath(target string, id uint64) string {
	return "/api/targets/" + url.PathEscape(target) + "/versions/" + strconv.FormatUint(id, 10)
}

// getJSON GETs path and decodes the answer into out.
func (c *client) getJSON(ctx context.Context, path string, q url.Values, out any) error {
	resp, err := c.do(ctx, http.MethodGet, path, q)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := readCapped(resp.Body)
	if err == nil {
		err = json.Unmarshal(b, out)
	}
	if err != nil {
		return fmt.Errorf("web: read %s from %s: %w", path, c.base, err)
	}
	return nil
}

// do sends one request and returns a 2xx response; any other answer
// becomes an error that says what to do.
func (c *client) do(ctx context.Context, method, path string, q url.Values) (*http.Response, error) {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, fmt.Errorf("web: build request %s %s: %w", method, path, err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("web: %s %s: %w", method, path, ctx.Err())
		}
		return nil, fmt.Errorf("%w: %s %s%s: %w (is `monitord run` still running? check [server] listen)", ErrUnavailable, method, c.base, path, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	msg := errorMessage(resp)
	switch resp.StatusCode {
	case http.StatusNotFound:
		return nil, fmt.Errorf("%w: %s", snapshot.ErrNotFound, msg)
	case http.StatusConflict:
		return nil, fmt.Errorf("%w: %s", snapshot.ErrDeliveryState, msg)
	case http.StatusUnauthorized, http.StatusForbidden:
		return nil, fmt.Errorf("%w (%d): %s; the token in [server] token of config.toml must match the running daemon's", ErrUnauthorized, resp.StatusCode, msg)
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		return nil, fmt.Errorf("%w: %s %s%s answered %d: %s", ErrUnavailable, method, c.base, path, resp.StatusCode, msg)
	}
	return nil, fmt.Errorf("web: %s %s%s answered %d: %s", method, c.base, path, resp.StatusCode, msg)
}

// errorMessage reads the {"error": ...} body of a failed answer, or falls
// back to the status text.
func errorMessage(resp *http.Response) string {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var doc errorDoc
	if json.Unmarshal(b, &doc) == nil && doc.Error != "" {
		return doc.Error
	}
	return http.StatusText(resp.StatusCode)
}

func readCapped(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxResponseBytes {
		return nil, fmt.Errorf("answer larger than %d bytes", maxResponseBytes)
	}
	return b, nil
}
