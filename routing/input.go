package routing

import (
	"strings"
	"unicode/utf8"

	"github.com/ks-no/digihjelpen/ticket"
)

// maxScan is how much of a message body the rules read. The question is at the top; what
// follows 8 KB (some 1,300 words) in a first mail is quoted history, which only slows routing
// down.
const maxScan = 8 << 10

// input is a ticket prepared for the rules: the text with signatures removed, the words found
// in it, and the sender's place. One is made per decision.
type input struct {
	subject, body string
	subjectHits   hits
	bodyHits      hits
	sender        string // bare address, lower case
	recipients    []string
	place         ticket.Place // Municipality.Number == "" when not recognised
	placeFrom     string       // how the place was found, for the explanation
	channel       string
	category      string
}

func (rs *RuleSet) newInput(t *ticket.Ticket, m *ticket.Message, scratch hits) *input {
	n := len(rs.lex.terms)
	in := &input{subjectHits: scratch[:n], bodyHits: scratch[n : 2*n], channel: string(t.Channel),
		category: strings.ToLower(strings.TrimSpace(t.Category))}
	in.subject = t.Subject
	if m != nil {
		in.body = questionText(m.Text)
		for _, a := range append(append([]string(nil), m.To...), m.Cc...) {
			if e := bareAddress(a); e != "" {
				in.recipients = append(in.recipients, e)
			}
		}
		in.sender = m.From
	}
	if in.sender == "" {
		in.sender = t.Requester.Email
	}
	in.sender = bareAddress(in.sender)
	in.place, in.placeFrom = rs.placeOf(t, in.sender)
	rs.lex.scan(in.subject, in.subjectHits)
	rs.lex.scan(in.body, in.bodyHits)
	return in
}

// placeOf recognises where the question comes from: the municipality the requester chose in
// the form, else the sender's mail domain, else a county council's domain.
func (rs *RuleSet) placeOf(t *ticket.Ticket, sender string) (ticket.Place, string) {
	if n := t.Requester.Municipality.Number; n != "" {
		if pl, ok := rs.places.ByNumber(n); ok {
			return pl, "oppgitt i skjemaet"
		}
	}
	if pl, ok := rs.places.ByEmail(sender); ok {
		return pl, "fra avsenderens domene " + ticket.EmailDomain(sender)
	}
	if c, ok := rs.places.CountyByEmail(sender); ok {
		return ticket.Place{County: c}, "fylkeskommunens domene " + ticket.EmailDomain(sender)
	}
	return ticket.Place{}, ""
}

// bareAddress returns the address in lower case without a display name. Intake stores bare
// addresses, so the full parse (a microsecond) runs only for "Name <addr>".
func bareAddress(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "<\" ,;") {
		if e, err := ticket.NormalizeEmail(s); err == nil {
			return e
		}
	}
	return strings.ToLower(s)
}

// signOffs start the signature of a mail, whose titles and office names ("NAV Gjøvik",
// "Skattekontoret") would otherwise decide where a question goes.
var signOffs = []string{
	"med vennlig hilsen", "vennlig hilsen", "mvh", "med hilsen", "beste hilsen", "hilsen", "vh",
	"venleg helsing", "mvh.", "helsing", "sendt fra min", "sent from my", "-- ",
}

// resumeMarkers end a signature: a forwarded or quoted message follows, and its text counts.
var resumeMarkers = []string{
	"-----", "fra:", "from:", ">", "videresendt melding", "forwarded message", "opprinnelig melding",
	"original message",
}

// questionText is the body without signatures, cut to maxScan bytes.
func questionText(body string) string {
	if len(body) > maxScan {
		cut := maxScan
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	var b strings.Builder
	b.Grow(len(body))
	inSig := false
	for line := range strings.Lines(body) {
		l := lineStart(line)
		switch {
		case inSig && hasAnyPrefix(l, resumeMarkers):
			inSig = false
		case !inSig && isSignOff(l):
			inSig = true
		}
		if !inSig {
			b.WriteString(line)
		}
	}
	return b.String()
}

// isSignOff reports whether a line opens a signature: a sign-off on a line of its own, or
// followed only by a comma or a name ("Mvh Kari").
func isSignOff(l string) bool {
	for _, s := range signOffs {
		rest, ok := strings.CutPrefix(l, s)
		if !ok {
			continue
		}
		if rest == "" || rest[0] == ' ' || rest[0] == ',' || rest[0] == '\n' || rest[0] == '\r' {
			return len(strings.Fields(rest)) <= 3
		}
	}
	return false
}

// lineStart is the beginning of a line in lower case, enough to recognise a sign-off or a
// quote marker without lower-casing the whole text.
func lineStart(line string) string {
	line = strings.TrimLeft(line, " \t")
	if len(line) > 40 {
		cut := 40
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut]
	}
	return strings.ToLower(line)
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
