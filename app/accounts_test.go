package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func side(t *testing.T, s *Service, code string) *Side {
	t.Helper()
	sd, err := s.db.sideByCode(context.Background(), code)
	if err != nil {
		t.Fatalf("side %s: %v", code, err)
	}
	return sd
}

// loginSession logs in and returns the token and the session.
func loginSession(t *testing.T, s *Service, email, pw string) (string, *Session) {
	t.Helper()
	ctx := context.Background()
	tok, _, err := s.Login(ctx, email, pw, "10.9.9.9", "test")
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	_, sess, err := s.Authenticate(ctx, tok)
	if err != nil {
		t.Fatalf("authenticate %s: %v", email, err)
	}
	return tok, sess
}

func TestCreateUserValidation(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	us, sec := side(t, s, "US"), side(t, s, "SEC")
	good := UserInput{Email: "fresh@parley.example", Name: "Fresh Person", SideID: us.ID, Role: RoleDelegate}
	users0 := countRows(t, s, "SELECT COUNT(*) FROM users")
	audit0 := countRows(t, s, "SELECT COUNT(*) FROM audit_records")

	for _, c := range []struct {
		name       string
		edit       func(*UserInput)
		field, key string
	}{
		{"no at", func(in *UserInput) { in.Email = "not-an-email" }, "email", "email.invalid"},
		{"no dot in domain", func(in *UserInput) { in.Email = "a@localhost" }, "email", "email.invalid"},
		{"space", func(in *UserInput) { in.Email = "a b@parley.example" }, "email", "email.invalid"},
		{"display name form", func(in *UserInput) { in.Email = "Bob <bob@parley.example>" }, "email", "email.invalid"},
		{"empty email", func(in *UserInput) { in.Email = "" }, "email", "email.invalid"},
		{"over-long email", func(in *UserInput) { in.Email = strings.Repeat("a", 250) + "@x.org" }, "email", "email.invalid"},
		{"empty name", func(in *UserInput) { in.Name = "" }, "name", "field.required"},
		{"blank name", func(in *UserInput) { in.Name = "   \t " }, "name", "field.required"},
		{"over-long name", func(in *UserInput) { in.Name = strings.Repeat("x", 101) }, "name", "field.too_long"},
		{"over-long CJK name", func(in *UserInput) { in.Name = strings.Repeat("王", 101) }, "name", "field.too_long"},
		{"unknown side", func(in *UserInput) { in.SideID = 9999 }, "side", "account.side_invalid"},
		{"unknown role", func(in *UserInput) { in.Role = "king" }, "role", "account.role_invalid"},
		{"empty role", func(in *UserInput) { in.Role = "" }, "role", "account.role_invalid"},
		{"secretariat role on a delegation", func(in *UserInput) { in.Role = RoleSecretariat }, "role", "account.role_wrong_side"},
		{"head on the secretariat", func(in *UserInput) { in.SideID, in.Role = sec.ID, RoleHead }, "role", "account.role_wrong_side"},
		{"delegate on the secretariat", func(in *UserInput) { in.SideID, in.Role = sec.ID, RoleDelegate }, "role", "account.role_wrong_side"},
		{"duplicate email", func(in *UserInput) { in.Email = "us.delegate@parley.example" }, "email", "account.email_taken"},
		{"duplicate email other case", func(in *UserInput) { in.Email = "  US.Delegate@Parley.Example " }, "email", "account.email_taken"},
		{"weak password", func(in *UserInput) { in.Password = "password1234" }, "password", "password.common"},
		{"short password", func(in *UserInput) { in.Password = "short-pw" }, "password", "password.too_short"},
		{"personal password", func(in *UserInput) { in.Password = "Fresh Person" }, "password", "password.personal"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := good
			c.edit(&in)
			u, temp, err := s.CreateUser(ctx, admin, in)
			if u != nil || temp != "" {
				t.Fatalf("returned user %v temp %q on invalid input", u, temp)
			}
			wantField(t, err, c.field, c.key)
			if n := countRows(t, s, "SELECT COUNT(*) FROM users"); n != users0 {
				t.Fatalf("users %d -> %d: invalid input was saved", users0, n)
			}
			if n := countRows(t, s, "SELECT COUNT(*) FROM audit_records"); n != audit0 {
				t.Fatalf("audit records %d -> %d for invalid input", audit0, n)
			}
		})
	}

	// Boundaries that are fine: 100 characters (runes, not bytes), mixed-case email.
	u, _, err := s.CreateUser(ctx, admin, UserInput{Email: " Wang.Li@Parley.Example ", Name: strings.Repeat("王", 100), SideID: us.ID, Role: RoleObserver})
	if err != nil {
		t.Fatalf("100-rune name: %v", err)
	}
	if u.Email != "wang.li@parley.example" || u.Version != 1 || u.SideID != us.ID {
		t.Fatalf("created %+v", u)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM users"); n != users0+1 {
		t.Fatalf("users = %d, want %d", n, users0+1)
	}
}

func TestCreateUserTemporaryPassword(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	cn := side(t, s, "CN")
	u, temp, err := s.CreateUser(ctx, admin, UserInput{Email: "temp@parley.example", Name: "Temp", SideID: cn.ID, Role: RoleObserver})
	if err != nil {
		t.Fatal(err)
	}
	if temp == "" || !u.MustChangePassword {
		t.Fatalf("temp %q must change %v", temp, u.MustChangePassword)
	}
	if p := passwordProblem(temp); p != "" {
		t.Fatalf("temporary password %q breaks the rules: %s", temp, p)
	}
	stored := user(t, s, "temp@parley.example")
	if !stored.MustChangePassword || stored.PasswordHash == temp || !CheckPassword(temp, stored.PasswordHash) {
		t.Fatalf("stored account: must change %v, hash matches temp %v", stored.MustChangePassword, CheckPassword(temp, stored.PasswordHash))
	}
	_, lu, err := s.Login(ctx, "temp@parley.example", temp, "1.1.1.1", "t")
	if err != nil || !lu.MustChangePassword {
		t.Fatalf("login with temp password: %v %v", lu, err)
	}

	// With a password given: no temporary one, no forced change.
	u, temp, err = s.CreateUser(ctx, admin, UserInput{Email: "own@parley.example", Name: "Own", SideID: cn.ID, Role: RoleObserver, Password: "ember-lattice-42"})
	if err != nil || temp != "" || u.MustChangePassword {
		t.Fatalf("with password: %v temp %q must change %v", err, temp, u.MustChangePassword)
	}
	if _, _, err := s.Login(ctx, "own@parley.example", "ember-lattice-42", "1.1.1.1", "t"); err != nil {
		t.Fatal(err)
	}
}

func TestHeadCreatesAccounts(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	head := user(t, s, "us.head@parley.example")
	us, cn := side(t, s, "US"), side(t, s, "CN")

	u, _, err := s.CreateUser(ctx, head, UserInput{Email: "d2@parley.example", Name: "Second Delegate", SideID: us.ID, Role: RoleDelegate})
	if err != nil || u.SideID != us.ID || u.Role != RoleDelegate || u.Admin {
		t.Fatalf("head creates own delegate: %+v %v", u, err)
	}
	if _, _, err := s.CreateUser(ctx, head, UserInput{Email: "o2@parley.example", Name: "Second Observer", SideID: us.ID, Role: RoleObserver}); err != nil {
		t.Fatalf("head creates own observer: %v", err)
	}
	users0 := countRows(t, s, "SELECT COUNT(*) FROM users")
	_, _, err = s.CreateUser(ctx, head, UserInput{Email: "x1@parley.example", Name: "X", SideID: cn.ID, Role: RoleDelegate})
	wantField(t, err, "side", "account.side_not_allowed")
	_, _, err = s.CreateUser(ctx, head, UserInput{Email: "x2@parley.example", Name: "X", SideID: us.ID, Role: RoleHead})
	wantField(t, err, "role", "account.role_not_allowed")
	_, _, err = s.CreateUser(ctx, head, UserInput{Email: "x3@parley.example", Name: "X", SideID: us.ID, Role: RoleDelegate, Admin: true})
	wantField(t, err, "admin", "account.admin_not_allowed")
	_, _, err = s.CreateUser(ctx, head, UserInput{Email: "x4@parley.example", Name: "X", SideID: side(t, s, "SEC").ID, Role: RoleSecretariat})
	wantField(t, err, "side", "account.side_not_allowed")
	if n := countRows(t, s, "SELECT COUNT(*) FROM users"); n != users0 {
		t.Fatalf("refused creations saved %d users", n-users0)
	}

	// The admin may create heads and admins anywhere.
	admin := user(t, s, "admin@parley.example")
	if _, _, err := s.CreateUser(ctx, admin, UserInput{Email: "h2@parley.example", Name: "Deputy Head", SideID: cn.ID, Role: RoleHead}); err != nil {
		t.Fatal(err)
	}
	if u, _, err := s.CreateUser(ctx, admin, UserInput{Email: "a2@parley.example", Name: "Second Admin", SideID: us.ID, Role: RoleDelegate, Admin: true}); err != nil || !u.Admin {
		t.Fatalf("admin creates admin: %v", err)
	}
}

func TestNonManagersSeeNoAccounts(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	target := user(t, s, "us.delegate@parley.example")
	users0 := countRows(t, s, "SELECT COUNT(*) FROM users")
	for _, email := range []string{"us.delegate@parley.example", "us.observer@parley.example", "cn.delegate@parley.example", "secretariat@parley.example"} {
		a := user(t, s, email)
		_, err := s.ListUsers(ctx, a, UserFilter{})
		wantCode(t, err, ENOTFOUND)
		_, _, err = s.CreateUser(ctx, a, UserInput{Email: "z@parley.example", Name: "Z", SideID: a.SideID, Role: RoleObserver})
		wantCode(t, err, ENOTFOUND)
		_, err = s.GetUser(ctx, a, target.ID)
		wantCode(t, err, ENOTFOUND)
		_, err = s.GetUser(ctx, a, a.ID) // not even their own account, on the account pages
		wantCode(t, err, ENOTFOUND)
		err = s.SetUserDisabled(ctx, a, target.ID, target.Version, true)
		wantCode(t, err, ENOTFOUND)
		_, err = s.ResetPassword(ctx, a, target.ID, target.Version)
		wantCode(t, err, ENOTFOUND)
		_, err = s.UpdateUser(ctx, a, target.ID, target.Version, UserEdit{Email: target.Email, Name: "Hacked", Role: RoleDelegate})
		wantCode(t, err, ENOTFOUND)
	}
	if _, err := s.ListUsers(ctx, nil, UserFilter{}); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("nil actor: %v", err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM users"); n != users0 {
		t.Fatalf("users changed: %d -> %d", users0, n)
	}
	if got := user(t, s, target.Email); got.Name != target.Name || got.Disabled() || got.Version != target.Version {
		t.Fatalf("target changed: %+v", got)
	}
}

func TestListUsersScope(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	us, cn := side(t, s, "US"), side(t, s, "CN")

	admin := user(t, s, "admin@parley.example")
	all, err := s.ListUsers(ctx, admin, UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != int64(len(DemoAccounts)) || len(all.Items) != len(DemoAccounts) {
		t.Fatalf("admin sees %d of total %d, want %d", len(all.Items), all.Total, len(DemoAccounts))
	}
	for _, u := range all.Items {
		if u.Side == nil || u.Side.ID != u.SideID {
			t.Fatalf("user %s listed without its side", u.Email)
		}
	}
	onlyCN, err := s.ListUsers(ctx, admin, UserFilter{SideID: cn.ID})
	if err != nil || onlyCN.Total != 3 || len(onlyCN.Items) != 3 {
		t.Fatalf("admin filter CN: %d/%d %v", len(onlyCN.Items), onlyCN.Total, err)
	}

	head := user(t, s, "us.head@parley.example")
	for _, f := range []UserFilter{{}, {SideID: cn.ID}, {SideID: us.ID}} {
		own, err := s.ListUsers(ctx, head, f)
		if err != nil {
			t.Fatal(err)
		}
		if own.Total != 3 || len(own.Items) != 3 {
			t.Fatalf("US head with filter %+v sees %d/%d, want 3", f, len(own.Items), own.Total)
		}
		for _, u := range own.Items {
			if u.SideID != us.ID {
				t.Fatalf("US head sees %s of side %d", u.Email, u.SideID)
			}
		}
	}
	// GetUser follows the same scope.
	if _, err := s.GetUser(ctx, head, user(t, s, "cn.delegate@parley.example").ID); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("US head GetUser(CN delegate): %v", err)
	}
	if u, err := s.GetUser(ctx, head, user(t, s, "us.observer@parley.example").ID); err != nil || u.Side == nil || u.Side.Code != "US" {
		t.Fatalf("US head GetUser(US observer): %v %v", u, err)
	}
	if u, err := s.GetUser(ctx, admin, user(t, s, "cn.delegate@parley.example").ID); err != nil || u.Email != "cn.delegate@parley.example" {
		t.Fatalf("admin GetUser(CN delegate): %v", err)
	}
	if _, err := s.GetUser(ctx, admin, 99999); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("GetUser(missing): %v", err)
	}
}

func TestListUsersPagination(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	seen := map[int64]bool{}
	for n := 1; n <= 5; n++ {
		p, err := s.ListUsers(ctx, admin, UserFilter{Page: Page{Number: n, Size: 2}})
		if err != nil {
			t.Fatal(err)
		}
		want := 2
		if n == 5 {
			want = 0
		}
		if p.Total != 8 || len(p.Items) != want || p.Page.Size != 2 || p.Pages() != 4 {
			t.Fatalf("page %d: %d items, total %d, pages %d", n, len(p.Items), p.Total, p.Pages())
		}
		for _, u := range p.Items {
			if seen[u.ID] {
				t.Fatalf("user %s on two pages", u.Email)
			}
			seen[u.ID] = true
		}
	}
	if len(seen) != 8 {
		t.Fatalf("pages covered %d users, want 8", len(seen))
	}
	p, err := s.ListUsers(ctx, admin, UserFilter{Page: Page{Number: 3, Size: 3}})
	if err != nil || len(p.Items) != 2 || p.Total != 8 || p.Pages() != 3 {
		t.Fatalf("page 3 of 3: %d items total %d (%v)", len(p.Items), p.Total, err)
	}
	// Out-of-range sizes fall back to 50.
	p, err = s.ListUsers(ctx, admin, UserFilter{Page: Page{Number: 0, Size: 1000}})
	if err != nil || p.Page.Size != 50 || p.Page.Number != 1 || len(p.Items) != 8 {
		t.Fatalf("normalized page: %+v, %d items (%v)", p.Page, len(p.Items), err)
	}
}

func TestListUsersQueryCountIndependentOfPageSize(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	sides := []*Side{side(t, s, "US"), side(t, s, "CN")}
	for i := 0; i < 60; i++ {
		sd := sides[i%2]
		if _, _, err := s.CreateUser(ctx, admin, UserInput{Email: fmt.Sprintf("bulk%02d@parley.example", i),
			Name: fmt.Sprintf("Bulk %02d", i), SideID: sd.ID, Role: RoleObserver, Password: "granite-orbit-7531"}); err != nil {
			t.Fatal(err)
		}
	}
	queries := func(size int) (int64, PageOf[User]) {
		before := s.db.QueryCount()
		p, err := s.ListUsers(ctx, admin, UserFilter{Page: Page{Number: 1, Size: size}})
		if err != nil {
			t.Fatal(err)
		}
		return s.db.QueryCount() - before, p
	}
	q2, p2 := queries(2)
	q50, p50 := queries(50)
	if len(p2.Items) != 2 || len(p50.Items) != 50 || p2.Total != 68 || p50.Total != 68 {
		t.Fatalf("pages: %d and %d items, totals %d %d", len(p2.Items), len(p50.Items), p2.Total, p50.Total)
	}
	sidesOnPage := map[int64]bool{}
	for _, u := range p50.Items {
		if u.Side == nil {
			t.Fatalf("%s listed without side", u.Email)
		}
		sidesOnPage[u.SideID] = true
	}
	if len(sidesOnPage) < 2 {
		t.Fatalf("page of 50 spans %d sides; test needs several", len(sidesOnPage))
	}
	if q2 != q50 {
		t.Fatalf("ListUsers ran %d statements for 2 users and %d for 50 (N+1?)", q2, q50)
	}
	if q2 == 0 || q2 > 3 {
		t.Fatalf("ListUsers ran %d statements, want at most 3 (count, page, sides)", q2)
	}
}

func TestUpdateUserVersionConflict(t *testing.T) {
	s, c := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	target := user(t, s, "us.delegate@parley.example")
	c.advance(time.Hour)
	u, err := s.UpdateUser(ctx, admin, target.ID, target.Version, UserEdit{Email: target.Email, Name: "First Edit", Role: RoleDelegate})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "First Edit" || u.Version != target.Version+1 || !u.UpdatedAt.Equal(c.now()) {
		t.Fatalf("after first edit: %+v", u)
	}
	audit0 := countRows(t, s, "SELECT COUNT(*) FROM audit_records")
	_, err = s.UpdateUser(ctx, admin, target.ID, target.Version, UserEdit{Email: "second@parley.example", Name: "Second Edit", Role: RoleObserver})
	wantCode(t, err, ECONFLICT)
	got := user(t, s, target.Email)
	if got.Name != "First Edit" || got.Role != RoleDelegate || got.Version != target.Version+1 {
		t.Fatalf("after the stale edit: %+v", got)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM audit_records"); n != audit0 {
		t.Fatalf("a refused edit was audited")
	}
	// With the fresh version the second editor succeeds.
	if _, err := s.UpdateUser(ctx, admin, target.ID, got.Version, UserEdit{Email: "second@parley.example", Name: "Second Edit", Role: RoleObserver}); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateUserRules(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	head := user(t, s, "us.head@parley.example")
	del := user(t, s, "us.delegate@parley.example")

	_, err := s.UpdateUser(ctx, admin, del.ID, del.Version, UserEdit{Email: "cn.head@parley.example", Name: del.Name, Role: del.Role})
	wantField(t, err, "email", "account.email_taken")
	_, err = s.UpdateUser(ctx, admin, del.ID, del.Version, UserEdit{Email: del.Email, Name: del.Name, Role: RoleSecretariat})
	wantField(t, err, "role", "account.role_wrong_side")
	_, err = s.UpdateUser(ctx, admin, admin.ID, admin.Version, UserEdit{Email: admin.Email, Name: admin.Name, Role: admin.Role, Admin: false})
	wantField(t, err, "admin", "account.admin_self")
	// A head may edit their delegates, but not promote them or make them admins.
	_, err = s.UpdateUser(ctx, head, del.ID, del.Version, UserEdit{Email: del.Email, Name: del.Name, Role: RoleHead})
	wantField(t, err, "role", "account.role_not_allowed")
	_, err = s.UpdateUser(ctx, head, del.ID, del.Version, UserEdit{Email: del.Email, Name: del.Name, Role: del.Role, Admin: true})
	wantField(t, err, "admin", "account.admin_not_allowed")
	if u, err := s.UpdateUser(ctx, head, del.ID, del.Version, UserEdit{Email: del.Email, Name: "Sarah C.", Role: RoleObserver}); err != nil || u.Role != RoleObserver {
		t.Fatalf("head demotes own delegate: %v", err)
	}
	// A head may not edit a head (themself included).
	_, err = s.UpdateUser(ctx, head, head.ID, head.Version, UserEdit{Email: head.Email, Name: "Boss", Role: RoleHead})
	wantCode(t, err, EFORBIDDEN)
	if got := user(t, s, head.Email); got.Name != head.Name {
		t.Fatalf("head renamed themself")
	}
}

func TestSetUserDisabledEndsSessions(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	target := user(t, s, "cn.delegate@parley.example")
	tok1, _ := loginSession(t, s, target.Email, DemoPassword)
	tok2, _ := loginSession(t, s, target.Email, DemoPassword)

	if err := s.SetUserDisabled(ctx, admin, target.ID, target.Version, true); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", target.ID); n != 0 {
		t.Fatalf("%d sessions survive the disable", n)
	}
	for _, tok := range []string{tok1, tok2} {
		_, _, err := s.Authenticate(ctx, tok)
		wantCode(t, err, EUNAUTHORIZED)
	}
	got := user(t, s, target.Email)
	if !got.Disabled() || !got.DisabledAt.Equal(s.now()) {
		t.Fatalf("disabled at %v", got.DisabledAt)
	}
	_, _, err := s.Login(ctx, target.Email, DemoPassword, "1.2.3.4", "t")
	wantCode(t, err, EUNAUTHORIZED)

	// Disabling again is a no-op; stale version when enabling is a conflict.
	if err := s.SetUserDisabled(ctx, admin, target.ID, got.Version, true); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.SetUserDisabled(ctx, admin, target.ID, target.Version, false), ECONFLICT)
	if err := s.SetUserDisabled(ctx, admin, target.ID, got.Version, false); err != nil {
		t.Fatal(err)
	}
	if user(t, s, target.Email).Disabled() {
		t.Fatal("still disabled after enable")
	}
	if _, _, err := s.Login(ctx, target.Email, DemoPassword, "1.2.3.5", "t"); err != nil {
		t.Fatalf("login after enable: %v", err)
	}

	// Nobody disables themself.
	err = s.SetUserDisabled(ctx, admin, admin.ID, admin.Version, true)
	wantCode(t, err, EINVALID)
	if ErrorMessage(err) != "account.disable_self" {
		t.Fatalf("self-disable message %q", ErrorMessage(err))
	}
	if user(t, s, admin.Email).Disabled() {
		t.Fatal("admin disabled themself")
	}
	// A head may disable their own delegates, not other sides' nor other heads.
	head := user(t, s, "us.head@parley.example")
	usDel := user(t, s, "us.delegate@parley.example")
	if err := s.SetUserDisabled(ctx, head, usDel.ID, usDel.Version, true); err != nil {
		t.Fatalf("head disables own delegate: %v", err)
	}
	cnHead := user(t, s, "cn.head@parley.example")
	wantCode(t, s.SetUserDisabled(ctx, head, cnHead.ID, cnHead.Version, true), ENOTFOUND)
	wantCode(t, s.SetUserDisabled(ctx, head, head.ID, head.Version, true), EFORBIDDEN)
	if user(t, s, cnHead.Email).Disabled() || user(t, s, head.Email).Disabled() {
		t.Fatal("a refused disable took effect")
	}
}

func TestResetPassword(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	head := user(t, s, "us.head@parley.example")
	target := user(t, s, "us.observer@parley.example")
	tok, _ := loginSession(t, s, target.Email, DemoPassword)

	temp, err := s.ResetPassword(ctx, head, target.ID, target.Version)
	if err != nil {
		t.Fatal(err)
	}
	if temp == "" || temp == DemoPassword || passwordProblem(temp) != "" {
		t.Fatalf("temp password %q", temp)
	}
	_, _, err = s.Authenticate(ctx, tok)
	wantCode(t, err, EUNAUTHORIZED)
	if n := countRows(t, s, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", target.ID); n != 0 {
		t.Fatalf("%d sessions survive the reset", n)
	}
	_, _, err = s.Login(ctx, target.Email, DemoPassword, "1.1.1.1", "t")
	wantCode(t, err, EUNAUTHORIZED)
	_, u, err := s.Login(ctx, target.Email, temp, "1.1.1.1", "t")
	if err != nil || !u.MustChangePassword {
		t.Fatalf("login with temp: %v must change %v", err, u != nil && u.MustChangePassword)
	}

	// Stale version, other side, and heads are refused.
	_, err = s.ResetPassword(ctx, head, target.ID, target.Version)
	wantCode(t, err, ECONFLICT)
	cnDel := user(t, s, "cn.delegate@parley.example")
	_, err = s.ResetPassword(ctx, head, cnDel.ID, cnDel.Version)
	wantCode(t, err, ENOTFOUND)
	_, err = s.ResetPassword(ctx, head, head.ID, head.Version)
	wantCode(t, err, EFORBIDDEN)
	if _, _, err := s.Login(ctx, cnDel.Email, DemoPassword, "1.1.1.2", "t"); err != nil {
		t.Fatalf("refused reset changed the password: %v", err)
	}
}

func TestChangePassword(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	me := user(t, s, "us.delegate@parley.example")
	tokKeep, keep := loginSession(t, s, me.Email, DemoPassword)
	tokOther, _ := loginSession(t, s, me.Email, DemoPassword)
	otherUser := user(t, s, "us.head@parley.example")
	tokNeighbour, _ := loginSession(t, s, otherUser.Email, DemoPassword)

	const good = "quiet-river-stone-9"
	for _, c := range []struct {
		current, next, confirm string
		field, key             string
	}{
		{"wrong-password-0000", good, good, "current_password", "password.current_wrong"},
		{DemoPassword, "short-pw", "short-pw", "new_password", "password.too_short"},
		{DemoPassword, "password1234", "password1234", "new_password", "password.common"},
		{DemoPassword, "qwertyuiop123", "qwertyuiop123", "new_password", "password.common"},
		{DemoPassword, "Sarah Collins", "Sarah Collins", "new_password", "password.personal"},
		{DemoPassword, "us.delegate!!", "us.delegate!!", "new_password", "password.personal"},
		{DemoPassword, DemoPassword, DemoPassword, "new_password", "password.same"},
		{DemoPassword, good, good + "x", "confirm_password", "password.mismatch"},
	} {
		err := s.ChangePassword(ctx, me, keep.ID, c.current, c.next, c.confirm)
		wantField(t, err, c.field, c.key)
	}
	// All problems are reported at once.
	err := s.ChangePassword(ctx, me, keep.ID, "nope-nope-nope", "short", "other")
	if f := FieldErrors(err); len(f) != 3 {
		t.Fatalf("field errors %v, want three", f)
	}
	// Nothing changed so far.
	if _, _, err := s.Authenticate(ctx, tokOther); err != nil {
		t.Fatalf("failed attempts ended a session: %v", err)
	}

	if err := s.ChangePassword(ctx, me, keep.ID, DemoPassword, good, good); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, tokKeep); err != nil {
		t.Fatalf("kept session ended: %v", err)
	}
	_, _, err = s.Authenticate(ctx, tokOther)
	wantCode(t, err, EUNAUTHORIZED)
	if _, _, err := s.Authenticate(ctx, tokNeighbour); err != nil {
		t.Fatalf("another user's session ended: %v", err)
	}
	_, _, err = s.Login(ctx, me.Email, DemoPassword, "1.1.1.1", "t")
	wantCode(t, err, EUNAUTHORIZED)
	if _, _, err := s.Login(ctx, me.Email, good, "1.1.1.1", "t"); err != nil {
		t.Fatalf("login with new password: %v", err)
	}
}

func TestChangePasswordClearsMustChange(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	target := user(t, s, "cn.observer@parley.example")
	temp, err := s.ResetPassword(ctx, admin, target.ID, target.Version)
	if err != nil {
		t.Fatal(err)
	}
	tok, sess := loginSession(t, s, target.Email, temp)
	me := user(t, s, target.Email)
	if !me.MustChangePassword {
		t.Fatal("must change not set after reset")
	}
	if err := s.ChangePassword(ctx, me, sess.ID, temp, "amber-willow-3141", "amber-willow-3141"); err != nil {
		t.Fatal(err)
	}
	if user(t, s, target.Email).MustChangePassword {
		t.Fatal("must change still set after changing the password")
	}
	if _, _, err := s.Authenticate(ctx, tok); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateSettings(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	me := user(t, s, "cn.delegate@parley.example")
	for _, c := range []struct{ lang, tz, field, key string }{
		{"fr", "", "language", "lang.invalid"},
		{"EN", "", "language", "lang.invalid"},
		{"", "Mars/Olympus_Mons", "time_zone", "tz.invalid"},
		{"", "Local", "time_zone", "tz.invalid"},
		{"", "../../etc/passwd", "time_zone", "tz.invalid"},
	} {
		wantField(t, s.UpdateSettings(ctx, me, me.Version, c.lang, c.tz), c.field, c.key)
	}
	if got := user(t, s, me.Email); got.Language != "" || got.TimeZone != "" || got.Version != me.Version {
		t.Fatalf("invalid settings saved: %+v", got)
	}
	if err := s.UpdateSettings(ctx, me, me.Version, "en", "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	got := user(t, s, me.Email)
	if got.PreferredLanguage() != "en" || got.Location().String() != "Europe/Berlin" || got.Version != me.Version+1 {
		t.Fatalf("settings: %s %s v%d", got.PreferredLanguage(), got.Location(), got.Version)
	}
	// Stale version conflicts.
	wantCode(t, s.UpdateSettings(ctx, me, me.Version, "zh", ""), ECONFLICT)
	// Back to the side defaults.
	if err := s.UpdateSettings(ctx, got, got.Version, "", ""); err != nil {
		t.Fatal(err)
	}
	got = user(t, s, me.Email)
	if got.PreferredLanguage() != "zh" || got.Location().String() != "Asia/Shanghai" {
		t.Fatalf("defaults: %s %s", got.PreferredLanguage(), got.Location())
	}
	wantField(t, s.SetLanguage(ctx, got, "de"), "language", "lang.invalid")
}

func TestSideManagementAdminOnly(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	us := side(t, s, "US")
	in := SideInput{Code: "EU", NameEN: "EU delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"}
	for _, email := range []string{"us.head@parley.example", "cn.delegate@parley.example", "secretariat@parley.example", "us.observer@parley.example"} {
		a := user(t, s, email)
		_, err := s.CreateDelegation(ctx, a, in)
		wantCode(t, err, ENOTFOUND)
		wantCode(t, s.UpdateSide(ctx, a, us.ID, us.Version, SideInput{Code: "US", NameEN: "Hacked", NameZH: "x", TimeZone: "UTC", Language: "en"}), ENOTFOUND)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM sides"); n != 3 {
		t.Fatalf("sides = %d", n)
	}
	if got := side(t, s, "US"); got.NameEN != us.NameEN || got.Version != us.Version {
		t.Fatalf("US side changed: %+v", got)
	}
}

func TestSideValidationAndConflicts(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	base := SideInput{Code: "EU", NameEN: "EU delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"}
	audit0 := countRows(t, s, "SELECT COUNT(*) FROM audit_records")
	for _, c := range []struct {
		edit       func(*SideInput)
		field, key string
	}{
		{func(in *SideInput) { in.Code = "US" }, "code", "side.code_taken"},
		{func(in *SideInput) { in.Code = " us " }, "code", "side.code_taken"},
		{func(in *SideInput) { in.Code = "SEC" }, "code", "side.code_taken"},
		{func(in *SideInput) { in.Code = "E" }, "code", "side.code_invalid"},
		{func(in *SideInput) { in.Code = "E1" }, "code", "side.code_invalid"},
		{func(in *SideInput) { in.Code = "ABCDEFGHI" }, "code", "side.code_invalid"},
		{func(in *SideInput) { in.NameEN = " " }, "name_en", "field.required"},
		{func(in *SideInput) { in.NameZH = "" }, "name_zh", "field.required"},
		{func(in *SideInput) { in.NameEN = strings.Repeat("e", 101) }, "name_en", "field.too_long"},
		{func(in *SideInput) { in.TimeZone = "Europe/Atlantis" }, "time_zone", "tz.invalid"},
		{func(in *SideInput) { in.TimeZone = "" }, "time_zone", "tz.invalid"},
		{func(in *SideInput) { in.Language = "fr" }, "language", "lang.invalid"},
	} {
		in := base
		c.edit(&in)
		_, err := s.CreateDelegation(ctx, admin, in)
		wantField(t, err, c.field, c.key)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM sides"); n != 3 {
		t.Fatalf("invalid sides saved: %d sides", n)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM audit_records"); n != audit0 {
		t.Fatal("invalid sides audited")
	}

	eu, err := s.CreateDelegation(ctx, admin, SideInput{Code: " eu ", NameEN: "EU delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if eu.Code != "EU" || eu.Kind != KindDelegation || eu.Version != 1 {
		t.Fatalf("created %+v", eu)
	}
	// Renaming onto a taken code fails; a stale version conflicts.
	wantField(t, s.UpdateSide(ctx, admin, eu.ID, eu.Version, SideInput{Code: "CN", NameEN: "x", NameZH: "x", TimeZone: "UTC", Language: "en"}), "code", "side.code_taken")
	upd := SideInput{Code: "EU", NameEN: "European Union delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"}
	if err := s.UpdateSide(ctx, admin, eu.ID, eu.Version, upd); err != nil {
		t.Fatal(err)
	}
	upd2 := upd
	upd2.NameEN = "Stale edit"
	wantCode(t, s.UpdateSide(ctx, admin, eu.ID, eu.Version, upd2), ECONFLICT)
	got, err := s.ManagedSide(ctx, admin, eu.ID)
	if err != nil || got.NameEN != "European Union delegation" || got.Version != 2 {
		t.Fatalf("after conflict: %+v %v", got, err)
	}
	wantCode(t, s.UpdateSide(ctx, admin, 9999, 1, upd), ENOTFOUND)
}

func TestThirdDelegation(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	admin := user(t, s, "admin@parley.example")
	eu, err := s.CreateDelegation(ctx, admin, SideInput{Code: "EU", NameEN: "EU delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	sides, err := s.ListSides(ctx, user(t, s, "cn.observer@parley.example"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, sd := range sides {
		codes = append(codes, sd.Code)
	}
	if strings.Join(codes, ",") != "CN,EU,US,SEC" {
		t.Fatalf("sides = %v", codes)
	}
	// A new delegation's first head is created from the command line.
	if _, _, err := s.CreateUser(ctx, System, UserInput{Email: "eu.head@parley.example", Name: "Hanna Berg", SideID: eu.ID, Role: RoleHead, Password: "fjord-lantern-2024"}); err != nil {
		t.Fatal(err)
	}
	tok, head, err := s.Login(ctx, "eu.head@parley.example", "fjord-lantern-2024", "10.3.3.3", "t")
	if err != nil {
		t.Fatal(err)
	}
	if head.Side == nil || head.Side.Code != "EU" || head.Location().String() != "Europe/Brussels" {
		t.Fatalf("EU head: %+v", head)
	}
	got, _, err := s.Authenticate(ctx, tok)
	if err != nil || got.ID != head.ID {
		t.Fatalf("authenticate EU head: %v", err)
	}
	// The EU head manages EU accounts only.
	if _, _, err := s.CreateUser(ctx, head, UserInput{Email: "eu.delegate@parley.example", Name: "Jan Novak", SideID: eu.ID, Role: RoleDelegate}); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListUsers(ctx, head, UserFilter{})
	if err != nil || list.Total != 2 {
		t.Fatalf("EU head lists %d (%v), want 2", list.Total, err)
	}
	_, _, err = s.CreateUser(ctx, head, UserInput{Email: "x@parley.example", Name: "X", SideID: side(t, s, "US").ID, Role: RoleDelegate})
	wantField(t, err, "side", "account.side_not_allowed")
	// Its own chain, invisible to the others.
	chains, err := s.AuditChains(ctx, head)
	if err != nil || strings.Join(chainNames(chains), ",") != ChainShared+","+SideChain(eu.ID) {
		t.Fatalf("EU head chains %v (%v)", chainNames(chains), err)
	}
	usChains, _ := s.AuditChains(ctx, user(t, s, "us.head@parley.example"))
	for _, c := range usChains {
		if c.Chain == SideChain(eu.ID) {
			t.Fatal("US head sees the EU chain")
		}
	}
	if _, problems, err := s.db.VerifyAudit(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}
