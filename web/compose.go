package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The reply, note and referral forms on the ticket page (templates/_compose.html). A refused
// form shows the ticket page again with the draft kept and the error beside its field; a
// reply into a ticket that changed meanwhile is held, with what changed, to send knowingly.

const localCompose = "compose"

// composeState is what a refused or re-shown form brings back to the ticket page.
type composeState struct {
	Form                string // the form it came from: svar, notat, henvisning
	Reply, ReplyStatus  string
	Note                string
	Agency, RefNote     string
	Notify              bool
	Errors              ticket.FieldErrors
	Conflict            []changeLine
	Inserted, Attention string
}

func (s *Server) handleReply(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	st := &composeState{Form: "svar", Reply: c.FormValue("text"), ReplyStatus: c.FormValue("status")}
	if c.FormValue("handling") == "sett-inn" {
		return s.insertCanned(c, t, st)
	}
	status := ticket.Status(st.ReplyStatus)
	_, _, err = s.reply(c.UserContext(), t, replyInput{Text: st.Reply, Status: &status, IfVersion: formVersion(c, "version")})
	if err != nil {
		return s.composeRefused(c, t, st, err)
	}
	return c.Redirect("/saker/"+t.Ref.String()+"?sendt=svar#skriv", fiber.StatusSeeOther)
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
	return c.Redirect("/saker/"+t.Ref.String()+"?sendt=notat#skriv", fiber.StatusSeeOther)
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
	return c.Redirect("/saker/"+t.Ref.String()+"?sendt=henvisning#skriv", fiber.StatusSeeOther)
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
