package notifytest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/post"
)

// Answer is one error answer of a chat service, served for requests whose
// path ends with Path, and how a sender must classify it.
type Answer struct {
	Path        string
	Code        int
	Header      map[string]string // e.g. Retry-After
	ContentType string
	Body        string
	Retry       bool          // transient: try again later
	RetryAfter  time.Duration // the wait read from Retry-After, 0 for none
}

// Service imitates a chat service's webhook endpoint: Validate checks a
// request as the service does and returns the error answer it would give
// (nil: accepted, answered with OK).
type Service struct {
	OK       Answer
	Validate func(r *http.Request, body []byte) *Answer
	Answers  []Answer
}

// Sender is what the formats' notifiers offer.
type Sender interface {
	Send(ctx context.Context, e message.Event) (bool, error)
}

// Digester is a Sender that can send first snapshots as one message.
type Digester interface {
	SendDigest(ctx context.Context, es []message.Event) (bool, error)
}

func (a Answer) write(w http.ResponseWriter) {
	for k, v := range a.Header {
		w.Header().Set(k, v)
	}
	if a.ContentType != "" {
		w.Header().Set("Content-Type", a.ContentType)
	}
	w.WriteHeader(a.Code)
	_, _ = w.Write([]byte(a.Body))
}

// CheckService posts every case of Cases, the huge event and (for a
// Digester) a digest of 45 baselines to a receiver shaped like svc, each of
// which it must accept; then it checks that each of svc's error answers is
// classified as the service means it (permanent, retry, Retry-After) and
// that no error shows the URL's path. newSender builds a sender for a URL.
func CheckService(t *testing.T, svc Service, newSender func(url string) Sender) {
	t.Helper()
	rcv := NewReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		for _, a := range svc.Answers {
			if strings.HasSuffix(r.URL.Path, "/"+a.Path) {
				a.write(w)
				return
			}
		}
		body, _ := io.ReadAll(r.Body)
		if svc.Validate != nil {
			if a := svc.Validate(r, body); a != nil {
				a.write(w)
				return
			}
		}
		svc.OK.write(w)
	})
	const secret = "/hook/SECRET-TOKEN"
	ok := newSender(rcv.URL + secret + "/ok")
	for _, c := range append(Cases(), Case{Name: "huge", Event: Huge()}) {
		if retry, err := ok.Send(context.Background(), c.Event); err != nil || retry {
			t.Errorf("%s: the service refused the message: retry=%v, %v", c.Name, retry, err)
		}
	}
	if d, isDigester := ok.(Digester); isDigester {
		if retry, err := d.SendDigest(context.Background(), Baselines(45)); err != nil || retry {
			t.Errorf("digest: the service refused the message: retry=%v, %v", retry, err)
		}
	}
	for _, a := range svc.Answers {
		retry, err := newSender(rcv.URL+secret+"/"+a.Path).Send(context.Background(), Changed())
		var se *post.StatusError
		if !errors.As(err, &se) || se.Code != a.Code || retry != a.Retry {
			t.Errorf("%s: Send = %v, %v; want retry=%v and status %d", a.Path, retry, err, a.Retry, a.Code)
			continue
		}
		if first := strings.Fields(a.Body); len(first) > 0 && !strings.Contains(se.Body, strings.Trim(first[0], `{}"`)) {
			t.Errorf("%s: the error does not quote the service's answer %q: %v", a.Path, a.Body, err)
		}
		var ra *post.RetryAfterError
		if got := errors.As(err, &ra); got != (a.RetryAfter > 0) || (got && ra.After != a.RetryAfter) {
			t.Errorf("%s: Retry-After read as %v (%v), want %s", a.Path, got, err, a.RetryAfter)
		}
		AssertNoLeak(t, err, "SECRET-TOKEN")
	}
}
