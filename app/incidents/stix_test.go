package incidents

import (
	"regexp"
	"strings"
	"testing"
)

func TestStixPatterns(t *testing.T) {
	for typed, want := range map[string]string{
		"192.0.2.1":                        "[ipv4-addr:value = '192.0.2.1']",
		"2001:db8::1":                      "[ipv6-addr:value = '2001:db8::1']",
		"198.51.100.0/24":                  "[ipv4-addr:value = '198.51.100.0/24']",
		"2001:db8::/32":                    "[ipv6-addr:value = '2001:db8::/32']",
		"example[.]com":                    "[domain-name:value = 'example.com']",
		"hxxp://example.com/a'b":           `[url:value = 'http://example.com/a\'b']`,
		"ops@example.org":                  "[email-addr:value = 'ops@example.org']",
		"o'brien@example.org":              `[email-addr:value = 'o\'brien@example.org']`,
		"AS64500":                          "[autonomous-system:number = 64500]",
		"d41d8cd98f00b204e9800998ecf8427e": "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
		"da39a3ee5e6b4b0d3255bfef95601890afd80709": "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
	} {
		p, err := ParseIndicator(typed)
		if err != nil {
			t.Fatalf("%q: %v", typed, err)
		}
		if got := StixPattern(p); got != want {
			t.Errorf("%q: %s, want %s", typed, got, want)
		}
	}
	if StixPattern(ParsedIndicator{Type: "nothing", Value: "x"}) != "" {
		t.Error("an unknown type has a pattern")
	}
}

func TestStixOpinionsAndMarkings(t *testing.T) {
	vocabulary := map[string]bool{"strongly-disagree": true, "disagree": true, "neutral": true, "agree": true, "strongly-agree": true}
	for _, k := range PositionKinds {
		if !vocabulary[StixOpinion(k)] {
			t.Errorf("%s maps to %q, not STIX's opinion vocabulary", k, StixOpinion(k))
		}
	}
	if StixOpinion(PositionConfirmed) != "strongly-agree" || StixOpinion(PositionDisputed) != "strongly-disagree" {
		t.Error("confirming is agreeing and disputing is disagreeing")
	}
	uuid := regexp.MustCompile(`^marking-definition--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for _, tlp := range TLPs {
		id, def, ok := StixMarking(tlp)
		if !ok || !uuid.MatchString(id) || seen[id] || def["id"] != id || def["type"] != "marking-definition" ||
			def["spec_version"] != "2.1" || def["created"] == nil || def["name"] != tlp.Label() {
			t.Errorf("%s: %s %v", tlp, id, def)
		}
		seen[id] = true
	}
	if id, _, _ := StixMarking(TLPRed); id != "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1" {
		t.Errorf("TLP:RED is %s", id)
	}
	if _, _, ok := StixMarking("WHITE"); ok {
		t.Error("TLP 1.0's WHITE is no TLP 2.0 marking")
	}
}

// Observables' identifiers are STIX 2.1's deterministic ones: the UUIDv5, in
// STIX's namespace, of the identifying properties (the value computed by
// the STIX 2.1 specification's own example and by stix2-python).
func TestStixObservableIdentifiers(t *testing.T) {
	sco := StixObservable(ParsedIndicator{TypeIPv4, "198.51.100.3"})
	if sco["id"] != "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4" || sco["value"] != "198.51.100.3" ||
		sco["spec_version"] != "2.1" {
		t.Fatalf("ipv4-addr: %v", sco)
	}
	for typed, typ := range map[string]string{"2001:db8::1": "ipv6-addr", "2001:db8::/32": "ipv6-addr",
		"example.com": "domain-name", "https://example.com/": "url", "ops@example.org": "email-addr",
		"d41d8cd98f00b204e9800998ecf8427e": "file", "AS64500": "autonomous-system"} {
		p, _ := ParseIndicator(typed)
		if sco := StixObservable(p); sco == nil || sco["type"] != typ || !strings.HasPrefix(sco["id"].(string), typ+"--") {
			t.Errorf("%s: %v", typed, sco)
		}
	}
}
