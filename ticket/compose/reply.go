package compose

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// maxQuotedLines bounds how much of the requester's mail a reply quotes.
const maxQuotedLines = 40

// Reply composes a staff reply to the requester: the thread message to store and the mail to
// queue with it. The mail answers the requester's latest mail (see ReplyThreading), carries a
// footer with the reference and the status link, and quotes what it answers.
func (c *Composer) Reply(t *ticket.Ticket, thread []*ticket.Message, sent []*ticket.OutboundMail, d Draft) (*ticket.Message, *ticket.OutboundMail, error) {
	if err := d.validate("text", "Skriv et svar."); err != nil {
		return nil, nil, err
	}
	if err := c.checkRecipient(t); err != nil {
		return nil, nil, err
	}
	cc, err := c.checkCc(t, d.Cc)
	if err != nil {
		return nil, nil, err
	}
	text := strings.TrimSpace(d.Text)
	if sig := strings.TrimSpace(d.Signature); sig != "" {
		text += "\n\n" + sig
	}
	m, out := c.toRequester(t, thread, sent, ticket.MailReply)
	m.Text, m.Author, m.Cc, out.Cc = text, d.Author, cc, cc
	// two slices: storing the message takes the bytes out of its copies, the mail keeps them
	m.Attachments = append([]ticket.Attachment(nil), d.Attachments...)
	out.Attachments = append([]ticket.Attachment(nil), d.Attachments...)
	body := text
	if d.AskFeedback {
		body += "\n\n" + ticket.FeedbackQuestion + " Svar ja eller nei her: " + c.StatusLink(t) + "#tilbakemelding"
	}
	body += c.footer(t)
	if q := quoteLatest(t, thread); q != "" {
		body += "\n\n" + q
	}
	out.Text, out.HTML = body, TextToHTML(body)
	return m, out, nil
}

// MaxCc bounds the extra recipients of one reply.
const MaxCc = 10

// checkCc refuses our own address and too many copies, and drops the requester (already the
// recipient) and repeats.
func (c *Composer) checkCc(t *ticket.Ticket, cc []string) ([]string, error) {
	var out []string
	for _, a := range cc {
		a = strings.ToLower(strings.TrimSpace(a))
		switch {
		case a == "" || strings.EqualFold(a, t.Requester.Email) || slices.Contains(out, a):
			continue
		case c.isOurs(a):
			return nil, ticket.FieldError("cc", "%s er kontaktpunktets egen adresse; kopien ville gått i ring.", a)
		}
		out = append(out, a)
	}
	if len(out) > MaxCc {
		return nil, ticket.FieldError("cc", "Et svar kan ha høyst %d mottakere i kopi.", MaxCc)
	}
	return out, nil
}

// checkRecipient refuses to write to a ticket with no usable requester address.
func (c *Composer) checkRecipient(t *ticket.Ticket) error {
	if !t.CanReply() {
		return ticket.FieldError("text", "Saken har ingen e-postadresse å svare til. Skriv et notat i stedet.")
	}
	if c.isOurs(t.Requester.Email) {
		return ticket.FieldError("text", "Innsenderen er kontaktpunktets egen adresse; svaret ville gått i ring.")
	}
	return nil
}

// toRequester starts a thread message and its mail to the requester, threaded and with a new
// Message-ID shared by both, so an answer to the mail threads back to this message.
func (c *Composer) toRequester(t *ticket.Ticket, thread []*ticket.Message, sent []*ticket.OutboundMail, kind ticket.MailKind) (*ticket.Message, *ticket.OutboundMail) {
	inReplyTo, refs := ReplyThreading(t, thread, sent)
	id := c.NewMessageID(t.Ref)
	to := []string{strings.ToLower(strings.TrimSpace(t.Requester.Email))}
	subject := ticket.SubjectWithRef(t.Ref, t.Subject)
	m := &ticket.Message{Direction: ticket.DirectionOut, From: c.from, FromName: c.fromName, To: to, Subject: subject,
		MessageID: id, InReplyTo: inReplyTo, References: refs}
	out := &ticket.OutboundMail{Kind: kind, To: to, Subject: subject, MessageID: id, InReplyTo: inReplyTo, References: refs}
	return m, out
}

// footer ends every mail to the requester: who we are, the reference and the status link.
func (c *Composer) footer(t *ticket.Ticket) string {
	return fmt.Sprintf("\n\n-- \n%s\nSak %s. Følg saken: %s\nSvar på denne e-posten for å skrive mer i saken.",
		c.fromName, t.Ref, c.StatusLink(t))
}

// quoteLatest quotes the requester's latest message ("> " lines), or "" when there is none.
func quoteLatest(t *ticket.Ticket, thread []*ticket.Message) string {
	var last *ticket.Message
	for _, m := range thread {
		if m.Direction == ticket.DirectionIn && m.Auto == "" && strings.EqualFold(m.From, t.Requester.Email) {
			last = m
		}
	}
	if last == nil || strings.TrimSpace(last.Text) == "" {
		return ""
	}
	who := last.From
	if last.FromName != "" {
		who = last.FromName + " <" + last.From + ">"
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(last.Text, "\r\n", "\n")), "\n")
	cut := len(lines) > maxQuotedLines
	if cut {
		lines = lines[:maxQuotedLines]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s skrev %s:\n", who, last.CreatedAt.In(ticket.Oslo).Format("02.01.2006 kl. 15:04"))
	for _, l := range lines {
		b.WriteString("> " + l + "\n")
	}
	if cut {
		b.WriteString("> [...]\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
