package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley/parley/app/meetings"
)

// TestBrowserActionDoneAndVerified drives the actions' main flow: the
// secretariat creates an action from the past meeting for the United
// States; the US delegate marks it done; the US head is offered no way to
// verify it and is refused when trying; the Chinese head verifies it; both
// dashboards follow.
func TestBrowserActionDoneAndVerified(t *testing.T) {
	ts := newTestServer(t)
	window := windows(t, ts)
	count := func(ctx context.Context, which string) int {
		t.Helper()
		openPage(t, ctx, ts.http.URL+"/", http.StatusOK)
		return countOf(pageHTML(t, ctx), which)
	}
	const title = "Share the contact list of the national CERTs"
	usHead, cnHead := window("us.head"), window("cn.head")
	usBefore, cnBefore := count(usHead, "overdue"), count(cnHead, "verify")

	// The minutes of the past meeting are corrected: "any other business"
	// now records an agreement, approved by both heads.
	ctx := t.Context()
	past := azMeeting(ts, "past")
	mv, err := ts.meet.Minutes(ctx, azUser(ts, "secretariat"), past.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	var sections []meetings.SectionInput
	for _, l := range mv.Lines {
		sec := meetings.SectionInput{LineID: l.ID, Text: l.Minutes, Outcome: l.Outcome}
		if l.Procedure == "aob" {
			sec.Text, sec.Outcome = "Both sides agreed to share the contact lists of their national CERTs.", meetings.Agreed
		}
		sections = append(sections, sec)
	}
	if err := ts.meet.SaveMinutes(ctx, azUser(ts, "secretariat"), past.ID, mv.Current.Number, sections); err != nil {
		t.Fatal(err)
	}
	for _, head := range []string{"us.head", "cn.head"} {
		if err := ts.meet.ApproveMinutes(ctx, azUser(ts, head), past.ID, mv.Current.Number+1); err != nil {
			t.Fatal(err)
		}
	}

	// 1. The secretariat creates the action from the agreed outcome, in one step from the minutes.
	sec := window("secretariat")
	openPage(t, sec, ts.http.URL+"/meetings/"+past.PublicID+"/minutes", http.StatusOK)
	do(t, sec, chromedp.WaitVisible(chromedp.CSS("section[data-outcome=agreed] .spawn-action a")))
	clickAndLoad(t, sec, "section[data-outcome=agreed] .spawn-action a")
	do(t, sec, chromedp.WaitVisible(chromedp.CSS("#source")))
	if v := runValue(t, sec, chromedp.Evaluate[string](`document.querySelector('input[name=source]').value`)); v != "meeting:"+past.PublicID {
		t.Fatalf("the form's source is %q", v)
	}
	do(t, sec, chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SetValue(chromedp.CSS("#title"), title),
		chromedp.SetValue(chromedp.CSS("#owner"), "US"),
		chromedp.SetValue(chromedp.CSS("#due"), "2013-07-08"))
	clickAndLoad(t, sec, "form[action='/actions/new'] button[type=submit]")
	// A date already past in Washington is refused next to the field, and what was typed is kept.
	if msg := runValue(t, sec, chromedp.Evaluate[string](`(document.querySelector('#due-error')||{}).textContent||''`)); msg == "" {
		t.Fatal("a past due date is not refused next to its field")
	}
	do(t, sec, chromedp.SetValue(chromedp.CSS("#due"), "2013-07-12"))
	clickAndLoad(t, sec, "form[action='/actions/new'] button[type=submit]")
	do(t, sec, chromedp.WaitVisible(chromedp.CSS("main[data-status=open]")))
	actionURL := runValue(t, sec, chromedp.Location())
	screenshot(t, sec, "action-1-created")

	// 2. The US delegate marks it done.
	usDel := window("us.delegate")
	openPage(t, usDel, actionURL, http.StatusOK)
	do(t, usDel, chromedp.WaitVisible(chromedp.CSS("#note-done")),
		chromedp.SendKeys(chromedp.CSS("#note-done"), "Sent to the Chinese CERT on 11 July."))
	clickAndLoad(t, usDel, "form[action$='/done'] button[type=submit]")
	do(t, usDel, chromedp.WaitVisible(chromedp.CSS("main[data-status=done]")))

	if got := count(cnHead, "verify"); got != cnBefore+1 {
		t.Errorf("the Chinese dashboard counts %d to verify, want %d", got, cnBefore+1)
	}

	// 3. The US head is offered nothing to verify, and is refused.
	openPage(t, usHead, actionURL, http.StatusOK)
	if n := runValue(t, usHead, chromedp.Evaluate[int](`document.querySelectorAll("form[action$='/verify']").length`)); n != 0 {
		t.Error("the US head is offered to verify the US's own work")
	}
	res := ts.as(azEmail("us.head")).post(strings.TrimPrefix(actionURL, ts.http.URL)+"/verify",
		map[string][]string{"version": {"99"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("the US head verifying its own side's work: %d", res.StatusCode)
	}

	// 4. The Chinese head verifies it, in Chinese.
	openPage(t, cnHead, actionURL, http.StatusOK)
	do(t, cnHead, chromedp.WaitVisible(chromedp.CSS("form[action$='/verify'] button")))
	if label := runValue(t, cnHead, chromedp.TextContent(chromedp.CSS("form[action$='/verify'] button"))); !strings.Contains(label, "核实") {
		t.Errorf("the verify button reads %q", label)
	}
	clickAndLoad(t, cnHead, "form[action$='/verify'] button[type=submit]")
	do(t, cnHead, chromedp.WaitVisible(chromedp.CSS("main[data-status=verified]")))
	screenshot(t, cnHead, "action-2-verified")

	// 5. Both dashboards follow: nothing more to verify for China, nothing overdue for the US.
	if got := count(cnHead, "verify"); got != cnBefore {
		t.Errorf("the Chinese dashboard counts %d to verify after verifying, want %d", got, cnBefore)
	}
	if got := count(usHead, "overdue"); got != usBefore {
		t.Errorf("the US dashboard counts %d overdue, %d before", got, usBefore)
	}
}
