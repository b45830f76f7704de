package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
)

// The authorization matrix: every non-public route, for every demo account,
// with the outcome written down by hand from the policy (app/policy.go).
// TestRouteWalk (routes_test.go) fails when a registered route is neither
// public nor listed here, so a new route cannot ship without a row.

// azAccounts are the columns of the matrix, in this order.
var azAccounts = [8]string{"us.head", "us.delegate", "us.observer", "cn.head", "cn.delegate", "cn.observer",
	"secretariat", "admin"}

func azEmail(short string) string { return short + "@parley.example" }

// outcome is what a request leads to.
type outcome string

const (
	o200   outcome = "200"   // the page is shown
	o303   outcome = "303"   // success: redirected to the row's next address
	oLogin outcome = "login" // redirected to /login: the actor's session is gone
	o403   outcome = "403"
	o404   outcome = "404"
	o409   outcome = "409"
	o422   outcome = "422"
)

// refused reports whether the outcome must leave the data unchanged.
func (o outcome) refused() bool {
	return o == o403 || o == o404 || o == o409 || o == o422 || o == oLogin
}

// azForm is what a row's form builder may use; versions are read right
// before the request, so the form is the one a browser would send.
type azForm struct {
	ts        *testServer
	actor     *app.User
	target    *app.User         // for user targets
	side      *app.Side         // for side targets
	item      *agenda.Item      // for item, amendment and comment targets (as its side sees it)
	amendment *agenda.Amendment // for amendment targets
	comment   *app.Comment      // for comment targets (an item's or a meeting's)
	category  *agenda.Category  // for category targets
	meeting   *meetings.Meeting // for meeting, meeting comment, attendee and line targets
	attendee  *meetings.Attendee
	line      *meetings.Line
	action    *actions.Action     // for action and action comment targets (as the secretariat or its side sees it)
	incident  *incidents.Incident // for incident, request, file and incident comment targets (as the reporting side sees it)
	request   *incidents.Request
}

type authzCase struct {
	route string // as registered: "METHOD /path"
	// target fills the path's parameters: "user:<short>", "side:<code>",
	// "category:<English name>", "item:<demo item>" (:id), "amendment:<demo
	// amendment>" (:aid, and :id unless set), "comment:<demo comment>" (:cid,
	// and :id unless set), "meeting:<demo meeting>" (:id), "mcomment:<meeting
	// comment>" (:cid, and :id unless set; the row's setup writes it),
	// "attendee:<attendee>" (:aid, and :id unless set), "line:<demo
	// meeting>/<n>" (the n-th line of its agenda: :lid, and :id unless set),
	// "id:<v>", "aid:<v>", "cid:<v>", "lid:<v>" (raw values), or "" (no
	// parameter). Several are joined with ",", e.g. "item:adopted,amendment:open"
	// names the demo amendment under another item.
	target string
	what   string // what the row tries, for messages
	// setup runs after the actor has signed in, before the form is built.
	setup func(t *testing.T, ts *testServer)
	form  func(f azForm) url.Values
	// next is the Location of a 303 success; ":id", ":aid", ":cid", ":lid" are the
	// target's, "*" is the opaque identifier of a record the request creates.
	next string
	want [8]outcome
	// records: a GET that records itself (a file's download) when it succeeds.
	records bool
}

// columns:             us.head us.delegate us.observer cn.head cn.delegate cn.observer secretariat admin
var (
	all200   = [8]outcome{o200, o200, o200, o200, o200, o200, o200, o200}
	all303   = [8]outcome{o303, o303, o303, o303, o303, o303, o303, o303}
	all404   = [8]outcome{o404, o404, o404, o404, o404, o404, o404, o404}
	adminGET = [8]outcome{o404, o404, o404, o404, o404, o404, o404, o200}
	adminPST = [8]outcome{o404, o404, o404, o404, o404, o404, o404, o303}
	headsGET = [8]outcome{o200, o404, o404, o200, o404, o404, o404, o200}
	usGET    = [8]outcome{o200, o404, o404, o404, o404, o404, o404, o200}
	cnGET    = [8]outcome{o404, o404, o404, o200, o404, o404, o404, o200}
)

func userForm(f azForm, name, role string, admin bool) url.Values {
	v := url.Values{"version": {itoa(f.target.Version)}, "email": {f.target.Email}, "name": {name}, "role": {role}}
	if admin {
		v.Set("admin", "1")
	}
	return v
}

func versionForm(f azForm) url.Values { return url.Values{"version": {itoa(f.target.Version)}} }

func newUserForm(f azForm, side, role string, admin bool) url.Values {
	v := url.Values{"email": {"new.person@parley.example"}, "name": {"New Person"},
		"side": {azSide(f.ts, side).PublicID}, "role": {role}}
	if admin {
		v.Set("admin", "1")
	}
	return v
}

func disableFirst(short string) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		u := azUser(ts, short)
		if err := ts.svc.SetUserDisabled(context.Background(), app.System, u.ID, u.Version, true); err != nil {
			t.Fatal(err)
		}
	}
}

var authzMatrix = []authzCase{
	// Everyone signed in.
	{route: "GET /", what: "dashboard", want: all200},
	{route: "GET /account", what: "own settings", want: all200},
	{route: "GET /account/password", what: "change-password page", want: all200},
	{route: "GET /audit", what: "audit trail", want: all200},
	{route: "POST /account", what: "save own settings", next: "/account", want: all303,
		form: func(f azForm) url.Values {
			return url.Values{"version": {itoa(f.actor.Version)}, "language": {"en"}, "time_zone": {"Europe/London"}}
		}},
	{route: "POST /account/password", what: "change own password", next: "/", want: all303,
		form: func(f azForm) url.Values {
			return url.Values{"current_password": {app.DemoPassword}, "new_password": {"quiet harbour lantern 42"},
				"confirm_password": {"quiet harbour lantern 42"}}
		}},
	{route: "POST /logout", what: "sign out", next: "/login", want: all303},

	// Accounts: admins all, heads their own delegation.
	{route: "GET /admin/users", what: "account list", want: headsGET},
	{route: "GET /admin/users/new", what: "new account form", want: headsGET},
	{route: "GET /admin/users/:id", target: "user:us.delegate", what: "US delegate's page", want: usGET},
	{route: "GET /admin/users/:id", target: "user:us.head", what: "US head's page", want: usGET},
	{route: "GET /admin/users/:id", target: "user:cn.observer", what: "CN observer's page", want: cnGET},
	{route: "GET /admin/users/:id", target: "user:cn.head", what: "CN head's page", want: cnGET},
	{route: "GET /admin/users/:id", target: "user:secretariat", what: "secretariat's page", want: adminGET},
	{route: "GET /admin/users/:id", target: "user:admin", what: "admin's page", want: adminGET},
	{route: "GET /admin/users/:id", target: "id:999", what: "no such account", want: all404},

	{route: "POST /admin/users", what: "create a US delegate",
		form: func(f azForm) url.Values { return newUserForm(f, "US", "delegate", false) },
		want: [8]outcome{o200, o404, o404, o422, o404, o404, o404, o200}},
	{route: "POST /admin/users", what: "create a CN observer",
		form: func(f azForm) url.Values { return newUserForm(f, "CN", "observer", false) },
		want: [8]outcome{o422, o404, o404, o200, o404, o404, o404, o200}},
	{route: "POST /admin/users", what: "create a US head",
		form: func(f azForm) url.Values { return newUserForm(f, "US", "head", false) },
		want: [8]outcome{o422, o404, o404, o422, o404, o404, o404, o200}},
	{route: "POST /admin/users", what: "create a US delegate with the admin flag",
		form: func(f azForm) url.Values { return newUserForm(f, "US", "delegate", true) },
		want: [8]outcome{o422, o404, o404, o422, o404, o404, o404, o200}},
	{route: "POST /admin/users", what: "create a secretariat administrator",
		form: func(f azForm) url.Values { return newUserForm(f, "SEC", "secretariat", true) },
		want: [8]outcome{o422, o404, o404, o422, o404, o404, o404, o200}},

	{route: "POST /admin/users/:id", target: "user:us.delegate", what: "rename the US delegate", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Sarah Collins-Reed", "delegate", false) },
		want: [8]outcome{o303, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:cn.observer", what: "rename the CN observer", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "张伟伟", "observer", false) },
		want: [8]outcome{o404, o404, o404, o303, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:us.head", what: "rename the US head", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Michael J. Reed", "head", false) },
		want: [8]outcome{o403, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:us.delegate", what: "promote the US delegate to head", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Sarah Collins", "head", false) },
		want: [8]outcome{o422, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:us.delegate", what: "make the US delegate an admin", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Sarah Collins", "delegate", true) },
		want: [8]outcome{o422, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:admin", what: "rename the admin (keeping the flag)", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Chief Administrator", "secretariat", true) },
		want: adminPST},

	{route: "POST /admin/users/:id/disable", target: "user:us.delegate", what: "disable the US delegate",
		next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o303, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id/disable", target: "user:cn.delegate", what: "disable the CN delegate",
		next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o404, o404, o404, o303, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id/disable", target: "user:us.head", what: "disable the US head",
		next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o403, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id/disable", target: "user:secretariat", what: "disable the secretariat member",
		next: "/admin/users/:id", form: versionForm, want: adminPST},
	{route: "POST /admin/users/:id/disable", target: "user:admin", what: "disable the admin account",
		next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o404, o404, o404, o404, o404, o404, o404, o422}},

	{route: "POST /admin/users/:id/enable", target: "user:us.observer", what: "enable the disabled US observer",
		setup: disableFirst("us.observer"), next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o303, o404, oLogin, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id/enable", target: "user:cn.delegate", what: "enable the disabled CN delegate",
		setup: disableFirst("cn.delegate"), next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o404, o404, o404, o303, oLogin, o404, o404, o303}},

	{route: "POST /admin/users/:id/password", target: "user:us.delegate", what: "reset the US delegate's password",
		form: versionForm, want: [8]outcome{o200, o404, o404, o404, o404, o404, o404, o200}},
	{route: "POST /admin/users/:id/password", target: "user:cn.observer", what: "reset the CN observer's password",
		form: versionForm, want: [8]outcome{o404, o404, o404, o200, o404, o404, o404, o200}},
	{route: "POST /admin/users/:id/password", target: "user:us.head", what: "reset the US head's password",
		form: versionForm, want: [8]outcome{o403, o404, o404, o404, o404, o404, o404, o200}},
	{route: "POST /admin/users/:id/password", target: "user:secretariat", what: "reset the secretariat member's password",
		form: versionForm, want: [8]outcome{o404, o404, o404, o404, o404, o404, o404, o200}},

	// Sides: administrators only.
	{route: "GET /admin/sides", what: "side list", want: adminGET},
	{route: "GET /admin/sides/new", what: "new delegation form", want: adminGET},
	{route: "GET /admin/sides/:id", target: "side:US", what: "US delegation's page", want: adminGET},
	{route: "GET /admin/sides/:id", target: "side:CN", what: "CN delegation's page", want: adminGET},
	{route: "GET /admin/sides/:id", target: "side:SEC", what: "secretariat's page", want: adminGET},
	{route: "POST /admin/sides", what: "add a delegation", next: "/admin/sides/*", want: adminPST,
		form: func(f azForm) url.Values {
			return url.Values{"code": {"UK"}, "name_en": {"United Kingdom delegation"}, "name_zh": {"英国代表团"},
				"time_zone": {"Europe/London"}, "language": {"en"}}
		}},
	{route: "POST /admin/sides/:id", target: "side:US", what: "rename the US delegation", next: "/admin/sides/:id",
		want: adminPST,
		form: func(f azForm) url.Values {
			return url.Values{"version": {itoa(f.side.Version)}, "code": {"US"}, "name_en": {"U.S. delegation"},
				"name_zh": {"美国代表团"}, "time_zone": {"America/New_York"}, "language": {"en"}}
		}},

	// Agenda items (app/agenda.go). Drafts are internal to the proposing
	// side: everyone else gets 404 for every route of a draft. Tabled items
	// are seen by all; observers never write (403); only heads decide, for
	// their own delegation; the proposing side's delegates and heads edit,
	// table and withdraw; delegates and heads of either delegation amend;
	// the proposing side's head or the amendment's author settles it. An
	// action by the right person in the wrong state is 422.
	{route: "GET /agenda", what: "agenda list", want: all200},
	{route: "GET /agenda/new", what: "new item form", want: writers200},
	{route: "GET /agenda/categories", what: "category list", want: all200},
	{route: "GET /agenda/:id", target: "item:adopted", what: "adopted item", want: all200},
	{route: "GET /agenda/:id", target: "item:awaiting", what: "item awaiting the US", want: all200},
	{route: "GET /agenda/:id", target: "item:contested", what: "contested item", want: all200},
	{route: "GET /agenda/:id", target: "item:usdraft", what: "US draft", want: usSide200},
	{route: "GET /agenda/:id", target: "item:cndraft", what: "CN draft", want: cnSide200},
	{route: "GET /agenda/:id", target: "id:999", what: "no such item", want: all404},
	{route: "GET /agenda/:id/edit", target: "item:adopted", what: "edit the CN adopted item", want: cnWriters200},
	{route: "GET /agenda/:id/edit", target: "item:contested", what: "edit the US contested item", want: usWriters200},
	{route: "GET /agenda/:id/edit", target: "item:usdraft", what: "edit the US draft", want: usDraftWriters200},
	{route: "GET /agenda/:id/edit", target: "item:cndraft", what: "edit the CN draft", want: cnDraftWriters200},
	{route: "GET /agenda/:id/edit", target: "id:999", what: "edit no such item", want: all404},
	{route: "GET /agenda/:id/history", target: "item:adopted", what: "adopted item's history", want: all200},
	{route: "GET /agenda/:id/history", target: "item:contested", what: "contested item's history", want: all200},
	{route: "GET /agenda/:id/history", target: "item:usdraft", what: "US draft's history", want: usSide200},
	{route: "GET /agenda/:id/history", target: "item:cndraft", what: "CN draft's history", want: cnSide200},
	{route: "GET /agenda/:id/history", target: "id:999", what: "no such item's history", want: all404},
	{route: "GET /agenda/:id/revisions", target: "item:contested", what: "contested item's revisions", want: all200},
	{route: "GET /agenda/:id/revisions", target: "item:adopted", what: "adopted item's revisions", want: all200},
	{route: "GET /agenda/:id/revisions", target: "item:usdraft", what: "US draft's revisions", want: usSide200},
	{route: "GET /agenda/:id/revisions", target: "item:cndraft", what: "CN draft's revisions", want: cnSide200},
	{route: "GET /agenda/:id/revisions", target: "id:999", what: "no such item's revisions", want: all404},
	{route: "GET /agenda/:id/amendments", target: "item:contested", what: "contested item's amendments", want: all200},
	{route: "GET /agenda/:id/amendments", target: "item:adopted", what: "adopted item's amendments", want: all200},
	{route: "GET /agenda/:id/amendments", target: "item:usdraft", what: "US draft's amendments", want: usSide200},
	{route: "GET /agenda/:id/amendments", target: "item:cndraft", what: "CN draft's amendments", want: cnSide200},
	{route: "GET /agenda/:id/amendments", target: "id:999", what: "no such item's amendments", want: all404},
	{route: "GET /agenda/:id/translation", target: "item:adopted", what: "translate the adopted item", want: writers200},
	{route: "GET /agenda/:id/translation", target: "item:usdraft", what: "translate the US draft", want: usDraftWriters200},
	{route: "GET /agenda/:id/translation", target: "item:cndraft", what: "translate the CN draft", want: cnDraftWriters200},
	{route: "GET /agenda/:id/translation", target: "id:999", what: "translate no such item", want: all404},
	{route: "GET /agenda/:id/amendments/new", target: "item:contested", what: "amend the contested item", want: amenders200},
	{route: "GET /agenda/:id/amendments/new", target: "item:adopted", what: "amend the adopted item", want: amenders200},
	{route: "GET /agenda/:id/amendments/new", target: "item:usdraft", what: "amend the US draft",
		want: [8]outcome{o403, o403, o403, o404, o404, o404, o404, o404}},
	{route: "GET /agenda/:id/amendments/new", target: "item:cndraft", what: "amend the CN draft",
		want: [8]outcome{o404, o404, o404, o403, o403, o403, o404, o404}},
	{route: "GET /agenda/:id/amendments/new", target: "id:999", what: "amend no such item", want: all404},
	{route: "GET /agenda/:id/amendments/:aid", target: "amendment:open", what: "the open amendment", want: all200},
	{route: "GET /agenda/:id/amendments/:aid", target: "item:adopted,amendment:open",
		what: "the amendment under another item", want: all404},
	{route: "GET /agenda/:id/amendments/:aid", target: "item:usdraft,amendment:open",
		what: "the amendment under the US draft", want: all404},
	{route: "GET /agenda/:id/amendments/:aid", target: "item:contested,aid:999", what: "no such amendment", want: all404},

	{route: "POST /agenda/new", what: "propose an item", next: "/agenda/*",
		form: func(f azForm) url.Values { return newItemForm(f, "Points of contact for incidents", "30") },
		want: [8]outcome{o303, o303, o403, o303, o303, o403, o303, o303}},
	{route: "POST /agenda/new", what: "propose an item without a title",
		form: func(f azForm) url.Values { return newItemForm(f, "", "30") },
		want: [8]outcome{o422, o422, o403, o422, o422, o403, o422, o422}},
	{route: "POST /agenda/new", what: "propose an item lasting 601 minutes",
		form: func(f azForm) url.Values { return newItemForm(f, "Points of contact", "601") },
		want: [8]outcome{o422, o422, o403, o422, o422, o403, o422, o422}},

	{route: "POST /agenda/categories", what: "add a category", next: "/agenda/categories", want: managers303,
		form: func(f azForm) url.Values {
			return url.Values{"name_en": {"Capacity building"}, "name_zh": {"能力建设"}, "position": {"6"}}
		}},
	{route: "POST /agenda/categories", what: "add a category without a Chinese name",
		form: func(f azForm) url.Values { return url.Values{"name_en": {"Capacity building"}, "name_zh": {""}} },
		want: [8]outcome{o403, o403, o403, o403, o403, o403, o422, o422}},
	{route: "POST /agenda/categories/:id", target: "category:Other", what: "rename a category",
		next: "/agenda/categories", want: managers303,
		form: func(f azForm) url.Values {
			return url.Values{"version": {itoa(f.category.Version)}, "name_en": {"Other matters"}, "name_zh": {"其他事项"},
				"position": {"9"}}
		}},
	{route: "POST /agenda/categories/:id", target: "category:Other", what: "archive a category",
		next: "/agenda/categories", want: managers303,
		form: func(f azForm) url.Values {
			return url.Values{"version": {itoa(f.category.Version)}, "name_en": {f.category.NameEN},
				"name_zh": {f.category.NameZH}, "position": {strconv.Itoa(f.category.Position)}, "archived": {"1"}}
		}},
	{route: "POST /agenda/categories/:id", target: "id:999", what: "rename no such category", want: all404,
		form: func(f azForm) url.Values {
			return url.Values{"version": {"1"}, "name_en": {"Other matters"}, "name_zh": {"其他事项"}}
		}},

	{route: "POST /agenda/:id/edit", target: "item:adopted", what: "revise the CN adopted item", next: "/agenda/:id",
		form: editForm("Mechanism of the working group"), want: cnWriters303},
	{route: "POST /agenda/:id/edit", target: "item:contested", what: "revise the US contested item", next: "/agenda/:id",
		form: editForm("Measures to boost dialogue on cyber security"), want: usWriters303},
	{route: "POST /agenda/:id/edit", target: "item:usdraft", what: "edit the US draft", next: "/agenda/:id",
		form: editForm("Protecting trade secrets from cyber theft"), want: usDraftWriters303},
	{route: "POST /agenda/:id/edit", target: "item:cndraft", what: "edit the CN draft", next: "/agenda/:id",
		form: editForm("来自境外IP地址的攻击"), want: cnDraftWriters303},
	{route: "POST /agenda/:id/edit", target: "item:contested", what: "edit the contested item with a stale version",
		form: func(f azForm) url.Values {
			v := editForm("Measures to boost dialogue on cyber security")(f)
			v.Set("version", itoa(f.item.Version-1))
			return v
		},
		want: [8]outcome{o409, o409, o403, o403, o403, o403, o403, o403}},
	{route: "POST /agenda/:id/edit", target: "item:contested", what: "edit the withdrawn contested item",
		setup: withdrawFirst("contested"), form: editForm("Measures to boost dialogue on cyber security"),
		want: [8]outcome{o422, o422, o403, o403, o403, o403, o403, o403}},

	{route: "POST /agenda/:id/translation", target: "item:adopted", what: "translate the adopted item", next: "/agenda/:id",
		form: translationForm, want: [8]outcome{o303, o303, o403, o303, o303, o403, o303, o303}},
	{route: "POST /agenda/:id/translation", target: "item:usdraft", what: "translate the US draft", next: "/agenda/:id",
		form: translationForm, want: usDraftWriters303},
	{route: "POST /agenda/:id/translation", target: "item:cndraft", what: "translate the CN draft", next: "/agenda/:id",
		form: translationForm, want: cnDraftWriters303},

	{route: "POST /agenda/:id/table", target: "item:usdraft", what: "table the US draft", next: "/agenda/:id",
		form: itemVersionForm, want: usDraftWriters303},
	{route: "POST /agenda/:id/table", target: "item:cndraft", what: "table the CN draft", next: "/agenda/:id",
		form: itemVersionForm, want: cnDraftWriters303},
	{route: "POST /agenda/:id/table", target: "item:contested", what: "table the already tabled contested item",
		form: itemVersionForm, want: [8]outcome{o422, o422, o403, o403, o403, o403, o403, o403}},

	{route: "POST /agenda/:id/concur", target: "item:awaiting", what: "concur on the item awaiting the US",
		next: "/agenda/:id", form: revisionForm(""),
		want: [8]outcome{o303, o403, o403, o422, o403, o403, o403, o403}}, // CN concurred already
	{route: "POST /agenda/:id/concur", target: "item:contested", what: "concur on the contested item",
		next: "/agenda/:id", form: revisionForm(""),
		want: [8]outcome{o303, o403, o403, o422, o403, o403, o403, o403}},
	{route: "POST /agenda/:id/concur", target: "item:adopted", what: "concur on the adopted item",
		form: revisionForm(""), want: heads422},
	{route: "POST /agenda/:id/concur", target: "item:awaiting", what: "concur on the withdrawn item",
		setup: withdrawFirst("awaiting"), form: revisionForm(""), want: heads422},
	{route: "POST /agenda/:id/concur", target: "item:usdraft", what: "concur on the US draft", form: revisionForm(""),
		want: [8]outcome{o422, o403, o403, o404, o404, o404, o404, o404}},
	{route: "POST /agenda/:id/concur", target: "item:cndraft", what: "concur on the CN draft", form: revisionForm(""),
		want: [8]outcome{o404, o404, o404, o422, o403, o403, o404, o404}},
	{route: "POST /agenda/:id/concur", target: "item:usdraft", what: "concur on the withdrawn US draft",
		setup: withdrawFirst("usdraft"), form: revisionForm(""),
		want: [8]outcome{o422, o403, o403, o404, o404, o404, o404, o404}},
	{route: "POST /agenda/:id/concur", target: "id:999", what: "concur on no such item", form: revisionForm(""),
		want: all404},

	{route: "POST /agenda/:id/object", target: "item:awaiting", what: "object to the item awaiting the US",
		next: "/agenda/:id", form: revisionForm("Norms must be discussed in the United Nations first."),
		want: [8]outcome{o303, o403, o403, o303, o403, o403, o403, o403}},
	{route: "POST /agenda/:id/object", target: "item:contested", what: "object to the contested item",
		next: "/agenda/:id", form: revisionForm("Not acceptable."),
		want: [8]outcome{o422, o403, o403, o303, o403, o403, o403, o403}}, // the US objects already
	{route: "POST /agenda/:id/object", target: "item:awaiting", what: "object without a reason",
		form: revisionForm(""), want: heads422},
	{route: "POST /agenda/:id/object", target: "item:usdraft", what: "object to the US draft",
		form: revisionForm("Not acceptable."), want: [8]outcome{o422, o403, o403, o404, o404, o404, o404, o404}},

	{route: "POST /agenda/:id/withdraw-objection", target: "item:contested", what: "withdraw the US objection",
		next: "/agenda/:id", want: [8]outcome{o303, o403, o403, o422, o403, o403, o403, o403}}, // CN has none
	{route: "POST /agenda/:id/withdraw-objection", target: "item:awaiting", what: "withdraw an objection nobody made",
		want: heads422},
	{route: "POST /agenda/:id/withdraw-objection", target: "item:contested",
		what: "withdraw the US objection to the withdrawn item", setup: withdrawFirst("contested"), want: heads422},
	{route: "POST /agenda/:id/withdraw-objection", target: "item:cndraft", what: "withdraw an objection to the CN draft",
		want: [8]outcome{o404, o404, o404, o422, o403, o403, o404, o404}},

	{route: "POST /agenda/:id/withdraw", target: "item:contested", what: "withdraw the US contested item",
		next: "/agenda/:id", form: itemVersionForm, want: usWriters303},
	{route: "POST /agenda/:id/withdraw", target: "item:adopted", what: "withdraw the CN adopted item",
		next: "/agenda/:id", form: itemVersionForm, want: cnWriters303},
	{route: "POST /agenda/:id/withdraw", target: "item:usdraft", what: "withdraw the US draft",
		next: "/agenda/:id", form: itemVersionForm, want: usDraftWriters303},
	{route: "POST /agenda/:id/withdraw", target: "item:cndraft", what: "withdraw the CN draft",
		next: "/agenda/:id", form: itemVersionForm, want: cnDraftWriters303},
	{route: "POST /agenda/:id/withdraw", target: "item:contested", what: "withdraw the contested item twice",
		setup: withdrawFirst("contested"), form: itemVersionForm,
		want: [8]outcome{o422, o422, o403, o403, o403, o403, o403, o403}},

	{route: "POST /agenda/:id/comments", target: "item:contested", what: "shared comment on the contested item",
		next: "/agenda/:id#comment-*", form: commentForm("shared", "We welcome the proposal."),
		want: [8]outcome{o303, o303, o403, o303, o303, o403, o303, o303}},
	{route: "POST /agenda/:id/comments", target: "item:contested", what: "internal note on the contested item",
		next: "/agenda/:id#comment-*", form: commentForm("internal", "Check with the capital."),
		want: [8]outcome{o303, o303, o403, o303, o303, o403, o303, o303}},
	{route: "POST /agenda/:id/comments", target: "item:contested", what: "empty comment",
		form: commentForm("shared", "  "), want: [8]outcome{o422, o422, o403, o422, o422, o403, o422, o422}},
	{route: "POST /agenda/:id/comments", target: "item:usdraft", what: "internal note on the US draft",
		next: "/agenda/:id#comment-*", form: commentForm("internal", "Wait for the dialogue."), want: usDraftWriters303},
	{route: "POST /agenda/:id/comments", target: "item:usdraft", what: "shared comment on the US draft",
		form: commentForm("shared", "Wait for the dialogue."),
		want: [8]outcome{o422, o422, o403, o404, o404, o404, o404, o404}},
	{route: "POST /agenda/:id/comments", target: "item:usdraft", what: "shared comment on the withdrawn US draft",
		setup: withdrawFirst("usdraft"), form: commentForm("shared", "Never tabled."),
		want: [8]outcome{o422, o422, o403, o404, o404, o404, o404, o404}},
	{route: "POST /agenda/:id/comments", target: "item:usdraft", what: "internal note on the withdrawn US draft",
		setup: withdrawFirst("usdraft"), next: "/agenda/:id#comment-*", form: commentForm("internal", "Never tabled."),
		want: usDraftWriters303},
	{route: "POST /agenda/:id/comments", target: "item:cndraft", what: "internal note on the CN draft",
		next: "/agenda/:id#comment-*", form: commentForm("internal", "等待对话。"), want: cnDraftWriters303},

	{route: "POST /agenda/:id/comments/:cid", target: "comment:cn-shared", what: "correct the CN head's shared comment",
		next: "/agenda/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o403, o403, o403, o303, o403, o403, o403, o403}},
	{route: "POST /agenda/:id/comments/:cid", target: "comment:sec-shared", what: "correct the secretariat's comment",
		next: "/agenda/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o403, o403, o403, o403, o403, o403, o303, o403}},
	{route: "POST /agenda/:id/comments/:cid", target: "comment:us-note", what: "correct the US delegate's internal note",
		next: "/agenda/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o403, o303, o403, o404, o404, o404, o404, o404}},
	{route: "POST /agenda/:id/comments/:cid", target: "comment:cn-note", what: "correct the CN delegate's internal note",
		next: "/agenda/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o404, o404, o404, o403, o303, o403, o404, o404}},
	{route: "POST /agenda/:id/comments/:cid", target: "comment:usdraft-note", what: "correct the US head's note on the draft",
		next: "/agenda/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o303, o403, o403, o404, o404, o404, o404, o404}},
	{route: "POST /agenda/:id/comments/:cid", target: "comment:cndraft-note", what: "correct the CN head's note on the draft",
		next: "/agenda/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o404, o404, o404, o303, o403, o403, o404, o404}},
	{route: "POST /agenda/:id/comments/:cid", target: "comment:cn-shared", what: "correct a comment after 15 minutes",
		setup: advanceClock(16 * time.Minute), form: commentEditForm,
		want: [8]outcome{o403, o403, o403, o422, o403, o403, o403, o403}},
	{route: "POST /agenda/:id/comments/:cid", target: "item:adopted,comment:cn-shared",
		what: "correct a comment under another item", form: commentEditForm, want: all404},
	{route: "POST /agenda/:id/comments/:cid", target: "item:contested,cid:999", what: "correct no such comment",
		form: func(f azForm) url.Values { return url.Values{"version": {"1"}, "body": {"Corrected."}} }, want: all404},

	{route: "POST /agenda/:id/amendments", target: "item:contested", what: "amend the contested item",
		next: "/agenda/:id/amendments/*", form: amendForm("Measures to boost dialogue and cooperation"),
		want: [8]outcome{o303, o303, o403, o303, o303, o403, o403, o403}},
	{route: "POST /agenda/:id/amendments", target: "item:contested", what: "an amendment that changes nothing",
		form: amendForm(""), want: [8]outcome{o422, o422, o403, o422, o422, o403, o403, o403}},
	{route: "POST /agenda/:id/amendments", target: "item:contested", what: "amend the withdrawn item",
		setup: withdrawFirst("contested"), form: amendForm("Measures to boost dialogue and cooperation"),
		want: [8]outcome{o422, o422, o403, o422, o422, o403, o403, o403}},
	{route: "POST /agenda/:id/amendments", target: "item:usdraft", what: "amend the US draft",
		form: amendForm("Protecting trade secrets"), want: [8]outcome{o422, o422, o403, o404, o404, o404, o404, o404}},
	{route: "POST /agenda/:id/amendments", target: "item:cndraft", what: "amend the CN draft",
		form: amendForm("来自境外IP地址的攻击"), want: [8]outcome{o404, o404, o404, o422, o422, o403, o404, o404}},

	{route: "POST /agenda/:id/amendments/:aid/accept", target: "amendment:open", what: "accept the US delegate's amendment",
		next: "/agenda/:id/amendments/:aid", form: settleForm(""), want: settlers303},
	{route: "POST /agenda/:id/amendments/:aid/accept", target: "amendment:open", what: "accept the declined amendment",
		setup: declineFirst, form: settleForm(""), want: settlers422},
	{route: "POST /agenda/:id/amendments/:aid/accept", target: "item:adopted,amendment:open",
		what: "accept the amendment under another item", form: settleForm(""), want: all404},
	{route: "POST /agenda/:id/amendments/:aid/decline", target: "amendment:open", what: "decline with a reason",
		next: "/agenda/:id/amendments/:aid", form: settleForm("Out of scope."), want: settlers303},
	{route: "POST /agenda/:id/amendments/:aid/decline", target: "amendment:open", what: "decline without a reason",
		form: settleForm(""), want: settlers422},
	{route: "POST /agenda/:id/amendments/:aid/decline", target: "item:contested,aid:999", what: "decline no such amendment",
		form: func(f azForm) url.Values { return url.Values{"version": {"1"}, "reason": {"No."}} }, want: all404},
	{route: "POST /agenda/:id/amendments/:aid/accept", target: "amendment:open", what: "accept an amendment the text has moved past",
		setup: reviseFirst("contested"), form: settleForm(""), want: [8]outcome{o409, o403, o403, o403, o403, o403, o403, o403}},
	{route: "POST /agenda/:id/amendments/:aid/decline", target: "amendment:open", what: "decline an amendment the text has moved past",
		setup: reviseFirst("contested"), next: "/agenda/:id/amendments/:aid", form: settleForm("Overtaken."), want: settlers303},
	{route: "POST /agenda/:id/amendments/:aid/withdraw", target: "amendment:open", what: "withdraw the US delegate's amendment",
		next: "/agenda/:id/amendments/:aid", form: settleForm(""), want: author303},
	{route: "POST /agenda/:id/amendments/:aid/withdraw", target: "amendment:open", what: "withdraw the declined amendment",
		setup: declineFirst, form: settleForm(""), want: author422},
	{route: "POST /agenda/:id/amendments/:aid/withdraw", target: "item:adopted,amendment:open",
		what: "withdraw the amendment under another item", form: settleForm(""), want: all404},
	{route: "POST /agenda/:id/amendments/:aid/withdraw", target: "amendment:open", what: "withdraw with a stale version",
		form: func(f azForm) url.Values { return url.Values{"version": {itoa(f.amendment.Version + 1)}} },
		want: [8]outcome{o403, o409, o403, o403, o403, o403, o403, o403}},

	{route: "POST /admin/users/:id/confirm", target: "user:pending.us", what: "confirm the pending US account",
		setup: pendingFirst, next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o303, o404, o404, o404, o404, o404, o404, o403}},
	{route: "POST /admin/users/:id/confirm", target: "user:us.delegate", what: "confirm a confirmed account",
		form: versionForm, want: [8]outcome{o422, o404, o404, o404, o404, o404, o404, o403}},
	{route: "POST /admin/users/:id/confirm", target: "user:cn.delegate", what: "confirm a CN account",
		form: versionForm, want: [8]outcome{o404, o404, o404, o422, o404, o404, o404, o403}},

	// Meetings (app/meetings/policy.go). Meetings are shared: every page of
	// one is open to everyone signed in. The secretariat (its members and the
	// administrator, who is one of them) keeps milestones, creates,
	// schedules and cancels meetings, builds their agendas, drafts minutes
	// and records attendance; heads and delegates of a delegation answer
	// the poll and write their delegation's statement; each delegation's
	// head approves the exact revision of an agenda or of minutes; every
	// writer comments and lists attendees for their own side. Observers
	// write nothing (403). The right person in the wrong state: 422.
	// "meeting:informal" is the demo meeting in planning (four slots,
	// answered by both delegations), "meeting:past" the one whose minutes
	// both heads approved.
	{route: "GET /milestones", what: "milestones", want: all200},
	{route: "GET /meetings", what: "meetings list", want: all200},
	{route: "GET /meetings/new", what: "new meeting form", want: managers200},
	{route: "GET /meetings/:id", target: "meeting:informal", what: "meeting in planning", want: all200},
	{route: "GET /meetings/:id", target: "meeting:past", what: "meeting with approved minutes", want: all200},
	{route: "GET /meetings/:id", target: "id:" + azNoSuchRef, what: "no such meeting", want: all404},
	{route: "GET /meetings/:id", target: "id:999", what: "a meeting by row id", want: all404},
	{route: "GET /meetings/:id/agenda", target: "meeting:informal", what: "agenda of the meeting in planning", want: all200},
	{route: "GET /meetings/:id/agenda", target: "meeting:past", what: "agreed agenda of the past meeting", want: all200},
	{route: "GET /meetings/:id/agenda", target: "id:" + azNoSuchRef, what: "agenda of no such meeting", want: all404},
	{route: "GET /meetings/:id/agenda/print", target: "meeting:informal", what: "printable empty agenda", want: all200},
	{route: "GET /meetings/:id/agenda/print", target: "meeting:past", what: "printable agreed agenda", want: all200},
	{route: "GET /meetings/:id/agenda/print", target: "id:" + azNoSuchRef, what: "printable agenda of no such meeting",
		want: all404},
	{route: "GET /meetings/:id/minutes", target: "meeting:informal", what: "no minutes yet", want: all200},
	{route: "GET /meetings/:id/minutes", target: "meeting:past", what: "approved minutes", want: all200},
	{route: "GET /meetings/:id/minutes", target: "id:" + azNoSuchRef, what: "minutes of no such meeting", want: all404},
	{route: "GET /meetings/:id/history", target: "meeting:informal", what: "history of the meeting in planning", want: all200},
	{route: "GET /meetings/:id/history", target: "meeting:past", what: "history of the past meeting", want: all200},
	{route: "GET /meetings/:id/history", target: "id:" + azNoSuchRef, what: "history of no such meeting", want: all404},
	{route: "GET /meetings/:id/calendar.ics", target: "meeting:past", what: "calendar file of the past meeting", want: all200},
	{route: "GET /meetings/:id/calendar.ics", target: "meeting:informal", what: "calendar file of a meeting without a time",
		want: all404},
	{route: "GET /meetings/:id/calendar.ics", target: "id:" + azNoSuchRef, what: "calendar file of no such meeting",
		want: all404},

	{route: "POST /milestones", what: "add a milestone", next: "/milestones", want: managers303,
		form: milestoneForm("Cyber dialogue, third round", "网络对话第三轮", "2013-12-02T09:00", "Asia/Shanghai")},
	{route: "POST /milestones", what: "add a milestone in an unknown zone", want: managers422,
		form: milestoneForm("Cyber dialogue, third round", "网络对话第三轮", "2013-12-02T09:00", "Mars/Olympus")},
	{route: "POST /milestones", what: "add a milestone without a Chinese name", want: managers422,
		form: milestoneForm("Cyber dialogue, third round", "", "2013-12-02T09:00", "Asia/Shanghai")},
	{route: "POST /milestones", what: "add a milestone at no time", want: managers422,
		form: milestoneForm("Cyber dialogue, third round", "网络对话第三轮", "next Tuesday", "Asia/Shanghai")},

	{route: "POST /meetings/new", what: "create a video meeting", next: "/meetings/*", want: managers303,
		form: meetingForm(nil)},
	{route: "POST /meetings/new", what: "create a meeting before the next dialogue", next: "/meetings/*", want: managers303,
		form: meetingForm(func(f azForm, v url.Values) {
			v.Set("milestone", azMilestone(f.ts, "Next Strategic Security Dialogue").PublicID)
		})},
	{route: "POST /meetings/new", what: "create a meeting before a milestone that has passed", want: managers422,
		form: meetingForm(func(f azForm, v url.Values) {
			v.Set("milestone", azMilestone(f.ts, "Strategic Security Dialogue (last round)").PublicID)
		})},
	{route: "POST /meetings/new", what: "create a meeting without an English title", want: managers422,
		form: meetingForm(func(_ azForm, v url.Values) { v.Set("title_en", " ") })},
	{route: "POST /meetings/new", what: "create a meeting in person without a venue", want: managers422,
		form: meetingForm(func(_ azForm, v url.Values) { v.Set("format", "in_person"); v.Del("venue") })},
	{route: "POST /meetings/new", what: "create a meeting lasting 5 minutes", want: managers422,
		form: meetingForm(func(_ azForm, v url.Values) { v.Set("duration", "5") })},

	{route: "GET /meetings/:id/edit", target: "meeting:informal", what: "edit form of the meeting in planning",
		want: managers200},
	{route: "GET /meetings/:id/edit", target: "meeting:past", what: "edit form of the past meeting",
		want: [8]outcome{o403, o403, o403, o403, o403, o403, o403, o403}},
	{route: "GET /meetings/:id/edit", target: "id:" + azNoSuchRef, what: "edit form of no such meeting", want: all404},
	{route: "POST /meetings/:id/edit", target: "meeting:informal", what: "lengthen the meeting in planning",
		next: "/meetings/:id", form: editMeetingForm(func(_ azForm, v url.Values) { v.Set("duration", "120") }),
		want: managers303},
	{route: "POST /meetings/:id/edit", target: "meeting:informal", what: "edit the scheduled meeting's title",
		setup: confirmFirst("informal", 0), next: "/meetings/:id",
		form: editMeetingForm(func(_ azForm, v url.Values) { v.Set("title_en", "Informal meeting, moved online") }),
		want: managers303},
	{route: "POST /meetings/:id/edit", target: "meeting:informal", what: "edit the meeting without a Chinese title",
		form: editMeetingForm(func(_ azForm, v url.Values) { v.Set("title_zh", " ") }), want: managers422},
	{route: "POST /meetings/:id/edit", target: "meeting:informal", what: "edit the meeting with a stale version",
		form: staleVersion(editMeetingForm(func(_ azForm, v url.Values) { v.Set("duration", "45") })), want: managers409},
	{route: "POST /meetings/:id/edit", target: "meeting:past", what: "edit the past meeting",
		form: editMeetingForm(nil), want: managers422},
	{route: "POST /meetings/:id/edit", target: "id:" + azNoSuchRef, what: "edit no such meeting",
		form: func(azForm) url.Values { return url.Values{"version": {"1"}, "title_en": {"X"}} }, want: all404},

	{route: "POST /meetings/:id/slots", target: "meeting:informal", what: "propose 08:00 Washington time",
		next: "/meetings/:id#poll", form: slotForm("2013-08-20T08:00", "America/New_York"), want: managers303},
	{route: "POST /meetings/:id/slots", target: "meeting:informal", what: "propose 21:00 Beijing time",
		next: "/meetings/:id#poll", form: slotForm("2013-08-20T21:00", "Asia/Shanghai"), want: managers303},
	{route: "POST /meetings/:id/slots", target: "meeting:informal", what: "propose a time after the milestone",
		form: slotForm("2014-03-04T08:00", "America/New_York"), want: managers422},
	{route: "POST /meetings/:id/slots", target: "meeting:informal", what: "propose a time that has passed",
		form: slotForm("2013-07-09T08:00", "America/New_York"), want: managers422},
	{route: "POST /meetings/:id/slots", target: "meeting:informal", what: "propose a time proposed already",
		form: func(f azForm) url.Values {
			first := azSlots(f.ts, "informal")[0]
			return url.Values{"start": {first.StartsAt.In(app.LoadLocation(first.Zone)).Format("2006-01-02T15:04")},
				"zone": {first.Zone}}
		}, want: managers422},
	{route: "POST /meetings/:id/slots", target: "meeting:past", what: "propose a time for the past meeting",
		form: slotForm("2013-08-20T08:00", "America/New_York"), want: managers422},
	{route: "POST /meetings/:id/slots", target: "id:" + azNoSuchRef, what: "propose a time for no such meeting",
		form: slotForm("2013-08-20T08:00", "America/New_York"), want: all404},

	{route: "POST /meetings/:id/answers", target: "meeting:informal", what: "answer the poll", next: "/meetings/:id#poll",
		form: answerForm("informal", "if_need_be"), want: pollers303},
	{route: "POST /meetings/:id/answers", target: "meeting:informal", what: "answer the poll with maybe",
		form: answerForm("informal", "maybe"), want: pollers422},
	{route: "POST /meetings/:id/answers", target: "meeting:informal", what: "answer nothing",
		form: func(azForm) url.Values { return url.Values{"version": {"1"}} }, want: pollers422},
	{route: "POST /meetings/:id/answers", target: "meeting:informal", what: "answer a slot of the past meeting",
		form: answerForm("past", "yes"), want: pollers422},
	{route: "POST /meetings/:id/answers", target: "meeting:informal", what: "answer the poll once the time is set",
		setup: confirmFirst("informal", 0), form: answerForm("informal", "yes"), want: pollers422},
	{route: "POST /meetings/:id/answers", target: "meeting:past", what: "answer the past meeting's poll",
		form: answerForm("past", "yes"), want: pollers422},
	{route: "POST /meetings/:id/answers", target: "id:" + azNoSuchRef, what: "answer no such meeting's poll",
		form: answerForm("informal", "yes"), want: all404},

	{route: "POST /meetings/:id/confirm", target: "meeting:informal", what: "confirm the first slot", next: "/meetings/:id",
		form: confirmForm("informal", 0), want: managers303},
	{route: "POST /meetings/:id/confirm", target: "meeting:informal", what: "move the meeting to another slot",
		setup: confirmFirst("informal", 0), next: "/meetings/:id", form: confirmForm("informal", 3), want: managers303},
	{route: "POST /meetings/:id/confirm", target: "meeting:informal", what: "confirm the slot confirmed already",
		setup: confirmFirst("informal", 0), form: confirmForm("informal", 0), want: managers422},
	{route: "POST /meetings/:id/confirm", target: "meeting:informal", what: "move the meeting with a stale version",
		setup: confirmFirst("informal", 0), form: staleVersion(confirmForm("informal", 3)), want: managers409},
	{route: "POST /meetings/:id/confirm", target: "meeting:informal", what: "confirm a slot of the past meeting",
		form: confirmForm("past", 0), want: managers422},
	{route: "POST /meetings/:id/confirm", target: "meeting:informal", what: "confirm no slot",
		form: func(f azForm) url.Values { return url.Values{"version": {itoa(f.meeting.Version)}, "slot": {""}} },
		want: managers422},
	{route: "POST /meetings/:id/confirm", target: "meeting:informal", what: "confirm a slot of the cancelled meeting",
		setup: cancelFirst("informal"), form: confirmForm("informal", 0), want: managers422},
	{route: "POST /meetings/:id/confirm", target: "meeting:past", what: "confirm the past meeting again",
		form: confirmForm("past", 0), want: managers422},
	{route: "POST /meetings/:id/confirm", target: "id:" + azNoSuchRef, what: "confirm no such meeting",
		form: func(azForm) url.Values { return url.Values{"version": {"1"}, "slot": {azNoSuchRef}} }, want: all404},

	{route: "POST /meetings/:id/cancel", target: "meeting:informal", what: "cancel the meeting in planning",
		next: "/meetings/:id", form: cancelForm("The dialogue was postponed."), want: managers303},
	{route: "POST /meetings/:id/cancel", target: "meeting:informal", what: "cancel the scheduled meeting",
		setup: confirmFirst("informal", 0), next: "/meetings/:id", form: cancelForm("The dialogue was postponed."),
		want: managers303},
	{route: "POST /meetings/:id/cancel", target: "meeting:informal", what: "cancel without a reason",
		form: cancelForm("  "), want: managers422},
	{route: "POST /meetings/:id/cancel", target: "meeting:informal", what: "cancel with a stale version",
		setup: confirmFirst("informal", 0), form: staleVersion(cancelForm("Postponed.")), want: managers409},
	{route: "POST /meetings/:id/cancel", target: "meeting:past", what: "cancel the past meeting",
		form: cancelForm("Too late."), want: managers422},
	{route: "POST /meetings/:id/cancel", target: "id:" + azNoSuchRef, what: "cancel no such meeting",
		form: func(azForm) url.Values { return url.Values{"version": {"1"}, "reason": {"No."}} }, want: all404},

	{route: "POST /meetings/:id/held", target: "meeting:informal", what: "record that the meeting started was held",
		setup: startedFirst, next: "/meetings/:id", form: meetingVersionForm, want: managers303},
	{route: "POST /meetings/:id/held", target: "meeting:informal", what: "record a meeting still to come as held",
		setup: confirmFirst("informal", 0), form: meetingVersionForm, want: managers422},
	{route: "POST /meetings/:id/held", target: "meeting:informal", what: "record a meeting in planning as held",
		form: meetingVersionForm, want: managers422},
	{route: "POST /meetings/:id/held", target: "meeting:past", what: "record the past meeting as held again",
		form: meetingVersionForm, want: managers422},

	{route: "POST /meetings/:id/comments", target: "meeting:informal", what: "shared comment on a meeting",
		next: "/meetings/:id#comment-*", form: commentForm("shared", "We prefer the first time."), want: allWriters303},
	{route: "POST /meetings/:id/comments", target: "meeting:informal", what: "internal note on a meeting",
		next: "/meetings/:id#comment-*", form: commentForm("internal", "Check the Congressional calendar."),
		want: allWriters303},
	{route: "POST /meetings/:id/comments", target: "meeting:past", what: "shared comment on the past meeting",
		next: "/meetings/:id#comment-*", form: commentForm("shared", "Thank you for hosting."), want: allWriters303},
	{route: "POST /meetings/:id/comments", target: "meeting:informal", what: "empty comment on a meeting",
		form: commentForm("shared", " "), want: allWriters422},
	{route: "POST /meetings/:id/comments", target: "meeting:informal", what: "comment of no known visibility",
		form: commentForm("public", "Hello."), want: allWriters422},
	{route: "POST /meetings/:id/comments", target: "id:" + azNoSuchRef, what: "comment on no such meeting",
		form: commentForm("shared", "Hello."), want: all404},

	{route: "POST /meetings/:id/comments/:cid", target: "mcomment:m-cn-shared", what: "correct the CN head's comment on a meeting",
		setup: meetingCommentFirst("m-cn-shared"), next: "/meetings/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o403, o403, o403, o303, o403, o403, o403, o403}},
	{route: "POST /meetings/:id/comments/:cid", target: "mcomment:m-us-note", what: "correct the US delegate's note on a meeting",
		setup: meetingCommentFirst("m-us-note"), next: "/meetings/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o403, o303, o403, o404, o404, o404, o404, o404}},
	{route: "POST /meetings/:id/comments/:cid", target: "mcomment:m-sec-shared", what: "correct the secretariat's comment on a meeting",
		setup: meetingCommentFirst("m-sec-shared"), next: "/meetings/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o403, o403, o403, o403, o403, o403, o303, o403}},
	{route: "POST /meetings/:id/comments/:cid", target: "mcomment:m-cn-shared", what: "correct a meeting comment after 15 minutes",
		setup: setups(meetingCommentFirst("m-cn-shared"), advanceClock(16*time.Minute)), form: commentEditForm,
		want: [8]outcome{o403, o403, o403, o422, o403, o403, o403, o403}},
	{route: "POST /meetings/:id/comments/:cid", target: "meeting:past,mcomment:m-cn-shared",
		what: "correct a comment under another meeting", setup: meetingCommentFirst("m-cn-shared"), form: commentEditForm,
		want: all404},
	{route: "POST /meetings/:id/comments/:cid", target: "meeting:informal,cid:" + azNoSuchRef,
		what: "correct no such meeting comment", want: all404,
		form: func(azForm) url.Values { return url.Values{"version": {"1"}, "body": {"Corrected."}} }},
	{route: "POST /meetings/:id/comments/:cid", target: "item:contested,comment:cn-shared",
		what: "correct an agenda item's comment as a meeting's", want: all404,
		form: commentEditForm},

	{route: "POST /meetings/:id/attendees", target: "meeting:informal", what: "list a guest for one's side",
		next: "/meetings/:id#attendance", form: attendeeForm("", "Dr. Lin Wei"), want: allWriters303},
	{route: "POST /meetings/:id/attendees", target: "meeting:informal", what: "list the CN delegate",
		next: "/meetings/:id#attendance", form: attendeeForm("cn.delegate", ""),
		want: [8]outcome{o422, o422, o403, o303, o303, o403, o422, o422}},
	{route: "POST /meetings/:id/attendees", target: "meeting:informal", what: "list the US delegate, listed already",
		setup: listFirst, form: attendeeForm("us.delegate", ""), want: allWriters422},
	{route: "POST /meetings/:id/attendees", target: "meeting:informal", what: "list nobody",
		form: attendeeForm("", ""), want: allWriters422},
	{route: "POST /meetings/:id/attendees", target: "meeting:informal", what: "list a member and a guest at once",
		form: attendeeForm("cn.delegate", "Dr. Lin Wei"), want: allWriters422},
	{route: "POST /meetings/:id/attendees", target: "meeting:past", what: "list a guest for the past meeting",
		form: attendeeForm("", "Dr. Lin Wei"), want: allWriters422},
	{route: "POST /meetings/:id/attendees", target: "id:" + azNoSuchRef, what: "list a guest for no such meeting",
		form: attendeeForm("", "Dr. Lin Wei"), want: all404},

	{route: "POST /meetings/:id/attendees/:aid/remove", target: "attendee:informal-us", what: "take the US delegate off the list",
		setup: listFirst, next: "/meetings/:id#attendance", want: usWriters303},
	{route: "POST /meetings/:id/attendees/:aid/remove", target: "attendee:past-cn", what: "take the CN head off the past meeting's list",
		want: allWriters422},
	{route: "POST /meetings/:id/attendees/:aid/remove", target: "meeting:informal,attendee:past-cn",
		what: "take off an attendee of another meeting", want: [8]outcome{o404, o404, o403, o404, o404, o403, o404, o404}},
	{route: "POST /meetings/:id/attendees/:aid/remove", target: "meeting:informal,aid:" + azNoSuchRef,
		what: "take off no such attendee", want: all404},

	{route: "POST /meetings/:id/attendance", target: "meeting:informal", what: "record who attended the scheduled meeting",
		setup: setups(listFirst, confirmFirst("informal", 0)), next: "/meetings/:id#attendance", form: attendanceForm,
		want: managers303},
	{route: "POST /meetings/:id/attendance", target: "meeting:informal", what: "record who attended a meeting in planning",
		setup: listFirst, form: attendanceForm, want: managers422},
	{route: "POST /meetings/:id/attendance", target: "meeting:past", what: "record who attended the past meeting",
		form: attendanceForm, want: managers422},

	{route: "POST /meetings/:id/agenda", target: "meeting:informal", what: "put the adopted item on the agenda",
		next: "/meetings/:id/agenda", form: lineForm("item:adopted", "45"), want: managers303},
	{route: "POST /meetings/:id/agenda", target: "meeting:informal", what: "put the opening on the agenda",
		next: "/meetings/:id/agenda", form: lineForm("procedure:opening", "10"), want: managers303},
	{route: "POST /meetings/:id/agenda", target: "meeting:informal", what: "put the tabled item on the agenda",
		form: lineForm("item:contested", "45"), want: managers422},
	{route: "POST /meetings/:id/agenda", target: "meeting:informal", what: "put the US draft on the agenda",
		form: lineForm("item:usdraft", "45"), want: managers422},
	{route: "POST /meetings/:id/agenda", target: "meeting:informal", what: "add to the agenda with a stale version",
		setup: agendaFirst, form: staleVersion(lineForm("procedure:closing", "10")), want: managers409},
	{route: "POST /meetings/:id/agenda", target: "meeting:informal", what: "add to the cancelled meeting's agenda",
		setup: cancelFirst("informal"), form: lineForm("procedure:opening", "10"), want: managers422},
	{route: "POST /meetings/:id/agenda", target: "meeting:past", what: "add to the past meeting's agenda",
		form: lineForm("procedure:aob", "10"), want: managers422},
	{route: "POST /meetings/:id/agenda", target: "id:" + azNoSuchRef, what: "add to no such meeting's agenda",
		form: func(azForm) url.Values {
			return url.Values{"version": {"1"}, "entry": {"procedure:opening"}, "duration": {"10"}}
		},
		want: all404},

	{route: "POST /meetings/:id/agenda/:lid", target: "line:informal/1", what: "shorten the opening",
		setup: agendaFirst, next: "/meetings/:id/agenda", form: lineChangeForm("save", "5"), want: managers303},
	{route: "POST /meetings/:id/agenda/:lid", target: "line:informal/2", what: "move the item up",
		setup: agendaFirst, next: "/meetings/:id/agenda", form: lineChangeForm("up", ""), want: managers303},
	{route: "POST /meetings/:id/agenda/:lid", target: "line:informal/1", what: "move the first line up",
		setup: agendaFirst, form: lineChangeForm("up", ""), want: managers422},
	{route: "POST /meetings/:id/agenda/:lid", target: "line:informal/2", what: "take the item off the agenda",
		setup: agendaFirst, next: "/meetings/:id/agenda", form: lineChangeForm("remove", ""), want: managers303},
	{route: "POST /meetings/:id/agenda/:lid", target: "line:informal/2", what: "change a line with a stale version",
		setup: agendaFirst, form: staleVersion(lineChangeForm("save", "40")), want: managers409},
	{route: "POST /meetings/:id/agenda/:lid", target: "line:past/1", what: "change the past meeting's agreed agenda",
		form: lineChangeForm("save", "5"), want: managers422},
	{route: "POST /meetings/:id/agenda/:lid", target: "meeting:informal,line:past/1", what: "change a line of another meeting",
		form: lineChangeForm("save", "5"), want: managers404},
	{route: "POST /meetings/:id/agenda/:lid", target: "meeting:informal,lid:" + azNoSuchRef, what: "change no such line",
		form: func(azForm) url.Values { return url.Values{"version": {"1"}, "duration": {"5"}, "do": {"save"}} },
		want: all404},

	{route: "POST /meetings/:id/agenda/approve", target: "meeting:informal", what: "approve the agenda",
		setup: agendaFirst, next: "/meetings/:id/agenda", form: agendaRevisionForm(0), want: heads303},
	{route: "POST /meetings/:id/agenda/approve", target: "meeting:informal", what: "approve the agenda the US approved",
		setup: approveAgendaFirst("us.head"), next: "/meetings/:id/agenda", form: agendaRevisionForm(0),
		want: [8]outcome{o422, o403, o403, o303, o403, o403, o403, o403}},
	{route: "POST /meetings/:id/agenda/approve", target: "meeting:informal", what: "approve an earlier revision of the agenda",
		setup: agendaFirst, form: agendaRevisionForm(-1), want: heads409},
	{route: "POST /meetings/:id/agenda/approve", target: "meeting:informal", what: "approve an empty agenda",
		form: agendaRevisionForm(0), want: heads422},
	{route: "POST /meetings/:id/agenda/approve", target: "meeting:informal", what: "approve the cancelled meeting's agenda",
		setup: setups(agendaFirst, cancelFirst("informal")), form: agendaRevisionForm(0), want: heads422},
	{route: "POST /meetings/:id/agenda/approve", target: "meeting:past", what: "approve the agreed agenda again",
		form: agendaRevisionForm(0), want: heads422},
	{route: "POST /meetings/:id/agenda/approve", target: "id:" + azNoSuchRef, what: "approve no such meeting's agenda",
		form: func(azForm) url.Values { return url.Values{"revision": {"1"}} }, want: all404},

	{route: "POST /meetings/:id/minutes", target: "meeting:past", what: "correct the approved minutes",
		next: "/meetings/:id/minutes", form: minutesForm(true, 0), want: managers303},
	{route: "POST /meetings/:id/minutes", target: "meeting:past", what: "save the minutes unchanged",
		form: minutesForm(false, 0), want: managers422},
	{route: "POST /meetings/:id/minutes", target: "meeting:past", what: "correct an earlier revision of the minutes",
		form: minutesForm(true, -1), want: managers409},
	{route: "POST /meetings/:id/minutes", target: "meeting:past", what: "minutes with an outcome nobody knows",
		form: func(f azForm) url.Values {
			v := minutesForm(true, 0)(f)
			v.Set("outcome-0", "postponed")
			return v
		}, want: managers422},
	{route: "POST /meetings/:id/minutes", target: "meeting:informal", what: "minutes of a meeting in planning",
		form: minutesForm(true, 0), want: managers422},
	{route: "POST /meetings/:id/minutes", target: "id:" + azNoSuchRef, what: "minutes of no such meeting",
		form: func(azForm) url.Values { return url.Values{"revision": {"1"}} }, want: all404},

	{route: "POST /meetings/:id/minutes/approve", target: "meeting:past", what: "approve the corrected minutes",
		setup: correctMinutesFirst, next: "/meetings/:id/minutes", form: minutesRevisionForm(0), want: heads303},
	{route: "POST /meetings/:id/minutes/approve", target: "meeting:past", what: "approve the minutes' earlier revision",
		setup: correctMinutesFirst, form: minutesRevisionForm(-1), want: heads409},
	{route: "POST /meetings/:id/minutes/approve", target: "meeting:past", what: "approve the approved minutes again",
		form: minutesRevisionForm(0), want: heads422},
	{route: "POST /meetings/:id/minutes/approve", target: "meeting:informal", what: "approve minutes nobody wrote",
		form: minutesRevisionForm(0), want: heads422},
	{route: "POST /meetings/:id/minutes/approve", target: "id:" + azNoSuchRef, what: "approve no such meeting's minutes",
		form: func(azForm) url.Values { return url.Values{"revision": {"1"}} }, want: all404},

	{route: "POST /meetings/:id/statement", target: "meeting:past", what: "write one's delegation's statement",
		next: "/meetings/:id/minutes", form: statementForm("We welcome the working group's progress.", 0), want: pollers303},
	{route: "POST /meetings/:id/statement", target: "meeting:past", what: "write a statement on a stale version",
		form: statementForm("We welcome the working group's progress.", 1),
		want: [8]outcome{o409, o409, o403, o409, o409, o403, o403, o403}},
	{route: "POST /meetings/:id/statement", target: "meeting:past", what: "write an empty statement",
		form: statementForm(" ", 0), want: pollers422},
	{route: "POST /meetings/:id/statement", target: "meeting:informal", what: "write a statement before the meeting",
		form: statementForm("We look forward to the meeting.", 0), want: pollers422},
	{route: "POST /meetings/:id/statement", target: "id:" + azNoSuchRef, what: "write a statement for no such meeting",
		form: func(azForm) url.Values { return url.Values{"version": {"0"}, "statement": {"Nothing."}} }, want: all404},

	{route: "POST /account/calendar", what: "make one's calendar feed", next: "/account#calendar", want: all303},
}

// matrixRoutes is the set of routes the matrix covers.
func matrixRoutes() map[string]bool {
	out := map[string]bool{}
	for _, c := range authzMatrix {
		out[c.route] = true
	}
	return out
}

func azUser(ts *testServer, short string) *app.User {
	ts.t.Helper()
	u, err := ts.svc.FindUserByEmail(context.Background(), app.System, azEmail(short))
	if err != nil {
		ts.t.Fatalf("user %s: %v", short, err)
	}
	return u
}

func azSide(ts *testServer, code string) *app.Side {
	ts.t.Helper()
	s, err := ts.svc.SideByCode(context.Background(), app.System, code)
	if err != nil {
		ts.t.Fatalf("side %s: %v", code, err)
	}
	return s
}

// auditState fingerprints every audit chain: any write changes it.
func auditState(ts *testServer) string {
	ts.t.Helper()
	heads, problems, err := ts.svc.DB().VerifyAudit(context.Background())
	if err != nil {
		ts.t.Fatal(err)
	}
	if len(problems) > 0 {
		ts.t.Fatalf("audit chains broken: %v", problems)
	}
	var parts []string
	for _, h := range heads {
		parts = append(parts, fmt.Sprintf("%s=%d/%s", h.Chain, h.Length, h.Hash))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// classify turns a response into an outcome; next is the expected success address.
func classify(res *response, next string) outcome {
	if res.StatusCode == http.StatusSeeOther {
		loc := res.Header.Get("Location")
		switch {
		case strings.HasPrefix(loc, "/login"):
			if next == "/login" {
				return o303
			}
			return oLogin
		case loc == next:
			return o303
		case strings.Contains(next, "*") && regexp.MustCompile("^"+strings.ReplaceAll(regexp.QuoteMeta(next), `\*`, "[0-9a-f]{20}")+"$").MatchString(loc):
			return o303
		}
		return outcome("303 to " + loc)
	}
	return outcome(strconv.Itoa(res.StatusCode))
}

// runAuthzCell makes one request of a row as one account and checks the outcome.
func runAuthzCell(t *testing.T, ts *testServer, c *client, row authzCase, col int) {
	t.Helper()
	runAuthzAs(t, ts, c, row, azAccounts[col], func(got outcome) bool { return got == row.want[col] }, string(row.want[col]))
}

// runAuthzAs makes one request of a row as the account short and checks
// that the outcome is one ok accepts (want describes it) and that a refusal
// changed nothing.
func runAuthzAs(t *testing.T, ts *testServer, c *client, row authzCase, short string, ok func(outcome) bool, want string) {
	t.Helper()
	actor := azUser(ts, short)
	if row.setup != nil {
		row.setup(t, ts)
	}
	f := azForm{ts: ts, actor: actor}
	method, path, _ := strings.Cut(row.route, " ")
	params := map[string]string{}
	setParam := func(name, v string, override bool) {
		if _, ok := params[name]; ok && !override {
			return
		}
		params[name] = v
	}
	if row.target != "" {
		for _, part := range strings.Split(row.target, ",") {
			kind, val, _ := strings.Cut(part, ":")
			switch kind {
			case "user":
				f.target = azUser(ts, val)
				setParam("id", f.target.PublicID, true)
			case "side":
				f.side = azSide(ts, val)
				setParam("id", f.side.PublicID, true)
			case "category":
				f.category = azCategory(ts, val)
				setParam("id", f.category.PublicID, true)
			case "item":
				f.item = azItem(ts, val)
				setParam("id", f.item.PublicID, true)
			case "amendment":
				it, a := azAmendment(ts, val)
				f.amendment = a
				if _, ok := params["id"]; !ok {
					f.item = it
				}
				setParam("id", it.PublicID, false)
				setParam("aid", a.PublicID, true)
			case "comment":
				it, cm := azComment(ts, val)
				f.comment = cm
				if _, ok := params["id"]; !ok {
					f.item = it
				}
				setParam("id", it.PublicID, false)
				setParam("cid", cm.PublicID, true)
			case "meeting":
				f.meeting = azMeeting(ts, val)
				setParam("id", f.meeting.PublicID, true)
			case "mcomment":
				m, cm := azMeetingComment(ts, val)
				f.comment = cm
				if _, ok := params["id"]; !ok {
					f.meeting = m
				}
				setParam("id", m.PublicID, false)
				setParam("cid", cm.PublicID, true)
			case "attendee":
				m, a := azAttendee(ts, val)
				f.attendee = a
				if _, ok := params["id"]; !ok {
					f.meeting = m
				}
				setParam("id", m.PublicID, false)
				setParam("aid", a.PublicID, true)
			case "line":
				m, l := azLine(ts, val)
				f.line = l
				if _, ok := params["id"]; !ok {
					f.meeting = m
				}
				setParam("id", m.PublicID, false)
				setParam("lid", l.PublicID, true)
			case "incident":
				f.incident = azIncident(ts, val)
				setParam("id", f.incident.PublicID, true)
			case "irequest":
				inc, r := azRequest(ts, val)
				f.incident, f.request = inc, r
				setParam("id", inc.PublicID, false)
				setParam("rid", r.PublicID, true)
			case "file":
				inc, a := azFile(ts, val)
				f.incident = inc
				setParam("id", inc.PublicID, false)
				setParam("aid", a.PublicID, true)
			case "inote":
				inc, cm := azIncidentComment(ts, val)
				f.incident, f.comment = inc, cm
				setParam("id", inc.PublicID, false)
				setParam("cid", cm.PublicID, true)
			case "action":
				f.action = azAction(ts, val)
				setParam("id", f.action.PublicID, true)
			case "acomment":
				a, cm := azActionComment(ts, val)
				f.action, f.comment = a, cm
				setParam("id", a.PublicID, false)
				setParam("cid", cm.PublicID, true)
			case "afile":
				a, file := azActionFile(ts, val)
				f.action = a
				setParam("id", a.PublicID, false)
				setParam("fid", file.PublicID, true)
			case "id", "aid", "cid", "lid", "rid", "fid":
				setParam(kind, val, true)
			default:
				t.Fatalf("bad target %q", row.target)
			}
		}
	}
	next := row.next
	for _, name := range []string{"aid", "cid", "lid", "rid", "fid", "id"} {
		if strings.Contains(path, ":"+name) != (params[name] != "") {
			t.Fatalf("row %s %q: target %q does not fit the route", row.route, row.what, row.target)
		}
		path = strings.ReplaceAll(path, ":"+name, params[name])
		next = strings.ReplaceAll(next, ":"+name, params[name])
	}

	before := auditState(ts)
	var res *response
	switch method {
	case http.MethodGet:
		res = c.get(path)
	case http.MethodPost:
		form := url.Values{}
		if row.form != nil {
			form = row.form(f)
		}
		res = c.post(path, form)
	default:
		t.Fatalf("no way to send %s", method)
	}
	got := classify(res, next)
	if !ok(got) {
		t.Errorf("%s %s (%s) as %s: got %s, want %s", method, path, row.what, short, got, want)
		return
	}
	after := auditState(ts)
	switch {
	case got.refused() && after != before:
		t.Errorf("%s %s (%s) as %s was refused (%s) but changed data:\nbefore %s\nafter  %s",
			method, path, row.what, short, got, before, after)
	case method == http.MethodGet && row.records && !got.refused() && after == before:
		t.Errorf("GET %s as %s should have been recorded", path, short)
	case method == http.MethodGet && !row.records && after != before:
		t.Errorf("GET %s as %s changed data", path, short)
	case method == http.MethodPost && !got.refused() && after == before:
		t.Errorf("%s %s (%s) as %s succeeded (%s) but recorded nothing", method, path, row.what, short, got)
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	// Reads change nothing: one server, every account signed in.
	ts := newTestServer(t)
	clients := [8]*client{}
	for i, a := range azAccounts {
		clients[i] = ts.as(azEmail(a))
	}
	for _, row := range authzMatrix {
		if !strings.HasPrefix(row.route, "GET ") {
			continue
		}
		for col := range azAccounts {
			runAuthzCell(t, ts, clients[col], row, col)
		}
	}

	// Writes: a fresh server for every row and account.
	for _, row := range authzMatrix {
		if strings.HasPrefix(row.route, "GET ") {
			continue
		}
		t.Run(row.route+" "+row.what, func(t *testing.T) {
			for col, a := range azAccounts {
				ts := newTestServer(t)
				runAuthzCell(t, ts, ts.as(azEmail(a)), row, col)
			}
		})
	}
}

// The account list of a head holds their own delegation only.
func TestUserListScope(t *testing.T) {
	ts := newTestServer(t)
	us := []string{"us.head", "us.delegate", "us.observer"}
	cn := []string{"cn.head", "cn.delegate", "cn.observer"}
	sec := []string{"secretariat", "admin"}
	check := func(viewer string, seen, unseen []string) {
		t.Helper()
		res := ts.as(azEmail(viewer)).get("/admin/users")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: /admin/users status %d", viewer, res.StatusCode)
		}
		for _, a := range seen {
			if !strings.Contains(res.Body, azEmail(a)) {
				t.Errorf("%s does not see %s in the account list", viewer, a)
			}
		}
		for _, a := range unseen {
			if strings.Contains(res.Body, azEmail(a)) {
				t.Errorf("%s sees %s in the account list", viewer, a)
			}
		}
	}
	check("us.head", us, append(append([]string{}, cn...), sec...))
	check("cn.head", cn, append(append([]string{}, us...), sec...))
	check("admin", append(append(append([]string{}, us...), cn...), sec...), nil)
}

// Each side sees the shared chain and its own, never the other delegation's;
// the admin (secretariat) sees neither delegation's chain.
func TestAuditChainsPerSide(t *testing.T) {
	ts := newTestServer(t)
	clients := map[string]*client{}
	for _, a := range azAccounts { // every side now has internal records (sign-ins)
		clients[a] = ts.as(azEmail(a))
	}
	heads, _, err := ts.svc.DB().VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hash := map[string]string{}
	for _, h := range heads {
		hash[h.Chain] = h.Hash
	}
	shared := hash[app.ChainShared]
	usChain := hash[app.SideChain(azSide(ts, "US").ID)]
	cnChain := hash[app.SideChain(azSide(ts, "CN").ID)]
	secChain := hash[app.SideChain(azSide(ts, "SEC").ID)]
	for name, h := range map[string]string{"shared": shared, "US": usChain, "CN": cnChain, "SEC": secChain} {
		if h == "" {
			t.Fatalf("no %s chain after every account signed in", name)
		}
	}
	for _, a := range azAccounts {
		res := clients[a].get("/audit")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: /audit status %d", a, res.StatusCode)
		}
		var want, never []string
		switch {
		case strings.HasPrefix(a, "us."):
			want, never = []string{shared, usChain}, []string{cnChain, secChain}
		case strings.HasPrefix(a, "cn."):
			want, never = []string{shared, cnChain}, []string{usChain, secChain}
		default:
			want, never = []string{shared, secChain}, []string{usChain, cnChain}
		}
		for _, h := range want {
			if !strings.Contains(res.Body, h) {
				t.Errorf("%s: /audit does not list chain head %s", a, h)
			}
		}
		for _, h := range never {
			if strings.Contains(res.Body, h) {
				t.Errorf("%s: /audit shows another side's chain head %s", a, h)
			}
		}
	}
	// The labels, in English, for a US member: shared and own side, not the other.
	body := clients["us.delegate"].get("/audit").Body
	if !strings.Contains(body, "Internal to United States delegation") || strings.Contains(body, "Chinese delegation") {
		t.Errorf("US /audit labels wrong:\n%s", body)
	}
	body = clients["admin"].get("/audit").Body
	if strings.Contains(body, "Internal to United States delegation") || strings.Contains(body, "Internal to Chinese delegation") {
		t.Errorf("admin /audit shows a delegation's chain:\n%s", body)
	}
	body = clients["cn.delegate"].get("/audit").Body // Chinese by default
	if !strings.Contains(body, "中国代表团内部") || strings.Contains(body, "美国代表团内部") {
		t.Errorf("CN /audit labels wrong:\n%s", body)
	}
}

// An account's page shows its side-internal history (sign-ins, settings)
// only to members of that side: the admin sees the shared records alone.
func TestAccountHistoryScopedToSide(t *testing.T) {
	ts := newTestServer(t)
	del := ts.as(azEmail("us.delegate"))
	me := azUser(ts, "us.delegate")
	res := del.post("/account", url.Values{"version": {itoa(me.Version)}, "language": {""}, "time_zone": {"Asia/Tokyo"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings: status %d", res.StatusCode)
	}
	page := "/admin/users/" + me.PublicID
	head := ts.as(azEmail("us.head")).get(page)
	admin := ts.as(azEmail("admin")).get(page)
	if head.StatusCode != http.StatusOK || admin.StatusCode != http.StatusOK {
		t.Fatalf("status: head %d, admin %d", head.StatusCode, admin.StatusCode)
	}
	for _, s := range []string{"Account created", "Signed in", "Settings changed", "Asia/Tokyo"} {
		if !strings.Contains(head.Body, s) {
			t.Errorf("the US head does not see %q in the US delegate's history", s)
		}
	}
	if !strings.Contains(admin.Body, "Account created") {
		t.Errorf("the admin does not see the shared record in the history")
	}
	for _, s := range []string{"Signed in", "Settings changed", "Asia/Tokyo", "127.0.0.1"} {
		if strings.Contains(admin.Body, s) {
			t.Errorf("the admin sees the US-internal %q in the US delegate's history", s)
		}
	}
}

// ---- the agenda's rows: outcomes, forms, demo objects -----------------------

// columns:                      us.head us.delegate us.observer cn.head cn.delegate cn.observer secretariat admin
var (
	writers200        = [8]outcome{o200, o200, o403, o200, o200, o403, o200, o200}
	amenders200       = [8]outcome{o200, o200, o403, o200, o200, o403, o403, o403}
	usSide200         = [8]outcome{o200, o200, o200, o404, o404, o404, o404, o404}
	cnSide200         = [8]outcome{o404, o404, o404, o200, o200, o200, o404, o404}
	usWriters200      = [8]outcome{o200, o200, o403, o403, o403, o403, o403, o403}
	cnWriters200      = [8]outcome{o403, o403, o403, o200, o200, o403, o403, o403}
	usDraftWriters200 = [8]outcome{o200, o200, o403, o404, o404, o404, o404, o404}
	cnDraftWriters200 = [8]outcome{o404, o404, o404, o200, o200, o403, o404, o404}
	usWriters303      = [8]outcome{o303, o303, o403, o403, o403, o403, o403, o403}
	cnWriters303      = [8]outcome{o403, o403, o403, o303, o303, o403, o403, o403}
	usDraftWriters303 = [8]outcome{o303, o303, o403, o404, o404, o404, o404, o404}
	cnDraftWriters303 = [8]outcome{o404, o404, o404, o303, o303, o403, o404, o404}
	managers303       = [8]outcome{o403, o403, o403, o403, o403, o403, o303, o303}
	heads422          = [8]outcome{o422, o403, o403, o422, o403, o403, o403, o403}
	settlers303       = [8]outcome{o303, o403, o403, o403, o403, o403, o403, o403} // the proposing side's head only
	settlers422       = [8]outcome{o422, o403, o403, o403, o403, o403, o403, o403}
	author303         = [8]outcome{o403, o303, o403, o403, o403, o403, o403, o403} // the amendment's author (US delegate)
	author422         = [8]outcome{o403, o422, o403, o403, o403, o403, o403, o403}
)

// azDemoItems are the demo's agenda items: their proposing side's account and title.
var azDemoItems = map[string]struct{ owner, title string }{
	"adopted":   {"cn.delegate", "双边网络工作组机制"},
	"awaiting":  {"cn.delegate", "International cyberspace rules"},
	"contested": {"us.delegate", "Measures to boost dialogue and cooperation on cyber security"},
	"usdraft":   {"us.delegate", "Protecting intellectual property from cyber theft"},
	"cndraft":   {"cn.delegate", "来自美国IP地址的对中国政府网站的攻击"},
}

// azDemoComments are the demo's comments: the item, the author and the visibility.
var azDemoComments = map[string]struct {
	item, author string
	vis          app.Visibility
}{
	"sec-shared":   {"adopted", "secretariat", app.Shared},
	"cn-shared":    {"contested", "cn.head", app.Shared},
	"us-note":      {"contested", "us.delegate", app.Internal},
	"cn-note":      {"contested", "cn.delegate", app.Internal},
	"usdraft-note": {"usdraft", "us.head", app.Internal},
	"cndraft-note": {"cndraft", "cn.head", app.Internal},
}

// azItem is a demo item as its proposing side sees it now.
func azItem(ts *testServer, key string) *agenda.Item {
	ts.t.Helper()
	d, ok := azDemoItems[key]
	if !ok {
		ts.t.Fatalf("no demo item %q", key)
	}
	ctx := context.Background()
	owner := azUser(ts, d.owner)
	list, err := ts.agenda.ListItems(ctx, owner, agenda.ItemFilter{Text: d.title, Page: app.Page{Size: 200}})
	if err != nil {
		ts.t.Fatal(err)
	}
	for _, it := range list.Items {
		if it.Title == d.title {
			full, err := ts.agenda.GetItem(ctx, owner, it.ID)
			if err != nil {
				ts.t.Fatal(err)
			}
			return full
		}
	}
	ts.t.Fatalf("demo item %q (%s) not found", key, d.title)
	return nil
}

// azAmendment is the demo's amendment ("open": the US delegate's, on the contested item).
func azAmendment(ts *testServer, key string) (*agenda.Item, *agenda.Amendment) {
	ts.t.Helper()
	if key != "open" {
		ts.t.Fatalf("no demo amendment %q", key)
	}
	it := azItem(ts, "contested")
	author := azUser(ts, "us.delegate")
	v, err := ts.agenda.ItemView(context.Background(), author, it.PublicID, app.ThreadCursor{})
	if err != nil {
		ts.t.Fatal(err)
	}
	as := v.Amendments
	for i := range as {
		if as[i].AuthorID == author.ID {
			return it, &as[i]
		}
	}
	ts.t.Fatalf("the demo amendment is missing")
	return nil, nil
}

// azComment is a demo comment, as its author sees it.
func azComment(ts *testServer, key string) (*agenda.Item, *app.Comment) {
	ts.t.Helper()
	d, ok := azDemoComments[key]
	if !ok {
		ts.t.Fatalf("no demo comment %q", key)
	}
	it := azItem(ts, d.item)
	author := azUser(ts, d.author)
	cs, err := ts.svc.Comments(context.Background(), author, app.Ref{Kind: agenda.KindItem, ID: it.ID})
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := range cs {
		if cs[i].AuthorID == author.ID && cs[i].Visibility == d.vis {
			return it, &cs[i]
		}
	}
	ts.t.Fatalf("demo comment %q not found", key)
	return nil, nil
}

// azCategory is a category by its English name.
func azCategory(ts *testServer, nameEN string) *agenda.Category {
	ts.t.Helper()
	cats, err := ts.agenda.Categories(context.Background(), app.System, true)
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := range cats {
		if cats[i].NameEN == nameEN {
			return &cats[i]
		}
	}
	ts.t.Fatalf("no category %q", nameEN)
	return nil
}

func newItemForm(f azForm, title, duration string) url.Values {
	return url.Values{"title": {title}, "description": {"Who to call, and how fast."},
		"category": {azCategory(f.ts, "Incident cooperation").PublicID}, "duration": {duration}, "language": {"en"}}
}

// editForm changes the item's title and keeps the rest.
func editForm(title string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"version": {itoa(f.item.Version)}, "title": {title}, "description": {f.item.Description},
			"category": {f.item.Category.PublicID}, "duration": {strconv.Itoa(f.item.DurationMinutes)}}
	}
}

func itemVersionForm(f azForm) url.Values { return url.Values{"version": {itoa(f.item.Version)}} }

func translationForm(f azForm) url.Values {
	version := int64(0) // of the translation; none yet
	if f.item.Translation != nil {
		version = f.item.Translation.Version
	}
	return url.Values{"version": {itoa(version)}, "tr_title": {"A translated title"},
		"tr_description": {"A translated description."}}
}

// revisionForm is a head's decision on the revision they read.
func revisionForm(reason string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		rev := 1
		if f.item != nil {
			rev = f.item.Revision
		}
		return url.Values{"revision": {strconv.Itoa(rev)}, "reason": {reason}}
	}
}

func commentForm(vis, body string) func(f azForm) url.Values {
	return func(f azForm) url.Values { return url.Values{"visibility": {vis}, "body": {body}} }
}

func commentEditForm(f azForm) url.Values {
	return url.Values{"version": {itoa(f.comment.Version)}, "body": {f.comment.Body + " (corrected)"}}
}

// amendForm proposes a new title ("" proposes the current text unchanged).
func amendForm(title string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		if title == "" {
			title = f.item.Title
		}
		return url.Values{"title": {title}, "description": {f.item.Description},
			"rationale": {"Shorter and clearer."}, "base_revision": {strconv.Itoa(f.item.Revision)}}
	}
}

func settleForm(reason string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"version": {itoa(f.amendment.Version)}, "reason": {reason}}
	}
}

// withdrawFirst has the proposing side withdraw a demo item.
func withdrawFirst(key string) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		it := azItem(ts, key)
		if err := ts.agenda.WithdrawItem(context.Background(), azUser(ts, azDemoItems[key].owner), it.ID, it.Version); err != nil {
			t.Fatal(err)
		}
	}
}

// reviseFirst has the proposing side revise a demo item's text.
func reviseFirst(key string) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		it := azItem(ts, key)
		in := agenda.ItemInput{Title: it.Title, Description: it.Description + " (revised)", CategoryID: it.CategoryID,
			DurationMinutes: it.DurationMinutes}
		if _, err := ts.agenda.UpdateItem(context.Background(), azUser(ts, azDemoItems[key].owner), it.ID, it.Version, in); err != nil {
			t.Fatal(err)
		}
	}
}

// pendingFirst has the administrator add a US delegate, who is then pending.
func pendingFirst(t *testing.T, ts *testServer) {
	t.Helper()
	_, _, err := ts.svc.CreateUser(context.Background(), azUser(ts, "admin"), app.UserInput{Email: azEmail("pending.us"),
		Name: "Pending Person", SideID: azSide(ts, "US").ID, Role: app.RoleDelegate, Password: "quiet harbour lantern 42"})
	if err != nil {
		t.Fatal(err)
	}
}

// declineFirst has the US head decline the demo amendment.
func declineFirst(t *testing.T, ts *testServer) {
	t.Helper()
	it, a := azAmendment(ts, "open")
	if err := ts.agenda.SettleAmendment(context.Background(), azUser(ts, "us.head"), it.ID, a.ID, a.Version, false,
		"Out of scope."); err != nil {
		t.Fatal(err)
	}
}

func advanceClock(d time.Duration) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) { ts.clock.advance(d) }
}

// ---- the meetings' rows: outcomes, forms, demo objects ----------------------

// azNoSuchRef is a well-formed opaque identifier that names nothing.
const azNoSuchRef = "ffffffffffffffffffff"

// columns:                  us.head us.delegate us.observer cn.head cn.delegate cn.observer secretariat admin
var (
	managers200   = [8]outcome{o403, o403, o403, o403, o403, o403, o200, o200}
	managers404   = [8]outcome{o403, o403, o403, o403, o403, o403, o404, o404}
	managers409   = [8]outcome{o403, o403, o403, o403, o403, o403, o409, o409}
	managers422   = [8]outcome{o403, o403, o403, o403, o403, o403, o422, o422}
	pollers303    = [8]outcome{o303, o303, o403, o303, o303, o403, o403, o403} // heads and delegates of a delegation
	pollers422    = [8]outcome{o422, o422, o403, o422, o422, o403, o403, o403}
	allWriters303 = [8]outcome{o303, o303, o403, o303, o303, o403, o303, o303} // everyone but observers
	allWriters422 = [8]outcome{o422, o422, o403, o422, o422, o403, o422, o422}
	heads303      = [8]outcome{o303, o403, o403, o303, o403, o403, o403, o403}
	heads409      = [8]outcome{o409, o403, o403, o409, o403, o403, o403, o403}
)

// azDemoMeetings are the demo's meetings by their English titles.
var azDemoMeetings = map[string]string{
	"informal": "Informal meeting before the next dialogue",              // planning, four slots answered
	"past":     "Working group meeting on the sidelines of the dialogue", // minutes approved
}

// azMeeting is a demo meeting as it is now.
func azMeeting(ts *testServer, key string) *meetings.Meeting {
	ts.t.Helper()
	title, ok := azDemoMeetings[key]
	if !ok {
		ts.t.Fatalf("no demo meeting %q", key)
	}
	var pid string
	if err := ts.svc.DB().Reader().QueryRow("SELECT public_id FROM meetings WHERE title_en = ?", title).Scan(&pid); err != nil {
		ts.t.Fatalf("demo meeting %q: %v", key, err)
	}
	m, err := ts.meet.ByRef(context.Background(), azUser(ts, "secretariat"), pid)
	if err != nil {
		ts.t.Fatal(err)
	}
	return m
}

// azSlots are a demo meeting's slots, soonest first.
func azSlots(ts *testServer, key string) []meetings.SlotSummary {
	ts.t.Helper()
	v, err := ts.meet.MeetingView(context.Background(), azUser(ts, "secretariat"), azMeeting(ts, key).PublicID, app.ThreadCursor{})
	if err != nil {
		ts.t.Fatal(err)
	}
	return v.Slots
}

// azMilestone is a milestone by its English name.
func azMilestone(ts *testServer, nameEN string) *meetings.Milestone {
	ts.t.Helper()
	list, err := ts.meet.Milestones(context.Background(), azUser(ts, "secretariat"))
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := range list {
		if list[i].NameEN == nameEN {
			return &list[i]
		}
	}
	ts.t.Fatalf("no milestone %q", nameEN)
	return nil
}

// azMeetingComments are comments on the informal meeting that rows' setups
// write (meetingCommentFirst): author, visibility and text.
var azMeetingComments = map[string]struct {
	author string
	vis    app.Visibility
	body   string
}{
	"m-us-note":    {"us.delegate", app.Internal, "Ask the capital about the Friday evening slot."},
	"m-cn-shared":  {"cn.head", app.Shared, "中方倾向于第一个时间。"},
	"m-sec-shared": {"secretariat", app.Shared, "The secretariat will circulate the video link."},
}

// meetingCommentFirst has its author write a comment on the informal meeting.
func meetingCommentFirst(key string) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		d := azMeetingComments[key]
		if _, err := ts.svc.AddComment(context.Background(), azUser(ts, d.author), meetings.Ref(azMeeting(ts, "informal")),
			d.vis, d.body); err != nil {
			t.Fatal(err)
		}
	}
}

// azMeetingComment is a comment on the informal meeting, as its author sees it.
func azMeetingComment(ts *testServer, key string) (*meetings.Meeting, *app.Comment) {
	ts.t.Helper()
	d, ok := azMeetingComments[key]
	if !ok {
		ts.t.Fatalf("no meeting comment %q", key)
	}
	m := azMeeting(ts, "informal")
	cs, err := ts.svc.Comments(context.Background(), azUser(ts, d.author), meetings.Ref(m))
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := range cs {
		if cs[i].Body == d.body {
			return m, &cs[i]
		}
	}
	ts.t.Fatalf("meeting comment %q not found: did the row's setup write it?", key)
	return nil, nil
}

// azAttendees are people on a meeting's list: the meeting and the member.
// The CN head is on the past meeting's list in the demo; listFirst puts the
// US delegate on the informal meeting's.
var azAttendees = map[string]struct{ meeting, member string }{
	"past-cn":     {"past", "cn.head"},
	"informal-us": {"informal", "us.delegate"},
}

func azAttendee(ts *testServer, key string) (*meetings.Meeting, *meetings.Attendee) {
	ts.t.Helper()
	d, ok := azAttendees[key]
	if !ok {
		ts.t.Fatalf("no attendee %q", key)
	}
	m := azMeeting(ts, d.meeting)
	v, err := ts.meet.MeetingView(context.Background(), azUser(ts, "secretariat"), m.PublicID, app.ThreadCursor{})
	if err != nil {
		ts.t.Fatal(err)
	}
	member := azUser(ts, d.member)
	for i := range v.Attendees {
		if a := &v.Attendees[i]; a.UserID != nil && *a.UserID == member.ID {
			return m, a
		}
	}
	ts.t.Fatalf("attendee %q not listed", key)
	return nil, nil
}

// listFirst has the US delegate list themselves for the informal meeting.
func listFirst(t *testing.T, ts *testServer) {
	t.Helper()
	u := azUser(ts, "us.delegate")
	if err := ts.meet.AddAttendee(context.Background(), u, azMeeting(ts, "informal").ID, u.ID, ""); err != nil {
		t.Fatal(err)
	}
}

// azLine is "<demo meeting>/<n>": the n-th line (from 1) of its agenda.
func azLine(ts *testServer, spec string) (*meetings.Meeting, *meetings.Line) {
	ts.t.Helper()
	key, n, _ := strings.Cut(spec, "/")
	i, err := strconv.Atoi(n)
	if err != nil {
		ts.t.Fatalf("bad line %q", spec)
	}
	m := azMeeting(ts, key)
	v, err := ts.meet.Agenda(context.Background(), azUser(ts, "secretariat"), m.PublicID)
	if err != nil {
		ts.t.Fatal(err)
	}
	if i < 1 || i > len(v.Lines) {
		ts.t.Fatalf("line %q: the agenda has %d lines", spec, len(v.Lines))
	}
	return m, &v.Lines[i-1]
}

// setups runs several setups in order.
func setups(fs ...func(t *testing.T, ts *testServer)) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		for _, f := range fs {
			f(t, ts)
		}
	}
}

// confirmFirst has the secretariat confirm a demo meeting's i-th slot.
func confirmFirst(key string, i int) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		m := azMeeting(ts, key)
		if err := ts.meet.Confirm(context.Background(), azUser(ts, "secretariat"), m.ID, m.Version,
			azSlots(ts, key)[i].ID); err != nil {
			t.Fatal(err)
		}
	}
}

// cancelFirst has the secretariat cancel a demo meeting.
func cancelFirst(key string) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		m := azMeeting(ts, key)
		if err := ts.meet.Cancel(context.Background(), azUser(ts, "secretariat"), m.ID, m.Version, "Postponed."); err != nil {
			t.Fatal(err)
		}
	}
}

// startedFirst schedules the informal meeting half an hour from now, then
// lets 45 minutes pass (less than a session's idle time): it has started.
func startedFirst(t *testing.T, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	sec := azUser(ts, "secretariat")
	m := azMeeting(ts, "informal")
	sl, err := ts.meet.AddSlot(ctx, sec, m.ID, ts.clock.now().Add(30*time.Minute).UTC().Format("2006-01-02T15:04"), "UTC")
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.meet.Confirm(ctx, sec, m.ID, m.Version, sl.ID); err != nil {
		t.Fatal(err)
	}
	ts.clock.advance(45 * time.Minute)
}

// agendaFirst has the secretariat put the opening and the adopted item on
// the informal meeting's agenda (revision 2).
func agendaFirst(t *testing.T, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	sec := azUser(ts, "secretariat")
	for _, in := range []meetings.LineInput{{Procedure: "opening", DurationMinutes: 10},
		{ItemID: azItem(ts, "adopted").ID, DurationMinutes: 45, LeadSideID: azSide(ts, "CN").ID}} {
		m := azMeeting(ts, "informal")
		if err := ts.meet.AddLine(ctx, sec, m.ID, m.Version, in); err != nil {
			t.Fatal(err)
		}
	}
}

// approveAgendaFirst builds the informal meeting's agenda and has a head approve it.
func approveAgendaFirst(head string) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		agendaFirst(t, ts)
		m := azMeeting(ts, "informal")
		if err := ts.meet.ApproveAgenda(context.Background(), azUser(ts, head), m.ID, m.AgendaRevision); err != nil {
			t.Fatal(err)
		}
	}
}

// correctMinutesFirst has the secretariat correct the past meeting's
// approved minutes: revision 2, which no head has approved, and the meeting
// is held again.
func correctMinutesFirst(t *testing.T, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	sec := azUser(ts, "secretariat")
	m := azMeeting(ts, "past")
	v, err := ts.meet.Minutes(ctx, sec, m.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	var in []meetings.SectionInput
	for i, l := range v.Lines {
		text := l.Minutes
		if i == 0 {
			text += " (corrected)"
		}
		in = append(in, meetings.SectionInput{LineID: l.ID, Text: text, Outcome: l.Outcome})
	}
	if err := ts.meet.SaveMinutes(ctx, sec, m.ID, m.MinutesRevision, in); err != nil {
		t.Fatal(err)
	}
}

func milestoneForm(nameEN, nameZH, start, zone string) func(f azForm) url.Values {
	return func(azForm) url.Values {
		return url.Values{"name_en": {nameEN}, "name_zh": {nameZH}, "start": {start}, "zone": {zone}}
	}
}

// meetingForm is a new video meeting; change adjusts it.
func meetingForm(change func(f azForm, v url.Values)) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		v := url.Values{"title_en": {"Experts' meeting on incident response"}, "title_zh": {"事件响应专家会议"},
			"kind": {"experts"}, "format": {"video"}, "video_link": {"https://video.parley.example/experts"},
			"venue": {""}, "zone": {"Asia/Shanghai"}, "duration": {"60"}, "milestone": {""}}
		if change != nil {
			change(f, v)
		}
		return v
	}
}

// editMeetingForm is the edit form of the target meeting, as its page shows
// it, with a change.
func editMeetingForm(change func(f azForm, v url.Values)) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		m := f.meeting
		v := url.Values{"version": {itoa(m.Version)}, "title_en": {m.TitleEN}, "title_zh": {m.TitleZH},
			"kind": {string(m.Kind)}, "format": {string(m.Format)}, "video_link": {m.VideoLink}, "venue": {m.Venue},
			"zone": {m.Zone}, "duration": {strconv.Itoa(m.DurationMinutes)}}
		if change != nil {
			change(f, v)
		}
		return v
	}
}

func slotForm(start, zone string) func(f azForm) url.Values {
	return func(azForm) url.Values { return url.Values{"start": {start}, "zone": {zone}} }
}

// answerForm answers the first slot of a demo meeting's poll, with a note.
func answerForm(key, answer string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		sl := azSlots(f.ts, key)[0]
		return url.Values{"slot-" + sl.PublicID: {answer}, "note-" + sl.PublicID: {"Mornings only."}}
	}
}

// confirmForm confirms a demo meeting's i-th slot, at the version read.
func confirmForm(key string, i int) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"version": {itoa(f.meeting.Version)}, "slot": {azSlots(f.ts, key)[i].PublicID}}
	}
}

func meetingVersionForm(f azForm) url.Values { return url.Values{"version": {itoa(f.meeting.Version)}} }

// staleVersion sends a form with the meeting's version before the last change.
func staleVersion(form func(f azForm) url.Values) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		v := form(f)
		v.Set("version", itoa(f.meeting.Version-1))
		return v
	}
}

func cancelForm(reason string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"version": {itoa(f.meeting.Version)}, "reason": {reason}}
	}
}

// attendeeForm lists a member of the actor's side (given by short name) or a guest.
func attendeeForm(member, guest string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		v := url.Values{"member": {""}, "guest": {guest}}
		if member != "" {
			v.Set("member", azUser(f.ts, member).PublicID)
		}
		return v
	}
}

// attendanceForm records that everyone listed attended.
func attendanceForm(f azForm) url.Values {
	v, err := f.ts.meet.MeetingView(context.Background(), f.actor, f.meeting.PublicID, app.ThreadCursor{})
	if err != nil {
		f.ts.t.Fatal(err)
	}
	form := url.Values{}
	for _, a := range v.Attendees {
		form.Add("attended", a.PublicID)
	}
	return form
}

// lineForm adds "procedure:<p>" or "item:<demo item>" to the agenda, led by China.
func lineForm(entry, duration string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		if key, ok := strings.CutPrefix(entry, "item:"); ok {
			entry = azItem(f.ts, key).PublicID
		}
		return url.Values{"version": {itoa(f.meeting.Version)}, "entry": {entry}, "duration": {duration},
			"lead": {azSide(f.ts, "CN").PublicID}}
	}
}

// lineChangeForm saves, moves ("up", "down") or removes the target line.
func lineChangeForm(do, duration string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		if duration == "" {
			duration = strconv.Itoa(f.line.DurationMinutes)
		}
		return url.Values{"version": {itoa(f.meeting.Version)}, "duration": {duration}, "lead": {""}, "do": {do}}
	}
}

// agendaRevisionForm approves the agenda's current revision plus delta.
func agendaRevisionForm(delta int) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"revision": {strconv.Itoa(f.meeting.AgendaRevision + delta)}}
	}
}

// minutesRevisionForm approves the minutes' current revision plus delta.
func minutesRevisionForm(delta int) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"revision": {strconv.Itoa(f.meeting.MinutesRevision + delta)}}
	}
}

// minutesForm is the minutes form as the page shows it, read at the
// current revision plus delta, with the first section corrected if change.
func minutesForm(change bool, delta int) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		v, err := f.ts.meet.Minutes(context.Background(), f.actor, f.meeting.PublicID)
		if err != nil {
			f.ts.t.Fatal(err)
		}
		form := url.Values{"revision": {strconv.Itoa(f.meeting.MinutesRevision + delta)}}
		for i, l := range v.Lines {
			n := strconv.Itoa(i)
			text := l.Minutes
			if change && i == 0 {
				text += " The chairs thanked the hosts."
			}
			form.Set("line-"+n, l.PublicID)
			form.Set("section-"+n, text)
			form.Set("outcome-"+n, string(l.Outcome))
		}
		return form
	}
}

// statementForm writes the actor's delegation's statement on the version
// of it the actor read (0: none yet), plus delta.
func statementForm(body string, delta int64) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		version := int64(0)
		if v, err := f.ts.meet.Minutes(context.Background(), f.actor, f.meeting.PublicID); err == nil {
			for _, st := range v.Statements {
				if st.SideID == f.actor.SideID {
					version = st.Version
				}
			}
		}
		return url.Values{"version": {itoa(version + delta)}, "statement": {body}}
	}
}
