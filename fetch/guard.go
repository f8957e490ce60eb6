package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// ErrBlocked means the URL leads to an address citebot must not reach:
// loopback, private, link-local (cloud metadata at 169.254.169.254
// included), or otherwise not public. A user-supplied link must not turn
// citebot into a way to read services on its own network (SSRF).
var ErrBlocked = errors.New("refused: the address is private, loopback, link-local or otherwise not public (see CITEBOT_FETCH_ALLOW)")

// Allow lists what may be fetched although not public: host names (their
// every address is allowed) and address ranges. It is parsed from
// CITEBOT_FETCH_ALLOW.
type Allow struct {
	hosts    map[string]bool
	prefixes []netip.Prefix
}

// ParseAllow reads a comma-separated list of host names, IP addresses and
// CIDR ranges ("127.0.0.1,intranet.example,10.1.0.0/16").
func ParseAllow(s string) (Allow, error) {
	a := Allow{hosts: map[string]bool{}}
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			a.prefixes = append(a.prefixes, p.Masked())
			continue
		}
		if ip, err := netip.ParseAddr(f); err == nil {
			a.prefixes = append(a.prefixes, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
			continue
		}
		if strings.ContainsAny(f, "/ :") {
			return Allow{}, fmt.Errorf("CITEBOT_FETCH_ALLOW: %q is neither a host name, an address nor a CIDR range", f)
		}
		a.hosts[strings.TrimSuffix(f, ".")] = true
	}
	return a, nil
}

func (a Allow) allowsIP(ip netip.Addr) bool {
	for _, p := range a.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// notPublic are ranges that netip's predicates do not cover: "this
// network", shared address space (carrier-grade NAT), IETF protocol
// assignments, benchmarking, reserved, and NAT64 (which can embed any IPv4
// address).
var notPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"), netip.MustParsePrefix("2002::/16"),
}

// isPublic reports whether ip is a globally routable unicast address.
func isPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() || !ip.IsGlobalUnicast() {
		return false
	}
	for _, p := range notPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// guardedDialer resolves the host itself, checks every address, and then
// connects to a checked address, never to the name: a DNS answer that
// changes between the check and the connection (DNS rebinding) cannot slip
// a private address through. It runs for every connection, so redirects
// are checked too.
type guardedDialer struct {
	allow    Allow
	dialer   net.Dialer
	resolver *net.Resolver
}

func newGuardedDialer(allow Allow, timeout time.Duration) *guardedDialer {
	return &guardedDialer{allow: allow, dialer: net.Dialer{Timeout: timeout}, resolver: net.DefaultResolver}
}

// DialContext is the http.Transport hook.
func (g *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	hostAllowed := g.allow.hosts[strings.ToLower(strings.TrimSuffix(host, "."))]
	var firstErr error
	for _, ip := range ips {
		if !hostAllowed && !isPublic(ip) && !g.allow.allowsIP(ip.Unmap()) {
			firstErr = cmpErr(firstErr, fmt.Errorf("%s (%s): %w", host, ip, ErrBlocked))
			continue
		}
		conn, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		firstErr = cmpErr(firstErr, err)
	}
	return nil, firstErr
}

// resolve returns the addresses of host, which may be an IP literal.
func (g *guardedDialer) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	ips, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("%s: no address", host)
	}
	return ips, nil
}

// cmpErr keeps the first error, except that a refusal beats a network
// error: it is the one the user must see.
func cmpErr(prev, next error) error {
	if prev == nil || (errors.Is(next, ErrBlocked) && !errors.Is(prev, ErrBlocked)) {
		return next
	}
	return prev
}
