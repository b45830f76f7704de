package app

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomText returns n deterministic pseudo-random letters and digits.
func randomText(n int, seed uint64) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_"
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func TestHashPasswordRoundTrip(t *testing.T) {
	for _, c := range []struct {
		p   ArgonParams
		pws []string
	}{
		{fastArgon, []string{DemoPassword, "ünïcödé-密码-пароль", randomText(1024, 7)}},
		{DefaultArgon, []string{DemoPassword}}, // production cost: slower, so once
	} {
		p := c.p
		for _, pw := range c.pws {
			h, err := HashPassword(pw, p)
			if err != nil {
				t.Fatal(err)
			}
			prefix := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", p.Memory, p.Time, p.Threads)
			if !strings.HasPrefix(h, prefix) || strings.Count(h, "$") != 5 {
				t.Fatalf("hash %q, want prefix %q", h, prefix)
			}
			if strings.Contains(h, pw) {
				t.Fatal("hash contains the password")
			}
			if !CheckPassword(pw, h) {
				t.Fatalf("CheckPassword(right) = false for %v", p)
			}
			for _, wrong := range []string{"", pw + "x", strings.ToUpper(pw), pw[:len(pw)-1], " " + pw} {
				if wrong != pw && CheckPassword(wrong, h) {
					t.Fatalf("CheckPassword(%q) = true", wrong)
				}
			}
			h2, _ := HashPassword(pw, p)
			if h2 == h {
				t.Fatal("two hashes of one password are equal: no salt")
			}
			if !CheckPassword(pw, h2) {
				t.Fatal("second hash does not verify")
			}
		}
	}
}

func TestCheckPasswordMalformedHash(t *testing.T) {
	good, err := HashPassword("alpine-meadow-17", fastArgon)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, key
	flipped := []byte(parts[5])
	if flipped[0] == 'A' {
		flipped[0] = 'B'
	} else {
		flipped[0] = 'A'
	}
	join := func(p ...string) string { return strings.Join(p, "$") }
	for name, h := range map[string]string{
		"empty":           "",
		"plain text":      "alpine-meadow-17",
		"bcrypt":          "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":         join("", "argon2i", parts[2], parts[3], parts[4], parts[5]),
		"argon2d":         join("", "argon2d", parts[2], parts[3], parts[4], parts[5]),
		"old version":     join("", "argon2id", "v=16", parts[3], parts[4], parts[5]),
		"bad version":     join("", "argon2id", "v=x", parts[3], parts[4], parts[5]),
		"bad params":      join("", "argon2id", parts[2], "m=x,t=1,p=1", parts[4], parts[5]),
		"missing params":  join("", "argon2id", parts[2], "", parts[4], parts[5]),
		"bad salt":        join("", "argon2id", parts[2], parts[3], "!!!!", parts[5]),
		"bad key":         join("", "argon2id", parts[2], parts[3], parts[4], "%%%%"),
		"empty key":       join("", "argon2id", parts[2], parts[3], parts[4], ""),
		"flipped key":     join("", "argon2id", parts[2], parts[3], parts[4], string(flipped)),
		"other salt":      join("", "argon2id", parts[2], parts[3], "c2FsdHNhbHRzYWx0c2FsdA", parts[5]),
		"other cost":      join("", "argon2id", parts[2], "m=128,t=1,p=1", parts[4], parts[5]),
		"too few parts":   join("", "argon2id", parts[2], parts[3], parts[4]),
		"too many parts":  good + "$extra",
		"truncated key":   good[:len(good)-4],
		"no leading $":    strings.TrimPrefix(good, "$"),
		"trailing spaces": good + "  ",
	} {
		if CheckPassword("alpine-meadow-17", h) {
			t.Errorf("%s: CheckPassword accepted %q", name, h)
		}
	}
	if !CheckPassword("alpine-meadow-17", good) {
		t.Fatal("control: the good hash does not verify")
	}
}

func TestCheckPasswordZeroCostHashDoesNotPanic(t *testing.T) {
	// A corrupt stored hash must make CheckPassword say false, not crash the
	// login request: argon2.IDKey panics on zero passes or zero lanes.
	good, _ := HashPassword("alpine-meadow-17", fastArgon)
	parts := strings.Split(good, "$")
	for _, params := range []string{"m=64,t=0,p=1", "m=64,t=1,p=0"} {
		h := strings.Join([]string{"", "argon2id", parts[2], params, parts[4], parts[5]}, "$")
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("CheckPassword on a hash with %s panicked: %v", params, r)
				}
			}()
			if CheckPassword("alpine-meadow-17", h) {
				t.Errorf("CheckPassword accepted a hash with %s", params)
			}
		}()
	}
}

func TestPasswordProblem(t *testing.T) {
	ctx := []string{"michael.reed@parley.example", "Michael Reed", "michael.reed"}
	for _, c := range []struct {
		name, pw, want string
	}{
		{"11 chars", "Tr0ub4dor&3", "password.too_short"},
		{"empty", "", "password.too_short"},
		{"11 CJK runes (33 bytes)", "长城万里黄河长江泰山华", "password.too_short"},
		{"12 good chars", "blue-Harbor7", ""},
		{"12 CJK runes", "长城万里黄河长江泰山华山峨", ""},
		{"demo password", DemoPassword, ""},
		{"passphrase", "correct horse battery staple", ""},
		{"64 chars", randomText(64, 1), ""},
		{"200 chars", randomText(200, 2), ""},
		{"1024 chars", randomText(1024, 3), ""},
		{"1025 chars", randomText(1025, 4), "password.too_long"},
		{"5000 chars", randomText(5000, 5), "password.too_long"},
		{"list entry with digits", "qwertyuiop12", "password.common"},
		{"password1234", "password1234", "password.common"},
		{"qwertyuiop123", "qwertyuiop123", "password.common"},
		{"Password1234!", "Password1234!", "password.common"},
		{"upper case", "PASSWORD1234", "password.common"},
		{"decorated both ends", "!!2013password2013!!", "password.common"},
		{"monkeymonkey12", "monkeymonkey12", "password.common"},
		{"aaaaaaaaaaaaaa", "aaaaaaaaaaaaaa", "password.common"},
		{"abcabcabcabc", "abcabcabcabc", "password.common"},
		{"abababababab", "abababababab", "password.common"},
		{"digits only", "123456789012", "password.common"},
		{"punctuation only", "!@#$%^&*()_+", "password.common"},
		{"few distinct", "aabbaabbaabbc", "password.common"},
		{"email local part", "michael.reed", "password.personal"},
		{"email local part decorated", "Michael.Reed2013!", "password.personal"},
		{"whole email", "michael.reed@parley.example", "password.personal"},
		{"name", "Michael Reed", "password.personal"},
		{"name decorated", "1michael reed1", "password.personal"},
		{"name in a longer phrase", "michael reed sails at dawn", ""},
	} {
		if got := passwordProblem(c.pw, ctx...); got != c.want {
			t.Errorf("%s: passwordProblem(%.40q) = %q, want %q", c.name, c.pw, got, c.want)
		}
	}
	// Short context words are not a basis for "personal".
	if got := passwordProblem("bob-the-builder-99", "bob"); got != "" {
		t.Errorf("3-letter context word rejected a password: %q", got)
	}
	// The demo password passes with every demo account's own context too.
	for _, a := range DemoAccounts {
		if p := passwordProblem(DemoPassword, a.Email, a.Name, strings.Split(a.Email, "@")[0]); p != "" {
			t.Errorf("demo password refused for %s: %s", a.Email, p)
		}
	}
}

func TestCommonListLoaded(t *testing.T) {
	list := commonPasswords()
	if len(list) < 3000 {
		t.Fatalf("common list has %d entries", len(list))
	}
	for _, w := range []string{"password", "monkey", "qwertyuiop", "dragon", "123456"} {
		if !list[w] {
			t.Errorf("%q not on the list", w)
		}
	}
	for w := range list {
		if strings.HasPrefix(w, "#") || w != strings.ToLower(w) || strings.TrimSpace(w) != w {
			t.Fatalf("bad list entry %q", w)
		}
	}
}

func TestIsCommonDocumentedExamples(t *testing.T) {
	// The examples given in isCommon's own documentation.
	for _, pw := range []string{"password1234", "dragon!dragon!"} {
		if !isCommon(pw) {
			t.Errorf("isCommon(%q) = false; its doc comment names it as an example it catches", pw)
		}
		if p := passwordProblem(pw + strings.Repeat("!", max(0, MinPasswordLen-len(pw)))); p != "password.common" {
			t.Errorf("passwordProblem(%q) = %q, want password.common", pw, p)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		pw := GeneratePassword()
		if p := passwordProblem(pw); p != "" {
			t.Fatalf("generated %q breaks the rules: %s", pw, p)
		}
		if seen[pw] {
			t.Fatalf("generated %q twice", pw)
		}
		seen[pw] = true
		groups := strings.Split(pw, "-")
		if len(groups) < 6 {
			t.Fatalf("%q: %d groups", pw, len(groups))
		}
		for j, g := range groups {
			if len(g) == 0 || len(g) > 4 || (j < len(groups)-1 && len(g) != 4) {
				t.Fatalf("%q: group %q", pw, g)
			}
			if g != strings.ToLower(g) {
				t.Fatalf("%q is not lower case", pw)
			}
		}
		// At least 128 bits: 26 base32 characters.
		if n := len(strings.ReplaceAll(pw, "-", "")); n < 26 {
			t.Fatalf("%q has only %d characters", pw, n)
		}
	}
}
