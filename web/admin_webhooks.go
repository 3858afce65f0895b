package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Team webhooks, /admin/webhooker: a team's Teams or Slack channel told of the notifications
// of the agencies it covers. The address is a secret of its own (Teams and Slack put the key
// in it), so the page shows only its host.

type webhooksPage struct {
	Webhooks []webhookRow
	Kinds    []ticket.NotifyKind
	Formats  []ticket.WebhookFormat
	Agencies ticket.Agencies
	// Chosen are the kinds and agencies ticked in the form (after a refused try).
	Chosen map[string]bool
}

type webhookRow struct {
	*ticket.Webhook
	Host     string
	Agencies string
	Kinds    string
}

var webhookNotices = map[string]string{
	"slettet": "Webhooken er slettet.",
	"test":    "En testmelding er lagt i utboksen og sendes nå. Se om den kom fram i kanalen, eller på Utboks.",
}

func (s *Server) renderWebhooks(c *fiber.Ctx, d pageData, chosen map[string]bool) error {
	list, err := s.Webhooks.FindWebhooks(c.UserContext())
	if err != nil {
		return err
	}
	p := webhooksPage{Kinds: ticket.NotifyKinds, Formats: ticket.WebhookFormats, Agencies: s.Agencies, Chosen: chosen}
	for _, w := range list {
		p.Webhooks = append(p.Webhooks, s.webhookRow(w))
	}
	if p.Chosen == nil {
		p.Chosen = map[string]bool{"varsel-" + string(ticket.NotifyNewTicket): true, "format-" + string(ticket.WebhookMessage): true}
	}
	d.Title, d.Data = "Webhooker", p
	return s.renderAdmin(c, "admin_webhooks", "webhooker", d)
}

func (s *Server) webhookRow(w *ticket.Webhook) webhookRow {
	r := webhookRow{Webhook: w, Agencies: "alle etater"}
	if u, err := url.Parse(w.URL); err == nil {
		r.Host = u.Host
	}
	if len(w.Agencies) > 0 {
		var names []string
		for _, a := range w.Agencies {
			names = append(names, s.Agencies.Name(a))
		}
		r.Agencies = strings.Join(names, ", ")
	}
	var kinds []string
	for _, k := range w.Kinds {
		kinds = append(kinds, k.Label())
	}
	r.Kinds = strings.Join(kinds, "; ")
	return r
}

func (s *Server) handleWebhooks(c *fiber.Ctx) error {
	return s.renderWebhooks(c, pageData{Notice: webhookNotices[c.Query("ok")]}, nil)
}

// handleWebhookCreate stores a webhook and shows its new secret once.
func (s *Server) handleWebhookCreate(c *fiber.Ctx) error {
	w := &ticket.Webhook{Name: c.FormValue("navn"), URL: strings.TrimSpace(c.FormValue("adresse")),
		Agencies: formValues(c, "etat"), Format: ticket.WebhookFormat(c.FormValue("format")), Secret: newWebhookSecret()}
	chosen := map[string]bool{"format-" + string(w.Format): true}
	for _, k := range formValues(c, "varsel") {
		w.Kinds = append(w.Kinds, ticket.NotifyKind(k))
		chosen["varsel-"+k] = true
	}
	for _, a := range w.Agencies {
		chosen["etat-"+a] = true
	}
	if err := w.Validate(s.Agencies); err != nil {
		fe := ticket.FieldErrorsOf(err)
		if fe == nil {
			return err
		}
		c.Status(fiber.StatusBadRequest)
		return s.renderWebhooks(c, pageData{Errors: fe, Form: map[string]string{"navn": w.Name, "adresse": w.URL}}, chosen)
	}
	if err := s.Webhooks.CreateWebhook(c.UserContext(), w); err != nil {
		return err
	}
	return s.renderWebhookSecret(c, w)
}

func (s *Server) renderWebhookSecret(c *fiber.Ctx, w *ticket.Webhook) error {
	return s.renderAdmin(c, "admin_secret", "webhooker", pageData{Title: "Hemmeligheten til webhooken «" + w.Name + "»",
		Data: secretPage{Label: "Hemmeligheten som signerer innleggene", Secret: w.Secret, Back: "/admin/webhooker",
			Hint: "Kopier den nå; den vises bare denne ene gangen. Mottakeren bruker den til å sjekke signaturen " +
				"(HMAC-SHA256 i X-Digihjelpen-Signature). Teams og Slack sjekker ikke signaturen, og trenger den ikke."}})
}

// webhookParam loads the webhook named by :id.
func (s *Server) webhookParam(c *fiber.Ctx) (*ticket.Webhook, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke webhooken.")
	}
	return s.Webhooks.FindWebhook(c.UserContext(), id)
}

func (s *Server) handleWebhookSecret(c *fiber.Ctx) error {
	w, err := s.webhookParam(c)
	if err != nil {
		return err
	}
	w.Secret = newWebhookSecret()
	if err := s.Webhooks.SetWebhookSecret(c.UserContext(), w.ID, w.Secret); err != nil {
		return err
	}
	return s.renderWebhookSecret(c, w)
}

// handleWebhookTest queues a test post, which goes out (and is retried) like any other.
func (s *Server) handleWebhookTest(c *fiber.Ctx) error {
	w, err := s.webhookParam(c)
	if err != nil {
		return err
	}
	post, err := s.Planner.TestPost(w, s.Now())
	if err != nil {
		return err
	}
	if err := s.Webhooks.QueueWebhookPost(c.UserContext(), post); err != nil {
		return err
	}
	return c.Redirect("/admin/webhooker?ok=test", fiber.StatusSeeOther)
}

func (s *Server) handleWebhookDelete(c *fiber.Ctx) error {
	w, err := s.webhookParam(c)
	if err != nil {
		return err
	}
	if err := s.Webhooks.DeleteWebhook(c.UserContext(), w.ID); err != nil {
		return err
	}
	return c.Redirect("/admin/webhooker?ok=slettet", fiber.StatusSeeOther)
}

// newWebhookSecret is a fresh signing secret.
func newWebhookSecret() string { return "whsec_" + randomToken(32) }
