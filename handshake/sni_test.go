package handshake

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"minitls/record"
)

// sniEntry is one wire entry of a server_name list.
func sniEntry(typ uint8, name string) []byte {
	return append([]byte{typ, byte(len(name) >> 8), byte(len(name))}, name...)
}

// sniList is the extension_data of server_name holding entries.
func sniList(entries ...[]byte) []byte {
	body := bytes.Join(entries, nil)
	return append([]byte{byte(len(body) >> 8), byte(len(body))}, body...)
}

// TestServerNameOtherTypes: a server_name list may hold entries of name
// types other than host_name, which a server ignores (rfc6066#3: every
// future type begins with a 16-bit length, so it can be skipped); the list
// still marshals back to the bytes received. One name per type: two
// host_names or two entries of one other type are decode_error, an empty
// host_name too; a host_name with a trailing dot is illegal_parameter.
func TestServerNameOtherTypes(t *testing.T) {
	accepted := []struct {
		name string
		data []byte
		want ServerNameList
	}{
		{"host_name between others", sniList(sniEntry(1, "opaque"), sniEntry(0, "a.example"), sniEntry(7, "")),
			ServerNameList{HostName: "a.example", Others: []ServerName{{1, []byte("opaque")}, {7, []byte{}}}, HostNameIndex: 1}},
		{"host_name first", sniList(sniEntry(0, "a.example"), sniEntry(255, "x")),
			ServerNameList{HostName: "a.example", Others: []ServerName{{255, []byte("x")}}}},
		{"host_name last", sniList(sniEntry(2, "x"), sniEntry(0, "a.example")),
			ServerNameList{HostName: "a.example", Others: []ServerName{{2, []byte("x")}}, HostNameIndex: 1}},
		{"others only", sniList(sniEntry(3, "x")), ServerNameList{Others: []ServerName{{3, []byte("x")}}}},
	}
	for _, c := range accepted {
		t.Run(c.name, func(t *testing.T) {
			var l ServerNameList
			if err := l.Unmarshal(c.data); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, l); d != "" {
				t.Fatalf("parsed (-want +got):\n%s", d)
			}
			if out, err := l.Marshal(); err != nil || !bytes.Equal(out, c.data) {
				t.Fatalf("marshals to %x (%v), want %x", out, err, c.data)
			}
			hello := &ClientHello{Version: VersionTLS12, CipherSuites: []CipherSuite{0x009c}, CompressionMethods: []byte{0},
				Extensions: []Extension{{ExtServerName, c.data}}}
			var m ClientHello
			if err := m.Unmarshal(mustMarshal(t, hello)); err != nil || m.ServerName() != c.want.HostName {
				t.Fatalf("ClientHello.ServerName() = %q (%v), want %q", m.ServerName(), err, c.want.HostName)
			}
		})
	}
	refused := []struct {
		name    string
		data    []byte
		illegal bool
	}{
		{"two host_names", sniList(sniEntry(0, "a.example"), sniEntry(1, "x"), sniEntry(0, "b.example")), false},
		{"two of another type", sniList(sniEntry(0, "a.example"), sniEntry(1, "x"), sniEntry(1, "y")), false},
		{"empty host_name among others", sniList(sniEntry(1, "x"), sniEntry(0, "")), false},
		{"other entry cut short", append(sniList(sniEntry(0, "a.example")), 1, 0), false},
		{"host_name with a trailing dot among others", sniList(sniEntry(9, ""), sniEntry(0, "a.")), true},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "other entry cut short" {
				c.data[1] += 2 // the list's length covers the cut entry
			}
			err := new(ServerNameList).Unmarshal(c.data)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Illegal != c.illegal {
				t.Fatalf("got %v, want a ParseError with Illegal %v", err, c.illegal)
			}
		})
	}
	t.Run("marshal refuses a host_name in Others", func(t *testing.T) {
		if _, err := (&ServerNameList{Others: []ServerName{{0, []byte("a")}}}).Marshal(); err == nil {
			t.Fatal("accepted")
		}
	})
}

// TestServerNameOtherTypesHandshake: a ClientHello whose server_name holds
// the host name among entries of unknown types completes the handshake
// with that name (the server picks its certificate by it); two host_names
// or an empty one end it with decode_error on both sides.
func TestServerNameOtherTypesHandshake(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want record.AlertDescription
	}{
		{"unknown types around host_name", sniList(sniEntry(1, "opaque"), sniEntry(0, "localhost"), sniEntry(200, "")), 0},
		{"two host_names", sniList(sniEntry(0, "localhost"), sniEntry(0, "localhost")), record.DecodeError},
		{"empty host_name", sniList(sniEntry(1, "x"), sniEntry(0, "")), record.DecodeError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ccfg, scfg := baseConfigs(t)
			ccfg.testEditClientHello = func(m *ClientHello) {
				m.Extensions = setExt(m.Extensions, Extension{ExtServerName, c.data})
			}
			r := runPair(t, ccfg, scfg, 0, 0)
			if c.want != 0 {
				checkAlert(t, r, false, c.want)
				return
			}
			if r.clientErr != nil || r.serverErr != nil {
				t.Fatalf("client %v, server %v", r.clientErr, r.serverErr)
			}
			if got := r.server.ConnectionState().ServerName; got != "localhost" {
				t.Fatalf("server saw SNI %q, want localhost", got)
			}
		})
	}
}
