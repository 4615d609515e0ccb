// Package pgtest gives tests a real PostgreSQL: a private cluster in a
// temporary directory, listening on a free loopback port, started once per
// test binary and stopped (and removed) when the binary ends, with a fresh
// database for every test.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestX(t *testing.T) {
//		dsn := pgtest.Start(t) // a new, empty database
//		...
//	}
//
// The server binaries are found in /usr/lib/postgresql/*/bin (the newest
// version), in `pg_config --bindir`, or on PATH. Where they are absent the
// test is skipped with a message naming `apt-get install postgresql`, except
// under CI (CI=true), where it fails: CI installs PostgreSQL (.ci/run).
//
// PostgreSQL refuses to run as root; as root the cluster runs as the
// `postgres` user (or `nobody` when that user is missing), in a directory
// owned by it. The postmaster is a child of the test binary and receives
// SIGQUIT if the binary dies without stopping it; a directory left behind by
// a killed binary is removed by the next one.
//
// MONITORD_PGTEST_DSN=postgres://user@host:port/db points the tests at an
// existing server instead (the user must be allowed to CREATE DATABASE).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// User is the superuser of the private cluster.
const User = "monitord"

const dirPrefix = "monitord-pgtest-"

var (
	mu      sync.Mutex
	cl      *cluster
	startEr error
	started bool
	seq     atomic.Int64
)

// Main runs the tests and then stops the cluster if one was started. Call it
// from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops and removes the shared cluster (Main calls it).
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if cl != nil {
		cl.stop()
		cl = nil
	}
}

// Start returns the DSN of a new, empty database on the shared cluster,
// starting the cluster on first use. The database is dropped when the test
// ends (after the test's own cleanups, which close its connections).
func Start(tb testing.TB) string {
	tb.Helper()
	base, err := server()
	if err != nil {
		if errors.Is(err, errNoBinaries) && os.Getenv("CI") != "true" {
			tb.Skipf("skipping the PostgreSQL test: %v", err)
		}
		if errors.Is(err, errNoBinaries) {
			tb.Fatalf("%v: CI must install PostgreSQL (.ci/run)", err)
		}
		tb.Fatalf("pgtest: %v", err)
	}
	name := fmt.Sprintf("t_%d_%d", os.Getpid(), seq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := admin(ctx, base, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := admin(ctx, base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("pgtest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(base, name)
}

// Require skips (fails under CI) when no PostgreSQL is available, without
// creating a database. It returns the DSN of the cluster's admin database.
func Require(tb testing.TB) string {
	tb.Helper()
	base, err := server()
	if err != nil {
		if errors.Is(err, errNoBinaries) && os.Getenv("CI") != "true" {
			tb.Skipf("skipping the PostgreSQL test: %v", err)
		}
		tb.Fatalf("pgtest: %v", err)
	}
	return base
}

// Restart stops the shared cluster's server and starts it again on the same
// port and data directory, for tests of reconnection. Connections open
// during the restart break.
func Restart(tb testing.TB) {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if cl == nil {
		tb.Fatal("pgtest: Restart before Start")
	}
	if err := cl.restart(); err != nil {
		tb.Fatalf("pgtest: restart: %v", err)
	}
}

// StopServer stops the shared cluster's server, leaving its data; StartServer
// starts it again. For tests of a server that goes away.
func StopServer(tb testing.TB) {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if cl == nil {
		tb.Fatal("pgtest: StopServer before Start")
	}
	cl.halt()
}

// StartServer starts the server StopServer stopped.
func StartServer(tb testing.TB) {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if cl == nil {
		tb.Fatal("pgtest: StartServer before Start")
	}
	if cl.cmd != nil {
		return
	}
	if err := cl.launch(); err != nil {
		tb.Fatalf("pgtest: start: %v", err)
	}
}

func withDatabase(dsn, db string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + db
	return u.String()
}

func admin(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

var errNoBinaries = errors.New("no PostgreSQL server binaries (initdb, postgres) found in /usr/lib/postgresql/*/bin, pg_config --bindir or PATH; install them with `apt-get install postgresql`")

func server() (string, error) {
	mu.Lock()
	defer mu.Unlock()
	if dsn := os.Getenv("MONITORD_PGTEST_DSN"); dsn != "" {
		return dsn, nil
	}
	if started {
		if startEr != nil {
			return "", startEr
		}
		if cl == nil {
			return "", errors.New("the cluster was stopped")
		}
		return cl.dsn(), nil
	}
	started = true
	c, err := newCluster()
	if err != nil {
		startEr = err
		return "", err
	}
	cl = c
	return c.dsn(), nil
}

// BinDir finds the PostgreSQL server binaries, or returns an error wrapping
// the reason why not.
func BinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", errNoBinaries
}

func pgVersion(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExec(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

type cluster struct {
	bin  string
	dir  string // the temporary directory: data/, sock/, log
	port int
	cred *syscall.Credential
	cmd  *exec.Cmd
	done chan error
}

func (c *cluster) dsn() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", User, c.port)
}

func newCluster() (*cluster, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	removeStale()
	c := &cluster{bin: bin}
	var uid, gid int = -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			u, err = user.Lookup("nobody")
		}
		if err != nil {
			return nil, fmt.Errorf("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as: %w", err)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	}
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("temporary directory for the cluster: %w", err)
	}
	c.dir = dir
	fail := func(err error) (*cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return fail(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sock"), 0o700); err != nil {
		return fail(err)
	}
	if uid >= 0 {
		for _, p := range []string{dir, filepath.Join(dir, "sock")} {
			if err := os.Chown(p, uid, gid); err != nil {
				return fail(fmt.Errorf("chown %s for the postgres user: %w", p, err))
			}
		}
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"),
		"-A", "trust", "-U", User, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		// Older servers or systems without the C.UTF-8 locale: plain C.
		initdb = exec.Command(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"),
			"-A", "trust", "-U", User, "-E", "UTF8", "--locale=C", "--no-sync")
		initdb.Dir = dir
		initdb.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
		os.RemoveAll(filepath.Join(dir, "data"))
		if out2, err2 := initdb.CombinedOutput(); err2 != nil {
			return fail(fmt.Errorf("initdb: %w\n%s\n%s", err, out, out2))
		}
	}
	var lastErr error
	for range 3 { // a free port can be taken between finding and binding it
		port, err := freePort()
		if err != nil {
			return fail(err)
		}
		c.port = port
		if lastErr = c.launch(); lastErr == nil {
			return c, nil
		}
	}
	return fail(lastErr)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// launch starts the postmaster as a child and waits until it accepts
// connections.
func (c *cluster) launch() error {
	logf, err := os.OpenFile(filepath.Join(c.dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(c.bin, "postgres"), "-D", filepath.Join(c.dir, "data"),
		"-p", strconv.Itoa(c.port), "-k", filepath.Join(c.dir, "sock"),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=300", "-c", "shared_buffers=32MB",
		"-c", "log_min_messages=warning")
	cmd.Dir = c.dir
	cmd.Stdout = logf
	cmd.Stderr = logf
	// SIGQUIT: immediate shutdown if the test binary dies without Stop.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start postgres: %w", err)
	}
	logf.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }() // owner: the cluster; ends with the postmaster
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-done:
			log, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
			return fmt.Errorf("postgres exited while starting: %v\n%s", err, tail(log))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, c.dsn())
		cancel()
		if err == nil {
			conn.Close(context.Background())
			c.cmd, c.done = cmd, done
			return nil
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			return fmt.Errorf("postgres did not accept connections within 60s: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// halt stops the postmaster (fast shutdown: sessions are disconnected).
func (c *cluster) halt() {
	if c.cmd == nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
	c.cmd, c.done = nil, nil
}

func (c *cluster) restart() error {
	c.halt()
	return c.launch()
}

func (c *cluster) stop() {
	c.halt()
	os.RemoveAll(c.dir)
}

// removeStale deletes cluster directories whose test binary has died (a
// killed binary cannot run Stop; its postmaster got SIGQUIT).
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if syscall.Kill(pid, 0) == nil || !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			continue // alive (or not ours to judge)
		}
		if pm, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			if p, err := strconv.Atoi(strings.SplitN(string(pm), "\n", 2)[0]); err == nil && syscall.Kill(p, 0) == nil {
				continue // its postmaster still runs: leave it
			}
		}
		os.RemoveAll(d)
	}
}
