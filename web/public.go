package web

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Limits on the public pages, per client address. Municipal staff often share one address
// (the municipality's network), so the form allows a few questions an hour before it says no;
// guessing status links is refused much sooner.
const (
	defaultPublicLimit = 10
	publicWindow       = time.Hour
	missLimit          = 20
	missWindow         = 10 * time.Minute
	receiptCookie      = "dh_kvittering"
	receiptAge         = 30 * time.Minute
)

func (s *Server) openPublic() {
	limit := s.PublicLimit
	if limit <= 0 {
		limit = defaultPublicLimit
	}
	s.public = newFailureLimiter(limit, publicWindow, s.Now)
	s.misses = newFailureLimiter(missLimit, missWindow, s.Now)
	s.life.goUntilShutdown(s.public.sweep)
	s.life.goUntilShutdown(s.misses.sweep)
}

// formPage is what the question form shows besides the values and errors in pageData.
type formPage struct {
	Categories []ticket.Category
	Places     []ticket.Place // nil when there is no picker
	FilesLost  bool           // files were chosen but must be chosen again after an error
	UploadHint string
	MunicOther string
	// Retention is the policy in force, which the privacy text states; Known is false when the
	// server has no anonymiser wired (tests), and the text then says nothing of a period.
	Retention ticket.RetentionSetting
	Known     bool
}

func (s *Server) renderForm(c *fiber.Ctx, d pageData, filesLost bool) error {
	c.Set(fiber.HeaderCacheControl, "no-store") // it carries this browser's CSRF token
	d.Title, d.Public, d.Index = "Still et spørsmål til Digihjelpen", true, true
	d.Scripts = []string{"form.js"}
	page := formPage{Categories: ticket.Categories, FilesLost: filesLost, UploadHint: uploadHint, MunicOther: municOther}
	if s.Retention != nil {
		set, err := s.Retention.RetentionSetting(c.UserContext())
		if err != nil {
			return err
		}
		page.Retention, page.Known = set, true
	}
	if s.Places != nil {
		page.Places = s.Places.Municipalities()
	}
	d.Data = page
	return s.render(c, "form", d)
}

func (s *Server) handleForm(c *fiber.Ctx) error {
	return s.renderForm(c, pageData{Form: map[string]string{}}, false)
}

func (s *Server) handleFormSubmit(c *fiber.Ctx) error {
	f, parseErr := parseQuestionForm(c)
	if parseErr != nil && ticket.FieldErrorsOf(parseErr) == nil {
		return parseErr
	}
	key := s.clientKey(c)
	if blocked, wait := s.public.Blocked(key); blocked {
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		c.Status(fiber.StatusTooManyRequests)
		return s.renderForm(c, pageData{Form: f.values(), Message: "Det er sendt mange spørsmål fra denne adressen den siste timen. " +
			"Vent litt og send igjen; teksten din står fortsatt i skjemaet."}, len(f.Files) > 0)
	}
	if f.Honeypot != "" { // a bot: it gets a thank-you and nothing is stored
		s.public.Fail(key)
		s.Logger.Info("web form honeypot filled", "ip", s.ipTag(c))
		return s.render(c, "receipt", pageData{Title: "Takk for spørsmålet", Public: true})
	}
	if c.FormValue(fieldAction) == "finn-kommune" {
		return s.suggestMunicipality(c, f)
	}
	v, errs, err := s.validate(f)
	if err != nil {
		return err
	}
	errs = append(errs, ticket.FieldErrorsOf(parseErr)...) // the files could not be read at all
	if len(errs) > 0 {
		c.Status(fiber.StatusBadRequest)
		return s.renderForm(c, pageData{Form: f.values(), Errors: errs}, len(f.Files) > 0)
	}
	if shown, err := s.offerArticles(c, f); shown || err != nil {
		return err // «Kanskje dette svarer på spørsmålet?» (issue 16)
	}
	t, err := s.createFromForm(c.UserContext(), v)
	if err != nil {
		return err
	}
	s.public.Fail(key)
	s.Logger.Info("web form ticket created", "ref", t.Ref.String(), "agency", t.Agency)
	c.Cookie(&fiber.Cookie{Name: receiptCookie, Value: t.StatusToken, Path: "/kvittering", HTTPOnly: true,
		Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode, MaxAge: int(receiptAge.Seconds())})
	return c.Redirect("/kvittering", fiber.StatusSeeOther)
}

// suggestMunicipality is the "find my municipality" button for browsers without JavaScript:
// the form comes back with the municipality of the email domain chosen.
func (s *Server) suggestMunicipality(c *fiber.Ctx, f questionForm) error {
	d := pageData{Form: f.values()}
	if s.Places != nil {
		if p, ok := s.Places.ByEmail(f.Email); ok {
			d.Form[fieldMunic] = p.Municipality.Number
			d.Notice = "Vi har valgt " + p.Municipality.Name + " kommune ut fra e-postadressen. Sjekk at det stemmer."
		} else {
			d.Notice = "Vi kjente ikke igjen kommunen ut fra e-postadressen. Velg den i listen."
		}
	}
	return s.renderForm(c, d, len(f.Files) > 0)
}

// createFromForm makes the ticket: routed, stored with its first message and the queued
// confirmation mail in one transaction. The requester is the actor in the audit trail.
func (s *Server) createFromForm(ctx context.Context, v validated) (*ticket.Ticket, error) {
	t := &ticket.Ticket{
		Subject: v.subject, Status: ticket.StatusNew, Agency: ticket.AgencyKS, Priority: ticket.PriorityNormal,
		Channel: ticket.ChannelWeb, Category: v.category.Key,
		Requester: ticket.Requester{Name: v.name, Email: v.email, Municipality: v.place.Municipality, County: v.place.County},
	}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: v.email, FromName: v.name, To: nil, Subject: t.Subject,
		Text: v.question, Attachments: v.files}
	if s.Router != nil {
		s.Router.Route(t, m).Apply(t)
	}
	ctx = ticket.NewContextWithActor(ctx, ticket.Actor{Name: v.email})
	if err := s.Tickets.CreateTicket(ctx, t, m, ticket.CreateOptions{Acknowledge: s.Acknowledge}); err != nil {
		return nil, err
	}
	return t, nil
}

// receiptPage is the confirmation after a question was sent.
type receiptPage struct {
	Ticket    *ticket.Ticket
	StatusURL string
	Category  string
	Mailed    bool
}

// handleReceipt shows the reference and the private status link of the question just sent.
// The ticket comes from a short-lived cookie, so the URL holds nothing about the requester.
// The cookie is as much a guess as a status link when someone else sets it, so it is looked
// up under the same limit on misses.
func (s *Server) handleReceipt(c *fiber.Ctx) error {
	token := c.Cookies(receiptCookie)
	if token == "" {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	t, err := s.ticketByToken(c, token)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return c.Redirect("/", fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	cat, _ := ticket.FindCategory(t.Category)
	d := receiptPage{Ticket: t, StatusURL: s.statusURL(t), Category: cat.Label, Mailed: s.Acknowledge != nil && !s.mailOff()}
	return s.render(c, "receipt", pageData{Title: "Takk for spørsmålet", Public: true, Data: d})
}

// statusURL is the private link to a ticket's status page.
func (s *Server) statusURL(t *ticket.Ticket) string {
	return strings.TrimSuffix(s.BaseURL, "/") + "/sak/" + t.StatusToken
}

// privatePage marks a page that carries a secret link or personal data: never cached, never
// indexed, and no Referer sent from it (so the link does not leak to sites it links to).
func privatePage(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex, nofollow, noarchive")
	c.Set("Referrer-Policy", "no-referrer")
}

// handleMunicipalityLookup answers the form's script: the municipality of a mail domain. It
// takes the domain only, never the address.
func (s *Server) handleMunicipalityLookup(c *fiber.Ctx) error {
	domain := strings.ToLower(strings.TrimSpace(c.Query("domene")))
	if s.Places == nil || domain == "" || len(domain) > 253 || strings.ContainsAny(domain, "@/ ") {
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{})
	}
	p, ok := s.Places.ByEmail("x@" + domain)
	if !ok {
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{})
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(fiber.Map{"number": p.Municipality.Number, "name": p.Municipality.Name})
}
