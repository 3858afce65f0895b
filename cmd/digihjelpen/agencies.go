package main

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// Agencies are configuration with built-in defaults (routing.DefaultAgencies). An [[agencies]]
// table with the key of a built-in agency changes the fields it gives (typically the referral
// address, which no agency publishes); a table with a new key adds an agency. Built-in agencies
// cannot be removed: stored tickets and rules name them.

// mergeAgencies applies the configured agencies to the defaults, keeping the defaults' order
// and appending new ones in file order.
func mergeAgencies(defaults ticket.Agencies, configured []ticket.Agency) ticket.Agencies {
	out := append(ticket.Agencies(nil), defaults...)
	for _, c := range configured {
		i := indexOfAgency(out, c.Key)
		if i < 0 {
			out = append(out, c)
			continue
		}
		if c.Name != "" {
			out[i].Name = c.Name
		}
		if c.Email != "" {
			out[i].Email = c.Email
		}
		if c.Description != "" {
			out[i].Description = c.Description
		}
	}
	return out
}

func indexOfAgency(as ticket.Agencies, key string) int {
	for i, a := range as {
		if a.Key == key {
			return i
		}
	}
	return -1
}

var agencyKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)

// validateAgencies checks the [[agencies]] tables of a config file, naming the line and key.
// A table for a new agency needs a name; every given address must parse.
func validateAgencies(path, text string, as []ticket.Agency) error {
	seen := map[string]bool{}
	for i, a := range as {
		bad := func(field, reason string) error {
			return &ConfigError{Source: path, Line: lineInTable(text, "agencies", i, field),
				Key: fmt.Sprintf("agencies[%d].%s", i+1, field), Reason: reason}
		}
		switch {
		case !agencyKeyPattern.MatchString(a.Key):
			return bad("key", fmt.Sprintf("expected lower-case letters a-z, digits and -, such as \"nav\", got %q", a.Key))
		case seen[a.Key]:
			return bad("key", fmt.Sprintf("agency %q is configured twice", a.Key))
		case a.Name == "" && indexOfAgency(routing.DefaultAgencies(), a.Key) < 0:
			return bad("name", fmt.Sprintf("expected a name for the new agency %q (built-in agencies: %s)", a.Key, strings.Join(routing.DefaultAgencies().Keys(), ", ")))
		case a.Email != "" && !isAddress(a.Email):
			return bad("email", fmt.Sprintf("expected an email address such as \"henvisning@nav.no\", got %q", a.Email))
		}
		seen[a.Key] = true
	}
	return nil
}

func isAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && strings.Contains(a.Address, "@")
}

// lineInTable finds the line of key in the n-th (from 0) [[name]] table, or of the table's
// header when the key is not written there.
func lineInTable(text, name string, n int, key string) int {
	header, count := 0, -1
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") {
			if count == n && header > 0 {
				break // past the table
			}
			if strings.ReplaceAll(l, " ", "") == "[["+name+"]]" {
				if count++; count == n {
					header = i + 1
				}
			}
			continue
		}
		if count == n && header > 0 {
			if before, _, ok := strings.Cut(l, "="); ok && strings.TrimSpace(before) == key {
				return i + 1
			}
		}
	}
	return header
}
