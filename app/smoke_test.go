package app

import (
	"context"
	"testing"
)

func TestLoginSmoke(t *testing.T) {
	s, _ := newTestService(t)
	tok, u, err := s.Login(context.Background(), "CN.Head@parley.example ", DemoPassword, "127.0.0.1", "test")
	if err != nil || u.Email != "cn.head@parley.example" || tok == "" {
		t.Fatalf("login: %v %v", u, err)
	}
	if u.PreferredLanguage() != "zh" || u.Location().String() != "Asia/Shanghai" {
		t.Fatalf("cn.head defaults: %s %s", u.PreferredLanguage(), u.Location())
	}
	got, _, err := s.Authenticate(context.Background(), tok)
	if err != nil || got.ID != u.ID {
		t.Fatalf("authenticate: %v", err)
	}
	heads, problems, err := s.db.VerifyAudit(context.Background())
	if err != nil || len(problems) != 0 || len(heads) < 2 {
		t.Fatalf("verify: %v %v %v", heads, problems, err)
	}
}
