package mailbridge

import (
	"bytes"
	"fmt"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/ks-no/digihjelpen/ticket"
)

// Headers go-mail has no constant for.
const (
	headerAutoSubmitted gomail.Header = "Auto-Submitted"
)

// message turns a mail of the outbox into MIME: From with our display name, Reply-To the
// mailbox, the Message-ID fixed when it was queued (a resend is the same mail), the threading
// headers, UTF-8 subject and body as text/plain with an HTML alternative, and attachments.
// go-mail encodes non-ASCII headers (RFC 2047) and bodies (quoted-printable) itself.
func (s *Sender) message(m *ticket.OutboundMail) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(s.FromName, s.From); err != nil {
		return nil, fmt.Errorf("sender address %q: %w", s.From, err)
	}
	if err := msg.EnvelopeFrom(s.From); err != nil {
		return nil, fmt.Errorf("envelope sender %q: %w", s.From, err)
	}
	if err := msg.ReplyTo(s.ReplyTo); err != nil {
		return nil, fmt.Errorf("reply-to %q: %w", s.ReplyTo, err)
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", strings.Join(m.To, ", "), err)
	}
	if len(m.Cc) > 0 {
		if err := msg.Cc(m.Cc...); err != nil {
			return nil, fmt.Errorf("copy recipient %q: %w", strings.Join(m.Cc, ", "), err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetGenHeader(gomail.HeaderMessageID, m.MessageID)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetUserAgent("digihjelpen")
	if m.InReplyTo != "" {
		msg.SetGenHeader(gomail.HeaderInReplyTo, m.InReplyTo)
	}
	if len(m.References) > 0 {
		msg.SetGenHeader(gomail.HeaderReferences, strings.Join(m.References, " ")) // one value: folded at spaces
	}
	switch {
	case m.AutoReply: // RFC 3834; Exchange also honours its own header
		msg.SetGenHeader(headerAutoSubmitted, "auto-replied")
		msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	case m.Kind == ticket.MailReport, m.Kind == ticket.MailAlarm, m.Kind == ticket.MailNotification, m.Kind == ticket.MailDigest:
		// made by the program, not an answer: out-of-office answers to it must not come back
		msg.SetGenHeader(headerAutoSubmitted, "auto-generated")
		msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		ct := gomail.ContentType(a.Type)
		if ct == "" {
			ct = gomail.TypeAppOctetStream
		}
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(ct)); err != nil {
			return nil, fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return msg, nil
}
