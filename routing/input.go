package routing

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ks-no/digihjelpen/ticket"
)

// maxScan is how much of a message body the rules read. The question is at the top; what
// follows 8 KB (some 1,300 words) in a first mail is quoted history, which only slows routing
// down.
const maxScan = 8 << 10

// input is a ticket prepared for the rules: the text with signatures removed, split into the new
// text and a reply's quoted history, the words found in it and where, and the sender's place.
// One is made per decision.
type input struct {
	subject, body string
	history       string // a reply's quoted history, signatures removed
	subjectHits   hits
	bodyHits      hits    // body and history: the first word that matched each term
	bodyAt        []place // the strongest place each term was found in body or history
	subjectAt     place   // placeQuestion; placeHistory for the subject of a reply, placeText for a forward the sender asks about
	sender        string  // bare address, lower case
	recipients    []string
	place         ticket.Place // Municipality.Number == "" when not recognised
	placeFrom     string       // how the place was found, for the explanation
	channel       string
	category      string
}

// scratch is what one decision needs per term of the lexicon. Decisions reuse them (RuleSet's
// pool): with a few hundred terms, allocating them for every mail cost more than reading it.
type scratch struct {
	words hits
	at    []place
}

func (rs *RuleSet) getScratch() *scratch {
	if sc, ok := rs.scratch.Get().(*scratch); ok {
		return sc
	}
	n := len(rs.lex.terms)
	return &scratch{words: make(hits, 2*n), at: make([]place, n)}
}

// putScratch clears a scratch, so it holds no words of the mail, and keeps it for the next.
func (rs *RuleSet) putScratch(sc *scratch) {
	clear(sc.words)
	clear(sc.at)
	rs.scratch.Put(sc)
}

func (rs *RuleSet) newInput(t *ticket.Ticket, m *ticket.Message, sc *scratch) *input {
	n := len(rs.lex.terms)
	in := &input{subjectHits: sc.words[:n], bodyHits: sc.words[n : 2*n], bodyAt: sc.at, channel: string(t.Channel),
		category: strings.ToLower(strings.TrimSpace(t.Category)), subjectAt: placeQuestion}
	in.subject = t.Subject
	reply, forward := subjectKind(t.Subject)
	if reply {
		in.subjectAt = placeHistory
	}
	if m != nil {
		in.body, in.history = firstText(m, forward)
		if forward && forwarderAsks(m) {
			in.subjectAt = placeText
		}
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
	rs.lex.scan(in.subject, in.subjectHits, nil, placeQuestion, nil)
	spans, all := questionSpans(in.body)
	base := placeText
	if all {
		base = placeQuestion
	}
	rs.lex.scan(in.body, in.bodyHits, in.bodyAt, base, spans)
	rs.lex.scan(in.history, in.bodyHits, in.bodyAt, placeHistory, nil)
	return in
}

// forwarderAsks reports whether the note above a forwarded mail asks a question of its own: then
// the subject, the forwarded mail's, says what was forwarded, not what is asked.
func forwarderAsks(m *ticket.Message) bool {
	if m.QuoteStart <= 0 || m.QuoteStart >= len(m.Text) {
		return false
	}
	spans, _ := questionSpans(m.Text[:min(m.QuoteStart, maxScan)])
	return len(spans) > 0
}

// firstText is the text of a first message as routing reads it: the new text and a reply's
// quoted history, each without signatures, within maxScan bytes.
func firstText(m *ticket.Message, forward bool) (body, history string) {
	text, quoteStart := m.Text, m.QuoteStart
	if len(text) > maxScan {
		text = cutUTF8(text, maxScan)
	}
	body, history = splitHistory(text, quoteStart, forward)
	return cutNameBlock(questionText(body)), questionText(history)
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
	"fra:", "from:", ">", "videresendt melding", "forwarded message", "opprinnelig melding",
	"original message",
}

// questionText is the body without signatures, cut to maxScan bytes.
func questionText(body string) string {
	if len(body) > maxScan {
		body = cutUTF8(body, maxScan)
	}
	var b strings.Builder
	b.Grow(len(body))
	inSig := false
	for line := range strings.Lines(body) {
		l := lineStart(line)
		switch {
		case inSig && resumes(l):
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

// cutUTF8 cuts s to at most n bytes, at the start of a character.
func cutUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// resumes reports whether a line ends a signature: a forwarded or quoted message follows. A line
// of dashes alone is part of many signatures; one that names what follows
// ("-----Opprinnelig melding-----") is not.
func resumes(l string) bool {
	if strings.HasPrefix(l, "-----") {
		return strings.IndexFunc(l, unicode.IsLetter) >= 0
	}
	return hasAnyPrefix(l, resumeMarkers)
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
