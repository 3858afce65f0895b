package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// feedbackView is «Fikk du svar du kunne bruke?» on the status page.
type feedbackView struct {
	Token, CSRF string
	Question    string
	// Given is the answer stored (nil: none yet); the form shows it and may change it.
	Given   *ticket.Feedback
	Thanked bool
	Errors  ticket.FieldErrors
	Comment string // as typed, after a refused answer
}

// feedbackView asks the question on a resolved or closed ticket's status page.
func (s *Server) feedbackView(c *fiber.Ctx, t *ticket.Ticket, d pageData) (*feedbackView, error) {
	if s.Overview.Feedback == nil || !ticket.CanGiveFeedback(t) {
		return nil, nil
	}
	v := &feedbackView{Token: t.StatusToken, CSRF: s.csrfToken(c), Question: ticket.FeedbackQuestion, Thanked: c.Query("takk") == "1", Errors: d.Errors, Comment: d.Form["kommentar"]}
	f, err := s.Overview.Feedback.FindFeedback(c.UserContext(), t.ID)
	if err != nil && ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return nil, err
	}
	v.Given = f
	if f != nil && v.Comment == "" {
		v.Comment = f.Comment
	}
	return v, nil
}

// handleFeedback stores the requester's answer, one per ticket (a new one replaces the old),
// and thanks them on the page.
func (s *Server) handleFeedback(c *fiber.Ctx) error {
	t, err := s.findByToken(c)
	if err != nil {
		return err
	}
	answer, comment := c.FormValue("svar"), c.FormValue("kommentar")
	var errs ticket.FieldErrors
	if answer != "ja" && answer != "nei" {
		errs = append(errs, ticket.FieldError("svar", "Svar ja eller nei."))
	}
	if len(errs) == 0 {
		key := s.clientKey(c)
		if blocked, wait := s.public.Blocked(key); blocked {
			c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
			return ticket.Errorf(ticket.ERATELIMIT, "Det er sendt mange skjemaer fra denne adressen den siste timen. Vent litt og prøv igjen.")
		}
		ctx := ticket.NewContextWithActor(c.UserContext(), ticket.Actor{Name: t.Requester.Email})
		err = s.Overview.Feedback.SaveFeedback(ctx, &ticket.Feedback{TicketID: t.ID, Useful: answer == "ja", Comment: comment})
		if errs = ticket.FieldErrorsOf(err); errs == nil && err != nil {
			return err
		}
		s.public.Fail(key)
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusBadRequest)
		return s.renderStatus(c, t, pageData{Form: map[string]string{"kommentar": comment}, Errors: errs})
	}
	return c.Redirect("/sak/"+t.StatusToken+"?takk=1#tilbakemelding", fiber.StatusSeeOther)
}

// feedbackHistoryText is the answer as the ticket's history shows it.
func feedbackHistoryText(e *ticket.Event) string {
	text := "Innsenderen svarte «" + e.To + "» på «" + ticket.FeedbackQuestion + "»"
	if e.Detail != "" {
		return text + ": «" + e.Detail + "»"
	}
	return text + "."
}
