package handshake

// SupportedGroups is the body of the supported_groups extension (called
// elliptic_curves in RFC 4492): the client's groups, most preferred first.
// A server must pick an ECDHE group from this list, and when none fits it
// must not choose an ECDHE suite.
//
//	struct {
//	    NamedCurve named_curve_list<2..2^16-1>
//	} NamedCurveList;
//
// spec: rfc8422#5.1.1
type SupportedGroups struct {
	Groups []CurveID
}

func (g *SupportedGroups) parse(r *reader) {
	list := r.vector(2, 2, 1<<16-1, "named_curve_list")
	if list.remaining()%2 != 0 {
		list.fail("named_curve_list: odd length %d", list.remaining())
		return
	}
	for !list.empty() {
		c := CurveID(list.u16("named_curve"))
		list.note(c)
		g.Groups = append(g.Groups, c)
	}
	list.finish("named_curve_list")
}

func (g *SupportedGroups) marshal(b *builder) {
	b.vector(2, 2, 1<<16-1, "named_curve_list", func(b *builder) {
		for _, c := range g.Groups {
			b.u16(uint16(c))
		}
	})
}

// Unmarshal parses an extension_data body.
func (g *SupportedGroups) Unmarshal(data []byte) error {
	*g = SupportedGroups{}
	r := newReader(data, "supported_groups")
	g.parse(r)
	return r.finish("supported_groups")
}

// Marshal returns the extension_data body.
func (g *SupportedGroups) Marshal() ([]byte, error) {
	var b builder
	g.marshal(&b)
	return b.result()
}

// ECPointFormats is the body of the ec_point_formats extension. Only
// uncompressed(0) is still defined and it MUST be supported; the extension
// survives because old peers expect it. A client that sends the list
// without uncompressed cannot do ECDHE with anyone.
//
//	enum {
//	    uncompressed (0),
//	    deprecated (1..2),
//	    reserved (248..255)
//	} ECPointFormat;
//	struct {
//	    ECPointFormat ec_point_format_list<1..2^8-1>
//	} ECPointFormatList;
//
// spec: rfc8422#5.1.2
type ECPointFormats struct {
	Formats []uint8
}

func (p *ECPointFormats) parse(r *reader) {
	p.Formats = r.opaque(1, 1, 255, "ec_point_format_list")
}

func (p *ECPointFormats) marshal(b *builder) {
	b.opaque(1, 1, 255, "ec_point_format_list", p.Formats)
}

// Unmarshal parses an extension_data body.
func (p *ECPointFormats) Unmarshal(data []byte) error {
	*p = ECPointFormats{}
	r := newReader(data, "ec_point_formats")
	p.parse(r)
	return r.finish("ec_point_formats")
}

// Marshal returns the extension_data body.
func (p *ECPointFormats) Marshal() ([]byte, error) {
	var b builder
	p.marshal(&b)
	return b.result()
}

// hasUncompressed reports whether the list holds uncompressed(0).
func (p *ECPointFormats) hasUncompressed() bool {
	for _, f := range p.Formats {
		if f == pointUncompressed {
			return true
		}
	}
	return false
}

// SupportedGroups returns the client's supported_groups list and whether
// the extension was present (and well-formed).
//
// spec: rfc8422#5.1.1
func (m *ClientHello) SupportedGroups() ([]CurveID, bool) {
	data, ok := m.extension(ExtSupportedGroups)
	if !ok {
		return nil, false
	}
	var g SupportedGroups
	if g.Unmarshal(data) != nil {
		return nil, false
	}
	return g.Groups, true
}

// PointFormats returns the client's ec_point_formats list and whether the
// extension was present (and well-formed).
//
// spec: rfc8422#5.1.2
func (m *ClientHello) PointFormats() ([]uint8, bool) {
	data, ok := m.extension(ExtECPointFormats)
	if !ok {
		return nil, false
	}
	var p ECPointFormats
	if p.Unmarshal(data) != nil {
		return nil, false
	}
	return p.Formats, true
}
