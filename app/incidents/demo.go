package incidents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/meetings"
)

// SeedDemoIncidents loads the demo working group's incidents, drawn from
// the 2013 talks, on a database that has the demo accounts: the Chinese
// report of attacks on government and academic websites from January to
// May (249 websites, 54 of them from US-based addresses), with source
// addresses in the documentation ranges, the US position disputing the
// attribution and a US request for logs; and the US report of theft of
// intellectual property from US companies, with domains and hashes,
// China's position denying it and a pending Chinese request. Each side
// keeps an internal note on each; the Chinese report has an excerpt of its
// logs as evidence.
func (s *Service) SeedDemoIncidents(ctx context.Context) error {
	acct, err := s.core.DemoUsers(ctx)
	if err != nil {
		return err
	}
	usHead, usDel, cnHead, cnDel := acct["us.head"], acct["us.delegate"], acct["cn.head"], acct["cn.delegate"]
	now := s.core.Clock()
	due := app.Today(now, app.LoadLocation(usHead.Side.TimeZone)).AddDays(14).String()

	// The Chinese report.
	cn, err := s.Create(ctx, cnDel, Input{AddressedSideID: usHead.SideID, TLP: TLPGreen, Category: CategoryDefacement,
		Title: "1月至5月中国政府和学术网站遭受攻击", Language: "zh", Sectors: []Sector{"government", "academia"},
		Summary:      "今年1月至5月，中国的政府和学术机构网站遭到入侵和篡改。中方已收集攻击来源地址，请美方核查并提供相关信息。",
		ObservedFrom: "2013-01-01T00:00", ObservedTo: "2013-05-31T23:59", ObservedZone: "Asia/Shanghai"})
	if err != nil {
		return fmt.Errorf("the Chinese report: %w", err)
	}
	claims := []struct{ text, figure string }{{"1月至5月，249个政府和学术网站遭到入侵", "249"},
		{"其中54个网站的攻击来自美国境内的IP地址", "54"}}
	var cnClaims []*Claim
	for _, c := range claims {
		cur, _ := s.st.incidentOnly(ctx, cnHead, "id", cn.ID)
		cl, err := s.AddClaim(ctx, cnDel, cn.ID, cur.Version, c.text, c.figure)
		if err != nil {
			return err
		}
		cnClaims = append(cnClaims, cl)
	}
	var addrs strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&addrs, "192.0.2.%d\n198.51.100.%d\n203.0.113.%d\n", 10+i, 20+i, 30+i)
	}
	addrs.WriteString("2001:db8::54\n2001:db8:1::249\n")
	if err := s.seedReport(ctx, cnHead, cn.ID, addrs.String()); err != nil {
		return err
	}
	if err := s.SetPosition(ctx, usDel, cn.ID, PositionInput{Target: TargetClaim, TargetID: cnClaims[0].ID,
		Kind: PositionUnknown}); err != nil {
		return err
	}
	if err := s.SetPosition(ctx, usDel, cn.ID, PositionInput{Target: TargetClaim, TargetID: cnClaims[1].ID,
		Kind: PositionDisputed, Reason: "An address in the United States does not show who directed an attack: " +
			"compromised machines anywhere can be used."}); err != nil {
		return err
	}
	if err := s.SetPosition(ctx, usHead, cn.ID, PositionInput{Target: TargetIncident, Body: "The United States " +
		"takes the report seriously and does not accept the attribution to the United States. We ask for the logs " +
		"behind the 54 addresses."}); err != nil {
		return err
	}
	if _, err := s.Ask(ctx, usDel, cn.ID, "Please share the server logs for the 54 addresses, with time stamps and "+
		"time zones.", due); err != nil {
		return err
	}
	var log strings.Builder
	log.WriteString("# 攻击日志摘录 / attack log excerpt (demo)\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&log, "2013-0%d-%02dT03:%02d:00+08:00 198.51.100.%d GET /admin/login.php 200\n", 1+i%5, i, 10+i, 20+i)
	}
	if _, err := s.Attach(ctx, cnDel, cn.ID, TargetIncident, 0, "attack-log-excerpt.txt", []byte(log.String())); err != nil {
		return err
	}
	ref := app.Ref{Kind: KindIncident, ID: cn.ID}
	if _, err := s.core.AddComment(ctx, cnDel, ref, app.Internal, "内部：先不提供完整日志，等美方回应后再定。"); err != nil {
		return err
	}
	if _, err := s.core.AddComment(ctx, usDel, ref, app.Internal, "Internal: two of these ranges are known "+
		"proxies. Do not mention in the shared thread yet."); err != nil {
		return err
	}

	// The US report.
	us, err := s.Create(ctx, usDel, Input{AddressedSideID: cnHead.SideID, TLP: TLPAmber, Category: CategoryDataTheft,
		Title: "Theft of intellectual property from US companies", Language: "en", Sectors: []Sector{"industry", "defence"},
		Summary: "Networks of US companies were entered and design documents taken, from infrastructure the United " +
			"States traces to China. We ask China to investigate the indicators below.",
		ObservedFrom: "2012-11-01T00:00", ObservedTo: "2013-04-30T23:59", ObservedZone: "America/New_York"})
	if err != nil {
		return fmt.Errorf("the US report: %w", err)
	}
	cur, _ := s.st.incidentOnly(ctx, usHead, "id", us.ID)
	usClaim, err := s.AddClaim(ctx, usDel, us.ID, cur.Version, "Design documents were taken from at least six US companies",
		"6 companies")
	if err != nil {
		return err
	}
	var iocs strings.Builder
	for _, d := range []string{"update.example.com", "cdn-files.example.net", "mail.example.org"} {
		fmt.Fprintf(&iocs, "%s\nhxxps://%s/download\n", strings.ReplaceAll(d, ".", "[.]"), d)
	}
	for _, name := range []string{"dropper", "loader", "exfil"} {
		sum := sha256.Sum256([]byte("parley demo " + name))
		fmt.Fprintln(&iocs, hex.EncodeToString(sum[:]))
	}
	if err := s.seedReport(ctx, usHead, us.ID, iocs.String()); err != nil {
		return err
	}
	if err := s.SetPosition(ctx, cnDel, us.ID, PositionInput{Target: TargetClaim, TargetID: usClaim.ID,
		Kind: PositionDisputed, Reason: "没有证据表明这些行为与中国有关。"}); err != nil {
		return err
	}
	if err := s.SetPosition(ctx, cnHead, us.ID, PositionInput{Target: TargetIncident, Body: "中方坚决反对任何形式的" +
		"网络攻击，不接受美方的指责。中国也是网络攻击的受害者。"}); err != nil {
		return err
	}
	if _, err := s.Ask(ctx, cnDel, us.ID, "请美方提供证明上述指标与中国有关的证据。", app.Today(now,
		app.LoadLocation(cnHead.Side.TimeZone)).AddDays(21).String()); err != nil {
		return err
	}
	ref = app.Ref{Kind: KindIncident, ID: us.ID}
	if _, err := s.core.AddComment(ctx, usDel, ref, app.Internal, "Internal: the hashes match samples from the "+
		"2012 cases; keep the sources out of the shared thread."); err != nil {
		return err
	}
	_, err = s.core.AddComment(ctx, cnDel, ref, app.Internal, "内部：这些域名的注册信息需要核查。")
	return err
}

// seedReport reports a demo draft and pastes its indicators.
func (s *Service) seedReport(ctx context.Context, head *app.User, id int64, indicators string) error {
	cur, err := s.st.incidentOnly(ctx, head, "id", id)
	if err != nil {
		return err
	}
	if err := s.Report(ctx, head, id, cur.Version); err != nil {
		return err
	}
	if cur, err = s.st.incidentOnly(ctx, head, "id", id); err != nil {
		return err
	}
	res, err := s.AddIndicators(ctx, head, id, cur.Version, indicators, RoleSource, true)
	if err != nil {
		return err
	}
	if !res.Saved {
		return fmt.Errorf("demo indicators refused: %+v", res.Lines)
	}
	return nil
}

// SeedDemo loads the demo working group into an empty database — its
// accounts, agenda items and meetings (meetings.SeedDemo) and then its
// incidents — and reports whether it did.
func (s *Service) SeedDemo(ctx context.Context, mt *meetings.Service) (bool, error) {
	seeded, err := mt.SeedDemo(ctx)
	if err != nil || !seeded {
		return seeded, err
	}
	return true, s.SeedDemoIncidents(ctx)
}
