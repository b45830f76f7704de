package web

import (
	"context"
	"net/url"
	"testing"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
)

// The actions' rows of the authorization matrix. They name the demo's
// actions: "contacts" (joint; the US part verified by China, the Chinese
// part done and awaiting US verification), "logs" (the US's, in progress
// and overdue), "terms" (the secretariat's, in progress) and "usprep" (a US
// preparation task, internal to the United States).

func init() { authzMatrix = append(authzMatrix, actionMatrix...) }

// columns:             us.head us.delegate us.observer cn.head cn.delegate cn.observer secretariat admin
var (
	creators200 = [8]outcome{o200, o200, o403, o200, o200, o403, o200, o200}
	usVerifiers = [8]outcome{o303, o303, o403, o403, o403, o403, o403, o403}
)

var actionMatrix = []authzCase{
	{route: "GET /actions", what: "action list", want: all200},
	{route: "GET /actions.csv", what: "actions as CSV", want: all200},
	{route: "GET /actions/new", what: "new action form", want: creators200},
	{route: "GET /actions/:id", target: "action:contacts", what: "a joint action", want: all200},
	{route: "GET /actions/:id", target: "action:usprep", what: "a US preparation task", want: usSide200},
	{route: "GET /actions/:id", target: "id:" + azNoSuchRef, what: "no such action", want: all404},
	{route: "GET /actions/:id/history", target: "action:logs", what: "an action's history", want: all200},
	{route: "GET /actions/:id/history", target: "action:usprep", what: "a US task's history", want: usSide200},
	{route: "GET /actions/:id/translation", target: "action:terms", what: "translation form", want: writers200},
	{route: "GET /actions/:id/files/:fid", target: "afile:logs", what: "download the logs' evidence", setup: evidenceFirst("logs"),
		want: all200},
	{route: "GET /actions/:id/files/:fid", target: "afile:usprep", what: "download a US task's evidence",
		setup: evidenceFirst("usprep"), want: usSide200},
	{route: "GET /actions/:id/files/:fid", target: "action:logs,fid:" + azNoSuchRef, what: "download no such file", want: all404},
	{route: "GET /actions/:id/translation", target: "action:usprep", what: "translate a US task", want: usSide403},

	{route: "POST /actions/new", what: "create a US action", next: "/actions/*", form: newActionForm("US", "2013-07-30"),
		want: [8]outcome{o303, o303, o403, o422, o422, o403, o303, o303}},
	{route: "POST /actions/new", what: "create a joint action", next: "/actions/*", form: newActionForm("joint", "2013-07-30"),
		want: [8]outcome{o303, o303, o403, o303, o303, o403, o303, o303}},
	{route: "POST /actions/new", what: "create one due on no such day", form: newActionForm("joint", "2013-02-30"),
		want: [8]outcome{o422, o422, o403, o422, o422, o403, o422, o422}},
	{route: "POST /actions/:id/start", target: "action:usprep", what: "start a US task", next: "/actions/:id",
		form: actionVersionForm, want: usDraftWriters303},
	{route: "POST /actions/:id/start", target: "action:logs", what: "start what is in progress", form: actionVersionForm,
		want: [8]outcome{o422, o422, o403, o403, o403, o403, o403, o403}},
	{route: "POST /actions/:id/done", target: "action:logs", what: "mark the US logs done", next: "/actions/:id",
		form: actionNoteForm("note", "Logs sent on 12 July."), want: usWriters303},
	{route: "POST /actions/:id/done", target: "action:logs", what: "mark them done without a note",
		form: actionNoteForm("note", " "), want: [8]outcome{o422, o422, o403, o403, o403, o403, o403, o403}},
	{route: "POST /actions/:id/verify", target: "action:contacts", what: "verify the Chinese part", next: "/actions/:id",
		form: actionVersionForm, want: usVerifiers},
	{route: "POST /actions/:id/reopen", target: "action:contacts", what: "reopen the Chinese part", next: "/actions/:id",
		form: actionNoteForm("reason", "The number does not answer."), want: usVerifiers},
	{route: "POST /actions/:id/cancel", target: "action:terms", what: "cancel the secretariat's action", next: "/actions/:id",
		form: actionNoteForm("reason", "Overtaken."), want: [8]outcome{o403, o403, o403, o403, o403, o403, o303, o303}},
	{route: "POST /actions/:id/due-date", target: "action:logs", what: "propose a new date for the logs", next: "/actions/:id",
		form: dueForm("2013-08-30"), want: usWriters303},
	{route: "POST /actions/:id/due-date", target: "action:logs", what: "propose a past date",
		form: dueForm("2013-07-01"), want: [8]outcome{o422, o422, o403, o403, o403, o403, o403, o403}},
	{route: "POST /actions/:id/agree-due", target: "action:logs", what: "agree to the new date", setup: proposeDueFirst,
		next: "/actions/:id", form: agreeForm, want: [8]outcome{o403, o403, o403, o303, o403, o403, o403, o403}},
	{route: "POST /actions/:id/comments", target: "action:contacts", what: "comment on an action", next: "/actions/:id#comment-*",
		form: commentForm("shared", "Received, thank you."), want: allWriters303},
	{route: "POST /actions/:id/comments/:cid", target: "acomment:contacts-us", what: "correct the US delegate's comment",
		setup: actionCommentFirst, next: "/actions/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o403, o303, o403, o403, o403, o403, o403, o403}},
	{route: "POST /actions/:id/translation", target: "action:terms", what: "translate the secretariat's action",
		next: "/actions/:id", form: actionTranslationForm, want: allWriters303},
}

// azDemoActions are the demo's actions by title, with who sees them.
var azDemoActions = map[string]struct{ title, reader string }{
	"contacts": {"Exchange points of contact for incident notification", "secretariat"},
	"logs":     {"Provide server logs for the reported addresses", "secretariat"},
	"terms":    {"Circulate draft terms of reference for the working group", "secretariat"},
	"usprep":   {"Prepare talking points on the theft of intellectual property", "us.delegate"},
}

// azAction is a demo action as it is now.
func azAction(ts *testServer, key string) *actions.Action {
	ts.t.Helper()
	d, ok := azDemoActions[key]
	if !ok {
		ts.t.Fatalf("no demo action %q", key)
	}
	var pid string
	if err := ts.svc.DB().Reader().QueryRow("SELECT public_id FROM actions WHERE title = ?", d.title).Scan(&pid); err != nil {
		ts.t.Fatalf("demo action %q: %v", key, err)
	}
	a, err := ts.act.Get(context.Background(), azUser(ts, d.reader), pid)
	if err != nil {
		ts.t.Fatal(err)
	}
	return a
}

// actionCommentFirst has the US delegate comment on the points of contact.
func actionCommentFirst(t *testing.T, ts *testServer) {
	t.Helper()
	if _, err := ts.svc.AddComment(context.Background(), azUser(ts, "us.delegate"),
		app.Ref{Kind: actions.KindAction, ID: azAction(ts, "contacts").ID}, app.Shared, "Our number is staffed at all hours."); err != nil {
		t.Fatal(err)
	}
}

// azActionComment is a comment a row's setup wrote, as its author sees it.
func azActionComment(ts *testServer, key string) (*actions.Action, *app.Comment) {
	ts.t.Helper()
	a := azAction(ts, "contacts")
	cs, err := ts.svc.Comments(context.Background(), azUser(ts, "us.delegate"), app.Ref{Kind: actions.KindAction, ID: a.ID})
	if err != nil || len(cs) == 0 {
		ts.t.Fatalf("action comment %q: %v", key, err)
	}
	return a, &cs[0]
}

// proposeDueFirst has the US delegate propose a new date for the logs.
func proposeDueFirst(t *testing.T, ts *testServer) {
	t.Helper()
	a := azAction(ts, "logs")
	if err := ts.act.ProposeDue(context.Background(), azUser(ts, "us.delegate"), a.ID, a.Version, "2013-08-30"); err != nil {
		t.Fatal(err)
	}
}

func newActionForm(owner, due string) func(f azForm) url.Values {
	return func(azForm) url.Values {
		return url.Values{"title": {"Share the contact list"}, "description": {""}, "language": {"en"}, "owner": {owner},
			"assignee": {""}, "due": {due}}
	}
}

func actionVersionForm(f azForm) url.Values { return url.Values{"version": {itoa(f.action.Version)}} }

func actionNoteForm(field, text string) func(f azForm) url.Values {
	return func(f azForm) url.Values { return url.Values{"version": {itoa(f.action.Version)}, field: {text}} }
}

func dueForm(due string) func(f azForm) url.Values {
	return func(f azForm) url.Values { return url.Values{"version": {itoa(f.action.Version)}, "due": {due}} }
}

func agreeForm(f azForm) url.Values {
	return url.Values{"revision": {itoa(int64(azAction(f.ts, "logs").Revision))}}
}

func actionTranslationForm(f azForm) url.Values {
	version := int64(0)
	if f.action.Translation != nil {
		version = f.action.Translation.Version
	}
	return url.Values{"version": {itoa(version)}, "tr_title": {"分发工作组职责范围草案"}, "tr_description": {"草案。"}}
}

// evidenceFirst has the US delegate mark a demo action's US part done with
// a file as evidence, once.
func evidenceFirst(key string) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		a := azAction(ts, key)
		if p := a.PartOf(azSide(ts, "US").ID); p != nil && p.File != nil {
			return
		}
		if err := ts.act.DoneWith(context.Background(), azUser(ts, "us.delegate"), a.ID, a.Version, "Sent.",
			&actions.Evidence{Name: "sent.txt", Data: []byte("sent on 12 July")}); err != nil {
			t.Fatal(err)
		}
	}
}

// azActionFile is the evidence of a demo action's US part.
func azActionFile(ts *testServer, key string) (*actions.Action, *actions.File) {
	ts.t.Helper()
	d := azDemoActions[key]
	a, err := ts.act.Get(context.Background(), azUser(ts, "us.delegate"), azAction(ts, key).PublicID)
	if err != nil {
		ts.t.Fatalf("action %q (%s): %v", key, d.title, err)
	}
	p := a.PartOf(azSide(ts, "US").ID)
	if p == nil || p.File == nil {
		ts.t.Fatalf("action %q has no evidence: did the row's setup give it?", key)
	}
	return a, p.File
}
