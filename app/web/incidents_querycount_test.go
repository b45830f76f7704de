package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/incidents"
)

// Every incident page runs a fixed number of statements, at most 8 with
// the session and the page frame, the same with the demo's handful of
// indicators as with 10,000 of them, many claims, positions, requests,
// files, downloads and comments; and every page stays bounded in size.
func TestIncidentPagesQueryCountIsConstant(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	db := ts.svc.DB()
	cn := azIncident(ts, "cn")
	red := azIncident(ts, "cnred")
	base := "/incidents/" + cn.PublicID
	paths := []string{"/", "/incidents", "/incidents?q=%E7%BD%91%E7%AB%99", "/incidents/stats",
		"/incidents/new", "/incidents/tlp", base, base + "/positions", base + "/indicators", base + "/indicators?page=2",
		base + "/indicators?type=ipv4&position=none&side=" + azSide(ts, "US").PublicID, base + "/indicators?q=198.51",
		base + "/requests", base + "/attachments", base + "/history", base + "/translation",
		"/incidents/" + red.PublicID}
	accounts := []string{"us.head", "cn.delegate", "secretariat", "us.observer"}
	sizes := map[string]int{}
	count := func() map[string]int64 {
		out := map[string]int64{}
		for _, who := range accounts {
			c := ts.as(azEmail(who))
			c.get("/") // warm up
			for _, path := range paths {
				before := db.QueryCount()
				res := c.get(path)
				n := db.QueryCount() - before
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
					t.Fatalf("%s GET %s: status %d", who, path, res.StatusCode)
				}
				if n <= 0 || n > maxStatementsPerPage {
					t.Errorf("%s GET %s ran %d statements, want 1 to %d", who, path, n, maxStatementsPerPage)
				}
				out[who+" "+path] = n
				sizes[who+" "+path] = max(sizes[who+" "+path], len(res.Body))
			}
		}
		return out
	}
	small := count()

	// Many more of everything: 10,000 indicators with positions on many,
	// 200 claims, requests, files and their downloads, a long thread.
	cnDel, usDel := azUser(ts, "cn.delegate"), azUser(ts, "us.delegate")
	var lines strings.Builder
	for i := 0; i < incidents.MaxBulkLines; i++ {
		fmt.Fprintf(&lines, "10.%d.%d.%d\n", i/65536, (i/256)%256, i%256)
	}
	inc := azIncident(ts, "cn")
	res, err := ts.inc.AddIndicators(ctx, cnDel, inc.ID, inc.Version, lines.String(), incidents.RoleSource, true)
	if err != nil || !res.Saved || res.Added != incidents.MaxBulkLines {
		t.Fatalf("10,000 indicators: %v, %+v", err, res != nil && res.Saved)
	}
	_, list, err := ts.inc.IndicatorsPage(ctx, usDel, cn.PublicID, incidents.IndicatorFilter{Page: app.Page{Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list.Items {
		if err := ts.inc.SetPosition(ctx, usDel, inc.ID, incidents.PositionInput{Target: incidents.TargetIndicator, TargetID: r.ID,
			Kind: incidents.PositionDisputed, Reason: strings.Repeat("Not ours. ", 50), Standing: r.Positions[usDel.SideID].Token()}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 150; i++ {
		inc = azIncident(ts, "cn")
		if _, err := ts.inc.AddClaim(ctx, cnDel, inc.ID, inc.Version, fmt.Sprintf("Claim %d: %s", i, strings.Repeat("网站", 20)), "1"); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 40; i++ {
		if _, err := ts.inc.Ask(ctx, usDel, inc.ID, fmt.Sprintf("Question %d", i), "2013-08-01"); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.inc.Attach(ctx, cnDel, inc.ID, incidents.TargetIncident, inc.ID, fmt.Sprintf("file-%d.txt", i), []byte("log line")); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.svc.AddComment(ctx, usDel, app.Ref{Kind: incidents.KindIncident, ID: inc.ID}, app.Internal, fmt.Sprintf("note %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, files, err := ts.inc.AttachmentsPage(ctx, cnDel, cn.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 60; i++ {
		if _, err := ts.inc.Download(ctx, usDel, inc.ID, files[0].PublicID); err != nil {
			t.Fatal(err)
		}
	}
	large := count()
	for k, n := range small {
		if large[k] != n {
			t.Errorf("%s: %d statements with the demo, %d with 10,000 indicators and many more records", k, n, large[k])
		}
		if sizes[k] > maxPageBytes {
			t.Errorf("%s is %d bytes, want at most %d", k, sizes[k], maxPageBytes)
		}
	}
	// The indicator list counts them all and shows a page of them.
	body := ts.as(azEmail("us.head")).get(base + "/indicators").Body
	if !strings.Contains(body, `<span class="count">10000</span>`) || strings.Count(body, "<tr id=\"indicator-") != indicatorsPerPage {
		t.Errorf("the indicator list does not count 10,000 indicators and show a page of them")
	}
}
