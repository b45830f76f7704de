package app

import (
	"context"
	"fmt"
	"strings"
)

// DemoPassword is the password of every demo account. Demo only.
const DemoPassword = "demo-password-2013"

// DemoAccount describes one account of the demo working group.
type DemoAccount struct {
	Email, Name, Side string
	Role              Role
	Admin             bool
}

// DemoAccounts are the accounts of the demo working group.
var DemoAccounts = []DemoAccount{
	{"us.head@parley.example", "Michael Reed", "US", RoleHead, false},
	{"us.delegate@parley.example", "Sarah Collins", "US", RoleDelegate, false},
	{"us.observer@parley.example", "James Porter", "US", RoleObserver, false},
	{"cn.head@parley.example", "王建国", "CN", RoleHead, false},
	{"cn.delegate@parley.example", "李明", "CN", RoleDelegate, false},
	{"cn.observer@parley.example", "张伟", "CN", RoleObserver, false},
	{"secretariat@parley.example", "Anna Lindqvist", "SEC", RoleSecretariat, false},
	{"admin@parley.example", "Parley Administrator", "SEC", RoleSecretariat, true},
}

// SeedDemo loads the demo working group into an empty database. It does
// nothing (and returns false) when any account exists.
func (s *Service) SeedDemo(ctx context.Context) (bool, error) {
	n, err := s.db.countUsers(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	sides := map[string]int64{}
	for _, in := range []SideInput{
		{Code: "US", NameEN: "United States delegation", NameZH: "美国代表团", TimeZone: "America/New_York", Language: "en"},
		{Code: "CN", NameEN: "Chinese delegation", NameZH: "中国代表团", TimeZone: "Asia/Shanghai", Language: "zh"},
	} {
		side, err := s.CreateDelegation(ctx, System, in)
		if err != nil {
			return false, fmt.Errorf("demo delegation %s: %w", in.Code, err)
		}
		sides[side.Code] = side.ID
	}
	sec, err := s.db.sideByCode(ctx, "SEC")
	if err != nil {
		return false, err
	}
	sides["SEC"] = sec.ID
	for _, a := range DemoAccounts {
		_, _, err := s.CreateUser(ctx, System, UserInput{Email: a.Email, Name: a.Name, SideID: sides[a.Side],
			Role: a.Role, Admin: a.Admin, Password: DemoPassword})
		if err != nil {
			return false, fmt.Errorf("demo account %s: %w", a.Email, err)
		}
	}
	if err := s.seedDemoAgenda(ctx); err != nil {
		return false, fmt.Errorf("demo agenda: %w", err)
	}
	if err := s.write(ctx, func(tx *Tx) error {
		if err := tx.setSetting("demo", "true"); err != nil {
			return err
		}
		return tx.audit(System, Audit{Action: "demo.seed", ObjectType: "setting", Visibility: Shared})
	}); err != nil {
		return false, err
	}
	return true, nil
}

// IsDemo reports whether the database holds the demo working group.
func (s *Service) IsDemo(ctx context.Context) bool {
	v, _ := s.db.setting(ctx, "demo")
	return v == "true"
}

// DemoCategories are the categories of the demo working group.
var DemoCategories = []CategoryInput{
	{NameEN: "Working group mechanism", NameZH: "工作组机制", Position: 1},
	{NameEN: "International cyberspace rules", NameZH: "网络空间国际规则", Position: 2},
	{NameEN: "Confidence-building measures", NameZH: "建立信任措施", Position: 3},
	{NameEN: "Incident cooperation", NameZH: "事件合作", Position: 4},
	{NameEN: "Other", NameZH: "其他", Position: 5},
}

// seedDemoAgenda loads agenda items drawn from the July 2013 talks: one
// adopted, one awaiting the US, one contested over "out of bounds" cyber
// spying with an amendment under discussion, a draft on each side, and
// internal notes on both sides.
func (s *Service) seedDemoAgenda(ctx context.Context) error {
	acct := map[string]*User{}
	for _, a := range DemoAccounts {
		u, err := s.db.userByEmail(ctx, a.Email)
		if err != nil {
			return err
		}
		acct[a.Email[:strings.IndexByte(a.Email, '@')]] = u
	}
	var cats []int64
	for _, in := range DemoCategories {
		c, err := s.CreateCategory(ctx, acct["secretariat"], in)
		if err != nil {
			return err
		}
		cats = append(cats, c.ID)
	}
	usHead, usDel, cnHead, cnDel, sec := acct["us.head"], acct["us.delegate"], acct["cn.head"], acct["cn.delegate"], acct["secretariat"]
	steps := []func() error{}
	var mechanism, rules, measures *AgendaItem
	propose := func(by *User, in ItemInput, into **AgendaItem) {
		steps = append(steps, func() error {
			it, err := s.CreateItem(ctx, by, in)
			if err != nil {
				return err
			}
			*into = it
			return nil
		})
	}
	table := func(by *User, it **AgendaItem) {
		steps = append(steps, func() error {
			cur, err := s.GetItem(ctx, by, (*it).ID)
			if err != nil {
				return err
			}
			return s.TableItem(ctx, by, cur.ID, cur.Version)
		})
	}
	decide := func(by *User, it **AgendaItem, kind, reason string) {
		steps = append(steps, func() error {
			cur, err := s.GetItem(ctx, by, (*it).ID)
			if err != nil {
				return err
			}
			return s.Decide(ctx, by, cur.ID, cur.Revision, kind, reason)
		})
	}
	comment := func(by *User, it **AgendaItem, vis Visibility, body string) {
		steps = append(steps, func() error {
			_, err := s.AddComment(ctx, by, "agenda_item", (*it).ID, vis, body)
			return err
		})
	}

	propose(cnDel, ItemInput{Title: "双边网络工作组机制", Language: "zh", CategoryID: cats[0], DurationMinutes: 45,
		Description: "改进工作组的运作，使其在**增进互信、减少猜疑、管控分歧、扩大合作**方面发挥积极作用。\n\n- 会议频率与形式\n- 联络渠道\n- 秘书处的作用"}, &mechanism)
	table(cnDel, &mechanism)
	steps = append(steps, func() error {
		cur, err := s.GetItem(ctx, sec, mechanism.ID)
		if err != nil {
			return err
		}
		return s.SetTranslation(ctx, sec, cur.ID, cur.Version, "Mechanism of the bilateral cyber working group",
			"Improve the group's operations so that it can **play a positive role in enhancing mutual trust, reducing mutual suspicion, managing disputes and expanding cooperation**.\n\n- Frequency and format of meetings\n- Channels of contact\n- The role of the secretariat")
	})
	decide(cnHead, &mechanism, Concur, "")
	decide(usHead, &mechanism, Concur, "")
	comment(sec, &mechanism, Shared, "The secretariat will circulate a draft schedule of meetings once this item is adopted.")

	propose(cnDel, ItemInput{Title: "International cyberspace rules", Language: "en", CategoryID: cats[1], DurationMinutes: 60,
		Description: "Exchange views on norms of state behaviour in cyberspace and on the role of the United Nations."}, &rules)
	table(cnDel, &rules)
	decide(cnHead, &rules, Concur, "")

	propose(usDel, ItemInput{Title: "Measures to boost dialogue and cooperation on cyber security", Language: "en", CategoryID: cats[2],
		DurationMinutes: 60, Description: "Practical steps: points of contact, exchange of information on incidents, and regular working-level meetings."}, &measures)
	table(usDel, &measures)
	decide(cnHead, &measures, Concur, "")
	decide(usHead, &measures, Object, "The text must also address \"out of bounds\" cyber spying, including the theft of intellectual property from US companies.")
	steps = append(steps, func() error {
		_, err := s.ProposeAmendment(ctx, usDel, measures.ID, AmendmentInput{Title: "Measures to boost dialogue and cooperation on cyber security",
			Description: "Practical steps: points of contact, exchange of information on incidents, regular working-level meetings, and restraint from cyber-enabled theft of intellectual property.",
			Rationale:   "Answers the objection of the United States delegation."})
		return err
	})
	comment(usDel, &measures, Internal, "Hold firm on the out-of-bounds language: Washington clears concurrence only if the amendment is accepted.")
	comment(cnDel, &measures, Internal, "参考国家互联网应急中心的数据：1至5月共有249个政府和学术网站被黑，其中54个来自美国IP地址。")
	comment(cnHead, &measures, Shared, "中方愿意讨论具体措施，但不接受以“网络窃密”为前提的表述。")

	var usDraft, cnDraft *AgendaItem
	propose(usDel, ItemInput{Title: "Protecting intellectual property from cyber theft", Language: "en", CategoryID: cats[3], DurationMinutes: 30,
		Description: "Draft for internal discussion before tabling."}, &usDraft)
	comment(usHead, &usDraft, Internal, "Not before the next Strategic Security Dialogue.")
	propose(cnDel, ItemInput{Title: "来自美国IP地址的对中国政府网站的攻击", Language: "zh", CategoryID: cats[3], DurationMinutes: 30,
		Description: "1至5月，249个中国政府和学术网站被黑，其中54个明显来自美国IP地址。"}, &cnDraft)
	comment(cnHead, &cnDraft, Internal, "待对话后再决定是否提交。")
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
