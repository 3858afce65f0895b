package mailbridge

import (
	"mime"
	"net/mail"
	"regexp"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

var addressParser = &mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: charsetReader}}

var bareAddress = regexp.MustCompile(`[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?`)

// address is one parsed address: the bare address in lower case and the display name.
type address struct {
	Addr string
	Name string
}

// parseAddresses reads an address list header. The standard parser comes first (groups,
// comments, quoted names, encoded words); when it refuses a header that breaks the rules (an
// unquoted comma or dot in a name, an encoded word in an unknown charset, no space before <),
// every address in the text is taken, and for a single one the text before it is the name.
func parseAddresses(raw []byte) []address {
	s := strings.TrimSpace(string(latin1OrUTF8(raw)))
	if s == "" {
		return nil
	}
	if list, err := addressParser.ParseList(s); err == nil {
		var out []address
		for _, a := range list {
			if addr, err := ticket.NormalizeEmail(a.Address); err == nil {
				out = append(out, address{Addr: addr, Name: cleanName(a.Name, addr)})
			}
		}
		return out
	}
	found := bareAddress.FindAllString(s, 50)
	var out []address
	for _, f := range found {
		addr, err := ticket.NormalizeEmail(f)
		if err != nil {
			continue
		}
		name := ""
		if len(found) == 1 {
			name, _, _ = strings.Cut(s, "<")
			if name == s {
				name = ""
			}
			name = strings.Trim(decodeText([]byte(name)), ` "'`)
		}
		out = append(out, address{Addr: addr, Name: cleanName(name, addr)})
	}
	return out
}

// cleanName drops a display name that only repeats the address ("kari@x.no" <kari@x.no>) and
// keeps names within the limit tickets have.
func cleanName(name, addr string) string {
	name = collapseSpace(strings.Trim(name, `"' `))
	if strings.EqualFold(name, addr) {
		return ""
	}
	if r := []rune(name); len(r) > ticket.MaxNameLen {
		name = string(r[:ticket.MaxNameLen])
	}
	return name
}

// addrs returns the bare addresses of a list.
func addrs(list []address) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Addr)
	}
	return out
}
