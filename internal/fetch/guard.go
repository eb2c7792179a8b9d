package fetch

import (
	"fmt"
	"net/netip"
	"strings"
)

// blockedRange is a range of addresses the fetcher never connects to, with
// the reason given to the user.
type blockedRange struct {
	prefix netip.Prefix
	reason string
}

// blockedRanges are addresses that reach the bot's own host, its network or
// its cloud provider rather than the public web. IPv4-mapped IPv6
// addresses are unmapped before they are checked; NAT64 addresses are
// checked by the IPv4 address they embed.
var blockedRanges = func() []blockedRange {
	var out []blockedRange
	add := func(reason string, cidrs ...string) {
		for _, c := range cidrs {
			out = append(out, blockedRange{netip.MustParsePrefix(c), reason})
		}
	}
	// Most specific first, so the reason names the metadata service.
	add("cloud metadata address", "169.254.169.254/32", "169.254.170.2/32", "100.100.100.200/32",
		"fd00:ec2::254/128")
	add("loopback address", "127.0.0.0/8", "::1/128")
	add("unspecified address", "0.0.0.0/8", "::/128")
	add("private address", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
	add("link-local address", "169.254.0.0/16", "fe80::/10")
	add("carrier-grade NAT address", "100.64.0.0/10")
	add("reserved address", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4", "192.0.2.0/24",
		"198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "100::/64")
	add("multicast address", "224.0.0.0/4", "ff00::/8")
	return out
}()

var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// Blocked reports why addr may not be fetched from, or "" when it is a
// public address.
func Blocked(addr netip.Addr) string {
	addr = addr.Unmap().WithZone("")
	if addr.Is6() && nat64.Contains(addr) {
		b := addr.As16()
		if r := Blocked(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})); r != "" {
			return r + " (through NAT64)"
		}
	}
	for _, r := range blockedRanges {
		if r.prefix.Contains(addr) {
			return r.reason
		}
	}
	return ""
}

// Allowlist opens hosts or networks the guard would refuse (an intranet
// CMS): host names match exactly, or with a leading dot every subdomain
// (".corp.example"); CIDRs and bare IP addresses match the addresses
// connected to.
type Allowlist struct {
	hosts    map[string]bool
	suffixes []string
	prefixes []netip.Prefix
}

// ParseAllowlist reads entries as [ingest].allow_hosts holds them.
func ParseAllowlist(entries []string) (Allowlist, error) {
	al := Allowlist{hosts: map[string]bool{}}
	for _, e := range entries {
		e = strings.ToLower(strings.TrimSpace(e))
		switch {
		case e == "":
			return al, fmt.Errorf("allowlist: empty entry")
		case strings.Contains(e, "/"):
			p, err := netip.ParsePrefix(e)
			if err != nil {
				return al, fmt.Errorf("allowlist entry %q: %w", e, err)
			}
			al.prefixes = append(al.prefixes, p.Masked())
		default:
			if a, err := netip.ParseAddr(e); err == nil {
				al.prefixes = append(al.prefixes, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			} else if strings.HasPrefix(e, ".") {
				al.suffixes = append(al.suffixes, e)
			} else {
				al.hosts[strings.TrimSuffix(e, ".")] = true
			}
		}
	}
	return al, nil
}

// Host reports whether a host name is allowlisted by name.
func (al Allowlist) Host(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if al.hosts[h] {
		return true
	}
	for _, s := range al.suffixes {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}

// Addr reports whether an address is allowlisted.
func (al Allowlist) Addr(addr netip.Addr) bool {
	addr = addr.Unmap().WithZone("")
	for _, p := range al.prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// BlockedError is a refusal to connect to an address.
type BlockedError struct {
	Host   string     // the host name asked for
	Addr   netip.Addr // the address it resolved to
	Reason string     // "loopback address", ...
}

func (e *BlockedError) Error() string {
	if e.Host != "" && e.Host != e.Addr.String() {
		return fmt.Sprintf("refused to connect to %s (%s resolves to it): %s; add it to [ingest].allow_hosts to allow",
			e.Addr, e.Host, e.Reason)
	}
	return fmt.Sprintf("refused to connect to %s: %s; add it to [ingest].allow_hosts to allow", e.Addr, e.Reason)
}

// check refuses addr for host unless it is public or allowlisted.
func (al Allowlist) check(host string, addr netip.Addr) error {
	reason := Blocked(addr)
	if reason == "" || al.Host(host) || al.Addr(addr) {
		return nil
	}
	return &BlockedError{Host: host, Addr: addr.Unmap().WithZone(""), Reason: reason}
}
