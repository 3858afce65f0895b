package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// runRules is «digihjelpen rules check FILE» (is the file valid?) and «digihjelpen rules test
// FILE [-since DATE]» (what would the file change on the stored tickets?). Neither saves
// anything; saving is done on /admin/regler, where it is versioned.
func runRules(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || (args[0] != "check" && args[0] != "test") {
		return fmt.Errorf("%w: expected «rules check FILE» or «rules test FILE [-since 2026-01-01]»", errUsage)
	}
	sub := args[0]
	fs, configPath := newFlags("rules "+sub, e)
	since := fs.String("since", "", "bare saker opprettet fra og med denne datoen (ÅÅÅÅ-MM-DD, Oslo-tid)")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: expected «rules %s FILE»", errUsage, sub)
	}
	from, err := parseSince(*since)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(*configPath, e)
	if err != nil {
		return err
	}
	places, err := routing.LoadPlaces()
	if err != nil {
		return err
	}
	env := routing.Env{Agencies: mergeAgencies(routing.DefaultAgencies(), cfg.Agencies), Places: places}
	text, err := readCallerFile(e.fs(), rest[0])
	if err != nil {
		return err
	}
	rs, err := compileRules(rest[0], text, env)
	if err != nil {
		return err
	}
	warnings := printRuleWarnings(ctx, e, cfg, rest[0], rs)
	if sub == "check" {
		fmt.Fprintf(e.stdout, "%s: %d regler, ingen feil%s.\n", rest[0], rs.Rules(), warningCount(warnings))
		return nil
	}
	return testRules(ctx, e, cfg, rest[0], text, env, from)
}

// readCallerFile reads a whole (small) file the command line names.
func readCallerFile(cf callerFiles, path string) ([]byte, error) {
	f, err := cf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	defer f.Close()
	text, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	return text, nil
}

func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, ticket.Oslo)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: -since: expected a date such as 2026-01-01, got %q", errUsage, s)
	}
	return t, nil
}

// testRules replays the rules in text (the file name) over the stored tickets, read-only, and
// prints what would change: the server's tickets while it runs, else the file opened read-only.
// The rules are compiled again with that store's municipality register, for special_need.
func testRules(ctx context.Context, e env, cfg Config, name string, text []byte, renv routing.Env, since time.Time) error {
	var db *data.DB
	if e.server != nil {
		db, renv.Needs = e.server.db, e.server.register
	} else {
		db = &data.DB{Path: cfg.Storage.Path, Now: time.Now, ReadOnly: true}
		if err := db.Open(); err != nil {
			return err
		}
		defer db.Close()
		renv.Needs = data.NewRegisterService(db)
	}
	rs, err := compileRules(name, text, renv)
	if err != nil {
		return err
	}
	rp := routing.NewReplay(rs, since, 1000)
	err = data.NewTicketService(db).ForEachTicket(ctx, since, func(t *ticket.Ticket, first *ticket.Message) error {
		rp.Add(t, first)
		return nil
	})
	if err != nil {
		return err
	}
	printReplay(e.stdout, rp.Result(), renv.Agencies)
	return nil
}

func printReplay(w io.Writer, r *ticket.RuleReplay, agencies ticket.Agencies) {
	scope := "alle lagrede saker"
	if !r.Since.IsZero() {
		scope = "saker opprettet fra " + r.Since.In(ticket.Oslo).Format("02.01.2006")
	}
	fmt.Fprintf(w, "Prøvekjøring på %s: %d saker, %d ville fått en annen etat, %d andre endringer, %d bare nye merkelapper.\n",
		scope, r.Scanned, r.Moved, r.Changed-r.Moved-r.TagsOnly, r.TagsOnly)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nEtat\tNå\tMed de nye reglene")
	for _, c := range r.Counts {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", agencies.Name(c.Agency), c.Before, c.After)
	}
	if len(r.Moves) > 0 {
		fmt.Fprintln(tw, "\nFlytting\tSaker\t")
		for _, m := range r.Moves {
			fmt.Fprintf(tw, "%s → %s\t%d\t\n", agencies.Name(m.From), agencies.Name(m.To), m.Count)
		}
	}
	tw.Flush()
	printStaffComparison(w, r.Staff, agencies)
	if len(r.Changes) == 0 {
		return
	}
	fmt.Fprintf(w, "\nEndrede saker (de %d nyeste):\n", len(r.Changes))
	for _, c := range r.Changes {
		fmt.Fprintf(w, "%s  %s\n", c.Ref, strings.Join(changeSummary(c, agencies), "; "))
	}
}

// changeSummary describes one change in a line: what moves, by which rule and why.
func changeSummary(c ticket.RuleChange, agencies ticket.Agencies) []string {
	var parts []string
	if c.FromAgency != c.ToAgency {
		s := fmt.Sprintf("%s → %s", agencies.Name(c.FromAgency), agencies.Name(c.ToAgency))
		if c.Manual {
			s += " (etaten er valgt manuelt)"
		}
		parts = append(parts, s)
	}
	if c.ToPriority != "" {
		parts = append(parts, fmt.Sprintf("prioritet %s → %s", c.FromPriority, c.ToPriority))
	}
	if c.ToAssignee != "" {
		parts = append(parts, "tildeles "+c.ToAssignee)
	}
	if len(c.TagsAdded) > 0 {
		parts = append(parts, "nye merkelapper "+strings.Join(c.TagsAdded, ", "))
	}
	return append(parts, fmt.Sprintf("regel «%s»: %s", c.ToRule, c.Reason))
}

// printStaffComparison says how the rules agree with the agencies staff chose, and where not.
func printStaffComparison(w io.Writer, st ticket.StaffComparison, agencies ticket.Agencies) {
	if st.Decided == 0 {
		return
	}
	fmt.Fprintf(w, "\nSaker saksbehandlerne har avgjort (flyttet eller løst): %d. De nye reglene velger samme etat i %d (%.0f %%).\n",
		st.Decided, st.RulesRight, 100*float64(st.RulesRight)/float64(st.Decided))
	for _, d := range st.Disagreements {
		if d.Rules == d.Staff {
			continue
		}
		fmt.Fprintf(w, "%s  saksbehandlerne: %s (%s); reglene: %s (regel «%s»)\n", d.Ref, agencies.Name(d.Staff), d.Source, agencies.Name(d.Rules), d.Rule)
	}
}
