package web

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/microcosm-cc/bluemonday"

	"github.com/ks-no/digihjelpen/ticket"
)

func paramInt(c *fiber.Ctx, name string) (int, error) {
	n, err := strconv.Atoi(c.Params(name))
	if err != nil || n < 0 {
		return 0, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke vedlegget.")
	}
	return n, nil
}

// ticketMessageParam loads the ticket of :ref and reads the message number :seq.
func (s *Server) ticketMessageParam(c *fiber.Ctx) (*ticket.Ticket, int, error) {
	t, err := s.findTicketParam(c)
	if err != nil {
		return nil, 0, err
	}
	seq, err := paramInt(c, "seq")
	return t, seq, err
}

// handleAttachment downloads one attachment and records that personal data was viewed.
func (s *Server) handleAttachment(c *fiber.Ctx) error {
	t, seq, err := s.ticketMessageParam(c)
	if err != nil {
		return err
	}
	n, err := paramInt(c, "n")
	if err != nil {
		return err
	}
	a, err := s.Tickets.FindAttachment(c.UserContext(), t.ID, seq, n)
	if err != nil {
		return err
	}
	if err := s.Events.AddEvent(c.UserContext(), t.ID, ticket.EventViewed, fmt.Sprintf("vedlegget «%s» (melding %d)", a.Name, seq)); err != nil {
		return err
	}
	return sendDownload(c, a.Name, a.Type, a.Data)
}

// handleRawMessage downloads the stored source of a mail (.eml), audited like an attachment.
func (s *Server) handleRawMessage(c *fiber.Ctx) error {
	t, seq, err := s.ticketMessageParam(c)
	if err != nil {
		return err
	}
	raw, err := s.Tickets.FindRawMessage(c.UserContext(), t.ID, seq)
	if err != nil {
		return err
	}
	if err := s.Events.AddEvent(c.UserContext(), t.ID, ticket.EventViewed, fmt.Sprintf("e-postens kildetekst (melding %d)", seq)); err != nil {
		return err
	}
	return sendDownload(c, fmt.Sprintf("%s-melding-%d.eml", t.Ref, seq), "application/octet-stream", raw)
}

// htmlPolicy sanitises once more what intake stored sanitised: defence in depth, since this is
// mail from anyone. The frame's CSP forbids scripts and remote content besides. cid: links stay
// for embedInlineImages.
var htmlPolicy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("mailto", "http", "https", "cid")
	return p
}()

// frameCSP lets the HTML of a mail show in a sandboxed frame on our own page, and nothing more:
// no script, no remote images (no tracking pixels), no forms, no plugins; links open in a new
// window outside the sandbox.
const frameCSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox"

// handleMessageHTML serves the HTML version of a message for the sandboxed iframe on the
// ticket page. It is a document of its own, so the mail's markup can never reach our page.
func (s *Server) handleMessageHTML(c *fiber.Ctx) error {
	t, seq, err := s.ticketMessageParam(c)
	if err != nil {
		return err
	}
	msgs, err := s.Tickets.FindMessages(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	if seq < 1 || seq > len(msgs) || msgs[seq-1].HTML == "" {
		return ticket.Errorf(ticket.ENOTFOUND, "Meldingen har ingen HTML-versjon.")
	}
	body, err := s.embedInlineImages(c.UserContext(), t.ID, msgs[seq-1], htmlPolicy.Sanitize(msgs[seq-1].HTML))
	if err != nil {
		return err
	}
	c.Set("Content-Security-Policy", frameCSP)
	c.Set("X-Frame-Options", "SAMEORIGIN")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Type("html", "utf-8")
	return c.SendString(`<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>E-post</title>` +
		`<base target="_blank"></head><body>` + body + `</body></html>`)
}
