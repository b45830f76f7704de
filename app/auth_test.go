package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func domainError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a domain error", err)
	}
	return e
}

func TestLoginFailuresLookAlike(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	dis := user(t, s, "us.observer@parley.example")
	if err := s.SetUserDisabled(ctx, admin, dis.ID, dis.Version, true); err != nil {
		t.Fatal(err)
	}
	var errs []*Error
	for _, c := range []struct{ email, pw string }{
		{"nobody@parley.example", DemoPassword},            // unknown email
		{"us.head@parley.example", "wrong-password-12345"}, // wrong password
		{"us.observer@parley.example", DemoPassword},       // disabled account, right password
		{"", ""},
	} {
		tok, u, err := s.Login(ctx, c.email, c.pw, "10.0.0.1", "t")
		if err == nil || tok != "" || u != nil {
			t.Fatalf("login %q: token %q user %v err %v", c.email, tok, u, err)
		}
		errs = append(errs, domainError(t, err))
	}
	for i, e := range errs {
		if e.Code != EUNAUTHORIZED || e.Message != errs[0].Message || e.Message != "login.failed" || len(e.Fields) != 0 || e.RetryAfter != 0 {
			t.Fatalf("failure %d = %+v, want the same as %+v", i, e, errs[0])
		}
	}
	// Failed logins write no session.
	if n := countRows(t, s, "SELECT COUNT(*) FROM sessions"); n != 0 {
		t.Fatalf("%d sessions after failed logins", n)
	}
	// Each failure was recorded for throttling.
	if n := countRows(t, s, "SELECT COUNT(*) FROM login_failures WHERE client_ip = '10.0.0.1'"); n != 4 {
		t.Fatalf("%d failures recorded, want 4", n)
	}
}

func TestLoginNormalizesEmail(t *testing.T) {
	s, _ := newTestService(t)
	_, u, err := s.Login(context.Background(), "  Us.Delegate@PARLEY.example\t", DemoPassword, "10.0.0.1", "t")
	if err != nil || u.Email != "us.delegate@parley.example" {
		t.Fatalf("login: %v %v", u, err)
	}
}

// A stranger's failures from one address do not lock the owner out of
// their own: the tight limit is per account and address.
func TestStrangerCannotLockOwnerOut(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	const email = "cn.head@parley.example"
	for i := 0; i < 5; i++ {
		_, _, err := s.Login(ctx, email, fmt.Sprintf("wrong-guess-%04d", i), "203.0.113.66", "t")
		wantCode(t, err, EUNAUTHORIZED)
	}
	// The stranger is stopped...
	_, _, err := s.Login(ctx, email, "wrong-guess-9999", "203.0.113.66", "t")
	wantCode(t, err, ETHROTTLED)
	// ...the owner, from their own address, is not.
	if _, _, err := s.Login(ctx, email, DemoPassword, "198.51.100.8", "t"); err != nil {
		t.Fatalf("the owner is locked out by a stranger's failures: %v", err)
	}
	// Nor are the owner's own typos from their address held against them by the stranger's.
	for i := 0; i < 4; i++ {
		_, _, err := s.Login(ctx, email, "typo-typo-typo", "198.51.100.8", "t")
		wantCode(t, err, EUNAUTHORIZED)
	}
	if _, _, err := s.Login(ctx, email, DemoPassword, "198.51.100.8", "t"); err != nil {
		t.Fatalf("the owner after 4 typos: %v", err)
	}
}

// Guessing spread over many addresses is stopped by the looser per-account
// limit: 100 failures within an hour.
func TestThrottlePerAccountAnyAddress(t *testing.T) {
	s, c := newTestService(t)
	ctx := context.Background()
	const email = "cn.head@parley.example"
	const perAccount, window = 100, time.Hour // the production settings
	start := c.now()
	for i := 0; i < perAccount; i++ {
		ip := fmt.Sprintf("10.1.%d.%d", i/4/250, i/4%250) // 4 per address: under every other limit
		_, _, err := s.Login(ctx, email, fmt.Sprintf("wrong-guess-%04d", i), ip, "t")
		if ErrorCode(err) != EUNAUTHORIZED {
			t.Fatalf("failure %d from %s: %v, want not yet throttled", i+1, ip, err)
		}
		c.advance(10 * time.Second)
	}
	// Now even the right password, from a new address, is refused.
	_, _, err := s.Login(ctx, email, DemoPassword, "10.2.0.1", "t")
	wantCode(t, err, ETHROTTLED)
	e := domainError(t, err)
	wantWait := start.Add(window).Sub(c.now()) // until the oldest failure leaves the window
	if e.RetryAfter <= 0 || e.RetryAfter > window || e.RetryAfter != wantWait {
		t.Fatalf("RetryAfter = %v, want %v", e.RetryAfter, wantWait)
	}
	if e.Message != "login.throttled" {
		t.Fatalf("message %q", e.Message)
	}
	// Other accounts are not affected.
	if _, _, err := s.Login(ctx, "cn.delegate@parley.example", DemoPassword, "10.2.0.1", "t"); err != nil {
		t.Fatalf("other account throttled: %v", err)
	}
	// Still throttled just before the window ends...
	c.t = start.Add(window - time.Second)
	_, _, err = s.Login(ctx, email, DemoPassword, "10.2.0.1", "t")
	wantCode(t, err, ETHROTTLED)
	if e := domainError(t, err); e.RetryAfter < time.Second {
		t.Fatalf("RetryAfter %v below one second", e.RetryAfter)
	}
	// ...and free once enough failures have left it.
	c.t = start.Add(window + 41*time.Second)
	if _, _, err := s.Login(ctx, email, DemoPassword, "10.2.0.1", "t"); err != nil {
		t.Fatalf("login after the window: %v", err)
	}
	// Failures older than every window are gone: the table stays bounded.
	if n := countRows(t, s, "SELECT COUNT(*) FROM login_failures WHERE at < ?", c.now().Add(-window)); n != 0 {
		t.Fatalf("%d failures kept past every window", n)
	}
	// A success is not kept as a failure.
	if n := countRows(t, s, "SELECT COUNT(*) FROM login_failures WHERE client_ip = '10.2.0.1'"); n != 0 {
		t.Fatalf("%d attempts kept for the successful address", n)
	}
}

func TestThrottleWindowSlides(t *testing.T) {
	// Failures spread out: the throttle lifts when the oldest of the recent
	// failures leaves the window, not a whole window after the last.
	s, c := newTestService(t)
	ctx := context.Background()
	const email = "us.head@parley.example"
	start := c.now()
	for i := 0; i < s.MaxFailuresPerAccountClient; i++ {
		_, _, err := s.Login(ctx, email, "bad-bad-bad-bad", "10.0.0.9", "t")
		wantCode(t, err, EUNAUTHORIZED)
		c.advance(2 * time.Minute)
	}
	_, _, err := s.Login(ctx, email, DemoPassword, "10.0.0.9", "t")
	wantCode(t, err, ETHROTTLED)
	c.t = start.Add(s.ThrottleWindow + time.Second) // the first failure has left the window
	if _, _, err := s.Login(ctx, email, DemoPassword, "10.0.0.9", "t"); err != nil {
		t.Fatalf("still throttled with %d failures in the window: %v", s.MaxFailuresPerAccountClient-1, err)
	}
}

func TestThrottlePerClient(t *testing.T) {
	s, c := newTestService(t)
	ctx := context.Background()
	const ip = "203.0.113.7"
	for i := 0; i < s.MaxFailuresPerClient; i++ {
		// A different email each time: no single account reaches its limit.
		_, _, err := s.Login(ctx, fmt.Sprintf("guess%02d@parley.example", i), "whatever-guess-1", ip, "t")
		wantCode(t, err, EUNAUTHORIZED)
	}
	_, _, err := s.Login(ctx, "us.delegate@parley.example", DemoPassword, ip, "t")
	wantCode(t, err, ETHROTTLED)
	if e := domainError(t, err); e.RetryAfter <= 0 {
		t.Fatalf("RetryAfter %v", e.RetryAfter)
	}
	// The same account from another address is fine.
	if _, _, err := s.Login(ctx, "us.delegate@parley.example", DemoPassword, "198.51.100.1", "t"); err != nil {
		t.Fatalf("other address: %v", err)
	}
	c.advance(s.ThrottleWindow + time.Second)
	if _, _, err := s.Login(ctx, "us.delegate@parley.example", DemoPassword, ip, "t"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	s, c := newTestService(t)
	ctx := context.Background()
	tok, _, err := s.Login(ctx, "us.delegate@parley.example", DemoPassword, "10.0.0.1", "t")
	if err != nil {
		t.Fatal(err)
	}
	_, sess, err := s.Authenticate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	// Activity within the idle limit keeps it alive, and moves last-seen on.
	for i := 0; i < 3; i++ {
		c.advance(s.SessionIdle - time.Minute)
		if _, got, err := s.Authenticate(ctx, tok); err != nil || !got.LastSeenAt.Equal(c.now()) {
			t.Fatalf("active session, round %d: %v", i, err)
		}
	}
	var seen time.Time
	if err := s.db.Reader().QueryRow("SELECT last_seen_at FROM sessions WHERE id = ?", sess.ID).Scan(&seen); err != nil || !seen.Equal(c.now()) {
		t.Fatalf("stored last_seen_at = %v (%v), want %v", seen, err, c.now())
	}
	c.advance(s.SessionIdle)
	_, _, err = s.Authenticate(ctx, tok)
	if !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("idle session: %v, want ErrSessionEnded", err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM sessions WHERE id = ?", sess.ID); n != 0 {
		t.Fatal("idle session row still stored")
	}
	// Ended for good, even if the clock were turned back.
	c.advance(-s.SessionIdle)
	if _, _, err := s.Authenticate(ctx, tok); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("ended session revived: %v", err)
	}
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	s, c := newTestService(t)
	ctx := context.Background()
	start := c.now()
	tok, _, err := s.Login(ctx, "cn.delegate@parley.example", DemoPassword, "10.0.0.1", "t")
	if err != nil {
		t.Fatal(err)
	}
	_, sess, err := s.Authenticate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if !sess.ExpiresAt.Equal(start.Add(s.SessionMax)) {
		t.Fatalf("expires at %v, want %v", sess.ExpiresAt, start.Add(s.SessionMax))
	}
	step := s.SessionIdle - 10*time.Minute
	last := c.now()
	for c.now().Add(step).Before(start.Add(s.SessionMax)) {
		c.advance(step)
		if _, _, err := s.Authenticate(ctx, tok); err != nil {
			t.Fatalf("active session ended %v after login: %v", c.now().Sub(start), err)
		}
		last = c.now()
	}
	c.t = start.Add(s.SessionMax) // still active (last seen < idle ago), but at the absolute end
	if c.now().Sub(last) >= s.SessionIdle || last.Sub(start) < s.SessionMax-s.SessionIdle {
		t.Fatalf("test setup: last activity at %v is not within the idle limit of the end", last.Sub(start))
	}
	_, _, err = s.Authenticate(ctx, tok)
	if !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("session past SessionMax: %v, want ErrSessionEnded", err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM sessions WHERE id = ?", sess.ID); n != 0 {
		t.Fatal("expired session row still stored")
	}
}

func TestExpiredSessionsPurgedAtLogin(t *testing.T) {
	s, c := newTestService(t)
	ctx := context.Background()
	if _, _, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", "t"); err != nil {
		t.Fatal(err)
	}
	c.advance(s.SessionIdle + time.Minute)
	if _, _, err := s.Login(ctx, "cn.head@parley.example", DemoPassword, "10.0.0.2", "t"); err != nil {
		t.Fatal(err)
	}
	head := user(t, s, "us.head@parley.example")
	if n := countRows(t, s, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", head.ID); n != 0 {
		t.Fatalf("idle session of another user not purged at login")
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM sessions"); n != 1 {
		t.Fatalf("%d sessions, want only the new one", n)
	}
}

func TestLogoutEndsSession(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	tok, _, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", "t")
	if err != nil {
		t.Fatal(err)
	}
	tok2, _, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.2", "t")
	if err != nil {
		t.Fatal(err)
	}
	u, sess, err := s.Authenticate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Logout(ctx, u, sess.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, tok); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("after logout: %v", err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM sessions WHERE id = ?", sess.ID); n != 0 {
		t.Fatal("logged-out session still stored")
	}
	// The other browser stays signed in.
	if _, _, err := s.Authenticate(ctx, tok2); err != nil {
		t.Fatalf("other session: %v", err)
	}
}

func TestAuthenticateRejectsUnknownTokens(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	tok, _, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", "t")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "x", tok + "x", tok[:len(tok)-1], hashToken(tok), strings.ToUpper(tok)} {
		if bad == tok {
			continue
		}
		if _, _, err := s.Authenticate(ctx, bad); !errors.Is(err, ErrSessionEnded) {
			t.Fatalf("Authenticate(%q) = %v, want ErrSessionEnded", bad, err)
		}
	}
}

func TestTokensStoredHashed(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	longUA := strings.Repeat("a", 500)
	tok, _, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", longUA)
	if err != nil {
		t.Fatal(err)
	}
	tok2, _, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 43 || tok == tok2 {
		t.Fatalf("tokens %q %q: too short or repeated", tok, tok2)
	}
	rows, err := s.db.Reader().Query("SELECT * FROM sessions")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	hashes := map[string]bool{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			text := fmt.Sprint(v)
			if b, ok := v.([]byte); ok {
				text = string(b)
			}
			for _, raw := range []string{tok, tok2} {
				if strings.Contains(text, raw) {
					t.Fatalf("column %s holds the raw token", cols[i])
				}
			}
			if cols[i] == "token_hash" {
				hashes[text] = true
			}
			if cols[i] == "user_agent" && len(text) > 300 {
				t.Fatalf("user agent stored with %d bytes", len(text))
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(hashes) != 2 || !hashes[hashToken(tok)] || !hashes[hashToken(tok2)] {
		t.Fatalf("stored hashes %v, want the SHA-256 of each token", hashes)
	}
	// And nothing in the audit trail holds a token either.
	for _, r := range auditRecords(t, s) {
		if strings.Contains(r.Changes, tok) || strings.Contains(r.Changes, hashToken(tok)) {
			t.Fatalf("audit record %d holds the token", r.ID)
		}
	}
}

// parallelLogins fires n logins at once and counts those that were not
// throttled (their password was checked).
func parallelLogins(t *testing.T, s *Service, n int, attempt func(i int) (email, password, clientIP string)) (checked int) {
	t.Helper()
	ctx := context.Background()
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		email, pw, ip := attempt(i)
		go func() {
			<-start
			_, _, err := s.Login(ctx, email, pw, ip, "t")
			errs <- err
		}()
	}
	close(start)
	for i := 0; i < n; i++ {
		switch err := <-errs; ErrorCode(err) {
		case ETHROTTLED:
		case EUNAUTHORIZED, "":
			checked++
		default:
			t.Errorf("parallel login: %v", err)
		}
	}
	return checked
}

// Attempts are counted before the password is checked, so parallel requests
// cannot all slip under the limit.
func TestThrottleHoldsUnderParallelAttempts(t *testing.T) {
	s, _ := newTestService(t)
	// A slower hash for the target, so that the checks overlap as they would in production.
	s.Argon = ArgonParams{Memory: 4 * 1024, Time: 1, Threads: 1}
	head := user(t, s, "cn.head@parley.example")
	if _, err := s.ResetPassword(context.Background(), System, head.ID, head.Version); err != nil {
		t.Fatal(err)
	}
	checked := parallelLogins(t, s, 15, func(i int) (string, string, string) {
		return "cn.head@parley.example", fmt.Sprintf("wrong-guess-%04d", i), "10.0.3.1"
	})
	if checked != s.MaxFailuresPerAccountClient {
		t.Errorf("15 parallel wrong passwords for one account: %d checked, want the limit %d", checked, s.MaxFailuresPerAccountClient)
	}

	// A client already at 15 failures sends 20 at once: only 5 more are checked.
	const ip = "203.0.113.50"
	ctx := context.Background()
	for i := 0; i < 15; i++ {
		_, _, err := s.Login(ctx, fmt.Sprintf("nobody%02d@parley.example", i), "whatever-guess-1", ip, "t")
		wantCode(t, err, EUNAUTHORIZED)
	}
	checked = parallelLogins(t, s, 20, func(i int) (string, string, string) {
		return fmt.Sprintf("someone%02d@parley.example", i), "whatever-guess-1", ip
	})
	if want := s.MaxFailuresPerClient - 15; checked != want {
		t.Errorf("20 parallel attempts from a client at 15 failures: %d checked, want %d", checked, want)
	}
}

// Failed attempts on an account are handed to the owner's next session,
// then forgotten; throttled attempts and other accounts' do not count.
func TestFailedLoginsHandedToNextSession(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	const email = "us.head@parley.example"
	failedLogins := func(tok string) int {
		t.Helper()
		_, sess, err := s.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		return sess.FailedLogins
	}
	first, _, err := s.Login(ctx, email, DemoPassword, "198.51.100.8", "t")
	if err != nil {
		t.Fatal(err)
	}
	if n := failedLogins(first); n != 0 {
		t.Fatalf("first sign-in: %d failed attempts reported, want 0", n)
	}
	for i := 0; i < 7; i++ { // 5 checked, then 2 throttled
		_, _, err := s.Login(ctx, email, "wrong-guess-0000", "203.0.113.66", "t")
		if i < 5 {
			wantCode(t, err, EUNAUTHORIZED)
		} else {
			wantCode(t, err, ETHROTTLED)
		}
	}
	_, _, err = s.Login(ctx, email, "wrong-guess-0001", "203.0.113.67", "t")
	wantCode(t, err, EUNAUTHORIZED)
	_, _, err = s.Login(ctx, email, "my-own-typo-01", "198.51.100.8", "t")
	wantCode(t, err, EUNAUTHORIZED)
	_, _, err = s.Login(ctx, "us.delegate@parley.example", "wrong-guess-0000", "203.0.113.66", "t") // another account
	wantCode(t, err, EUNAUTHORIZED)
	_, _, err = s.Login(ctx, "nobody@parley.example", "wrong-guess-0000", "203.0.113.68", "t")
	wantCode(t, err, EUNAUTHORIZED)

	tok, _, err := s.Login(ctx, email, DemoPassword, "198.51.100.8", "t")
	if err != nil {
		t.Fatal(err)
	}
	if n := failedLogins(tok); n != 7 {
		t.Fatalf("after 5 + 1 strangers' failures and 1 typo: %d reported, want 7", n)
	}
	if n := failedLogins(first); n != 0 {
		t.Fatalf("the earlier session reports %d", n)
	}
	delegate := user(t, s, "us.delegate@parley.example")
	if n := countRows(t, s, "SELECT COUNT(*) FROM failed_login_counts"); n != 1 {
		t.Fatalf("%d failure counts kept after the owner signed in, want only the other account's", n)
	}
	if n := countRows(t, s, "SELECT failures FROM failed_login_counts WHERE user_id = ?", delegate.ID); n != 1 {
		t.Fatalf("the other account's count is %d, want 1", n)
	}
	next, _, err := s.Login(ctx, email, DemoPassword, "198.51.100.8", "t")
	if err != nil {
		t.Fatal(err)
	}
	if n := failedLogins(next); n != 0 {
		t.Fatalf("the next sign-in reports %d, want 0", n)
	}
}
