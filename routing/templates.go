package routing

import (
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// TemplateRefs lists the rules that name an acknowledgement template, in file order.
func (rs *RuleSet) TemplateRefs() []ticket.TemplateRef {
	var refs []ticket.TemplateRef
	for _, r := range rs.rules {
		if r.template != "" {
			refs = append(refs, ticket.TemplateRef{Rule: r.name, Line: r.templateLine, Template: r.template})
		}
	}
	return refs
}

// TemplateWarnings returns a warning, with its line, for every rule that names an
// acknowledgement template exists does not know (nil exists: no check). Such a rule is not a
// mistake: the set still compiles and routes, and its tickets get the default acknowledgement
// (the composer falls back and logs it), because a template may be created after the rules that
// use it, and a deleted template must never stop the server at its next start.
func (rs *RuleSet) TemplateWarnings(exists func(name string) bool) ticket.RuleErrors {
	if exists == nil {
		return nil
	}
	var warns ticket.RuleErrors
	for _, ref := range rs.TemplateRefs() {
		if !exists(ref.Template) {
			warns = append(warns, &ticket.RuleError{Line: ref.Line, Rule: ref.Rule, Key: "template",
				Msg: fmt.Sprintf("kvitteringsmalen «%s» finnes ikke; saker regelen gjelder, får standardkvitteringen til malen er opprettet på /admin/svarmaler", ref.Template)})
		}
	}
	return warns
}
