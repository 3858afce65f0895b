package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The reply, note and referral forms on the ticket page (templates/_compose*.html). A refused
// form shows the ticket page again with the text kept and the error beside its field; a reply
// into a ticket that changed meanwhile is held, with what changed, to send knowingly. The
// reply form's buttons: «Send svar», «Send og gå til neste», «Forhåndsvis», «Lagre utkast»,
// «Forkast utkast» and «Sett inn» (a canned response), all of them without JavaScript.

const localCompose = "compose"

// composeState is what a refused or re-shown form brings back to the ticket page.
type composeState struct {
	Form                string // the form it came from: svar, notat, henvisning
	Reply, ReplyStatus  string
	Cc                  string
	AssignMe            bool
	Files               []ticket.Attachment // the reply's files, stored with the draft
	Note                string
	Agency, RefNote     string
	Notify              bool
	Errors              ticket.FieldErrors
	Conflict            []changeLine
	Inserted, Attention string
	Preview             *previewView
}

// readReplyState reads the reply form's fields (not its files).
func readReplyState(c *fiber.Ctx) *composeState {
	return &composeState{Form: "svar", Reply: c.FormValue("text"), ReplyStatus: c.FormValue("status"),
		Cc: strings.TrimSpace(c.FormValue("kopi")), AssignMe: c.FormValue("tildel-meg") == "ja"}
}

func (s *Server) handleReply(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	st := readReplyState(c)
	action := c.FormValue("handling")
	switch action {
	case "sett-inn":
		return s.insertCanned(c, t, st)
	case "forkast":
		return s.discardDraft(c, t)
	}
	if st.Files, err = s.replyFiles(c, t); err != nil {
		return s.composeRefused(c, t, st, err)
	}
	switch action {
	case "utkast":
		if err := s.saveDraft(c, t, st); err != nil {
			return s.composeRefused(c, t, st, err)
		}
		return c.Redirect(ticketLink(t, listParam(c), "utkast=utkast")+"#skriv", fiber.StatusSeeOther)
	case "forhandsvis":
		return s.previewReply(c, t, st)
	}
	return s.sendReply(c, t, st, action == "send-neste")
}

// sendReply sends the reply; a refused one keeps its text and files in the draft.
func (s *Server) sendReply(c *fiber.Ctx, t *ticket.Ticket, st *composeState, next bool) error {
	in, err := s.replyInputOf(c, st)
	if err == nil {
		_, _, err = s.reply(c.UserContext(), t, in)
	}
	if err != nil {
		if derr := s.saveDraft(c, t, st); derr != nil && ticket.ErrorCode(derr) == ticket.EINTERNAL {
			return derr
		}
		return s.composeRefused(c, t, st, err)
	}
	if next {
		return s.goToNext(c, t)
	}
	return c.Redirect(ticketLink(t, listParam(c), "sendt=svar")+"#skriv", fiber.StatusSeeOther)
}

// replyInputOf checks the form's choices: the status after the reply and the Cc addresses.
func (s *Server) replyInputOf(c *fiber.Ctx, st *composeState) (replyInput, error) {
	cc, err := parseCc(st.Cc)
	if err != nil {
		return replyInput{}, err
	}
	status := ticket.Status(st.ReplyStatus)
	return replyInput{Text: st.Reply, Status: &status, IfVersion: formVersion(c, "version"), Cc: cc,
		Attachments: st.Files, AssignMe: st.AssignMe, FromDraft: s.Drafts != nil}, nil
}

// parseCc reads the Cc field: addresses separated by commas, semicolons or new lines, each
// alone or as «Name <address>».
func parseCc(in string) ([]string, error) {
	var out []string
	for _, part := range strings.FieldsFunc(in, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, err := ticket.NormalizeEmail(part)
		if err != nil {
			return nil, ticket.FieldError("cc", "«%s» er ikke en e-postadresse. Skriv adressene med komma mellom, for eksempel ola@kommune.no, kari@kommune.no.", part)
		}
		out = append(out, a)
	}
	return out, nil
}

func (s *Server) handleNote(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	st := &composeState{Form: "notat", Note: c.FormValue("text")}
	if _, _, err := s.note(c.UserContext(), t, st.Note); err != nil {
		return s.composeRefused(c, t, st, err)
	}
	return c.Redirect(ticketLink(t, listParam(c), "sendt=notat")+"#skriv", fiber.StatusSeeOther)
}

func (s *Server) handleReferral(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	st := &composeState{Form: "henvisning", Agency: c.FormValue("agency"), RefNote: c.FormValue("note"), Notify: c.FormValue("notify") == "ja"}
	in := referralInput{Agency: st.Agency, Note: st.RefNote, Notify: st.Notify, IfVersion: formVersion(c, "version")}
	if _, _, err := s.refer(c.UserContext(), t, in); err != nil {
		return s.composeRefused(c, t, st, err)
	}
	return c.Redirect(ticketLink(t, listParam(c), "sendt=henvisning")+"#skriv", fiber.StatusSeeOther)
}

// insertCanned shows the reply form again with the chosen canned response added to the draft:
// the way to use canned responses without JavaScript.
func (s *Server) insertCanned(c *fiber.Ctx, t *ticket.Ticket, st *composeState) error {
	if slug, ok := strings.CutPrefix(c.FormValue("mal"), articleOptionPrefix); ok && s.Overview.Handbook != nil {
		return s.insertArticleLink(c, st, slug)
	}
	id, err := strconv.ParseUint(c.FormValue("mal"), 10, 64)
	if err != nil {
		st.Errors = ticket.FieldErrors{ticket.FieldError("mal", "Velg en svarmal først.")}
		return s.showCompose(c, st, fiber.StatusUnprocessableEntity)
	}
	r, err := s.Templates.FindCannedResponse(c.UserContext(), id)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND { // deleted since the page was made: keep the draft
		st.Errors = ticket.FieldErrors{ticket.FieldError("mal", "Svarmalen finnes ikke lenger. Velg en annen.")}
		return s.showCompose(c, st, fiber.StatusUnprocessableEntity)
	} else if err != nil {
		return err
	}
	text := s.Composer.Values(t, userFrom(c).Name).Render(r.Text)
	if draft := strings.TrimRight(st.Reply, " \r\n"); draft != "" {
		text = draft + "\n\n" + text
	}
	st.Reply, st.Inserted = text, r.Title
	if files, err := s.replyFiles(c, t); err == nil {
		st.Files = files // files chosen before «Sett inn» stay with the draft
		if err := s.saveDraft(c, t, st); err != nil && ticket.ErrorCode(err) == ticket.EINTERNAL {
			return err
		}
	}
	return s.showCompose(c, st, fiber.StatusOK)
}

// composeRefused shows why a form was refused: the field error beside its field, or, when the
// ticket changed since the page was opened, what changed, with the draft kept.
func (s *Server) composeRefused(c *fiber.Ctx, t *ticket.Ticket, st *composeState, err error) error {
	switch fe := ticket.FieldErrorsOf(err); {
	case fe != nil && fe[0].Field != "":
		st.Errors = fe
	case ticket.ErrorCode(err) == ticket.ECONFLICT:
		events, ferr := s.Events.FindEvents(c.UserContext(), t.ID)
		if ferr != nil {
			return ferr
		}
		st.Conflict = changesSince(events, formUint(c, "seen"))
		return s.showCompose(c, st, fiber.StatusConflict)
	case ticket.ErrorCode(err) == ticket.EINVALID || ticket.ErrorCode(err) == ticket.ETOOLARGE:
		st.Errors = ticket.FieldErrors{ticket.FieldError("text", "%s", ticket.ErrorMessage(err))}
	default:
		return err
	}
	return s.showCompose(c, st, fiber.StatusUnprocessableEntity)
}

// showCompose renders the ticket page with st in its forms.
func (s *Server) showCompose(c *fiber.Ctx, st *composeState, status int) error {
	c.Locals(localCompose, st)
	c.Status(status)
	return s.handleTicketView(c)
}

// ticketLink is the ticket page with the view it came from and a notice.
func ticketLink(t *ticket.Ticket, list, notice string) string {
	link := "/saker/" + t.Ref.String() + "?" + notice
	if list != "" {
		link += "&liste=" + urlQuery(list)
	}
	return link
}

// formVersion is the ticket version a form was made from, in its field, when it carries one:
// the guard against changing a ticket that changed since (ticket.Ticket.ChangedSince).
func formVersion(c *fiber.Ctx, field string) *uint64 {
	v, err := strconv.ParseUint(c.FormValue(field), 10, 64)
	if err != nil {
		return nil
	}
	return &v
}

func formUint(c *fiber.Ctx, name string) uint64 {
	v, _ := strconv.ParseUint(c.FormValue(name), 10, 64)
	return v
}
