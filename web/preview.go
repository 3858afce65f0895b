package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// previewView is a reply as it will be sent: the very mail the composer writes for it (sender,
// recipients, subject, the text with the signature, the footer with the reference and status
// link, the quote) and its files. The HTML part the sender adds is this text, line for line.
type previewView struct {
	From, Subject string
	To, Cc        []string
	Text          string
	Files         []ticket.Attachment
}

// previewReply shows the ticket page with the reply form kept and the mail it would send; the
// form (files too) is kept in the draft meanwhile.
func (s *Server) previewReply(c *fiber.Ctx, t *ticket.Ticket, st *composeState) error {
	if err := s.saveDraft(c, t, st); err != nil {
		return s.composeRefused(c, t, st, err)
	}
	in, err := s.replyInputOf(c, st)
	if err != nil {
		return s.composeRefused(c, t, st, err)
	}
	if _, err := ticket.StatusAfterReply(t.Status, in.Status); err != nil {
		return s.composeRefused(c, t, st, err)
	}
	_, out, _, err := s.composeReply(c.UserContext(), t, in)
	if err != nil {
		return s.composeRefused(c, t, st, err)
	}
	st.Preview = &previewView{From: s.Composer.FromName() + " <" + s.Composer.From() + ">", Subject: out.Subject,
		To: out.To, Cc: out.Cc, Text: out.Text, Files: out.Attachments}
	return s.showCompose(c, st, fiber.StatusOK)
}
