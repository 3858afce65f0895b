package web

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Reply drafts are kept on the server, one per staff member and ticket (ticket.DraftService):
// compose.js saves the reply form every few seconds while someone writes (POST
// /saker/:ref/utkast, answered with JSON), and «Lagre utkast» does the same without
// JavaScript. A refused send, a preview and «Sett inn» keep the form in the draft too, so the
// files chosen are never lost: browsers cannot be given files back, but the page can list the
// draft's files, ticked to keep. Colleagues see that a draft exists; sending deletes it in the
// reply's own transaction.

// replyFiles are the files of a reply: those of the user's draft still ticked («fil») and the
// ones chosen now, under the same limits as the public form.
func (s *Server) replyFiles(c *fiber.Ctx, t *ticket.Ticket) ([]ticket.Attachment, error) {
	var files []ticket.Attachment
	if keep := formValues(c, "fil"); len(keep) > 0 && s.Drafts != nil {
		d, err := s.Drafts.FindDraft(c.UserContext(), t.ID, userFrom(c).Email)
		if err != nil && ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return nil, err
		}
		if d != nil {
			for _, a := range d.Attachments {
				if slices.Contains(keep, a.SHA256) {
					files = append(files, a)
				}
			}
		}
	}
	chosen, err := formFiles(c, fieldFiles)
	if err != nil {
		return files, err
	}
	added, err := readUploads(fieldFiles, chosen)
	if err != nil {
		return files, err
	}
	files = append(files, added...)
	var total int64
	for _, a := range files {
		total += a.Size
	}
	switch {
	case len(files) > maxUploadFiles:
		return files[:len(files)-len(added)], ticket.FieldError(fieldFiles, "Et svar kan ha høyst %d vedlegg; med de nye blir det %d.", maxUploadFiles, len(files))
	case total > maxUploadTotal:
		return files[:len(files)-len(added)], ticket.FieldError(fieldFiles, "Vedleggene er til sammen større enn 20 MB. Send færre eller mindre filer.")
	}
	return files, nil
}

// formValues returns every value of a field, from a multipart form or a plain one.
func formValues(c *fiber.Ctx, name string) []string {
	if form, err := c.MultipartForm(); err == nil {
		return form.Value[name]
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// saveDraft keeps the reply form as the user's draft; st.Files get their hashes.
func (s *Server) saveDraft(c *fiber.Ctx, t *ticket.Ticket, st *composeState) error {
	if s.Drafts == nil {
		return nil
	}
	d := &ticket.ReplyDraft{TicketID: t.ID, Author: userFrom(c).Email, Text: st.Reply, Cc: st.Cc,
		Status: ticket.Status(st.ReplyStatus), AssignMe: st.AssignMe, Attachments: st.Files}
	if err := s.Drafts.SaveDraft(c.UserContext(), d); err != nil {
		return err
	}
	st.Files = d.Attachments
	return nil
}

func (s *Server) discardDraft(c *fiber.Ctx, t *ticket.Ticket) error {
	if s.Drafts != nil {
		if err := s.Drafts.DeleteDraft(c.UserContext(), t.ID, userFrom(c).Email); err != nil {
			return err
		}
	}
	return c.Redirect(ticketLink(t, listParam(c), "utkast=forkastet")+"#skriv", fiber.StatusSeeOther)
}

// handleDraftSave is the autosave of compose.js (Accept: application/json), and a plain
// «Lagre utkast» from any form that posts here. The draft's files stay as they are.
func (s *Server) handleDraftSave(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	st := readReplyState(c)
	old, err := s.Drafts.FindDraft(c.UserContext(), t.ID, userFrom(c).Email)
	switch {
	case err == nil:
		st.Files = old.Attachments
	case ticket.ErrorCode(err) != ticket.ENOTFOUND:
		return err
	}
	err = s.saveDraft(c, t, st)
	if !strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
		if err != nil {
			return s.composeRefused(c, t, st, err)
		}
		return c.Redirect(ticketLink(t, listParam(c), "utkast=utkast")+"#skriv", fiber.StatusSeeOther)
	}
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"error": ticket.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"saved": "Utkastet er lagret " + formatOslo(s.Now()) + "."})
}

// urlQuery escapes a value for a query string.
func urlQuery(v string) string { return url.QueryEscape(v) }
