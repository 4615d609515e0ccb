// Package metrics owns monitord's Prometheus metrics: counters and a
// histogram fed by every check (ObserveCheck, called from the daemon's
// OnCheck hook), and a collector that reads the store at scrape time for
// what the store already knows (versions, targets, outbox, events, file
// size, last success and failing state per target). It registers on an
// injected prometheus.Registerer and keeps no package-level state; it never
// writes to the store.
//
// # Names
//
// All names are in the monitord_ namespace and are a stable contract
// (dashboards and alert rules depend on them; a test pins them):
//
//	monitord_checks_total{result}                      counter: checks by monitor.Status (baseline, changed, cosmetic, technical, unchanged, failed)
//	monitord_check_duration_seconds                    histogram: duration of one check (fetch to store), 50ms to 60s buckets
//	monitord_violations_total{rule}                    counter: notice violations found (short_notice, undated_change, late_notice, retroactive)
//	monitord_versions_stored                           gauge: versions in the store, all targets
//	monitord_targets                                   gauge: configured targets
//	monitord_outbox_pending                            gauge: alert deliveries pending (the outbox depth)
//	monitord_events{type,state}                        gauge: alert deliveries by event type and delivery state; an event routed to no webhook counts once with state "none"
//	monitord_store_size_bytes                          gauge: size of the bbolt file
//	monitord_last_success_timestamp_seconds{target}    gauge: Unix time of the target's last successful check (absent before the first)
//	monitord_target_failing{target}                    gauge: 1 while a target.failing alert stands for the target, else 0
//
// # Cardinality
//
// result, rule, type and state take a handful of fixed values. The target
// label is bounded by the configured target list: only targets named in
// config.toml are exported (a target removed from the config disappears at
// the next scrape), so series grow with the number of targets an operator
// chose, never with anything a site serves.
//
// # Cost of a scrape
//
// The collector runs four read transactions per scrape: the targets bucket
// (one small record per target), the pending-delivery index (a key count),
// the file size (a stat), and the delivery counters for monitord_events,
// which the store keeps up to date in the transactions that change them
// (storage.Reader.EventCounts), so no event is read.
package metrics
