package agenda

import (
	"context"
	"fmt"

	"github.com/parley/parley/app"
)

// SeedDemo loads the demo working group (see app.SeedDemo) and its agenda
// into an empty database; it does nothing and returns false when any
// account exists.
func (s *Service) SeedDemo(ctx context.Context) (bool, error) {
	seeded, err := s.core.SeedDemo(ctx)
	if err != nil || !seeded {
		return seeded, err
	}
	if err := s.seedDemoAgenda(ctx); err != nil {
		return false, fmt.Errorf("demo agenda: %w", err)
	}
	return true, nil
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
	acct, err := s.core.DemoUsers(ctx)
	if err != nil {
		return err
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
	var mechanism, rules, measures *Item
	propose := func(by *app.User, in ItemInput, into **Item) {
		steps = append(steps, func() error {
			it, err := s.CreateItem(ctx, by, in)
			if err != nil {
				return err
			}
			*into = it
			return nil
		})
	}
	table := func(by *app.User, it **Item) {
		steps = append(steps, func() error {
			cur, err := s.GetItem(ctx, by, (*it).ID)
			if err != nil {
				return err
			}
			return s.TableItem(ctx, by, cur.ID, cur.Version)
		})
	}
	decide := func(by *app.User, it **Item, kind app.DecisionKind, reason string) {
		steps = append(steps, func() error {
			cur, err := s.GetItem(ctx, by, (*it).ID)
			if err != nil {
				return err
			}
			return s.Decide(ctx, by, cur.ID, cur.Revision, kind, reason)
		})
	}
	comment := func(by *app.User, it **Item, vis app.Visibility, body string) {
		steps = append(steps, func() error {
			_, err := s.core.AddComment(ctx, by, app.Ref{Kind: KindItem, ID: (*it).ID}, vis, body)
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
		return s.SetTranslation(ctx, sec, cur.ID, 0, "Mechanism of the bilateral cyber working group",
			"Improve the group's operations so that it can **play a positive role in enhancing mutual trust, reducing mutual suspicion, managing disputes and expanding cooperation**.\n\n- Frequency and format of meetings\n- Channels of contact\n- The role of the secretariat")
	})
	decide(cnHead, &mechanism, Concur, "")
	decide(usHead, &mechanism, Concur, "")
	comment(sec, &mechanism, app.Shared, "The secretariat will circulate a draft schedule of meetings once this item is adopted.")

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
	comment(usDel, &measures, app.Internal, "Hold firm on the out-of-bounds language: Washington clears concurrence only if the amendment is accepted.")
	comment(cnDel, &measures, app.Internal, "参考国家互联网应急中心的数据：1至5月共有249个政府和学术网站被黑，其中54个来自美国IP地址。")
	comment(cnHead, &measures, app.Shared, "中方愿意讨论具体措施，但不接受以“网络窃密”为前提的表述。")

	var usDraft, cnDraft *Item
	propose(usDel, ItemInput{Title: "Protecting intellectual property from cyber theft", Language: "en", CategoryID: cats[3], DurationMinutes: 30,
		Description: "Draft for internal discussion before tabling."}, &usDraft)
	comment(usHead, &usDraft, app.Internal, "Not before the next Strategic Security Dialogue.")
	propose(cnDel, ItemInput{Title: "来自美国IP地址的对中国政府网站的攻击", Language: "zh", CategoryID: cats[3], DurationMinutes: 30,
		Description: "1至5月，249个中国政府和学术网站被黑，其中54个明显来自美国IP地址。"}, &cnDraft)
	comment(cnHead, &cnDraft, app.Internal, "待对话后再决定是否提交。")
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
