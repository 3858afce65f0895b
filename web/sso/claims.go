package sso

import (
	"fmt"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/ks-no/digihjelpen/ticket"
)

// person reads who signed in from a verified token. Entra ID sends "email" only when the
// optional claim is configured, so preferred_username (the UPN, an address at KS) stands in.
func (c *Client) person(idt *oidc.IDToken) (*Person, error) {
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrToken, err)
	}
	str := func(k string) string { s, _ := claims[k].(string); return strings.TrimSpace(s) }
	if v, ok := claims["email_verified"].(bool); ok && !v {
		return nil, fmt.Errorf("%w: email_verified is false", ErrNoEmail)
	}
	email := str("email")
	if email == "" && strings.Contains(str("preferred_username"), "@") {
		email = str("preferred_username")
	}
	if email == "" {
		return nil, ErrNoEmail
	}
	name := str("name")
	if name == "" {
		name = email
	}
	if overage(claims, c.cfg.GroupsClaim) {
		return nil, ErrTooManyGroups
	}
	groups := stringList(claims[c.cfg.GroupsClaim])
	return &Person{Subject: idt.Issuer + " " + idt.Subject, Email: email, Name: name, Groups: groups, Role: c.RoleFor(groups),
		Issuer: idt.Issuer, SessionID: str("sid")}, nil
}

// overage reports Entra ID's sign that the groups did not fit in the token: "_claim_names"
// names the claim instead of carrying it (more than 200 groups), or "hasgroups" is set.
func overage(claims map[string]any, groupsClaim string) bool {
	if names, ok := claims["_claim_names"].(map[string]any); ok {
		if _, ok := names[groupsClaim]; ok {
			return true
		}
	}
	has, _ := claims["hasgroups"].(bool)
	return has
}

// stringList reads a claim that holds a list of strings, or one string.
func stringList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// RoleFor returns the highest role the groups give: admin, then agent, then reader; "" when
// none of them is configured for any role.
func (c *Client) RoleFor(groups []string) ticket.Role {
	in := func(list []string) bool {
		return slices.ContainsFunc(groups, func(g string) bool {
			return slices.ContainsFunc(list, func(want string) bool { return strings.EqualFold(g, want) })
		})
	}
	switch {
	case in(c.cfg.AdminGroups):
		return ticket.RoleAdmin
	case in(c.cfg.AgentGroups):
		return ticket.RoleAgent
	case in(c.cfg.ReaderGroups):
		return ticket.RoleReader
	}
	return ""
}
