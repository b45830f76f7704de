package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

const (
	noticeEN = "Failed sign-in attempts on your account since your last visit: %d. If this was not you, change your password."
	noticeZH = "自您上次访问以来，您的账户有 %d 次登录失败。如果不是您本人所为，请更改密码。"
)

func notice(format string, n int) string { return strings.Replace(format, "%d", itoa(int64(n)), 1) }

// After signing in, the owner learns how many failed attempts there were on
// their account since their last visit; nobody else does.
func TestFailedLoginsNoticeForOwner(t *testing.T) {
	ts := newTestServer(t)
	const email = "us.head@parley.example"
	before := ts.as(email) // a session from before the failures

	stranger := ts.client()
	for i := 0; i < 3; i++ {
		wantStatus(t, "stranger's guess", stranger.post("/login", loginForm(email, "wrong-password-2013")), http.StatusUnauthorized)
	}
	// Failures on another account, or on no account, are not the owner's.
	wantStatus(t, "another account", stranger.post("/login", loginForm("us.delegate@parley.example", "wrong-password-2013")), http.StatusUnauthorized)
	wantStatus(t, "no account", stranger.post("/login", loginForm("nobody@parley.example", "wrong-password-2013")), http.StatusUnauthorized)

	owner := ts.client()
	wantRedirect(t, "owner signs in", owner.post("/login", loginForm(email, app.DemoPassword)), "/")
	want := notice(noticeEN, 3)
	for i := 0; i < 2; i++ { // the landing page, and for the rest of the session
		dash := owner.get("/")
		wantStatus(t, "owner's dashboard", dash, http.StatusOK)
		if n := strings.Count(dash.Body, want); n != 1 {
			t.Errorf("owner's dashboard, visit %d: the notice %q appears %d times", i+1, want, n)
		}
	}
	// Nobody else sees it: not the owner's older session, not another user, not the stranger.
	for what, c := range map[string]*client{"the owner's earlier session": before,
		"another user": ts.as("us.observer@parley.example"), "the stranger": stranger} {
		for _, p := range []string{"/", "/login"} {
			if body := c.get(p).Body; strings.Contains(body, "Failed sign-in attempts") {
				t.Errorf("%s sees the notice on %s", what, p)
			}
		}
	}
	// The account the stranger tried once learns of that one.
	if body := ts.as("us.delegate@parley.example").get("/").Body; !strings.Contains(body, notice(noticeEN, 1)) {
		t.Errorf("us.delegate's dashboard lacks %q", notice(noticeEN, 1))
	}
	// The count was handed over: the next sign-in has nothing to report.
	again := ts.client()
	again.login(email)
	if strings.Contains(again.get("/").Body, "Failed sign-in attempts") {
		t.Errorf("the notice is shown again at the next sign-in")
	}

	// Signing in to another page: the notice is on that first page, once, and on the dashboard.
	wantStatus(t, "one more guess", stranger.post("/login", loginForm(email, "wrong-password-2013")), http.StatusUnauthorized)
	deep := ts.client()
	f := loginForm(email, app.DemoPassword)
	f.Set("next", "/agenda")
	wantRedirect(t, "sign in to /agenda", deep.post("/login", f), "/agenda")
	if body := deep.get("/agenda").Body; strings.Count(body, notice(noticeEN, 1)) != 1 {
		t.Errorf("the first page after sign-in lacks the notice %q", notice(noticeEN, 1))
	}
	if strings.Contains(deep.get("/agenda").Body, "Failed sign-in attempts") {
		t.Errorf("the notice stays on other pages")
	}
	if !strings.Contains(deep.get("/").Body, notice(noticeEN, 1)) {
		t.Errorf("the dashboard lacks the notice later in the session")
	}

	// In Chinese.
	const cn = "cn.head@parley.example"
	for i := 0; i < 2; i++ {
		stranger.post("/login", loginForm(cn, "wrong-password-2013"))
	}
	zh := ts.as(cn)
	if body := zh.get("/").Body; !strings.Contains(body, notice(noticeZH, 2)) {
		t.Errorf("the Chinese dashboard lacks %q", notice(noticeZH, 2))
	}
}

// Through the router, behind a trusted proxy: a stranger's five failures
// from one address do not stop the owner from another, and the owner is
// told about them.
func TestStrangerCannotLockOwnerOutOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	srv, err := New(ts.services(), Config{TrustedProxies: []string{"127.0.0.1/32"}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	const email = "cn.head@parley.example"
	const tok = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" // cookie and field of an anonymous form
	attempt := func(pw, clientIP string) *http.Response {
		t.Helper()
		f := loginForm(email, pw)
		f.Set("_csrf", tok)
		req, _ := http.NewRequest(http.MethodPost, hs.URL+"/login", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", clientIP)
		req.AddCookie(&http.Cookie{Name: "parley_csrf", Value: tok})
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for i := 0; i < 5; i++ {
		if st := attempt("wrong-password-2013", "203.0.113.9").StatusCode; st != http.StatusUnauthorized {
			t.Fatalf("stranger's failure %d: status %d, want 401", i+1, st)
		}
	}
	if st := attempt(app.DemoPassword, "203.0.113.9").StatusCode; st != http.StatusTooManyRequests {
		t.Errorf("the stranger's address after 5 failures: status %d, want 429", st)
	}
	res := attempt(app.DemoPassword, "198.51.100.77")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner from their own address: status %d, want 303", res.StatusCode)
	}
	var session string
	for _, ck := range res.Cookies() {
		if ck.Name == "parley_session" {
			session = ck.Value
		}
	}
	req, _ := http.NewRequest(http.MethodGet, hs.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: "parley_session", Value: session})
	dash, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(dash.Body)
	dash.Body.Close()
	if want := notice(noticeZH, 5); !strings.Contains(string(body), want) {
		t.Errorf("the owner's dashboard lacks %q", want)
	}
}

// Parallel wrong passwords through the router: no more than the limit are
// checked, the others get 429.
func TestParallelLoginsThrottledOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	const tok = "pppppppppppppppppppppppppppppppppppppppppp"
	const n = 15
	statuses := make(chan int, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() {
			<-start
			f := loginForm("us.head@parley.example", "wrong-password-"+itoa(int64(i)))
			f.Set("_csrf", tok)
			req, _ := http.NewRequest(http.MethodPost, ts.http.URL+"/login", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: "parley_csrf", Value: tok})
			res, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				statuses <- 0
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	close(start)
	checked := 0
	for i := 0; i < n; i++ {
		switch st := <-statuses; st {
		case http.StatusUnauthorized:
			checked++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("parallel login: status %d", st)
		}
	}
	if checked != ts.svc.MaxFailuresPerAccountClient {
		t.Errorf("%d parallel wrong passwords: %d checked (401), want the limit %d", n, checked, ts.svc.MaxFailuresPerAccountClient)
	}
}
