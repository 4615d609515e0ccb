// Package cputime holds the one reading of the process's own CPU time (user
// plus system) that benchmarks report beside the wall clock: on a shared
// machine the CPU says what the work cost when the wall says how busy the
// machine was. Only tests and benchmarks import it.
package cputime
