package netstat

import "testing"

func TestProtoServiceProto(t *testing.T) {
	for p, want := range map[Proto]string{TCP: "tcp", UDP: "udp", UDPLite: "udp", RAW: "raw"} {
		if got := p.ServiceProto(); got != want {
			t.Errorf("%v.ServiceProto() = %q, want %q", p, got, want)
		}
	}
}

// The names net-tools 2.10 prints (netstat.c unix_do_one).
func TestUnixNames(t *testing.T) {
	types := map[UnixType]string{UnixStream: "STREAM", UnixDgram: "DGRAM", UnixRaw: "RAW",
		UnixRDM: "RDM", UnixSeqPacket: "SEQPACKET", 0: "UNKNOWN", 6: "UNKNOWN"}
	for ty, want := range types {
		if got := ty.String(); got != want {
			t.Errorf("UnixType(%d) = %q, want %q", uint16(ty), got, want)
		}
	}
	states := map[UnixState]string{UnixFree: "FREE", UnixUnconnected: "UNCONNECTED",
		UnixConnecting: "CONNECTING", UnixConnected: "CONNECTED", UnixDisconnecting: "DISCONNECTING", 5: "UNKNOWN"}
	for st, want := range states {
		if got := (&UnixSocket{State: st}).StateName(); got != want {
			t.Errorf("UnixState(%d) = %q, want %q", uint8(st), got, want)
		}
	}
	if got := (&UnixSocket{State: UnixUnconnected, Flags: UnixAcceptConn}).StateName(); got != "LISTENING" {
		t.Errorf("listener: %q, want LISTENING", got)
	}
	if got := (&UnixSocket{State: UnixConnected, Flags: UnixAcceptConn}).StateName(); got != "CONNECTED" {
		t.Errorf("connected with __SO_ACCEPTCON: %q, want CONNECTED", got)
	}
}
