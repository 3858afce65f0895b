package web

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// ParseTrustedProxies reads the addresses of reverse proxies whose X-Forwarded-For is believed:
// single addresses ("10.0.0.5", "::1") or networks ("10.0.0.0/8").
func ParseTrustedProxies(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a network such as 10.0.0.0/8", s)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// clientAddr is the address of the client a request comes from. Behind a trusted reverse proxy
// it is read from X-Forwarded-For, right to left: every proxy appends the address it got the
// request from, so the rightmost entry a trusted proxy did not add is the client. Entries further
// left were written by the client and may be forged; fiber's ProxyHeader takes the leftmost, so
// it would let anyone choose the address their rate limit counts against.
func (s *Server) clientAddr(c *fiber.Ctx) netip.Addr {
	remote, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	remote = remote.Unmap()
	if !s.trusted(remote) {
		return remote
	}
	client := remote
	hops := c.Request().Header.PeekAll(fiber.HeaderXForwardedFor)
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(string(hops[i]), ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return client // a malformed hop: nothing left of it can be believed
			}
			client = a.Unmap()
			if !s.trusted(client) {
				return client
			}
		}
	}
	return client
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientKey is what the per-address limits count: the client's IPv4 address, or the /64 an
// IPv6 address belongs to, since one household or server usually holds a whole /64 and could
// otherwise take a fresh address for every try.
func (s *Server) clientKey(c *fiber.Ctx) string {
	a := s.clientAddr(c)
	if a.Is6() {
		p, _ := a.Prefix(64)
		return "ip:" + p.String()
	}
	return "ip:" + a.String()
}
