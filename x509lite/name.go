package x509lite

import (
	"encoding/hex"
	"strings"
)

// Attribute type OIDs used in names (X.520), with the short names RFC 4514
// and Go's pkix package print.
//
// spec: rfc5280#4.1.2.4
var (
	OIDCountry            = MustOID("2.5.4.6")
	OIDOrganization       = MustOID("2.5.4.10")
	OIDOrganizationalUnit = MustOID("2.5.4.11")
	OIDCommonName         = MustOID("2.5.4.3")
	OIDSerialNumber       = MustOID("2.5.4.5")
	OIDLocality           = MustOID("2.5.4.7")
	OIDProvince           = MustOID("2.5.4.8")
	OIDStreetAddress      = MustOID("2.5.4.9")
	OIDPostalCode         = MustOID("2.5.4.17")
)

var attributeShortNames = map[OID]string{
	OIDCountry:            "C",
	OIDOrganization:       "O",
	OIDOrganizationalUnit: "OU",
	OIDCommonName:         "CN",
	OIDSerialNumber:       "SERIALNUMBER",
	OIDLocality:           "L",
	OIDProvince:           "ST",
	OIDStreetAddress:      "STREET",
	OIDPostalCode:         "POSTALCODE",
}

// AttributeTypeAndValue is one naming attribute, e.g. CN=localhost. Value
// is the decoded string; Tag records the string type it was encoded with
// (zero when built by hand: the builder then picks PrintableString when the
// value allows it, else UTF8String).
//
// spec: rfc5280#4.1.2.4
type AttributeTypeAndValue struct {
	Type  OID
	Value string
	Tag   Tag
}

// RelativeDistinguishedName is a SET OF attributes; almost always one.
//
// spec: rfc5280#4.1.2.4
type RelativeDistinguishedName []AttributeTypeAndValue

// Name is a distinguished name as an RDNSequence, in encoding order (most
// significant first, typically C, O, ..., CN).
//
// spec: rfc5280#4.1.2.4
type Name struct {
	RDNs []RelativeDistinguishedName
}

// Attr is shorthand for an attribute, e.g. Attr(OIDCommonName, "localhost").
//
// spec: rfc5280#4.1.2.4
func Attr(t OID, value string) AttributeTypeAndValue {
	return AttributeTypeAndValue{Type: t, Value: value}
}

// NewName builds a name with one attribute per RDN, in the order given
// (most significant first).
//
// spec: rfc5280#4.1.2.4
func NewName(attrs ...AttributeTypeAndValue) Name {
	var n Name
	for _, a := range attrs {
		n.RDNs = append(n.RDNs, RelativeDistinguishedName{a})
	}
	return n
}

// Values returns the values of every attribute of type t, in encoding order.
//
// spec: rfc5280#4.1.2.4
func (n Name) Values(t OID) []string {
	var out []string
	for _, rdn := range n.RDNs {
		for _, a := range rdn {
			if a.Type == t {
				out = append(out, a.Value)
			}
		}
	}
	return out
}

// CommonName returns the last CN attribute (the most specific), or "". It
// is for display only: host names are matched against subjectAltName alone
// (rfc6125#6.4.4).
//
// spec: rfc6125#6.4.4
func (n Name) CommonName() string {
	v := n.Values(OIDCommonName)
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// String formats the name as RFC 4514 does: RDNs in reverse encoding order
// (most specific first) joined by ",", multi-valued RDNs joined by "+",
// well-known types by short name (CN, O, OU, C, L, ST, STREET, POSTALCODE,
// SERIALNUMBER), others as a dotted OID with the value as "#" and the hex of
// its DER encoding. This equals Go's pkix.RDNSequence.String of the same
// encoded name, e.g. "CN=localhost,O=minitls".
//
// spec: rfc4514#2.1
func (n Name) String() string {
	var sb strings.Builder
	for i := len(n.RDNs) - 1; i >= 0; i-- {
		if i != len(n.RDNs)-1 {
			sb.WriteByte(',')
		}
		for j, a := range n.RDNs[i] {
			if j > 0 {
				sb.WriteByte('+')
			}
			short, ok := attributeShortNames[a.Type]
			if !ok {
				sb.WriteString(a.Type.String())
				sb.WriteByte('=')
				var b DERBuilder
				b.AddString(a.stringTag(), a.Value)
				der, err := b.Bytes()
				if err != nil {
					der = []byte(a.Value)
				}
				sb.WriteByte('#')
				sb.WriteString(hex.EncodeToString(der))
				continue
			}
			sb.WriteString(short)
			sb.WriteByte('=')
			sb.WriteString(escapeRFC4514(a.Value))
		}
	}
	return sb.String()
}

// escapeRFC4514 escapes the characters RFC 4514 §2.4 requires: , + " \ < > ;
// anywhere, a leading space or '#', and a trailing space.
func escapeRFC4514(s string) string {
	var sb strings.Builder
	for k, c := range s {
		esc := false
		switch c {
		case ',', '+', '"', '\\', '<', '>', ';':
			esc = true
		case ' ':
			esc = k == 0 || k == len(s)-1
		case '#':
			esc = k == 0
		}
		if esc {
			sb.WriteByte('\\')
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// stringTag is the tag an attribute is encoded with: its recorded one, or
// PrintableString when the value fits that alphabet, else UTF8String (what
// RFC 5280 §4.1.2.4 recommends for new certificates).
func (a AttributeTypeAndValue) stringTag() Tag {
	if a.Tag != 0 {
		return a.Tag
	}
	for i := 0; i < len(a.Value); i++ {
		if !isPrintable(a.Value[i]) || a.Value[i] == '*' || a.Value[i] == '&' {
			return TagUTF8String
		}
	}
	return TagPrintableString
}

// parseName reads a Name (RDNSequence) from its SEQUENCE contents.
//
// spec: rfc5280#4.1.2.4
func parseName(der []byte, field string) (Name, error) {
	r := NewDERReader(der, field)
	n := Name{}
	for !r.Empty() {
		set, err := r.ReadConstructed(TagSet, field)
		if err != nil {
			return Name{}, err
		}
		var rdn RelativeDistinguishedName
		var prev []byte
		for !set.Empty() {
			before := set.b
			atv, err := set.ReadSequence(field)
			if err != nil {
				return Name{}, err
			}
			enc := before[:len(before)-len(set.b)]
			if prev != nil && string(prev) > string(enc) {
				return Name{}, syntaxErr(field, "RDN attributes are not in DER SET OF order")
			}
			prev = enc
			t, err := atv.ReadOID()
			if err != nil {
				return Name{}, err
			}
			tag, v, err := atv.ReadString()
			if err != nil {
				return Name{}, err
			}
			if err := atv.Finish(); err != nil {
				return Name{}, err
			}
			rdn = append(rdn, AttributeTypeAndValue{Type: t, Value: v, Tag: tag})
		}
		if len(rdn) == 0 {
			return Name{}, syntaxErr(field, "empty RelativeDistinguishedName")
		}
		n.RDNs = append(n.RDNs, rdn)
	}
	return n, nil
}

// marshalName encodes n as a Name SEQUENCE.
func marshalName(b *DERBuilder, n Name) {
	b.AddSequence(func(b *DERBuilder) {
		for _, rdn := range n.RDNs {
			b.AddSetOf(func(b *DERBuilder) {
				for _, a := range rdn {
					b.AddSequence(func(b *DERBuilder) {
						b.AddOID(a.Type)
						b.AddString(a.stringTag(), a.Value)
					})
				}
			})
		}
	})
}
