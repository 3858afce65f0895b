package compose

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ks-no/digihjelpen/ticket"
)

// MaxReferralAttachBytes bounds the attachments a referral forwards; beyond it they are listed
// by name only, since many mail servers refuse mail over 25 MB.
const MaxReferralAttachBytes = 15 << 20

// MaxNoteLen bounds the note that goes with a referral.
const MaxNoteLen = 5_000

// Referral composes a referral of t to agency a: the thread message to store, the mail to the
// agency's referral address with the question, the requester's municipality and the note, and
// the referral record. The mail starts a new conversation with the agency; its Message-ID is
// indexed, so the agency's answer threads back into t.
func (c *Composer) Referral(t *ticket.Ticket, thread []*ticket.Message, a ticket.Agency, note string, d Draft) (*ticket.Message, *ticket.OutboundMail, *ticket.Referral, error) {
	note = strings.TrimSpace(note)
	switch {
	case a.Key == "":
		return nil, nil, nil, ticket.FieldError("agency", "Velg hvilken etat saken skal henvises til.")
	case a.Email == "":
		return nil, nil, nil, ticket.FieldError("agency", "%s har ingen henvisningsadresse. En administrator kan legge den inn under etater.", a.Name)
	case c.isOurs(a.Email):
		return nil, nil, nil, ticket.FieldError("agency", "Henvisningsadressen til %s er kontaktpunktets egen adresse.", a.Name)
	case utf8.RuneCountInString(note) > MaxNoteLen:
		return nil, nil, nil, ticket.FieldError("note", "Notatet kan være høyst %d tegn.", MaxNoteLen)
	}
	to := []string{strings.ToLower(a.Email)}
	subject := ticket.SubjectWithRef(t.Ref, "Henvisning: "+t.Subject)
	id := c.NewMessageID(t.Ref)
	header := "Henvist til " + a.Name + " – " + to[0] + "."
	text := header
	if note != "" {
		text += "\n\n" + note
	}
	m := &ticket.Message{Direction: ticket.DirectionOut, From: c.from, FromName: c.fromName, To: to, Subject: subject,
		Text: text, Author: d.Author, MessageID: id}
	body := c.referralBody(t, thread, a, note)
	out := &ticket.OutboundMail{Kind: ticket.MailReferral, To: to, Subject: subject, MessageID: id, Text: body, HTML: TextToHTML(body)}
	out.Attachments = forwardAttachments(t, thread)
	ref := &ticket.Referral{Agency: a.Key, Note: note, By: d.Author}
	return m, out, ref, nil
}

// referralBody is the text the agency reads: why it gets the question, the note, who asked
// from which municipality, and the question itself with anything the requester added.
func (c *Composer) referralBody(t *ticket.Ticket, thread []*ticket.Message, a ticket.Agency, note string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Hei,\n\n%s sender dette spørsmålet videre til %s, som kan svare best på det.\n", c.fromName, a.Name)
	if note != "" {
		fmt.Fprintf(&b, "\nNotat fra kontaktpunktet:\n%s\n", note)
	}
	b.WriteString("\nOm saken\n")
	fmt.Fprintf(&b, "Saksnummer: %s\n", t.Ref)
	if t.Requester.Name != "" {
		fmt.Fprintf(&b, "Innsender: %s\n", t.Requester.Name)
	}
	switch {
	case t.Requester.Municipality.Name != "" && t.Requester.County.Name != "":
		fmt.Fprintf(&b, "Kommune: %s (%s)\n", t.Requester.Municipality.Name, t.Requester.County.Name)
	case t.Requester.Municipality.Name != "":
		fmt.Fprintf(&b, "Kommune: %s\n", t.Requester.Municipality.Name)
	default:
		b.WriteString("Kommune: ikke kjent\n")
	}
	fmt.Fprintf(&b, "Mottatt: %s\nEmne: %s\n", t.CreatedAt.In(ticket.Oslo).Format("02.01.2006 kl. 15:04"), t.Subject)
	for i, m := range requesterMessages(t, thread) {
		if i == 0 {
			b.WriteString("\nSpørsmålet:\n")
		} else {
			fmt.Fprintf(&b, "\nTillegg fra innsenderen %s:\n", m.CreatedAt.In(ticket.Oslo).Format("02.01.2006 kl. 15:04"))
		}
		b.WriteString(strings.TrimSpace(m.Text) + "\n")
	}
	fmt.Fprintf(&b, "\nSvar på denne e-posten og la saksnummeret %s stå i emnefeltet. Svaret kommer da inn i saken hos oss.\n\nVennlig hilsen\n%s", t.Ref, c.fromName)
	return b.String()
}

// requesterMessages are the requester's own messages in the thread (the question and what
// they added), without auto-replies.
func requesterMessages(t *ticket.Ticket, thread []*ticket.Message) []*ticket.Message {
	var list []*ticket.Message
	for i, m := range thread {
		if m.Direction != ticket.DirectionIn || m.Auto != "" {
			continue
		}
		if i == 0 || strings.EqualFold(m.From, t.Requester.Email) {
			list = append(list, m)
		}
	}
	return list
}

// forwardAttachments lists the requester's attachments by their stored hash (the sender loads
// the bytes), up to MaxReferralAttachBytes in all.
func forwardAttachments(t *ticket.Ticket, thread []*ticket.Message) []ticket.Attachment {
	var out []ticket.Attachment
	var total int64
	for _, m := range requesterMessages(t, thread) {
		for _, a := range m.Attachments {
			if a.Inline || a.SHA256 == "" || total+a.Size > MaxReferralAttachBytes {
				continue
			}
			total += a.Size
			out = append(out, ticket.Attachment{Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
		}
	}
	return out
}

// ReferralNotice composes the mail that tells the requester where the question went, threaded
// in their conversation. It is queued with the referral when staff choose to send it.
func (c *Composer) ReferralNotice(t *ticket.Ticket, thread []*ticket.Message, sent []*ticket.OutboundMail, a ticket.Agency) (*ticket.OutboundMail, error) {
	if err := c.checkRecipient(t); err != nil {
		return nil, ticket.FieldError("notify", "Saken har ingen e-postadresse å sende melding til.")
	}
	_, out := c.toRequester(t, thread, sent, ticket.MailNotice)
	body := fmt.Sprintf("Hei,\n\nspørsmålet ditt i sak %s gjelder %s, og vi har derfor sendt det videre dit. "+
		"Når de har svart, kommer svaret inn i saken hos oss, og du hører fra oss.", t.Ref, a.Name) + c.footer(t)
	out.Text, out.HTML = body, TextToHTML(body)
	return out, nil
}
