package web

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The quarantine: mail intake kept back (automatic replies, bounces without a ticket, mail that
// could not be read or was too large). Agents and admins look, retry, make a ticket of it
// anyway, or discard it.

type quarantineList struct {
	Mails   []*ticket.QuarantinedMail
	Total   int
	Reason  ticket.QuarantineReason
	Reasons []ticket.QuarantineReason
	Next    uint64
}

// quarantineNotices are the outcomes a redirect reports back (a code in the URL, the sentence
// here: no personal data in URLs).
var quarantineNotices = map[string]string{
	"forkastet": "E-posten er forkastet. Den samme e-posten blir ikke lest inn igjen.",
	"duplikat":  "E-posten var allerede lagret i en sak, og er fjernet fra karantenen.",
	"fortsatt":  "E-posten kunne fortsatt ikke leses inn. Årsaken står under.",
}

func (s *Server) handleQuarantineList(c *fiber.Ctx) error {
	f := ticket.QuarantineFilter{Reason: ticket.QuarantineReason(c.Query("arsak")), Before: uint64(c.QueryInt("for", 0))}
	list, total, err := s.Quarantine.FindQuarantine(c.UserContext(), f)
	if err != nil {
		return err
	}
	d := quarantineList{Mails: list, Total: total, Reason: f.Reason, Reasons: ticket.QuarantineReasons}
	if len(list) == ticket.DefaultLimit {
		d.Next = list[len(list)-1].ID
	}
	return s.render(c, "quarantine", pageData{Title: "Karantene", Nav: "karantene", Notice: quarantineNotices[c.Query("resultat")], Data: d})
}

// quarantineParam loads the entry named by :id.
func (s *Server) quarantineParam(c *fiber.Ctx) (*ticket.QuarantinedMail, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil || id == 0 {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke e-posten i karantenen.")
	}
	return s.Quarantine.FindQuarantined(c.UserContext(), id)
}

type quarantineView struct {
	Mail   *ticket.QuarantinedMail
	Header string
}

// quarantineSource loads the entry of :id with its source (the view is audited).
func (s *Server) quarantineSource(c *fiber.Ctx) (*ticket.QuarantinedMail, []byte, error) {
	q, err := s.quarantineParam(c)
	if err != nil {
		return nil, nil, err
	}
	raw, err := s.Quarantine.FindQuarantinedRaw(c.UserContext(), q.ID)
	return q, raw, err
}

func (s *Server) handleQuarantineView(c *fiber.Ctx) error {
	q, raw, err := s.quarantineSource(c)
	if err != nil {
		return err
	}
	d := quarantineView{Mail: q, Header: readableHeader(raw)}
	return s.render(c, "quarantine_mail", pageData{Title: "E-post i karantene", Nav: "karantene", Notice: quarantineNotices[c.Query("resultat")], Data: d})
}

// maxShownHeader bounds the header shown on the page; the whole source can be downloaded.
const maxShownHeader = 64 << 10

// readableHeader is the raw header of a mail as safe text: only the header, never more than
// maxShownHeader, valid UTF-8 with control characters replaced. The template escapes it.
func readableHeader(raw []byte) string {
	end := len(raw)
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if i := bytes.Index(raw, []byte(sep)); i >= 0 && i < end {
			end = i
		}
	}
	h := strings.ToValidUTF8(string(raw[:min(end, maxShownHeader)]), "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == '\r' {
			return -1
		}
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, h)
}

// handleQuarantineSource sends the stored source as a download, never shown in the browser:
// the same safe headers as every other file (it is mail from anyone).
func (s *Server) handleQuarantineSource(c *fiber.Ctx) error {
	q, raw, err := s.quarantineSource(c)
	if err != nil {
		return err
	}
	return sendDownload(c, "karantene-"+strconv.FormatUint(q.ID, 10)+".eml", "application/octet-stream", raw)
}

func (s *Server) handleQuarantineRetry(c *fiber.Ctx) error {
	return s.quarantineAction(c, s.Quarantine.RetryQuarantined)
}

func (s *Server) handleQuarantineCreate(c *fiber.Ctx) error {
	return s.quarantineAction(c, s.Quarantine.CreateFromQuarantine)
}

// quarantineAction runs retry or create anyway on the entry of :id and sends the browser on.
func (s *Server) quarantineAction(c *fiber.Ctx, act func(context.Context, uint64) (ticket.IntakeResult, error)) error {
	q, err := s.quarantineParam(c)
	if err != nil {
		return err
	}
	res, err := act(c.UserContext(), q.ID)
	if err != nil {
		return err
	}
	return s.afterIntake(c, q.ID, res)
}

// afterIntake sends the browser where the mail went: its ticket, the entry (still there), or
// the list.
func (s *Server) afterIntake(c *fiber.Ctx, id uint64, res ticket.IntakeResult) error {
	switch res.Outcome {
	case ticket.IntakeCreated, ticket.IntakeAppended:
		return c.Redirect("/saker/"+res.Ref.String(), fiber.StatusSeeOther)
	case ticket.IntakeQuarantined:
		return c.Redirect("/karantene/"+strconv.FormatUint(id, 10)+"?resultat=fortsatt", fiber.StatusSeeOther)
	}
	return c.Redirect("/karantene?resultat=duplikat", fiber.StatusSeeOther)
}

func (s *Server) handleQuarantineDiscardForm(c *fiber.Ctx) error {
	q, err := s.quarantineParam(c)
	if err != nil {
		return err
	}
	return s.render(c, "quarantine_discard", pageData{Title: "Forkaste e-posten?", Nav: "karantene", Data: q})
}

func (s *Server) handleQuarantineDiscard(c *fiber.Ctx) error {
	q, err := s.quarantineParam(c)
	if err != nil {
		return err
	}
	if c.FormValue("bekreft") != "ja" {
		return ticket.FieldError("bekreft", "Bekreft at e-posten skal forkastes.")
	}
	if err := s.Quarantine.DiscardQuarantined(c.UserContext(), q.ID); err != nil {
		return err
	}
	return c.Redirect("/karantene?resultat=forkastet", fiber.StatusSeeOther)
}
