package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// threadEntry is a message as the ticket page shows it: the new text, the quoted history
// folded away, and links to its attachments, HTML version and source; for our mail, where it
// is (Mail), and for a referral the notice to the requester that went with it.
type threadEntry struct {
	*ticket.Message
	Label       string
	Kind        string // in, out, referral, note, system: the CSS class
	Who         string
	Body        string
	Quoted      string
	Attachments []attachmentLink
	HTMLURL     string
	RawURL      string
	Mail        *sendState
	Notice      *noticeEntry
}

// noticeEntry is the mail that told the requester where their question went.
type noticeEntry struct {
	To   string
	Text string
	Mail *sendState
}

type attachmentLink struct {
	Name, Type, Size, URL string
}

var directionLabel = map[ticket.Direction]string{
	ticket.DirectionIn: "Innkommende", ticket.DirectionOut: "Svar",
	ticket.DirectionNote: "Intern merknad", ticket.DirectionSystem: "Systemmelding",
}

// threadEntries describes msgs for the page; mails are the ticket's outgoing mail, which say
// whether each of our messages went out.
func threadEntries(t *ticket.Ticket, msgs []*ticket.Message, users []*ticket.User, mails []*ticket.OutboundMail, mailOff bool) []threadEntry {
	base := "/saker/" + t.Ref.String()
	out := make([]threadEntry, 0, len(msgs))
	for _, m := range msgs {
		e := threadEntry{Message: m, Label: directionLabel[m.Direction], Kind: string(m.Direction)}
		e.Body, e.Quoted = bodyAndQuote(m)
		switch {
		case m.Author != "":
			e.Who = userName(users, m.Author)
		case m.FromName != "":
			e.Who = m.FromName + " <" + m.From + ">"
		default:
			e.Who = m.From
		}
		seq := strconv.Itoa(m.Seq)
		for i, a := range m.Attachments {
			e.Attachments = append(e.Attachments, attachmentLink{Name: a.Name, Type: a.Type, Size: humanSize(a.Size),
				URL: base + "/vedlegg/" + seq + "/" + strconv.Itoa(i)})
		}
		if m.HTML != "" {
			e.HTMLURL = base + "/html/" + seq
		}
		if m.HasRaw {
			e.RawURL = base + "/kilde/" + seq
		}
		if m.Direction == ticket.DirectionOut {
			e.describeOut(t, mails, mailOff)
		}
		out = append(out, e)
	}
	return out
}

// describeOut marks a referral as one and gives our mail its state: «Sendt» only once the SMTP
// server took it.
func (e *threadEntry) describeOut(t *ticket.Ticket, mails []*ticket.OutboundMail, mailOff bool) {
	if isReferral(t, e.Message) {
		e.Label, e.Kind = "Henvisning", "referral"
	}
	for _, om := range mails {
		switch {
		case om.MessageID == e.MessageID:
			e.Mail = newSendState(om, mailOff)
		case om.Kind == ticket.MailNotice && e.Kind == "referral" && om.CreatedAt.Equal(e.CreatedAt):
			// queued in the referral's own transaction, so it carries the same time
			e.Notice = &noticeEntry{To: firstAddress(om.To), Text: om.Text, Mail: newSendState(om, mailOff)}
		}
	}
}

// isReferral reports whether m is the mail a referral of t was sent with.
func isReferral(t *ticket.Ticket, m *ticket.Message) bool {
	for _, r := range t.Referrals {
		if r.MessageID != "" && r.MessageID == m.MessageID {
			return true
		}
	}
	return false
}

func firstAddress(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// humanSize is a file size as Norwegians write it: "12 kB", "1,4 MB".
func humanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d byte", n)
	case n < 1_000_000:
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/1e6), ".", ",", 1)
}

// routingExplanation says in plain Norwegian why the ticket is where it is.
func routingExplanation(t *ticket.Ticket, agencies ticket.Agencies) string {
	if t.Routing.Rule == "" && t.Routing.Reason == "" {
		return ""
	}
	if t.Routing.Rule == ticket.RuleManual {
		return "Flyttet til " + agencies.Name(t.Agency) + " av en saksbehandler: " + strings.TrimSuffix(t.Routing.Reason, ".") + "."
	}
	s := "Saken ble sendt til " + agencies.Name(t.Agency)
	if t.Routing.Rule != "" && t.Routing.Rule != ticket.RuleModel { // the model's reason names it
		s += " av regelen «" + t.Routing.Rule + "»"
	}
	if t.Routing.Reason != "" {
		s += " fordi " + t.Routing.Reason
	}
	return strings.TrimSuffix(s, ".") + "."
}

// referralLine is a referral in a sentence.
type referralLine struct {
	Text     string
	Answered bool
	Late     bool
}

func referralLines(t *ticket.Ticket, agencies ticket.Agencies, users []*ticket.User, now time.Time) []referralLine {
	var out []referralLine
	for _, r := range t.Referrals {
		l := referralLine{Answered: r.Status == ticket.ReferralAnswered}
		l.Text = "Henvist til " + agencies.Name(r.Agency) + " " + formatOslo(r.SentAt)
		if r.By != "" {
			l.Text += " av " + userName(users, r.By)
		}
		switch {
		case l.Answered:
			l.Text += ". Besvart " + formatOslo(r.AnsweredAt) + "."
		case !r.RemindAt.IsZero():
			l.Late = !now.Before(r.RemindAt)
			l.Text += ". Venter på svar; påminnelse " + formatOslo(r.RemindAt) + "."
		default:
			l.Text += ". Venter på svar."
		}
		if r.Note != "" {
			l.Text += " Merknad: " + r.Note
		}
		out = append(out, l)
	}
	return out
}

// similarEntry is an answered ticket suggested for reuse, with the start of its answer.
type similarEntry struct {
	Ref, Subject, Answer string
}

// similarAnswerRunes is how much of an answer the suggestion shows.
const similarAnswerRunes = 300

// similar finds answered tickets like t; a failure only leaves the section out (and is logged),
// since the page is useful without it.
func (s *Server) similar(c *fiber.Ctx, t *ticket.Ticket) []similarEntry {
	if s.Similar == nil {
		return nil
	}
	found, err := s.Similar.SimilarTickets(c.UserContext(), t.ID, similarShown)
	if err != nil {
		s.Logger.Error("similar tickets", "ref", t.Ref.String(), "err", err)
		return nil
	}
	var out []similarEntry
	for _, f := range found {
		body, _ := splitText(f.Answer)
		out = append(out, similarEntry{Ref: f.Ticket.Ref.String(), Subject: f.Ticket.Subject, Answer: cutRunes(body, similarAnswerRunes)})
	}
	return out
}

// cutRunes shortens s to about n characters at a word boundary, with an ellipsis.
func cutRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + " …"
	}
	return string(r) + " …"
}

func joinTags(tags []string) string { return strings.Join(tags, ", ") }

// notices are the confirmations after an action (redirect after POST carries only the key).
var notices = map[string]string{
	"tildelt": "Tildelingen er lagret.", "status": "Statusen er endret.", "etat": "Saken er flyttet til en annen etat.",
	"prioritet": "Prioriteten er endret.", "stikkord": "Stikkordene er lagret.", "kommune": "Kommunen er endret.",
	"sammenslatt": "Sakene er slått sammen. Meldingene fra den andre saken står nederst i tråden.",
	"endret":      "Endringene er lagret.",
	"neste":       "Svaret er lagret og lagt i utboksen. Her er neste sak i visningen.",
}

func noticeText(key string) string { return notices[key] }
