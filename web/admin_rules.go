package web

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// RulesAdmin is what the routing rule pages need: the active rules, saved versions, and trying
// a candidate set before it is saved. cmd implements it over routing and storage.
type RulesAdmin interface {
	ActiveRules(ctx context.Context) (ticket.ActiveRules, error)
	DefaultRulesText() string
	RuleSets(ctx context.Context) ([]*ticket.RuleSet, error)
	RuleSet(ctx context.Context, version int) (*ticket.RuleSet, error)
	// CheckRules, TryRules, TryRulesOnMail and SaveRules return ticket.RuleErrors when the
	// text has mistakes.
	CheckRules(text string) error
	TryRules(ctx context.Context, text string, since time.Time) (*ticket.RuleReplay, error)
	TryRulesOnMail(ctx context.Context, text string, raw []byte) (*ticket.RuleTrial, error)
	SaveRules(ctx context.Context, text, note string) (*ticket.RuleSet, error)
	RestoreRules(ctx context.Context, version int, note string) (*ticket.RuleSet, error)
	// RuleWarnings returns what in a valid text will not work as written (a rule naming an
	// acknowledgement template that does not exist); the text can still be saved.
	RuleWarnings(text string) ticket.RuleErrors
	// TemplateRefs lists the rules in force that name an acknowledgement template.
	TemplateRefs() []ticket.TemplateRef
}

// rulesPage is the rule editor with, after a try, the errors or what would change.
type rulesPage struct {
	Active   ticket.ActiveRules
	Versions []*ticket.RuleSet
	Text     string
	Since    string // yyyy-mm-dd
	// SinceError is shown beside the date field.
	SinceError string
	Note       string
	Errors     ticket.RuleErrors
	// Warnings are shown beside the editor for the text it holds; they do not stop a save.
	Warnings ticket.RuleErrors
	Replay   *ticket.RuleReplay
	Trial    *ticket.RuleTrial
	Agencies ticket.Agencies
	// Model is the routing model that learns from staff (admin_model.go); nil without one.
	Model *ticket.ModelStatus
}

// defaultTryDays bounds a dry-run from the page: the last three months, unless changed.
const defaultTryDays = 90

func (s *Server) rulesPageData(c *fiber.Ctx) (*rulesPage, error) {
	active, err := s.Rules.ActiveRules(c.UserContext())
	if err != nil {
		return nil, err
	}
	versions, err := s.Rules.RuleSets(c.UserContext())
	if err != nil {
		return nil, err
	}
	since := s.Now().In(ticket.Oslo).AddDate(0, 0, -defaultTryDays).Format("2006-01-02")
	return &rulesPage{Active: active, Versions: versions, Text: active.Text, Since: since, Agencies: s.Agencies, Model: s.modelStatus()}, nil
}

func (s *Server) renderRules(c *fiber.Ctx, d *rulesPage, notice string) error {
	if len(d.Errors) == 0 {
		d.Warnings = s.Rules.RuleWarnings(d.Text)
	}
	p := pageData{Title: "Rutingsregler", Data: d, Notice: notice}
	if len(d.Errors) > 0 {
		c.Status(fiber.StatusBadRequest)
		p.Message = "Reglene har " + strconv.Itoa(len(d.Errors)) + " feil. Rett dem og prøv igjen; ingenting er lagret."
	}
	return s.renderAdmin(c, "admin_rules", "regler", p)
}

func (s *Server) handleRules(c *fiber.Ctx) error {
	d, err := s.rulesPageData(c)
	if err != nil {
		return err
	}
	notice := ""
	if v, err := strconv.Atoi(c.Query("lagret")); err == nil && v > 0 {
		notice = "Versjon " + strconv.Itoa(v) + " er lagret og brukes nå for nye saker."
	}
	return s.renderRules(c, d, notice)
}

// handleRulesTry checks the text and, when it is valid, replays it over the stored tickets
// (and over an uploaded or pasted .eml). Nothing is saved.
func (s *Server) handleRulesTry(c *fiber.Ctx) error {
	d, err := s.rulesPageData(c)
	if err != nil {
		return err
	}
	// Copies: the compiled rules keep parts of the text after the request, and fiber reuses
	// its buffers.
	d.Text, d.Since = strings.Clone(c.FormValue("text")), strings.Clone(c.FormValue("since"))
	since, err := parseDate(d.Since)
	if err != nil {
		d.SinceError = ticket.ErrorMessage(err)
		c.Status(fiber.StatusBadRequest)
		return s.renderAdmin(c, "admin_rules", "regler", pageData{Title: "Rutingsregler", Data: d, Message: d.SinceError})
	}
	if d.Errors = ruleErrors(s.Rules.CheckRules(d.Text)); d.Errors != nil {
		return s.renderRules(c, d, "")
	}
	if d.Replay, err = s.Rules.TryRules(c.UserContext(), d.Text, since); err != nil {
		return err
	}
	raw, err := uploadedMail(c)
	if err != nil {
		return err
	}
	if raw != nil {
		if d.Trial, err = s.Rules.TryRulesOnMail(c.UserContext(), d.Text, raw); err != nil {
			return err
		}
	}
	return s.renderRules(c, d, "")
}

func (s *Server) handleRulesSave(c *fiber.Ctx) error {
	text, note := strings.Clone(c.FormValue("text")), strings.Clone(c.FormValue("note"))
	set, err := s.Rules.SaveRules(c.UserContext(), text, note)
	if errs := ruleErrors(err); errs != nil {
		d, derr := s.rulesPageData(c)
		if derr != nil {
			return derr
		}
		d.Text, d.Note, d.Errors = text, note, errs
		return s.renderRules(c, d, "")
	} else if err != nil {
		return err
	}
	s.Logger.Info("routing rules saved", "version", set.Version, "user_id", userFrom(c).ID)
	return c.Redirect("/admin/regler?lagret="+strconv.Itoa(set.Version), fiber.StatusSeeOther)
}

// ruleErrors returns the rule mistakes in err, or nil when err is something else.
func ruleErrors(err error) ticket.RuleErrors {
	var errs ticket.RuleErrors
	if errors.As(err, &errs) && len(errs) > 0 {
		return errs
	}
	return nil
}

func parseDate(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, ticket.Oslo)
	if err != nil {
		return time.Time{}, ticket.FieldError("since", "Skriv datoen som åååå-mm-dd, for eksempel 2026-01-01.")
	}
	return t, nil
}

// maxEMLBytes bounds a mail uploaded for a trial.
const maxEMLBytes = 10 << 20

// uploadedMail returns the .eml uploaded or pasted with the form, or nil when there is none.
func uploadedMail(c *fiber.Ctx) ([]byte, error) {
	if pasted := strings.TrimSpace(c.FormValue("eml_text")); pasted != "" {
		return []byte(strings.ReplaceAll(pasted, "\r\n", "\n")), nil
	}
	fh, err := c.FormFile("eml")
	if err != nil || fh.Size == 0 {
		return nil, nil // no file chosen
	}
	if fh.Size > maxEMLBytes {
		return nil, ticket.Errorf(ticket.ETOOLARGE, "E-posten er for stor til å prøve reglene på (høyst 10 MB).")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxEMLBytes))
}
