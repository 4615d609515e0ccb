package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
)

// pprofEnv names the environment variable that profiles a command without
// changing its arguments (handy when a script runs the binary, e.g.
// scripts/bench-cycle): MONITORD_PPROF="cpu=FILE,mem=FILE,trace=FILE".
// "%p" in a file name is replaced by the process id, so successive runs keep
// their own. trace (env only) is runtime/trace's execution trace, read with
// go tool trace: where the wall time goes when the CPU is not busy (a
// commit's fsync, a worker waiting for a slot).
const pprofEnv = "MONITORD_PPROF"

// profileOptions says where to write profiles; "" writes none.
type profileOptions struct {
	CPU, Mem, Trace string
}

// profileFromEnv adds what MONITORD_PPROF asks for to o (flags win).
func profileFromEnv(o profileOptions, getenv func(string) string) (profileOptions, error) {
	v := strings.TrimSpace(getenv(pprofEnv))
	if v == "" {
		return o, nil
	}
	for part := range strings.SplitSeq(v, ",") {
		k, file, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || file == "" {
			return o, &usageError{msg: fmt.Sprintf("%s: %q is not kind=FILE", pprofEnv, part), hint: pprofEnv + "=cpu=/tmp/cpu.out,mem=/tmp/mem.out"}
		}
		switch k {
		case "cpu":
			if o.CPU == "" {
				o.CPU = file
			}
		case "mem":
			if o.Mem == "" {
				o.Mem = file
			}
		case "trace":
			o.Trace = file
		default:
			return o, &usageError{msg: fmt.Sprintf("%s: unknown profile %q (cpu, mem or trace)", pprofEnv, k), hint: pprofEnv + "=cpu=/tmp/cpu.out"}
		}
	}
	return o, nil
}

// profiler writes the profiles of one command run: the CPU profile from
// start to stop, the heap profile (after a GC, so it shows what is live at
// the end, with the allocation totals of the whole run) at stop.
type profiler struct {
	opts       profileOptions
	cpu, trace *os.File
}

func profileFile(name string) string {
	return strings.ReplaceAll(name, "%p", strconv.Itoa(os.Getpid()))
}

// startProfile starts the CPU profile and the execution trace if asked
// for. The caller must call stop, whose error says whether the profiles were
// written.
func startProfile(o profileOptions) (*profiler, error) {
	p := &profiler{opts: o}
	if o.CPU != "" {
		f, err := os.Create(profileFile(o.CPU))
		if err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("cpu profile %s: %w", f.Name(), err)
		}
		p.cpu = f
	}
	if o.Trace != "" {
		f, err := os.Create(profileFile(o.Trace))
		if err == nil {
			if err = trace.Start(f); err != nil {
				f.Close()
			}
		}
		if err != nil {
			p.opts.Mem = "" // nothing ran: stop only the CPU profile
			_ = p.stop()
			return nil, fmt.Errorf("execution trace: %w", err)
		}
		p.trace = f
	}
	return p, nil
}

func (p *profiler) stop() error {
	var errs []error
	if p.cpu != nil {
		pprof.StopCPUProfile()
		if err := p.cpu.Close(); err != nil {
			errs = append(errs, fmt.Errorf("cpu profile %s: %w", p.cpu.Name(), err))
		}
		p.cpu = nil
	}
	if p.trace != nil {
		trace.Stop()
		if err := p.trace.Close(); err != nil {
			errs = append(errs, fmt.Errorf("execution trace %s: %w", p.trace.Name(), err))
		}
		p.trace = nil
	}
	if p.opts.Mem != "" {
		name := profileFile(p.opts.Mem)
		runtime.GC()
		f, err := os.Create(name)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("memory profile %s: %w", name, err))
		}
		p.opts.Mem = ""
	}
	return errors.Join(errs...)
}
