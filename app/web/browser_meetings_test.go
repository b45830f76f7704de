package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMeetingPollAgendaAndConfirmationAcrossCapitals drives a meeting
// from its poll to a confirmed time and an agreed agenda: the secretariat
// proposes one time in Washington time and one in Beijing time, a delegate of
// each side answers in their own browser and language, the secretariat puts
// an adopted item on the agenda and confirms a time, both heads approve the
// agenda; then every account sees the same instant in both capitals, in its
// own language. One Chromium serves everyone: each person has a private
// window of their own (a separate browser context: their own cookies).
func TestBrowserMeetingPollAgendaAndConfirmationAcrossCapitals(t *testing.T) {
	ts := newTestServer(t)
	root := browser(t)
	do(t, root, chromedp.Navigate("about:blank")) // starts Chromium
	windows := map[string]context.Context{}
	window := func(short string) context.Context {
		t.Helper()
		if ctx, ok := windows[short]; ok {
			return ctx
		}
		ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		signIn(t, ctx, ts, azEmail(short))
		windows[short] = ctx
		return ctx
	}
	m := azMeeting(ts, "informal")
	meetingURL := ts.http.URL + "/meetings/" + m.PublicID
	const (
		washingtonSlot = "2013-08-20T12:00:00Z" // 08:00 in Washington, 20:00 in Beijing
		beijingSlot    = "2013-08-21T13:00:00Z" // 09:00 in Washington, 21:00 in Beijing
	)
	slotSel := func(utc string) string { return "li.slot[data-utc='" + utc + "']" }
	slotText := func(ctx context.Context, utc string) string {
		t.Helper()
		return runValue(t, ctx, chromedp.TextContent(chromedp.CSS(slotSel(utc))))
	}

	// 1. The secretariat proposes a time in Washington time, then one in Beijing time.
	sec := window("secretariat")
	openPage(t, sec, meetingURL, http.StatusOK)
	for _, p := range []struct{ start, zone, utc string }{
		{"2013-08-20T08:00", "America/New_York", washingtonSlot},
		{"2013-08-21T21:00", "Asia/Shanghai", beijingSlot},
	} {
		do(t, sec, chromedp.WaitVisible(chromedp.CSS("form[action$='/slots'] #start")),
			chromedp.SetValue(chromedp.CSS("form[action$='/slots'] #start"), p.start),
			chromedp.SetValue(chromedp.CSS("form[action$='/slots'] #zone"), p.zone))
		clickAndLoad(t, sec, "form[action$='/slots'] button[type=submit]")
		do(t, sec, chromedp.WaitVisible(chromedp.CSS(slotSel(p.utc))))
	}
	screenshot(t, sec, "meeting-1-slots-proposed")
	for _, want := range []struct{ utc, washington, beijing string }{
		{washingtonSlot, "08:00", "20:00"}, {beijingSlot, "09:00", "21:00"},
	} {
		txt := slotText(sec, want.utc)
		if !strings.Contains(txt, "Washington time") || !strings.Contains(txt, want.washington+" –") ||
			!strings.Contains(txt, "Beijing time") || !strings.Contains(txt, want.beijing+" –") {
			t.Errorf("the secretariat's slot %s reads %q, want %s Washington time and %s Beijing time", want.utc, txt,
				want.washington, want.beijing)
		}
	}
	slotID := func(ctx context.Context, utc string) string {
		t.Helper()
		r := runValue(t, ctx, chromedp.AttributeValue(chromedp.CSS(slotSel(utc)), "data-slot"))
		if !r.Exists || len(r.Value) != 20 {
			t.Fatalf("slot %s has no opaque identifier: %+v", utc, r)
		}
		return r.Value
	}
	w, b := slotID(sec, washingtonSlot), slotID(sec, beijingSlot)

	// 2. Each delegate answers in their own browser and language.
	for _, d := range []struct {
		who, lang, washington, beijing, answerW, answerB, note string
	}{
		{"us.delegate", "en", "Washington time", "Beijing time", "yes", "no", "Too late in the evening for the capital."},
		{"cn.delegate", "zh-Hans", "华盛顿时间", "北京时间", "if_need_be", "yes", "北京时间上午更合适。"},
	} {
		ctx := window(d.who)
		openPage(t, ctx, meetingURL, http.StatusOK)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("form[action$='/answers'] button[type=submit]")))
		if lang := runValue(t, ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != d.lang {
			t.Errorf("%s: the meeting page is in %q, want %s", d.who, lang, d.lang)
		}
		txt := slotText(ctx, beijingSlot)
		if !strings.Contains(txt, d.washington) || !strings.Contains(txt, "09:00") || !strings.Contains(txt, d.beijing) ||
			!strings.Contains(txt, "21:00") {
			t.Errorf("%s: the time proposed in Beijing time reads %q", d.who, txt)
		}
		do(t, ctx,
			chromedp.Click(chromedp.CSS("input[name='slot-"+w+"'][value='"+d.answerW+"']")),
			chromedp.Click(chromedp.CSS("input[name='slot-"+b+"'][value='"+d.answerB+"']")),
			chromedp.SendKeys(chromedp.CSS("input[name='note-"+b+"']"), d.note))
		screenshot(t, ctx, "meeting-2-answers-"+d.who)
		clickAndLoad(t, ctx, "form[action$='/answers'] button[type=submit]")
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(slotSel(beijingSlot))))
		for slot, answer := range map[string]string{w: d.answerW, b: d.answerB} {
			sel := "input[name='slot-" + slot + "'][value='" + answer + "']"
			if !runValue(t, ctx, chromedp.Evaluate[bool]("!!(document.querySelector(\""+sel+"\") || {}).checked")) {
				t.Errorf("%s: after saving, the answer %s to slot %s is not the one checked", d.who, answer, slot)
			}
		}
		if !strings.Contains(pageText(t, ctx), d.note) {
			t.Errorf("%s does not see their own note", d.who)
		}
	}
	// The other delegation reads the totals, never the note.
	mustNotShow(t, window("cn.delegate"), "cn.delegate after both answered", "Too late in the evening for the capital.")
	mustNotShow(t, window("us.delegate"), "us.delegate after both answered", "北京时间上午更合适。")

	// 3. The secretariat puts the adopted item on the agenda and confirms the time proposed in Washington.
	adopted := azItem(ts, "adopted")
	openPage(t, sec, meetingURL+"/agenda", http.StatusOK)
	do(t, sec, chromedp.WaitVisible(chromedp.CSS("form[action$='/agenda'] #entry")))
	if !runValue(t, sec, chromedp.Evaluate[bool](`!!document.querySelector("#entry option[value='`+adopted.PublicID+`']")`)) {
		t.Fatal("the adopted item is not offered for the meeting's agenda")
	}
	do(t, sec, chromedp.SetValue(chromedp.CSS("#entry"), adopted.PublicID),
		chromedp.SetValue(chromedp.CSS("form[action$='/agenda'] #duration"), "45"))
	clickAndLoad(t, sec, "form[action$='/agenda'] button[type=submit]")
	do(t, sec, chromedp.WaitVisible(chromedp.CSS("table.timetable a[href='/agenda/"+adopted.PublicID+"']")))
	screenshot(t, sec, "meeting-3-agenda")

	openPage(t, sec, meetingURL, http.StatusOK)
	do(t, sec, chromedp.WaitVisible(chromedp.CSS("#confirm-slot")), chromedp.SetValue(chromedp.CSS("#confirm-slot"), w))
	clickAndLoad(t, sec, "form[action$='/confirm'] button[type=submit]")
	do(t, sec, chromedp.WaitVisible(chromedp.CSS("main[data-status=scheduled] #meeting-time")))
	screenshot(t, sec, "meeting-4-confirmed")

	// 4. Each head approves the agenda for their delegation; then it is agreed.
	for _, h := range []struct{ who, side, other string }{{"us.head", "US", "CN"}, {"cn.head", "CN", ""}} {
		ctx := window(h.who)
		openPage(t, ctx, meetingURL+"/agenda", http.StatusOK)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("form[action$='/agenda/approve'] button[type=submit]")))
		clickAndLoad(t, ctx, "form[action$='/agenda/approve'] button[type=submit]")
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(".decision-list li[data-side="+h.side+"] [data-decision=approve]")))
		if h.other != "" {
			if d := decisionOf(t, ctx, h.other); d != "awaiting" {
				t.Errorf("after %s approved, %s's decision is %q, want awaiting", h.who, h.other, d)
			}
		}
		if n := runValue(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("form[action$='/agenda/approve']").length`)); n != 0 {
			t.Errorf("%s is still offered the approval after approving", h.who)
		}
		screenshot(t, ctx, "meeting-5-approved-"+h.who)
	}
	do(t, window("cn.head"), chromedp.WaitVisible(chromedp.CSS("#agenda-agreed")))

	// 5. Everyone sees the scheduled meeting at the same instant, in both capitals, in their own language.
	for _, who := range azAccounts {
		ctx := window(who)
		openPage(t, ctx, meetingURL, http.StatusOK)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("main[data-status=scheduled] #meeting-time")))
		if at := runValue(t, ctx, chromedp.Evaluate[string](
			`(document.querySelector("#meeting-time [data-utc]") || {dataset: {}}).dataset.utc || ""`)); at != washingtonSlot {
			t.Errorf("%s: the meeting is at %q, want %s", who, at, washingtonSlot)
		}
		lang, washington, beijing, date := "en", "Washington time", "Beijing time", "Tue 20 Aug 2013"
		if strings.HasPrefix(who, "cn.") {
			lang, washington, beijing, date = "zh-Hans", "华盛顿时间", "北京时间", "2013年8月20日"
		}
		if got := runValue(t, ctx, chromedp.Evaluate[string]("document.documentElement.lang")); got != lang {
			t.Errorf("%s: the page is in %q, want %s", who, got, lang)
		}
		capitals := runValue(t, ctx, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("#meeting-time li")).map(li => li.textContent)`))
		var seenW, seenB bool
		for _, c := range capitals {
			seenW = seenW || strings.Contains(c, washington) && strings.Contains(c, "08:00") && strings.Contains(c, date)
			seenB = seenB || strings.Contains(c, beijing) && strings.Contains(c, "20:00") && strings.Contains(c, date)
		}
		if !seenW || !seenB {
			t.Errorf("%s: the meeting's time reads %q, want %s 08:00 %s and %s 20:00", who, capitals, date, washington, beijing)
		}
		openPage(t, ctx, meetingURL+"/agenda", http.StatusOK)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("main[data-status=scheduled] #agenda-agreed")))
	}
	screenshot(t, window("cn.observer"), "meeting-6-agreed-cn-observer")
}
