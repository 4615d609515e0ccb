// Package notice decides whether a policy version owed its readers more notice
// than it gave.
//
// It owns the four notice rules of design.md (short_notice, undated_change,
// late_notice, retroactive) and the choice of how many days are required
// (target config, the policy's own promise, the [notice] default). It is pure:
// it takes what the caller observed (dates, first and last seen instants, the
// time zone) and returns violations with human-readable evidence. It must not
// read a clock, the network or the store.
package notice
