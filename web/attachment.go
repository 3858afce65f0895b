package web

import (
	"fmt"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/microcosm-cc/bluemonday"

	"github.com/ks-no/digihjelpen/ticket"
)

// safeTypes are the attachment types served as they are; anything else (HTML, SVG, scripts,
// unknown) goes out as application/octet-stream, so a browser can never run it as ours.
var safeTypes = map[string]bool{
	"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"text/plain": true, "text/csv": true, "application/zip": true,
	"application/msword": true, "application/vnd.ms-excel": true, "application/vnd.ms-powerpoint": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.oasis.opendocument.text":                                   true,
	"application/vnd.oasis.opendocument.spreadsheet":                            true,
}

// safeContentType is the type an attachment is served with.
func safeContentType(declared string) string {
	mt, _, err := mime.ParseMediaType(declared)
	if err != nil || !safeTypes[mt] {
		return "application/octet-stream"
	}
	if strings.HasPrefix(mt, "text/") {
		return mt + "; charset=utf-8"
	}
	return mt
}

// contentDisposition is "attachment" with the name in ASCII for old clients and in UTF-8
// (RFC 5987/6266) for the rest, so "Søknad å.pdf" keeps its letters.
func contentDisposition(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	if strings.TrimSpace(name) == "" {
		name = "vedlegg"
	}
	ascii := strings.Map(func(r rune) rune {
		if r > 0x7e || r == '"' || r == ';' || r == '%' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}

// sendDownload sends bytes as a file to save, never to show: attachment disposition, nosniff,
// a type from the safe list, and a CSP that forbids everything should it be opened anyway.
func sendDownload(c *fiber.Ctx, name, contentType string, body []byte) error {
	c.Set(fiber.HeaderContentType, safeContentType(contentType))
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

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
// mail from anyone. The frame's CSP forbids scripts and remote content besides.
var htmlPolicy = bluemonday.UGCPolicy()

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
	c.Set("Content-Security-Policy", frameCSP)
	c.Set("X-Frame-Options", "SAMEORIGIN")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Type("html", "utf-8")
	return c.SendString(`<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>E-post</title>` +
		`<base target="_blank"></head><body>` + htmlPolicy.Sanitize(msgs[seq-1].HTML) + `</body></html>`)
}
