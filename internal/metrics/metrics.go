package metrics

import (
	"fmt"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

const namespace = "monitord"

// StateNone is the monitord_events state of an event routed to no webhook.
const StateNone = snapshot.StateNone

// CheckBuckets are the monitord_check_duration_seconds buckets: a check
// takes from tens of milliseconds (a 304) to a minute (a slow site with
// retries, bounded by the fetch timeout).
var CheckBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60}

// statuses and rules are the label values created at zero, so every series
// exists from the first scrape and rate() works from the first check.
var (
	statuses = []monitor.Status{
		monitor.StatusBaseline, monitor.StatusChanged, monitor.StatusCosmetic,
		monitor.StatusTechnical, monitor.StatusUnchanged, monitor.StatusFailed,
	}
	rules = []string{notice.RuleShortNotice, notice.RuleUndatedChange, notice.RuleLateNotice, notice.RuleRetroactive}
)

// Metrics holds monitord's metrics. Its methods are safe for concurrent use.
type Metrics struct {
	checks     *prometheus.CounterVec
	duration   prometheus.Histogram
	violations *prometheus.CounterVec
	store      *storeCollector
}

// New creates the check metrics and registers them on reg; WatchStore adds
// the store's. It panics if a name is already registered on reg, as
// prometheus.MustRegister does: that is a wiring bug.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "checks_total",
			Help: "Checks of targets, by result (monitor.Status).",
		}, []string{"result"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "check_duration_seconds",
			Help:    "Duration of one check of one target, from fetch to store.",
			Buckets: CheckBuckets,
		}),
		violations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "violations_total",
			Help: "Notice-rule violations found by checks, by rule.",
		}, []string{"rule"}),
	}
	for _, s := range statuses {
		m.checks.WithLabelValues(string(s))
	}
	for _, r := range rules {
		m.violations.WithLabelValues(r)
	}
	reg.MustRegister(m.checks, m.duration, m.violations)
	return m
}

// WatchStore registers the store's metrics on reg: st is read at scrape
// time; targets returns the configured target names (it may change on
// reload) and bounds the target label. Call it once, before serving
// scrapes; it panics on a second registration, as New does.
func (m *Metrics) WatchStore(reg prometheus.Registerer, st storage.Reader, targets func() []string) {
	m.store = newStoreCollector(st, targets, time.Now)
	reg.MustRegister(m.store)
}

// ObserveCheck counts one check: its result, duration and violations. The
// daemon calls it from its OnCheck hook.
func (m *Metrics) ObserveCheck(r monitor.Result) {
	status := r.Status
	if status == "" {
		status = monitor.StatusFailed
	}
	m.checks.WithLabelValues(string(status)).Inc()
	m.duration.Observe(r.Duration.Seconds())
	for _, v := range r.Violations {
		m.violations.WithLabelValues(v.Rule).Inc()
	}
}

// storeCollector reads the store at scrape time.
type storeCollector struct {
	st      storage.Reader
	targets func() []string
	now     func() time.Time

	versions, targetCount, pending, events, size, lastSuccess, failing *prometheus.Desc
}

func newStoreCollector(st storage.Reader, targets func() []string, now func() time.Time) *storeCollector {
	if targets == nil {
		targets = func() []string { return nil }
	}
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help, labels, nil)
	}
	return &storeCollector{
		st: st, targets: targets, now: now,
		versions:    d("versions_stored", "Versions stored, all targets."),
		targetCount: d("targets", "Targets in the configuration."),
		pending:     d("outbox_pending", "Alert deliveries pending (outbox depth)."),
		events: d("events", `Alert deliveries in the store by event type and delivery state; an event routed to no webhook counts once with state "none".`,
			"type", "state"),
		size:        d("store_size_bytes", "Size of the store file in bytes."),
		lastSuccess: d("last_success_timestamp_seconds", "Unix time of the last successful check of a configured target.", "target"),
		failing:     d("target_failing", "1 while a target.failing alert stands for a configured target, else 0.", "target"),
	}
}

// Describe sends every descriptor.
func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.versions, c.targetCount, c.pending, c.events, c.size, c.lastSuccess, c.failing} {
		ch <- d
	}
}

// Collect reads the store. A failed read makes its metrics invalid (the
// scrape reports the error) and leaves the others alone.
func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	names := c.targets()
	ch <- prometheus.MustNewConstMetric(c.targetCount, prometheus.GaugeValue, float64(len(names)))

	if states, err := c.st.Targets(); err != nil {
		for _, d := range []*prometheus.Desc{c.versions, c.lastSuccess, c.failing} {
			ch <- prometheus.NewInvalidMetric(d, err)
		}
	} else {
		c.collectTargets(ch, states, names)
	}

	if n, err := c.st.PendingCount(); err != nil {
		ch <- prometheus.NewInvalidMetric(c.pending, err)
	} else {
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(n))
	}

	if fi, err := os.Stat(c.st.Path()); err != nil {
		ch <- prometheus.NewInvalidMetric(c.size, fmt.Errorf("metrics: stat store: %w", err))
	} else {
		ch <- prometheus.MustNewConstMetric(c.size, prometheus.GaugeValue, float64(fi.Size()))
	}

	counts, err := c.st.EventCounts()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.events, err)
		return
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.events, prometheus.GaugeValue, float64(n), k.Type, k.State)
	}
}

func (c *storeCollector) collectTargets(ch chan<- prometheus.Metric, states []snapshot.TargetState, names []string) {
	versions := 0
	byName := make(map[string]*snapshot.TargetState, len(states))
	for i := range states {
		versions += states[i].Versions
		byName[states[i].Name] = &states[i]
	}
	ch <- prometheus.MustNewConstMetric(c.versions, prometheus.GaugeValue, float64(versions))
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		failing := 0.0
		if st := byName[name]; st != nil {
			if st.Failing {
				failing = 1
			}
			if !st.LastSuccess.IsZero() {
				ch <- prometheus.MustNewConstMetric(c.lastSuccess, prometheus.GaugeValue, float64(st.LastSuccess.UnixNano())/1e9, name)
			}
		}
		ch <- prometheus.MustNewConstMetric(c.failing, prometheus.GaugeValue, failing, name)
	}
}
