package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

func (s *Server) registerAdminRoutes(r fiber.Router) {
	r.Get("/", s.handleAdmin)
	r.Get("/brukere", s.handleUsers)
	r.Post("/brukere", s.handleUserCreate)
	r.Post("/brukere/:id/rolle", s.handleUserRole)
	r.Post("/brukere/:id/aktiv", s.handleUserActive)
	r.Post("/brukere/:id/passord", s.handleUserPassword)
	r.Get("/api-nokler", s.handleTokens)
	r.Post("/api-nokler", s.handleTokenCreate)
	r.Post("/api-nokler/:id/slett", s.handleTokenDelete)
	r.Get("/sikkerhetskopi", s.handleBackupPage)
	r.Post("/sikkerhetskopi", s.handleBackupDownload)
}

// adminArea is one entry of the admin menu. Some areas are built by other parts of the
// program (rules, agencies, templates, quarantine, outbox); the menu links to their routes.
type adminArea struct {
	Key, Label, Path, About string
}

var adminAreas = []adminArea{
	{"brukere", "Brukere", "/admin/brukere", "Saksbehandlere og administratorer, roller, passord."},
	{"api-nokler", "API-nøkler", "/admin/api-nokler", "Nøkler for programmer som bruker JSON-API-et."},
	{"etater", "Etater", "/admin/etater", "Etatene saker kan høre til eller henvises til."},
	{"svarmaler", "Svarmaler og kvitteringer", "/admin/svarmaler", "Ferdige svar, og kvitteringsmalene nye saker får (reglene velger mal)."},
	{"regler", "Regelsett", "/admin/regler", "Reglene som fordeler nye saker, med prøvekjøring."},
	{"karantene", "Karantene", "/karantene", "E-post som ikke kunne leses inn."},
	{"utboks", "Utboks", "/utboks", "Utgående e-post, og e-post som ikke kom fram."},
	{"sikkerhetskopi", "Sikkerhetskopi", "/admin/sikkerhetskopi", "Last ned en kopi av hele databasen."},
}

// adminPage is what every admin page gets: the menu and which area is open.
type adminPage struct {
	Areas   []adminArea
	Current string
	Data    any
}

func (s *Server) renderAdmin(c *fiber.Ctx, name, current string, d pageData) error {
	d.Nav = "admin"
	d.Data = adminPage{Areas: adminAreas, Current: current, Data: d.Data}
	return s.render(c, name, d)
}

// retentionInfo is the retention setting and what the anonymiser last did.
type retentionInfo struct {
	Days    int
	Enabled bool
	Last    ticket.RetentionRun
}

func (s *Server) handleAdmin(c *fiber.Ctx) error {
	info := retentionInfo{Days: int(s.RetainFor.Hours() / 24), Enabled: s.RetainFor > 0}
	if s.Retention != nil {
		last, err := s.Retention.LastRetentionRun(c.UserContext())
		if err != nil {
			return err
		}
		info.Last = last
	}
	return s.renderAdmin(c, "admin", "", pageData{Title: "Administrasjon", Data: info, MailProblems: s.mailProblems()})
}
