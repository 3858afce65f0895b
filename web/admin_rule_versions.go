package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// ruleVersionPage shows one saved version, or the built-in rules (Set.Version 0).
type ruleVersionPage struct {
	Set     *ticket.RuleSet
	Builtin bool
	Active  bool
	Since   string
}

func (s *Server) handleRuleVersion(c *fiber.Ctx) error {
	d, err := s.rulesPageData(c)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(c.Params("version"))
	if err != nil {
		return ticket.Errorf(ticket.ENOTFOUND, "Fant ikke versjon «%s» av reglene.", c.Params("version"))
	}
	set, err := s.Rules.RuleSet(c.UserContext(), v)
	if err != nil {
		return err
	}
	p := ruleVersionPage{Set: set, Active: d.Active.Version == set.Version, Since: d.Since}
	return s.renderAdmin(c, "admin_rule_version", "regler", pageData{Title: "Regler, versjon " + strconv.Itoa(v), Data: p})
}

func (s *Server) handleRulesDefault(c *fiber.Ctx) error {
	d, err := s.rulesPageData(c)
	if err != nil {
		return err
	}
	p := ruleVersionPage{Set: &ticket.RuleSet{Text: s.Rules.DefaultRulesText()}, Builtin: true, Since: d.Since}
	return s.renderAdmin(c, "admin_rule_version", "regler", pageData{Title: "Innebygde regler", Data: p})
}

// handleRuleRestore makes an earlier version active again, as a new version.
func (s *Server) handleRuleRestore(c *fiber.Ctx) error {
	v, err := strconv.Atoi(c.Params("version"))
	if err != nil {
		return ticket.Errorf(ticket.ENOTFOUND, "Fant ikke versjon «%s» av reglene.", c.Params("version"))
	}
	set, err := s.Rules.RestoreRules(c.UserContext(), v, strings.Clone(c.FormValue("note")))
	if errs := ruleErrors(err); errs != nil {
		return ticket.Errorf(ticket.EINVALID, "Versjon %d kan ikke tas i bruk igjen: %s", v, errs[0].Error())
	} else if err != nil {
		return err
	}
	s.Logger.Info("routing rules restored", "version", set.Version, "from", v, "user_id", userFrom(c).ID)
	return c.Redirect("/admin/regler?lagret="+strconv.Itoa(set.Version), fiber.StatusSeeOther)
}
