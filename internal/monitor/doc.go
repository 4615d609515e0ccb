// Package monitor runs the checks: it owns the pipeline that turns one target
// into one stored observation (fetch, extract, parse, assess, diff, judge,
// record with its events in one transaction), the scheduler that runs that
// pipeline on cron schedules through a bounded worker pool, and the delivery
// loop that drains the alert outbox.
//
// The pure stages it calls (extract, policy, diff, notice) take values and
// return values; this package is where I/O, the clock and goroutines live.
// It never handles signals: the caller passes a context and cancels it.
package monitor
