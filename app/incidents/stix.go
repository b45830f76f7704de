package incidents

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// STIX 2.1: the parts of an incident's bundle that follow from the
// indicators, the positions and the marking alone. The bundle itself is
// made by the export, from the incident as the exporter may see it.

// StixPattern is an indicator as a STIX 2.1 pattern, such as
// [ipv4-addr:value = '192.0.2.1'] or [file:hashes.'SHA-256' = '…'].
// String literals are quoted and escaped as the patterning grammar says
// (a backslash before every quote and backslash).
func StixPattern(p ParsedIndicator) string {
	lit := "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(p.Value) + "'"
	switch p.Type {
	case TypeIPv4:
		return "[ipv4-addr:value = " + lit + "]"
	case TypeIPv6:
		return "[ipv6-addr:value = " + lit + "]"
	case TypeCIDR:
		if strings.Contains(p.Value, ":") {
			return "[ipv6-addr:value = " + lit + "]"
		}
		return "[ipv4-addr:value = " + lit + "]"
	case TypeDomain:
		return "[domain-name:value = " + lit + "]"
	case TypeURL:
		return "[url:value = " + lit + "]"
	case TypeEmail:
		return "[email-addr:value = " + lit + "]"
	case TypeSHA256:
		return "[file:hashes.'SHA-256' = " + lit + "]"
	case TypeSHA1:
		return "[file:hashes.'SHA-1' = " + lit + "]"
	case TypeMD5:
		return "[file:hashes.MD5 = " + lit + "]"
	case TypeASN:
		n, _ := strconv.ParseUint(strings.TrimPrefix(p.Value, "AS"), 10, 32)
		return "[autonomous-system:number = " + strconv.FormatUint(n, 10) + "]"
	}
	return ""
}

// StixOpinion maps a delegation's position to STIX 2.1's opinion vocabulary
// (strongly-disagree, disagree, neutral, agree, strongly-agree): a side
// that confirms a claim strongly agrees with it, one that disputes it
// strongly disagrees, and one that does not know or is still investigating
// is neutral.
func StixOpinion(k PositionKind) string {
	switch k {
	case PositionConfirmed:
		return "strongly-agree"
	case PositionDisputed:
		return "strongly-disagree"
	case PositionUnknown, PositionInvestigating:
		return "neutral"
	}
	return ""
}

// tlpMarkingIDs are the identifiers OASIS published for the TLP 2.0
// marking definitions (the STIX 2.1 TLP 2.0 extension).
var tlpMarkingIDs = map[TLP]string{
	TLPClear:       "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	TLPGreen:       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	TLPAmber:       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	TLPAmberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	TLPRed:         "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

// tlpExtensionID is the STIX 2.1 extension that defines TLP 2.0 markings.
const tlpExtensionID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

// StixMarking is the published STIX 2.1 marking definition of a TLP 2.0
// marking, to reference by its id and to include in a bundle; ok is false
// for anything that is not a marking.
func StixMarking(t TLP) (id string, definition map[string]any, ok bool) {
	id, ok = tlpMarkingIDs[t]
	if !ok {
		return "", nil, false
	}
	return id, map[string]any{
		"type":         "marking-definition",
		"spec_version": "2.1",
		"id":           id,
		"created":      "2022-10-01T00:00:00.000Z",
		"name":         t.Label(),
		"extensions": map[string]any{
			tlpExtensionID: map[string]any{
				"extension_type": "property-extension",
				"tlp_2_0":        strings.ToLower(string(t)),
			},
		},
	}, true
}

// stixNamespace is the namespace Parley derives its STIX identifiers from:
// an object exported twice keeps its identifier (UUIDv5 of its kind and
// opaque identifier).
var stixNamespace = [16]byte{0x6a, 0x1e, 0x0c, 0x52, 0x8b, 0x4d, 0x4b, 0x0e, 0x9a, 0x57, 0x2f, 0x3e, 0x51, 0x7c, 0x10, 0x13}

// StixID is a STIX identifier for one of Parley's records: type--UUIDv5.
func StixID(stixType, name string) string {
	return stixType + "--" + uuid5(stixNamespace, []byte(stixType+":"+name))
}

// uuid5 is the name-based UUID (version 5, SHA-1) of name in a namespace.
func uuid5(namespace [16]byte, name []byte) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write(name)
	u := h.Sum(nil)[:16]
	u[6] = (u[6] & 0x0f) | 0x50 // version 5
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// scoNamespace is STIX 2.1's namespace for the identifiers of cyber
// observables: an observable's identifier is the UUIDv5 of its
// identifying properties (the same value, the same identifier, whoever
// exports it).
var scoNamespace = [16]byte{0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7}

// StixObservable is an indicator as a STIX 2.1 cyber observable (ipv4-addr,
// domain-name, file, …), or nil for an unknown type.
func StixObservable(p ParsedIndicator) map[string]any {
	var typ string
	props := map[string]any{}
	switch p.Type {
	case TypeIPv4, TypeIPv6, TypeCIDR:
		typ = "ipv4-addr"
		if strings.Contains(p.Value, ":") {
			typ = "ipv6-addr"
		}
		props["value"] = p.Value
	case TypeDomain:
		typ, props["value"] = "domain-name", p.Value
	case TypeURL:
		typ, props["value"] = "url", p.Value
	case TypeEmail:
		typ, props["value"] = "email-addr", p.Value
	case TypeSHA256, TypeSHA1, TypeMD5:
		algo := map[IndicatorType]string{TypeSHA256: "SHA-256", TypeSHA1: "SHA-1", TypeMD5: "MD5"}[p.Type]
		typ, props["hashes"] = "file", map[string]string{algo: p.Value}
	case TypeASN:
		n, _ := strconv.ParseUint(strings.TrimPrefix(p.Value, "AS"), 10, 32)
		typ, props["number"] = "autonomous-system", n
	default:
		return nil
	}
	name, _ := json.Marshal(props) // map keys sorted: canonical for one property
	props["type"], props["spec_version"], props["id"] = typ, "2.1", typ+"--"+uuid5(scoNamespace, name)
	return props
}
