package ticket

import (
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTemplateLen bounds an admin-edited text (acknowledgement, canned response).
const MaxTemplateLen = 10_000

// DefaultAckText is the acknowledgement until an admin saves another text.
const DefaultAckText = `Hei {navn},

takk for spørsmålet ditt til Digihjelpen kontaktpunkt. Vi har registrert det som sak {saksnummer}, og svarer deg så snart vi kan.

Her kan du følge saken:
{statuslenke}

Vil du legge til noe, svarer du bare på denne e-posten. La saksnummeret stå i emnefeltet.

Vennlig hilsen
Digihjelpen kontaktpunkt i KS`

// AckTemplate is the text of the acknowledgement of a new ticket. Admins edit it; every save
// is a new version, kept with who saved it.
type AckTemplate struct {
	Text      string
	Version   int // 0 is the built-in DefaultAckText
	UpdatedBy string
	UpdatedAt time.Time
}

// DefaultAckTemplate is the built-in acknowledgement, version 0.
func DefaultAckTemplate() *AckTemplate { return &AckTemplate{Text: DefaultAckText} }

// Validate checks a text before it is saved: it must give the reference and the status link,
// use known placeholders only, and be of reasonable length.
func (a *AckTemplate) Validate() error {
	text := strings.TrimSpace(a.Text)
	switch {
	case text == "":
		return FieldError("text", "Skriv teksten i kvitteringen.")
	case utf8.RuneCountInString(text) > MaxTemplateLen:
		return FieldError("text", "Teksten kan være høyst %d tegn.", MaxTemplateLen)
	case !strings.Contains(text, "{saksnummer}"):
		return FieldError("text", "Teksten må ha med {saksnummer}, så innsenderen vet hvilken sak det gjelder.")
	case !strings.Contains(text, "{statuslenke}"):
		return FieldError("text", "Teksten må ha med {statuslenke}, så innsenderen kan følge saken.")
	}
	if err := checkPlaceholders("text", text); err != nil {
		return err
	}
	return nil
}

// SetAckTemplate makes a the acknowledgement from now on (after an admin saved it, or at start).
func (c *Composer) SetAckTemplate(a *AckTemplate) {
	cp := *a
	c.ack.Store(&cp)
}

// AckTemplate returns the acknowledgement in use.
func (c *Composer) AckTemplate() *AckTemplate {
	if a := c.ack.Load(); a != nil {
		return a
	}
	return DefaultAckTemplate()
}

// Ack composes the acknowledgement of a new ticket: the reference in the subject, the text of
// the current template with the private status link, threaded to the first mail, marked
// Auto-Submitted. It implements AckFunc. It sends nothing to auto-replies, bounces, a ticket
// without an address, our own address or addresses that never read mail (mailer-daemon,
// no-reply), so two robots cannot answer each other forever.
func (c *Composer) Ack(t *Ticket, first *Message) ([]*OutboundMail, error) {
	to := strings.TrimSpace(t.Requester.Email)
	if to == "" || first.Auto != "" || c.isOurs(to) || isRobotAddress(to) {
		return nil, nil
	}
	text := c.Values(t, "").Render(c.AckTemplate().Text)
	m := &OutboundMail{
		Kind: MailAck, To: []string{to}, Subject: SubjectWithRef(t.Ref, t.Subject),
		MessageID: c.NewMessageID(t.Ref), AutoReply: true,
	}
	m.Text, m.HTML = text, TextToHTML(text)
	if first.MessageID != "" {
		m.InReplyTo = first.MessageID
		m.References = appendReference(first.References, first.MessageID)
	}
	return []*OutboundMail{m}, nil
}

var _ AckFunc = (*Composer)(nil).Ack

// robotLocalParts are mailboxes that never read what they get.
var robotLocalParts = []string{"mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply", "bounce", "bounces"}

func isRobotAddress(addr string) bool {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	for _, p := range robotLocalParts {
		if local == p || strings.HasPrefix(local, p+"+") {
			return true
		}
	}
	return false
}
