package views

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/i18n"
)

func TestFormatTimeNamesTheZone(t *testing.T) {
	b := i18n.MustLoad()
	en, zh := b.For("en"), b.For("zh")
	bj, ny := app.LoadLocation("Asia/Shanghai"), app.LoadLocation("America/New_York")
	summer := time.Date(2013, 7, 10, 1, 30, 0, 0, time.UTC)
	winter := time.Date(2013, 12, 3, 14, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		l    *i18n.Localizer
		t    time.Time
		loc  *time.Location
		want string
	}{
		{en, summer, bj, "Wed 10 Jul 2013, 09:30 Beijing time (UTC+8)"},
		{en, summer, ny, "Tue 9 Jul 2013, 21:30 Washington time (UTC−4)"},
		{en, winter, ny, "Tue 3 Dec 2013, 09:00 Washington time (UTC−5)"},
		{zh, summer, bj, "2013年7月10日（星期三）09:30 北京时间（UTC+8）"},
		{zh, summer, ny, "2013年7月9日（星期二）21:30 华盛顿时间（UTC−4）"},
		{en, summer, time.UTC, "Wed 10 Jul 2013, 01:30 UTC"},
		{en, summer, app.LoadLocation("Asia/Kolkata"), "Wed 10 Jul 2013, 07:00 Asia/Kolkata (UTC+5:30)"},
	} {
		if got := FormatTime(c.l, c.t, c.loc); got != c.want {
			t.Errorf("FormatTime(%s, %s) = %q, want %q", c.l.Lang(), c.loc, got, c.want)
		}
	}
}

func TestPagerURL(t *testing.T) {
	if got := (Pager{BaseURL: "/admin/users"}).URL(2); got != "/admin/users?page=2" {
		t.Errorf("got %q", got)
	}
	if got := (Pager{BaseURL: "/agenda?status=adopted"}).URL(3); got != "/agenda?status=adopted&page=3" {
		t.Errorf("got %q", got)
	}
}

func TestChangeLabelsAreTranslated(t *testing.T) {
	b := i18n.MustLoad()
	zh := Page{L: b.For("zh")}
	en := Page{L: b.For("en")}
	if got := zh.ChangeField("title"); got != "标题" {
		t.Errorf("zh title label %q", got)
	}
	if got := en.ChangeField("some_new_field"); got != "some_new_field" {
		t.Errorf("unknown fields show as themselves, got %q", got)
	}
	if got := zh.ChangeValue("status", "adopted"); got != "已通过" {
		t.Errorf("zh status value %q", got)
	}
	if got := en.ChangeValue("admin", "true"); got != "yes" {
		t.Errorf("en boolean %q", got)
	}
	if got := en.ChangeValue("title", "adopted"); got != "adopted" {
		t.Errorf("free text must not be translated: %q", got)
	}
}

// A capped search says that the newest matches are listed; a capped filter
// that its counts are of the first matches.
func TestCappedListsSayWhatTheyShow(t *testing.T) {
	b := i18n.MustLoad()
	for _, c := range []struct {
		text, lang, want string
	}{
		{"exchange", "en", "the newest 1000 of them are listed and counted"},
		{"交流", "zh", "仅列出并计算其中最新的 1000 个"},
		{"", "en", "the counts are of the first 1000"},
	} {
		p := Page{L: b.For(c.lang), User: &app.User{Name: "U", Side: &app.Side{Code: "US"}}}
		var buf strings.Builder
		l := AgendaList{Capped: true, Filter: agenda.ItemFilter{Text: c.text}}
		if err := AgendaPage(p, l).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), c.want) {
			t.Errorf("%q (%s): the page does not say %q", c.text, c.lang, c.want)
		}
	}
}

// A chart's bars are scaled to its largest value, and its figures are in a
// table; a chart of nothing draws no bar.
func TestChartDrawsAndTabulates(t *testing.T) {
	var buf strings.Builder
	c := BarChart{ID: "by-month", Title: "每月事件", LabelHeader: "月份", ValueHeader: "事件", Labels: []string{"一月", "二月", "三月"},
		Values: []int64{10, 40, 0}}
	if err := Chart(c).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`aria-labelledby="by-month-title"`, `<title id="by-month-title">每月事件</title>`,
		`width="90"`, `width="360"`, `width="0"`, `<th scope="row">二月</th><td>40</td>`} {
		if !strings.Contains(out, want) {
			t.Errorf("the chart lacks %s:\n%s", want, out)
		}
	}
	if c.barWidth(2) != 0 || (BarChart{Labels: []string{"a"}, Values: []int64{0}}).barWidth(0) != 0 {
		t.Error("a zero draws a bar")
	}
}
