package incidents

import (
	"errors"
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

func TestParseIndicatorRecognisesAndNormalises(t *testing.T) {
	for _, c := range []struct {
		typed string
		want  IndicatorType
		value string
	}{
		{"192.0.2.1", TypeIPv4, "192.0.2.1"},
		{" 198.51.100.7 ", TypeIPv4, "198.51.100.7"},
		{"203.0.113[.]9", TypeIPv4, "203.0.113.9"},
		{"203(.)0(.)113(dot)10", TypeIPv4, "203.0.113.10"},
		{"::ffff:192.0.2.1", TypeIPv4, "192.0.2.1"},
		{"2001:DB8::1", TypeIPv6, "2001:db8::1"},
		{"2001:0db8:0000:0000:0000:0000:0000:0001", TypeIPv6, "2001:db8::1"},
		{"2001:db8[:]:2", TypeIPv6, "2001:db8::2"},
		{"192.0.2.77/24", TypeCIDR, "192.0.2.0/24"},
		{"198.51.100[.]0/24", TypeCIDR, "198.51.100.0/24"},
		{"2001:db8::1/32", TypeCIDR, "2001:db8::/32"},
		{"::ffff:192.0.2.0/120", TypeCIDR, "192.0.2.0/24"},
		{"Example.COM", TypeDomain, "example.com"},
		{"example[.]org.", TypeDomain, "example.org"},
		{"mail(dot)example[DOT]net", TypeDomain, "mail.example.net"},
		{"例子.中国", TypeDomain, "xn--fsqu00a.xn--fiqs8s"},
		{"xn--fsqu00a.xn--fiqs8s", TypeDomain, "xn--fsqu00a.xn--fiqs8s"},
		{"hxxp://example[.]com/path?q=1", TypeURL, "http://example.com/path?q=1"},
		{"HXXPS[://]Example.com:8443/A/b", TypeURL, "https://example.com:8443/A/b"},
		{"https://192.0.2.5/login", TypeURL, "https://192.0.2.5/login"},
		{"http://[2001:db8::5]:8080/", TypeURL, "http://[2001:db8::5]:8080/"},
		{"ftp://files.example.com/x.zip", TypeURL, "ftp://files.example.com/x.zip"},
		{"http://例子.中国/页", TypeURL, "http://xn--fsqu00a.xn--fiqs8s/%E9%A1%B5"},
		{"Analyst@Example.com", TypeEmail, "Analyst@example.com"},
		{"ops[@]example[.]org", TypeEmail, "ops@example.org"},
		{"ops(at)example(dot)org", TypeEmail, "ops@example.org"},
		{"D41D8CD98F00B204E9800998ECF8427E", TypeMD5, "d41d8cd98f00b204e9800998ecf8427e"},
		{"da39a3ee5e6b4b0d3255bfef95601890afd80709", TypeSHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
		{strings.Repeat("aB", 32), TypeSHA256, strings.Repeat("ab", 32)},
		{"AS13335", TypeASN, "AS13335"},
		{"as 64500", TypeASN, "AS64500"},
		{"ASN4200000000", TypeASN, "AS4200000000"},
	} {
		got, err := ParseIndicator(c.typed)
		if err != nil {
			t.Errorf("%q: %v", c.typed, err)
			continue
		}
		if got.Type != c.want || got.Value != c.value {
			t.Errorf("%q: %s %q, want %s %q", c.typed, got.Type, got.Value, c.want, c.value)
		}
	}
}

func TestParseIndicatorRefusesWithAReason(t *testing.T) {
	for typed, reason := range map[string]string{
		"":                                    "indicator.empty",
		"   ":                                 "indicator.empty",
		"256.1.1.1":                           "indicator.bad_ip",
		"192.0.2":                             "indicator.bad_ip",
		"2001:db8::g":                         "indicator.bad_ip",
		"fe80::1%eth0":                        "indicator.bad_ip",
		"192.0.2.0/33":                        "indicator.bad_cidr",
		"2001:db8::/129":                      "indicator.bad_cidr",
		"localhost":                           "indicator.bad_domain",
		"example..com":                        "indicator.bad_domain",
		"-bad-.example.com":                   "indicator.bad_domain",
		"example.123":                         "indicator.bad_domain",
		"under_score.example.com":             "indicator.bad_domain",
		"javascript://example.com":            "indicator.bad_url_scheme",
		"file:///etc/passwd":                  "indicator.bad_url",
		"http://":                             "indicator.bad_url",
		"http://exa mple.com/":                "indicator.spaces",
		"http://example.com:99999":            "indicator.bad_url",
		"@example.com":                        "indicator.bad_email",
		"a b@example.com":                     "indicator.spaces",
		"a..b@example.com":                    "indicator.bad_email",
		"ops@localhost":                       "indicator.bad_email",
		"AS0":                                 "indicator.bad_asn",
		"AS99999999999":                       "indicator.bad_asn",
		"d41d8cd98f00b204e9800998ecf8427":     "indicator.bad_hash",
		"two words":                           "indicator.spaces",
		"line\nbreak":                         "indicator.spaces",
		"a\x00b":                              "indicator.spaces",
		"\xff\xfe":                            "indicator.invalid_text",
		"http://" + strings.Repeat("a", 2100): "indicator.too_long",
	} {
		_, err := ParseIndicator(typed)
		var e *app.Error
		if !errors.As(err, &e) || e.Code != app.EINVALID || e.Message != reason {
			t.Errorf("%q: %v, want %s", typed, err, reason)
		}
	}
}

func TestDefangIsUnclickableAndReversible(t *testing.T) {
	for _, typed := range []string{"192.0.2.1", "2001:db8::1", "192.0.2.0/24", "2001:db8::/32", "evil.example.com",
		"https://evil.example.com/a/b?c=d", "http://192.0.2.5/", "http://[2001:db8::5]:8080/x", "ftp://f.example.com",
		"ops@example.org", "AS64500", strings.Repeat("ab", 32)} {
		p, err := ParseIndicator(typed)
		if err != nil {
			t.Fatalf("%q: %v", typed, err)
		}
		shown := Defang(p.Type, p.Value)
		if strings.Contains(strings.ReplaceAll(shown, "[://]", ""), "://") || strings.Contains(shown, "http") || (p.Type != TypeIPv6 && p.Type != TypeCIDR &&
			p.Type != TypeASN && p.Type != TypeSHA256 && strings.Contains(strings.ReplaceAll(shown, "[.]", ""), ".")) {
			t.Errorf("%s %q is shown as %q: still clickable", p.Type, p.Value, shown)
		}
		again, err := ParseIndicator(shown)
		if err != nil || again != p {
			t.Errorf("%q shown as %q reads back as %+v (%v)", p.Value, shown, again, err)
		}
	}
}

// Any input: no panic; what is accepted is normalised once and for all
// (parsing the value again gives the same), and its defanged form reads
// back as the same indicator.
func FuzzParseIndicator(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "2001:db8::1", "192.0.2.0/24", "example[.]com", "hxxps://例子.中国/x",
		"ops@example.org", "AS64500", strings.Repeat("ab", 32), "::ffff:1.2.3.4/104", "http://[::1]:80/", "a(dot)b(dot)c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		p, err := ParseIndicator(typed)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("%q: %v", typed, err)
			}
			return
		}
		again, err := ParseIndicator(p.Value)
		if err != nil || again != p {
			t.Fatalf("%q → %+v, which reads as %+v (%v)", typed, p, again, err)
		}
		if back, err := ParseIndicator(Defang(p.Type, p.Value)); err != nil || back != p {
			t.Fatalf("%+v defanged as %q reads as %+v (%v)", p, Defang(p.Type, p.Value), back, err)
		}
	})
}

func TestParseBulk(t *testing.T) {
	text := "# indicators from the report\r\n192.0.2.1\r\n\r\n  198.51.100[.]7  # scanner\nnot an indicator\n192.0.2.1\n" +
		"example[.]com\t# a domain\nEXAMPLE.com\n"
	got, err := ParseBulk(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line    int
		outcome Outcome
		value   string
		reason  string
	}{
		{2, OutcomeValid, "192.0.2.1", ""},
		{4, OutcomeValid, "198.51.100.7", ""},
		{5, OutcomeInvalid, "", "indicator.spaces"},
		{6, OutcomeDuplicate, "192.0.2.1", "indicator.duplicate_in_paste"},
		{7, OutcomeValid, "example.com", ""},
		{8, OutcomeDuplicate, "example.com", "indicator.duplicate_in_paste"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines read: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Line != w.line || g.Outcome != w.outcome || g.Indicator.Value != w.value || g.Reason != w.reason {
			t.Errorf("line %d: %+v, want %+v", w.line, g, w)
		}
	}
	many := strings.Repeat("192.0.2.1\n", MaxBulkLines)
	if rs, err := ParseBulk(many); err != nil || len(rs) != MaxBulkLines {
		t.Fatalf("%d lines: %d results, %v", MaxBulkLines, len(rs), err)
	}
	if _, err := ParseBulk(many + "192.0.2.2"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("%d lines are accepted: %v", MaxBulkLines+1, err)
	}
	if _, err := ParseBulk("192.0.2.1\n\xff"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("bytes that are not text: %v", err)
	}
}
