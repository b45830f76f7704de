package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/incidents"
)

// The incidents' rows of the authorization matrix, and the records they
// name: the demo's two reports ("cn", GREEN; "us", AMBER), and two the test
// database adds (seedIncidentFixtures): a US draft ("usdraft") and a
// Chinese RED report named to the US head only ("cnred").

func init() { authzMatrix = append(authzMatrix, incidentMatrix...) }

// columns:             us.head us.delegate us.observer cn.head cn.delegate cn.observer secretariat admin
var (
	all403      = [8]outcome{o403, o403, o403, o403, o403, o403, o403, o403}
	usSide403   = [8]outcome{o403, o403, o403, o404, o404, o404, o404, o404}
	usWrite422  = [8]outcome{o422, o422, o403, o404, o404, o404, o404, o404}
	redReaders  = [8]outcome{o200, o404, o404, o200, o200, o200, o404, o404} // cnred: the CN side and the US head
	reporters   = [8]outcome{o200, o200, o403, o200, o200, o403, o403, o403}
	cnWrite422  = [8]outcome{o403, o403, o403, o422, o422, o403, o403, o403}
	writers303  = [8]outcome{o303, o303, o403, o303, o303, o403, o403, o403} // both delegations' writers
	writers409  = [8]outcome{o409, o409, o403, o409, o409, o403, o403, o403}
	writers422  = [8]outcome{o422, o422, o403, o422, o422, o403, o403, o403}
	amberExport = [8]outcome{o200, o200, o200, o403, o403, o403, o403, o403} // the US report: AMBER, the US exports
	redExport   = [8]outcome{o403, o404, o404, o200, o200, o200, o404, o404}
)

var incidentMatrix = []authzCase{
	{route: "GET /incidents", what: "incident list", want: all200},
	{route: "GET /incidents/stats", what: "incident statistics", want: all200},
	{route: "GET /incidents/tlp", what: "TLP help", want: all200},
	{route: "GET /incidents/export.csv", what: "incident list as CSV", want: all200},
	{route: "GET /incidents/new", what: "new incident form", want: reporters},
	{route: "GET /incidents/:id", target: "incident:cn", what: "the Chinese GREEN report", want: all200},
	{route: "GET /incidents/:id", target: "incident:us", what: "the US AMBER report", want: all200},
	{route: "GET /incidents/:id", target: "incident:usdraft", what: "a US draft", want: usSide200},
	{route: "GET /incidents/:id", target: "incident:cnred", what: "a Chinese RED report", want: redReaders},
	{route: "GET /incidents/:id", target: "id:" + azNoSuchRef, what: "no such incident", want: all404},
	{route: "GET /incidents/:id/edit", target: "incident:usdraft", what: "edit a US draft",
		want: [8]outcome{o200, o200, o403, o404, o404, o404, o404, o404}},
	{route: "GET /incidents/:id/edit", target: "incident:cn", what: "edit a reported incident", want: all403},
	{route: "GET /incidents/:id/translation", target: "incident:cn", what: "translation form", want: writers200},
	{route: "GET /incidents/:id/translation", target: "incident:usdraft", what: "translate a draft", want: usSide403},
	{route: "GET /incidents/:id/positions", target: "incident:us", what: "positions", want: all200},
	{route: "GET /incidents/:id/positions", target: "incident:cnred", what: "positions on a RED report", want: redReaders},
	{route: "GET /incidents/:id/indicators", target: "incident:cn", what: "indicators", want: all200},
	{route: "GET /incidents/:id/indicators", target: "incident:usdraft", what: "a draft's indicators", want: usSide200},
	{route: "GET /incidents/:id/requests", target: "incident:cn", what: "information requests", want: all200},
	{route: "GET /incidents/:id/requests", target: "incident:cnred", what: "a RED report's requests", want: redReaders},
	{route: "GET /incidents/:id/attachments", target: "incident:cn", what: "evidence", want: all200},
	{route: "GET /incidents/:id/attachments", target: "incident:usdraft", what: "a draft's evidence", want: usSide200},
	{route: "GET /incidents/:id/attachments/:aid", target: "file:cnlog", what: "download the Chinese log excerpt",
		want: all200, records: true},
	{route: "GET /incidents/:id/attachments/:aid", target: "incident:us,aid:" + azNoSuchRef, what: "download no such file",
		want: all404},
	{route: "GET /incidents/:id/history", target: "incident:cn", what: "history", want: all200},
	{route: "GET /incidents/:id/history", target: "incident:usdraft", what: "a draft's history", want: usSide200},
	{route: "GET /incidents/:id/export.csv", target: "incident:cn", what: "GREEN indicators as CSV", want: all200},
	{route: "GET /incidents/:id/export.csv", target: "incident:us", what: "AMBER indicators as CSV", want: amberExport},
	{route: "GET /incidents/:id/export.csv", target: "incident:cnred", what: "RED indicators as CSV", want: redExport},
	{route: "GET /incidents/:id/stix.json", target: "incident:cn", what: "GREEN STIX bundle", want: all200},
	{route: "GET /incidents/:id/stix.json", target: "incident:us", what: "AMBER STIX bundle", want: amberExport},
	{route: "GET /incidents/:id/stix.json", target: "incident:usdraft", what: "a draft's STIX bundle", want: usSide403},

	{route: "POST /incidents/new", what: "write a draft", next: "/incidents/*", form: newIncidentForm("Scans of a ministry network"),
		want: [8]outcome{o303, o303, o403, o303, o303, o403, o403, o403}},
	{route: "POST /incidents/new", what: "write a draft without a title", form: newIncidentForm(" "),
		want: [8]outcome{o422, o422, o403, o422, o422, o403, o403, o403}},
	{route: "POST /incidents/:id/edit", target: "incident:usdraft", what: "change a US draft", next: "/incidents/:id",
		form: editIncidentForm("Scanning of US research networks, March"), want: usDraftWriters303},
	{route: "POST /incidents/:id/edit", target: "incident:usdraft", what: "change a US draft on a stale version",
		form: func(f azForm) url.Values {
			v := editIncidentForm("Scanning, stale")(f)
			v.Set("version", itoa(f.incident.Version-1))
			return v
		}, want: [8]outcome{o409, o409, o403, o404, o404, o404, o404, o404}},
	{route: "POST /incidents/:id/report", target: "incident:usdraft", what: "report a US draft", next: "/incidents/:id",
		form: incidentVersionForm, want: usDraftWriters303},
	{route: "POST /incidents/:id/status", target: "incident:cn", what: "acknowledge the Chinese report", next: "/incidents/:id",
		form: statusForm(incidents.StatusAcknowledged), want: usWriters303},
	{route: "POST /incidents/:id/status", target: "incident:cn", what: "close the Chinese report", next: "/incidents/:id",
		form: statusForm(incidents.StatusClosed), want: [8]outcome{o403, o403, o403, o303, o403, o403, o403, o403}},
	{route: "POST /incidents/:id/status", target: "incident:usdraft", what: "acknowledge a draft",
		form: statusForm(incidents.StatusAcknowledged), want: [8]outcome{o422, o422, o403, o404, o404, o404, o404, o404}},
	{route: "POST /incidents/:id/agree-close", target: "incident:cn", what: "agree that the secretariat close it",
		next: "/incidents/:id/positions#closing", want: [8]outcome{o303, o403, o403, o303, o403, o403, o403, o403}},
	{route: "POST /incidents/:id/tlp", target: "incident:cn", what: "raise the marking to AMBER", next: "/incidents/:id",
		form: tlpForm(incidents.TLPAmber, ""), want: cnWriters303},
	{route: "POST /incidents/:id/tlp", target: "incident:cn", what: "lower the marking without a reason",
		form: tlpForm(incidents.TLPClear, " "), want: cnWrite422},
	{route: "POST /incidents/:id/recipients", target: "incident:cnred", what: "name the US delegate too", next: "/incidents/:id#tlp",
		form: recipientsForm("us.head", "us.delegate"), want: [8]outcome{o403, o404, o404, o303, o303, o403, o404, o404}},
	{route: "POST /incidents/:id/recipients", target: "incident:cnred", what: "name a Chinese member",
		form: recipientsForm("cn.observer"), want: [8]outcome{o403, o404, o404, o422, o422, o403, o404, o404}},
	{route: "POST /incidents/:id/claims", target: "incident:cn", what: "add a claim to the Chinese report", next: "/incidents/:id#claims",
		form: claimForm("Three more university websites were defaced in June."), want: cnWriters303},
	{route: "POST /incidents/:id/claims", target: "incident:cn", what: "add an empty claim", form: claimForm(" "), want: cnWrite422},
	{route: "POST /incidents/:id/claims", target: "incident:usdraft", what: "add a claim to a US draft", next: "/incidents/:id#claims",
		form: claimForm("The scans came at night, Washington time."), want: usDraftWriters303},
	{route: "POST /incidents/:id/positions", target: "incident:cn", what: "dispute the first claim",
		next: "/incidents/:id/positions?claim=*#claim-*", form: positionForm("claim", "disputed", "No evidence of attribution."), want: writers303},
	{route: "POST /incidents/:id/positions", target: "incident:cn", what: "dispute the first claim without a reason",
		form: positionForm("claim", "disputed", " "), want: writers422},
	{route: "POST /incidents/:id/positions", target: "incident:cn", what: "set a position on a stale one",
		form: func(f azForm) url.Values {
			v := positionForm("claim", "confirmed", "")(f)
			v.Set("standing", "1")
			return v
		}, want: writers409},
	{route: "POST /incidents/:id/positions", target: "incident:cn", what: "set the official position or the secretariat's note",
		next: "/incidents/:id/positions#official", form: officialForm("Our official position."),
		want: [8]outcome{o303, o403, o403, o303, o403, o403, o303, o303}},
	{route: "POST /incidents/:id/positions", target: "incident:cn", what: "confirm an indicator",
		next: "/incidents/:id/indicators#indicator-*", form: positionForm("indicator", "confirmed", ""), want: writers303},
	{route: "POST /incidents/:id/positions", target: "incident:usdraft", what: "set a position on a draft",
		form: positionForm("claim", "confirmed", ""), want: usSide403},
	{route: "POST /incidents/:id/indicators", target: "incident:cn", what: "paste indicators", form: pasteForm("198.51.100.200\nexample[.]net", false),
		want: cnWriters200},
	{route: "POST /incidents/:id/indicators", target: "incident:cn", what: "paste all or nothing with a bad line",
		form: pasteForm("198.51.100.201\n999.1.1.1", true), want: cnWrite422},
	{route: "POST /incidents/:id/requests", target: "incident:cn", what: "ask the other side", next: "/incidents/:id/requests",
		form: askForm(14), want: writers303},
	{route: "POST /incidents/:id/requests", target: "incident:cn", what: "ask with a past due date", form: askForm(-3), want: writers422},
	{route: "POST /incidents/:id/requests/:rid/answer", target: "irequest:us-asks-cn", what: "answer the US request for logs",
		next: "/incidents/:id/requests#request-:rid", form: requestAnswerForm("The logs follow as an attachment."), want: cnWriters303},
	{route: "POST /incidents/:id/requests/:rid/withdraw", target: "irequest:us-asks-cn", what: "withdraw the US request",
		next: "/incidents/:id/requests", form: requestVersionForm, want: usWriters303},
	{route: "POST /incidents/:id/requests/:rid/answer", target: "incident:cn,rid:" + azNoSuchRef, what: "answer no such request",
		form: requestAnswerForm("Nothing."), want: all404},
	{route: "POST /incidents/:id/attachments", target: "incident:cn", what: "attach without a file",
		form: func(azForm) url.Values { return url.Values{} }, want: writers422},
	{route: "POST /incidents/:id/attachments", target: "incident:usdraft", what: "attach to a draft",
		form: func(azForm) url.Values { return url.Values{} }, want: usSide403},
	{route: "POST /incidents/:id/comments", target: "incident:cn", what: "comment on the Chinese report",
		next: "/incidents/:id#comment-*", form: commentForm("shared", "We are looking into it."), want: allWriters303},
	{route: "POST /incidents/:id/comments", target: "incident:usdraft", what: "note on a US draft",
		next: "/incidents/:id#comment-*", form: commentForm("internal", "Check with the lab."),
		want: [8]outcome{o303, o303, o403, o404, o404, o404, o404, o404}},
	{route: "POST /incidents/:id/comments/:cid", target: "inote:us-note-cn", what: "correct the US delegate's note",
		next: "/incidents/:id?comment=:cid#comment-:cid", form: commentEditForm,
		want: [8]outcome{o403, o303, o403, o404, o404, o404, o404, o404}},
	{route: "POST /incidents/:id/translation", target: "incident:cn", what: "translate the Chinese report", next: "/incidents/:id",
		form: incidentTranslationForm, want: [8]outcome{o303, o303, o403, o303, o303, o403, o303, o303}},
}

// azDemoIncidents are the incidents rows name, by title, with a member of
// the reporting side (who sees everything the side may).
var azDemoIncidents = map[string]struct{ title, reporter string }{
	"cn":      {"1月至5月中国政府和学术网站遭受攻击", "cn.delegate"},
	"us":      {"Theft of intellectual property from US companies", "us.delegate"},
	"usdraft": {"Scanning of US research networks", "us.delegate"},
	"cnred":   {"关键基础设施遭受攻击（仅限指定接收者）", "cn.delegate"},
}

// seedIncidentFixtures adds the test database's incidents: a US draft with
// a claim and indicators, and a Chinese RED report named to the US head.
func seedIncidentFixtures(ctx context.Context, sv Services) error {
	users := map[string]*app.User{}
	for _, short := range []string{"us.delegate", "us.head", "cn.delegate", "cn.head"} {
		u, err := sv.Core.FindUserByEmail(ctx, app.System, azEmail(short))
		if err != nil {
			return err
		}
		users[short] = u
	}
	draft, err := sv.Incidents.Create(ctx, users["us.delegate"], incidents.Input{AddressedSideID: users["cn.head"].SideID,
		TLP: incidents.TLPAmber, Category: incidents.CategoryIntrusion, Title: azDemoIncidents["usdraft"].title, Language: "en",
		Summary: "Research networks were scanned from the ranges below.", Sectors: []incidents.Sector{"academia"}})
	if err != nil {
		return err
	}
	if _, err := sv.Incidents.AddClaim(ctx, users["us.delegate"], draft.ID, draft.Version, "Scans came from 203.0.113.0/24.", ""); err != nil {
		return err
	}
	draft, _ = sv.Incidents.Get(ctx, users["us.delegate"], draft.PublicID)
	if _, err := sv.Incidents.AddIndicators(ctx, users["us.delegate"], draft.ID, draft.Version, "203.0.113.7\n203.0.113.8",
		incidents.RoleSource, true); err != nil {
		return err
	}
	red, err := sv.Incidents.Create(ctx, users["cn.delegate"], incidents.Input{AddressedSideID: users["us.head"].SideID,
		TLP: incidents.TLPRed, Category: incidents.CategoryIntrusion, Title: azDemoIncidents["cnred"].title, Language: "zh",
		Summary: "仅供指定接收者。", Sectors: []incidents.Sector{"energy"}})
	if err != nil {
		return err
	}
	if _, err := sv.Incidents.AddClaim(ctx, users["cn.delegate"], red.ID, red.Version, "电网控制系统遭到入侵。", ""); err != nil {
		return err
	}
	red, _ = sv.Incidents.Get(ctx, users["cn.delegate"], red.PublicID)
	if err := sv.Incidents.SetRecipients(ctx, users["cn.delegate"], red.ID, red.Version, []int64{users["us.head"].ID}); err != nil {
		return err
	}
	red, _ = sv.Incidents.Get(ctx, users["cn.delegate"], red.PublicID)
	if _, err := sv.Incidents.AddIndicators(ctx, users["cn.delegate"], red.ID, red.Version, "192.0.2.99", incidents.RoleSource, true); err != nil {
		return err
	}
	red, _ = sv.Incidents.Get(ctx, users["cn.delegate"], red.PublicID)
	return sv.Incidents.Report(ctx, users["cn.delegate"], red.ID, red.Version)
}

// azIncident is an incident as its reporting side sees it now.
func azIncident(ts *testServer, key string) *incidents.Incident {
	ts.t.Helper()
	d, ok := azDemoIncidents[key]
	if !ok {
		ts.t.Fatalf("no incident %q", key)
	}
	var pid string
	if err := ts.svc.DB().Reader().QueryRow("SELECT public_id FROM incidents WHERE title = ?", d.title).Scan(&pid); err != nil {
		ts.t.Fatalf("incident %q: %v", key, err)
	}
	inc, err := ts.inc.Get(context.Background(), azUser(ts, d.reporter), pid)
	if err != nil {
		ts.t.Fatal(err)
	}
	return inc
}

// azRequests are information requests: on which incident, asked by which side.
var azRequests = map[string]struct{ incident, asking string }{
	"us-asks-cn": {"cn", "US"},
	"cn-asks-us": {"us", "CN"},
}

func azRequest(ts *testServer, key string) (*incidents.Incident, *incidents.Request) {
	ts.t.Helper()
	d, ok := azRequests[key]
	if !ok {
		ts.t.Fatalf("no request %q", key)
	}
	inc := azIncident(ts, d.incident)
	_, reqs, _, err := ts.inc.RequestsPage(context.Background(), azUser(ts, azDemoIncidents[d.incident].reporter), inc.PublicID)
	if err != nil {
		ts.t.Fatal(err)
	}
	side := azSide(ts, d.asking)
	for i := range reqs {
		if reqs[i].AskingSideID == side.ID {
			return inc, &reqs[i]
		}
	}
	ts.t.Fatalf("request %q not found", key)
	return nil, nil
}

// azFiles are evidence files: on which incident, by name.
var azFiles = map[string]struct{ incident, name string }{
	"cnlog": {"cn", "attack-log-excerpt.txt"},
}

func azFile(ts *testServer, key string) (*incidents.Incident, *incidents.Attachment) {
	ts.t.Helper()
	d, ok := azFiles[key]
	if !ok {
		ts.t.Fatalf("no file %q", key)
	}
	inc := azIncident(ts, d.incident)
	_, files, err := ts.inc.AttachmentsPage(context.Background(), azUser(ts, azDemoIncidents[d.incident].reporter), inc.PublicID)
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := range files {
		if files[i].Name == d.name {
			return inc, &files[i].Attachment
		}
	}
	ts.t.Fatalf("file %q not found", key)
	return nil, nil
}

// azIncidentComments are the demo's internal notes on incidents.
var azIncidentComments = map[string]struct{ incident, author string }{
	"us-note-cn": {"cn", "us.delegate"},
	"cn-note-cn": {"cn", "cn.delegate"},
}

func azIncidentComment(ts *testServer, key string) (*incidents.Incident, *app.Comment) {
	ts.t.Helper()
	d, ok := azIncidentComments[key]
	if !ok {
		ts.t.Fatalf("no incident comment %q", key)
	}
	inc := azIncident(ts, d.incident)
	author := azUser(ts, d.author)
	cs, err := ts.svc.Comments(context.Background(), author, app.Ref{Kind: incidents.KindIncident, ID: inc.ID})
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := range cs {
		if cs[i].AuthorID == author.ID && cs[i].Visibility == app.Internal {
			return inc, &cs[i]
		}
	}
	ts.t.Fatalf("incident comment %q not found", key)
	return nil, nil
}

func newIncidentForm(title string) func(f azForm) url.Values {
	return func(azForm) url.Values {
		return url.Values{"title": {title}, "summary": {"Seen from outside."}, "language": {"en"}, "category": {"intrusion"},
			"tlp": {"AMBER"}, "sector-government": {"1"}, "observed_from": {"2013-03-01T09:00"}, "observed_to": {""},
			"observed_zone": {"Asia/Shanghai"}}
	}
}

func editIncidentForm(title string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		v := newIncidentForm(title)(f)
		v.Set("version", itoa(f.incident.Version))
		return v
	}
}

func incidentVersionForm(f azForm) url.Values {
	return url.Values{"version": {itoa(f.incident.Version)}}
}

func statusForm(to incidents.Status) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"version": {itoa(f.incident.Version)}, "to": {string(to)}}
	}
}

func tlpForm(t incidents.TLP, reason string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"version": {itoa(f.incident.Version)}, "tlp": {string(t)}, "reason": {reason}}
	}
}

func recipientsForm(shorts ...string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		v := url.Values{"version": {itoa(f.incident.Version)}}
		for _, s := range shorts {
			v.Set("recipient-"+azUser(f.ts, s).PublicID, "1")
		}
		return v
	}
}

func claimForm(text string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		return url.Values{"version": {itoa(f.incident.Version)}, "text": {text}, "figure": {""}}
	}
}

// positionForm sets the actor's side's position on the incident's first
// claim or indicator, as the actor sees it standing.
func positionForm(target, kind, reason string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		ctx := context.Background()
		v := url.Values{"target": {target}, "kind": {kind}, "reason": {reason}, "back": {target + "s"}, "standing": {"0"}}
		reader := azUser(f.ts, azDemoIncidentsByID(f))
		switch target {
		case "claim":
			cv, err := f.ts.inc.Claims(ctx, reader, f.incident.ID)
			if err != nil || len(cv.Claims) == 0 {
				f.ts.t.Fatalf("claims: %v", err)
			}
			v.Set("of", cv.Claims[0].PublicID)
			v.Set("standing", strconv.FormatInt(cv.Claims[0].Positions[f.actor.SideID].Token(), 10))
		case "indicator":
			list, err := f.ts.inc.Indicators(ctx, reader, f.incident.ID, incidents.IndicatorFilter{})
			if err != nil || len(list.Items) == 0 {
				f.ts.t.Fatalf("indicators: %v", err)
			}
			v.Set("of", list.Items[0].PublicID)
			v.Set("standing", strconv.FormatInt(list.Items[0].Positions[f.actor.SideID].Token(), 10))
		}
		return v
	}
}

// azDemoIncidentsByID is the reporter of the form's incident (for actors
// who may not read it: the form is the one a forger would build).
func azDemoIncidentsByID(f azForm) string {
	for _, d := range azDemoIncidents {
		if d.title == f.incident.Title {
			return d.reporter
		}
	}
	f.ts.t.Fatalf("incident %q is not a named one", f.incident.Title)
	return ""
}

func officialForm(body string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		v := url.Values{"target": {"incident"}, "body": {body}, "back": {"positions"}, "standing": {"0"}}
		cv, err := f.ts.inc.Claims(context.Background(), azUser(f.ts, azDemoIncidentsByID(f)), f.incident.ID)
		if err != nil {
			f.ts.t.Fatal(err)
		}
		v.Set("standing", strconv.FormatInt(cv.Official[f.actor.SideID].Token(), 10))
		return v
	}
}

func pasteForm(lines string, allOrNothing bool) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		v := url.Values{"version": {itoa(f.incident.Version)}, "lines": {lines}, "role": {"source"}}
		if allOrNothing {
			v.Set("all_or_nothing", "1")
		}
		return v
	}
}

// askForm asks a question due days from the test clock's day.
func askForm(days int) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		due := f.ts.clock.now().AddDate(0, 0, days).Format("2006-01-02")
		return url.Values{"question": {"Which hosts were reached?"}, "due": {due}}
	}
}

func requestAnswerForm(answer string) func(f azForm) url.Values {
	return func(f azForm) url.Values {
		version := int64(1)
		if f.request != nil {
			version = f.request.Version
		}
		return url.Values{"version": {fmt.Sprint(version)}, "answer": {answer}}
	}
}

func requestVersionForm(f azForm) url.Values { return url.Values{"version": {itoa(f.request.Version)}} }

func incidentTranslationForm(f azForm) url.Values {
	version := int64(0)
	if f.incident.Translation != nil {
		version = f.incident.Translation.Version
	}
	return url.Values{"version": {itoa(version)}, "tr_title": {"Attacks on government and academic websites"},
		"tr_description": {"From January to May."}}
}
