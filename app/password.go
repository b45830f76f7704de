package app

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password rules (OWASP ASVS level 2): at least 12 characters, up to 1024
// accepted, no common passwords or simple variants of them.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 1024
)

// ArgonParams is the cost of argon2id hashing.
type ArgonParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon follows the OWASP recommendation (19 MiB, 2 passes, 1 lane).
var DefaultArgon = ArgonParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// HashPassword hashes a password with argon2id into a PHC string.
func HashPassword(pw string, p ArgonParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the PHC-encoded hash.
func CheckPassword(pw, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	var p ArgonParams
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	// A corrupt hash must not crash or exhaust the server.
	if p.Time < 1 || p.Time > 16 || p.Threads < 1 || p.Threads > 16 || p.Memory < 8 || p.Memory > 1<<20 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

//go:embed common-passwords.txt
var commonPasswordsText string

var (
	commonOnce sync.Once
	common     map[string]bool
)

func commonPasswords() map[string]bool {
	commonOnce.Do(func() {
		common = map[string]bool{}
		sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
		for sc.Scan() {
			w := strings.TrimSpace(sc.Text())
			if w != "" && !strings.HasPrefix(w, "#") {
				common[strings.ToLower(w)] = true
			}
		}
	})
	return common
}

// passwordProblem returns the message key of the first rule pw breaks, or "".
// context holds words that must not be the password's basis (name, email...).
func passwordProblem(pw string, context ...string) string {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return "password.too_short"
	}
	if n > MaxPasswordLen {
		return "password.too_long"
	}
	lower := strings.ToLower(pw)
	if isCommon(lower) {
		return "password.common"
	}
	for _, w := range context {
		w = strings.ToLower(strings.TrimSpace(w))
		if len(w) >= 4 && stripDecorations(lower) == stripDecorations(w) {
			return "password.personal"
		}
	}
	if distinctRunes(lower) < 5 {
		return "password.common"
	}
	return ""
}

// isCommon reports whether pw is on the list, or a listed word with digits
// or punctuation around it ("password1234"), or repeated ("dragon!dragon!").
func isCommon(lower string) bool {
	list := commonPasswords()
	if list[lower] {
		return true
	}
	base := stripDecorations(lower)
	if base == "" || list[base] {
		return true
	}
	for _, unit := range []int{1, 2, 3, 4, 5, 6} { // repeated short units: "abcabcabcabc"
		if len(base) > unit && len(base)%unit == 0 && strings.Repeat(base[:unit], len(base)/unit) == base {
			return true
		}
	}
	// A list word repeated, whatever separates the copies: "monkeymonkey", "dragon!dragon!".
	letters := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, lower)
	for i := 3; i <= len(letters)/2; i++ {
		if len(letters)%i == 0 && strings.Repeat(letters[:i], len(letters)/i) == letters && list[letters[:i]] {
			return true
		}
	}
	return false
}

// stripDecorations removes leading and trailing digits, punctuation and spaces.
func stripDecorations(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// GeneratePassword returns a random temporary password (128 bits) in
// groups of four that are easy to read out and type.
func GeneratePassword() string {
	t := strings.ToLower(rand.Text())
	var sb strings.Builder
	for i := 0; i < len(t); i += 4 {
		if i > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(t[i:min(i+4, len(t))])
	}
	return sb.String()
}
