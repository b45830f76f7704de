package incidents

import (
	"errors"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/parley/parley/app"
)

// IndicatorType is the kind of an indicator, decided by its form.
type IndicatorType string

// The indicator types.
const (
	TypeIPv4   IndicatorType = "ipv4"
	TypeIPv6   IndicatorType = "ipv6"
	TypeCIDR   IndicatorType = "cidr"
	TypeDomain IndicatorType = "domain"
	TypeURL    IndicatorType = "url"
	TypeEmail  IndicatorType = "email"
	TypeSHA256 IndicatorType = "sha256"
	TypeSHA1   IndicatorType = "sha1"
	TypeMD5    IndicatorType = "md5"
	TypeASN    IndicatorType = "asn"
)

// MessageKey is the catalogue key of the type's name.
func (t IndicatorType) MessageKey() string { return "indicator.type." + string(t) }

// IndicatorTypes lists the types in the order forms offer them.
var IndicatorTypes = []IndicatorType{TypeIPv4, TypeIPv6, TypeCIDR, TypeDomain, TypeURL, TypeEmail, TypeSHA256, TypeSHA1,
	TypeMD5, TypeASN}

// MaxIndicatorLen bounds an indicator as typed (a URL may be long).
const MaxIndicatorLen = 2048

// ParsedIndicator is an indicator recognised and normalised: the same
// indicator, however it was written, has the same Value.
type ParsedIndicator struct {
	Type  IndicatorType
	Value string
}

// The usual ways of writing an indicator so that no one can click it:
// hxxp://, [.], (.), {.}, [dot], (dot), [:], [://], [@], (@), [at], (at).
var (
	fangDot    = regexp.MustCompile(`(?i)\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}`)
	fangAt     = regexp.MustCompile(`(?i)\[@\]|\(@\)|\[at\]|\(at\)`)
	fangScheme = strings.NewReplacer("[://]", "://", "[:]", ":")
	hxxp       = regexp.MustCompile(`(?i)^hxxp(s?)://`)
)

// Refang turns a defanged indicator back into its plain form.
func Refang(s string) string {
	s = strings.TrimSpace(s)
	s = fangScheme.Replace(fangAt.ReplaceAllString(fangDot.ReplaceAllString(s, "."), "@"))
	if m := hxxp.FindStringSubmatch(s); m != nil {
		s = "http" + m[1] + "://" + s[len(m[0]):]
	}
	return s
}

var (
	hexOnly = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	asnForm = regexp.MustCompile(`(?i)^AS(N)?\s?([0-9]+)$`)
)

// ParseIndicator recognises one indicator as typed or pasted: defanged
// forms are accepted, the type is decided by the form, and the value is
// validated and normalised (lower-case hashes and host names, IDNA host
// names in their ASCII form, masked CIDR ranges, "AS" and a number). A
// refusal is a domain error whose message names the reason.
func ParseIndicator(typed string) (ParsedIndicator, error) {
	if !utf8.ValidString(typed) {
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.invalid_text")
	}
	s := Refang(typed)
	switch {
	case s == "":
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.empty")
	case len(s) > MaxIndicatorLen:
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.too_long")
	}
	if m := asnForm.FindStringSubmatch(s); m != nil {
		n, err := strconv.ParseUint(m[2], 10, 32)
		if err != nil || n == 0 || n == 23456 || n == 65535 || n == 4294967295 {
			return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_asn")
		}
		return ParsedIndicator{TypeASN, "AS" + strconv.FormatUint(n, 10)}, nil
	}
	switch {
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' }) && !strings.Contains(s, "://"):
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.spaces")
	}
	if hexOnly.MatchString(s) {
		switch len(s) {
		case 32:
			return ParsedIndicator{TypeMD5, strings.ToLower(s)}, nil
		case 40:
			return ParsedIndicator{TypeSHA1, strings.ToLower(s)}, nil
		case 64:
			return ParsedIndicator{TypeSHA256, strings.ToLower(s)}, nil
		}
		if len(s) > 16 { // long hex that is not an address: a hash of the wrong length
			return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_hash")
		}
	}
	if strings.Contains(s, "://") {
		return parseURL(s)
	}
	if strings.Contains(s, "@") {
		return parseEmail(s)
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || p.Addr().Zone() != "" {
			return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_cidr")
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			if !p.IsValid() {
				return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_cidr")
			}
		}
		return ParsedIndicator{TypeCIDR, p.Masked().String()}, nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" {
			return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_ip")
		}
		if a = a.Unmap(); a.Is4() {
			return ParsedIndicator{TypeIPv4, a.String()}, nil
		}
		return ParsedIndicator{TypeIPv6, a.String()}, nil
	}
	if looksLikeIP(s) {
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_ip")
	}
	host, err := normaliseHost(s)
	if err != nil {
		return ParsedIndicator{}, err
	}
	return ParsedIndicator{TypeDomain, host}, nil
}

// looksLikeIP: digits and dots only, or a colon (which no host name has):
// meant as an address, so a failed address is not read as a domain.
func looksLikeIP(s string) bool {
	return strings.Contains(s, ":") || strings.Trim(s, "0123456789.") == ""
}

var domainProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.ValidateLabels(true),
	idna.StrictDomainName(true), idna.VerifyDNSLength(true))

// normaliseHost validates a domain name and returns it in lower-case ASCII
// (IDNA), without a final dot. It needs at least two labels, and a last
// label that is not all digits.
func normaliseHost(s string) (string, error) {
	s = strings.TrimSuffix(s, ".")
	ascii, err := domainProfile.ToASCII(s)
	if err != nil || ascii == "" {
		return "", app.Errorf(app.EINVALID, "indicator.bad_domain")
	}
	ascii = strings.ToLower(ascii)
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 {
		return "", app.Errorf(app.EINVALID, "indicator.bad_domain")
	}
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return "", app.Errorf(app.EINVALID, "indicator.bad_domain")
	}
	return ascii, nil
}

// parseURL accepts http, https and ftp addresses with a valid host (a
// domain or an address); the scheme and host are lower-cased, the host in
// its ASCII form, the rest kept as written.
func parseURL(s string) (ParsedIndicator, error) {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= 0x20 || r == 0x7f }) {
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.spaces")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_url")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp":
	default:
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_url_scheme")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host, port := u.Hostname(), u.Port()
	if a, err := netip.ParseAddr(host); err == nil {
		if a.Zone() != "" {
			return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_url")
		}
		host = a.Unmap().String()
		if a.Unmap().Is6() {
			host = "[" + host + "]"
		}
	} else if host, err = normaliseHost(host); err != nil {
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_url")
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_url")
		}
		host += ":" + port
	}
	u.Host = host
	return ParsedIndicator{TypeURL, u.String()}, nil
}

// parseEmail accepts local@domain with a plain local part (no quotes, no
// spaces, at most 64 bytes) and a valid domain, lower-cased.
func parseEmail(s string) (ParsedIndicator, error) {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.ContainsAny(local, "@\"() <>[],;:\\") ||
		strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_email")
	}
	host, err := normaliseHost(domain)
	if err != nil {
		return ParsedIndicator{}, app.Errorf(app.EINVALID, "indicator.bad_email")
	}
	return ParsedIndicator{TypeEmail, local + "@" + host}, nil
}

// Defang shows an indicator so that no one can follow it by a click or a
// copy into a browser: dots of host names and IPv4 addresses as [.], http
// as hxxp, :// as [://], @ as [@]. Refang(Defang(v)) is v.
func Defang(t IndicatorType, value string) string {
	switch t {
	case TypeIPv4, TypeDomain:
		return strings.ReplaceAll(value, ".", "[.]")
	case TypeCIDR:
		if strings.Contains(value, ":") {
			return value
		}
		return strings.ReplaceAll(value, ".", "[.]")
	case TypeEmail:
		local, domain, _ := strings.Cut(value, "@")
		return local + "[@]" + strings.ReplaceAll(domain, ".", "[.]")
	case TypeURL:
		scheme, rest, ok := strings.Cut(value, "://")
		if !ok {
			return value
		}
		host, path, _ := strings.Cut(rest, "/")
		if path != "" || strings.HasSuffix(rest, "/") {
			path = "/" + path
		}
		scheme = strings.Replace(scheme, "http", "hxxp", 1)
		return scheme + "[://]" + strings.ReplaceAll(host, ".", "[.]") + path
	}
	return value
}

// MaxBulkLines bounds a bulk paste of indicators.
const MaxBulkLines = 10000

// Outcome is what became of one line of a bulk paste.
type Outcome string

// The outcomes of a line, before storing: the store then tells a valid line
// that is already on the incident (a duplicate) from one it added.
const (
	OutcomeValid     Outcome = "valid"
	OutcomeAdded     Outcome = "added"
	OutcomeDuplicate Outcome = "duplicate"
	OutcomeInvalid   Outcome = "invalid"
)

// LineResult is one non-blank line of a bulk paste.
type LineResult struct {
	Line      int    // 1-based, in the text as pasted
	Typed     string // the line as typed, without its comment, clipped to MaxIndicatorLen characters
	Indicator ParsedIndicator
	Outcome   Outcome
	Reason    string // the message key of an invalid line
	Note      string // what followed " #" on the line: the indicator's note
}

// MaxNoteLen is the longest note an indicator keeps.
const MaxNoteLen = 500

// ParseBulk reads a pasted list of indicators, one per line: blank lines and
// lines starting with # are skipped, and a # after a space starts a comment,
// which becomes the indicator's note.
// Each line is valid, a duplicate of an earlier line, or invalid with its
// reason. More than MaxBulkLines indicators are refused as a whole.
func ParseBulk(text string) ([]LineResult, error) {
	if !utf8.ValidString(text) {
		return nil, app.Errorf(app.EINVALID, "indicator.invalid_text")
	}
	var out []LineResult
	seen := map[ParsedIndicator]int{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		note := ""
		if j := strings.Index(line, " #"); j >= 0 {
			line, note = strings.TrimSpace(line[:j]), line[j+2:]
		} else if j := strings.Index(line, "\t#"); j >= 0 {
			line, note = strings.TrimSpace(line[:j]), line[j+2:]
		}
		if len(out) == MaxBulkLines {
			return nil, app.Errorf(app.EINVALID, "indicator.too_many_lines")
		}
		r := LineResult{Line: i + 1, Typed: app.ClipText(line, MaxIndicatorLen),
			Note: app.ClipText(strings.TrimSpace(app.CleanText(note)), MaxNoteLen)}
		p, err := ParseIndicator(line)
		var e *app.Error
		switch {
		case errors.As(err, &e):
			r.Outcome, r.Reason = OutcomeInvalid, e.Message
		case err != nil:
			return nil, err
		case seen[p] > 0:
			r.Indicator, r.Outcome, r.Reason = p, OutcomeDuplicate, "indicator.duplicate_in_paste"
		default:
			r.Indicator, r.Outcome = p, OutcomeValid
			seen[p] = r.Line
		}
		out = append(out, r)
	}
	return out, nil
}
