package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// server is a running `parley serve`.
type server struct {
	cmd    *exec.Cmd
	base   string
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // from Wait, valid after done
}

// startServe starts `parley serve` on a free port with the given extra arguments.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	port := strconv.Itoa(freePort(t))
	s := &server{base: "http://127.0.0.1:" + port, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(parleyBin, append([]string{"serve", "--addr", "127.0.0.1:" + port}, args...)...)
	s.cmd.Dir = t.TempDir()
	s.cmd.Env = childEnv()
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	return s
}

func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

func (s *server) String() string {
	return "--- stdout:\n" + s.stdout.String() + "--- stderr:\n" + s.stderr.String()
}

// get fetches a path and returns the status code (0 on a connection error).
func (s *server) get(path string) (int, string) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(s.base + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// waitHealthy polls /healthz until it answers 200, for at most ten seconds.
func (s *server) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if s.exited() {
			t.Fatalf("parley serve exited before answering: %v\n%s", s.err, s)
		}
		if code, _ := s.get("/healthz"); code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz did not answer 200 within 10s\n%s", s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitStderr polls standard error until it contains want, for at most five seconds.
func (s *server) waitStderr(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.stderr.String(), want) {
		if time.Now().After(deadline) || s.exited() {
			t.Fatalf("stderr never showed %q\n%s", want, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends SIGTERM and requires a clean exit (status 0) within five seconds.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		t.Fatalf("parley serve did not exit within 5s of SIGTERM\n%s", s)
	}
	if s.err != nil {
		var ee *exec.ExitError
		if errors.As(s.err, &ee) {
			t.Fatalf("parley serve exited with status %d after SIGTERM, want 0\n%s", ee.ExitCode(), s)
		}
		t.Fatalf("parley serve: %v\n%s", s.err, s)
	}
	if !strings.Contains(s.stderr.String(), "shutting down") {
		t.Errorf("serve did not log its shutdown\n%s", s)
	}
}

func TestServeDemo(t *testing.T) {
	db := newDBPath(t)
	s := startServe(t, "--db", db, "--demo")
	s.waitHealthy(t)
	if code, body := s.get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d %q, want 200", code, body)
	}
	s.waitStderr(t, "demo-password-2013")
	errText := s.stderr.String()
	for _, a := range app.DemoAccounts {
		if !strings.Contains(errText, a.Email) {
			t.Errorf("stderr does not list demo account %s\n%s", a.Email, s)
		}
	}
	if !strings.Contains(errText, "us.head@parley.example") || !strings.Contains(errText, "DEMO ONLY") {
		t.Errorf("stderr lacks the demo banner\n%s", s)
	}
	if !strings.Contains(errText, s.base+"/login") {
		t.Errorf("the banner should give the login address %s/login\n%s", s.base, s)
	}
	s.stop(t)

	// The demo working group really is in the database.
	svc := openService(t, db)
	ctx := context.Background()
	if !svc.IsDemo(ctx) {
		t.Errorf("the database is not marked as demo")
	}
	if _, _, err := svc.Login(ctx, "us.head@parley.example", app.DemoPassword, "127.0.0.1", "test"); err != nil {
		t.Errorf("the demo head cannot log in: %v", err)
	}

	// A second start on the same database keeps the data and still shows the banner, without seeding again.
	before := userEmails(t, db)
	s2 := startServe(t, "--db", db, "--demo")
	s2.waitHealthy(t)
	s2.waitStderr(t, "demo-password-2013")
	s2.stop(t)
	if after := userEmails(t, db); len(after) != len(before) {
		t.Errorf("restarting with --demo changed the accounts: %v -> %v", before, after)
	}
	if strings.Contains(s2.stderr.String(), "loaded the demo working group") {
		t.Errorf("the demo was loaded a second time\n%s", s2)
	}
}

func TestServeDemoRefusesExistingAccounts(t *testing.T) {
	db := migratedDB(t)
	mustSucceed(t, addUser(t, db, "a@b.example", "First Admin", "SEC", "secretariat", true, goodPassword), "add admin")

	s := startServe(t, "--db", db, "--demo")
	s.waitHealthy(t)
	if code, _ := s.get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", code)
	}
	s.stop(t)
	if strings.Contains(s.stderr.String(), "demo-password-2013") || strings.Contains(s.stderr.String(), "DEMO ONLY") {
		t.Errorf("serve showed demo accounts on a real database\n%s", s)
	}

	ctx := context.Background()
	svc := openService(t, db)
	if svc.IsDemo(ctx) {
		t.Errorf("a real database was marked as demo")
	}
	if got := userEmails(t, db); len(got) != 1 || got[0] != "a@b.example" {
		t.Errorf("accounts after serve --demo: %v, want only a@b.example", got)
	}
	for _, a := range app.DemoAccounts {
		if _, _, err := svc.Login(ctx, a.Email, app.DemoPassword, "127.0.0.1", "test"); err == nil {
			t.Errorf("demo account %s can log in on a real database", a.Email)
		}
	}
	if _, _, err := svc.Login(ctx, "a@b.example", goodPassword, "127.0.0.1", "test"); err != nil {
		t.Errorf("the real admin cannot log in: %v", err)
	}
}

func TestServeWithoutDemo(t *testing.T) {
	db := newDBPath(t)
	s := startServe(t, "--db", db)
	s.waitHealthy(t)
	if code, _ := s.get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", code)
	}
	s.stop(t)
	if strings.Contains(s.stderr.String(), "DEMO ONLY") {
		t.Errorf("demo banner without --demo\n%s", s)
	}
	if got := userEmails(t, db); len(got) != 0 {
		t.Errorf("serve without --demo created accounts: %v", got)
	}
}

func TestServePortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := parley(t, "serve", "--db", newDBPath(t), "--addr", l.Addr().String())
	if r.code == 0 {
		t.Fatalf("serve on a busy port should fail:\n%s", r)
	}
	lines := r.stderrLines()
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], "parley: ") || !strings.Contains(lines[len(lines)-1], "address already in use") {
		t.Errorf("the last stderr line should explain the busy address:\n%s", r)
	}
}
