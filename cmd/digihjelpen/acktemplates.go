package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// loadAckTemplates puts the acknowledgement templates into the composer, so that
// a.composer.Ack (the AckFunc of intake and the form) never reads storage; the admin pages
// put every later change there at once. The composer names agencies in {etat}.
func (a *app) loadAckTemplates(ctx context.Context) error {
	list, err := data.NewTemplateService(a.db).FindAckTemplates(ctx)
	if err != nil {
		return fmt.Errorf("load acknowledgement templates: %w", err)
	}
	a.composer.SetAckTemplates(list)
	a.composer.SetAgencies(a.agencies)
	return nil
}

// warnAckTemplates gives the composer the server's log (it warns there, once per name, when a
// rule names a template that does not exist) and logs the rules in force that do.
func warnAckTemplates(a *app, log *slog.Logger) {
	a.composer.SetLogger(log)
	active, err := a.rules.ActiveRules(context.Background())
	if err != nil { // the warnings below still name rule and line, only not the rules file
		log.Error("read the routing rules in force", "err", err)
	}
	for _, ref := range a.rules.TemplateRefs() {
		if !a.composer.HasAckTemplate(ref.Template) {
			log.Warn("routing rule names an acknowledgement template that does not exist; its tickets get the default",
				"rule", ref.Rule, "line", ref.Line, "template", ref.Template, "rules", active.Source)
		}
	}
}

// storedAckTemplates tells which acknowledgement templates exist, for «rules check» and
// «rules test»: those in the database (the running server's, or the file opened read-only)
// or, when it cannot be read (there is none yet), the built-in ones; note says which, when it
// matters.
func storedAckTemplates(ctx context.Context, e env, cfg Config) (exists func(name string) bool, note string) {
	names := map[string]bool{}
	exists = func(name string) bool { return names[name] }
	for _, t := range ticket.BuiltinAckTemplates() {
		names[t.Name] = true
	}
	var list []*ticket.AckTemplate
	var err error
	if e.server != nil {
		list, err = data.NewTemplateService(e.server.db).FindAckTemplates(ctx)
	} else if _, serr := os.Stat(cfg.Storage.Path); serr != nil {
		return exists, ""
	} else {
		list, err = readAckTemplates(ctx, cfg.Storage.Path)
	}
	if err != nil {
		return exists, fmt.Sprintf("Kvitteringsmalene er sjekket mot de innebygde malene; databasen kunne ikke leses (%v).", err)
	}
	clear(names)
	for _, t := range list {
		names[t.Name] = true
	}
	return exists, ""
}

func readAckTemplates(ctx context.Context, path string) ([]*ticket.AckTemplate, error) {
	db := &data.DB{Path: path, Now: time.Now, ReadOnly: true}
	if err := db.Open(); err != nil {
		return nil, err
	}
	defer db.Close()
	return data.NewTemplateService(db).FindAckTemplates(ctx)
}

// printRuleWarnings writes the warnings of rs for the file path as FILE:LINE: advarsel: … lines
// and returns how many there were.
func printRuleWarnings(ctx context.Context, e env, cfg Config, path string, rs *routing.RuleSet) int {
	w := e.stderr
	exists, note := storedAckTemplates(ctx, e, cfg)
	warns := rs.TemplateWarnings(exists)
	for _, warn := range warns {
		fmt.Fprintf(w, "%s:%d: advarsel: %s\n", path, warn.Line, (&ticket.RuleError{Rule: warn.Rule, Key: warn.Key, Msg: warn.Msg}).Error())
	}
	if note != "" {
		fmt.Fprintln(w, note)
	}
	return len(warns)
}

func warningCount(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", 1 advarsel"
	}
	return fmt.Sprintf(", %d advarsler", n)
}
