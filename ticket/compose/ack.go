package compose

import (
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// Ack composes the acknowledgement of a new ticket: the reference in the subject, the text of
// the template the routing rules chose (t.Template, else the default) with the private status
// link, threaded to the first mail, marked Auto-Submitted. A template that does not exist gives
// the default text, and a warning once per name. It implements ticket.AckFunc. It sends nothing to
// auto-replies, bounces, a ticket without an address, our own address or addresses that never
// read mail (mailer-daemon, no-reply), so two robots cannot answer each other forever.
func (c *Composer) Ack(t *ticket.Ticket, first *ticket.Message) ([]*ticket.OutboundMail, error) {
	to := strings.TrimSpace(t.Requester.Email)
	if to == "" || first.Auto != "" || c.isOurs(to) || isRobotAddress(to) {
		return nil, nil
	}
	tpl, asked := c.pickAckTemplate(t)
	text := c.Values(t, "").Render(tpl.Text)
	m := &ticket.OutboundMail{
		Kind: ticket.MailAck, To: []string{to}, Subject: ticket.SubjectWithRef(t.Ref, t.Subject),
		MessageID: c.NewMessageID(t.Ref), AutoReply: true,
		Template: &ticket.AckUse{Name: tpl.Name, Title: tpl.Title, Version: tpl.Version, Asked: asked},
	}
	m.Text, m.HTML = text, TextToHTML(text)
	if first.MessageID != "" {
		m.InReplyTo = first.MessageID
		m.References = appendReference(first.References, first.MessageID)
	}
	return []*ticket.OutboundMail{m}, nil
}

var _ ticket.AckFunc = (*Composer)(nil).Ack

// pickAckTemplate returns the template for t and, when the one its rules named does not exist,
// that name (the default is used instead).
func (c *Composer) pickAckTemplate(t *ticket.Ticket) (tpl *ticket.AckTemplate, asked string) {
	if t.Template == "" || t.Template == ticket.DefaultAckTemplateName {
		return c.AckTemplate(), ""
	}
	if tpl, ok := c.FindAckTemplate(t.Template); ok {
		return tpl, ""
	}
	if _, warned := c.warned.LoadOrStore(t.Template, true); !warned {
		c.logger().Warn("acknowledgement template not found; the default is used",
			"template", t.Template, "rule", t.Routing.Rule, "ref", t.Ref.String())
	}
	return c.AckTemplate(), t.Template
}

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
