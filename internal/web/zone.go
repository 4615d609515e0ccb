package web

import (
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// One time zone everywhere: the store keeps instants in UTC, and what the
// Source returns (so every API answer and every `-format json` of the CLI)
// carries them in the configured zone ([notice] timezone, Asia/Seoul by
// default), the zone of the webhook payloads' detected_at and of every date
// the law cares about. RFC 3339 keeps the offset, so nothing is lost.

func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() || loc == nil {
		return t
	}
	return t.In(loc)
}

func versionInZone(v *snapshot.Version, loc *time.Location) {
	v.FirstSeen = inZone(v.FirstSeen, loc)
	v.LastSeen = inZone(v.LastSeen, loc)
}

func stateInZone(st *snapshot.TargetState, loc *time.Location) {
	st.LastCheck = inZone(st.LastCheck, loc)
	st.LastSuccess = inZone(st.LastSuccess, loc)
	st.Chain.At = inZone(st.Chain.At, loc)
}

func eventInZone(e *snapshot.EventWithDeliveries, loc *time.Location) {
	e.CreatedAt = inZone(e.CreatedAt, loc)
	for i := range e.Deliveries {
		d := &e.Deliveries[i]
		d.NextAttempt = inZone(d.NextAttempt, loc)
		d.LastAttempt = inZone(d.LastAttempt, loc)
		d.DeliveredAt = inZone(d.DeliveredAt, loc)
		d.CreatedAt = inZone(d.CreatedAt, loc)
		d.Requeued = inZone(d.Requeued, loc)
	}
	if e.Deliveries == nil {
		e.Deliveries = []snapshot.Delivery{}
	}
}
