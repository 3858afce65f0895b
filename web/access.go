package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// access is who may use a route. It decides the whole chain before the handler: whether the
// session is read and forms need their CSRF token, and the one role check (guard.check).
type access int

const (
	noAccess   access = iota // the zero value: Open refuses a route that does not say
	anyone                   // no cookies read or set: health checks and static files
	public                   // anyone; the session is read and every form needs its CSRF token
	statusLink               // whoever holds a status link: as public, and the handler checks the link
	reader                   // signed-in staff of any role: leser, agent, admin
	agent                    // signed-in agents and admins
	admin                    // signed-in admins
	apiReader                // a bearer token of any role (leser, agent, admin), never a session
	apiAgent                 // a bearer token with the role agent or admin
	apiAdmin                 // a bearer token with the role admin (a person's data)
)

var accessNames = map[access]string{
	anyone: "anyone", public: "public", statusLink: "status link", reader: "reader", agent: "agent",
	admin: "admin", apiReader: "API reader", apiAgent: "API agent", apiAdmin: "API admin",
}

func (a access) String() string {
	if n, ok := accessNames[a]; ok {
		return n
	}
	return "no access"
}

// role is the least role the route needs ("" when it needs no sign-in or token).
func (a access) role() ticket.Role {
	switch a {
	case reader, apiReader:
		return ticket.RoleReader
	case agent, apiAgent:
		return ticket.RoleAgent
	case admin, apiAdmin:
		return ticket.RoleAdmin
	}
	return ""
}

// usesToken reports whether the route is for programs with a bearer token.
func (a access) usesToken() bool { return a == apiReader || a == apiAgent || a == apiAdmin }

// usesSession reports whether the route reads the session cookie and checks CSRF on forms.
func (a access) usesSession() bool { return a != noAccess && a != anyone && !a.usesToken() }

// guard is the role check of one access; it runs once per request, as the route's first
// handler after the session (TestRouteTable checks that every route has exactly one).
type guard struct {
	s *Server
	a access
}

func (g guard) check(c *fiber.Ctx) error {
	if g.a.usesToken() {
		return g.s.checkToken(c, g.a.role())
	}
	u := userFrom(c)
	if u == nil {
		return ticket.Errorf(ticket.EUNAUTHORIZED, "Du må logge inn.")
	}
	c.Set(fiber.HeaderCacheControl, "no-store") // pages with personal data are never cached
	if !u.Role.Allows(g.a.role()) {
		return ticket.Errorf(ticket.EFORBIDDEN, "%s", refusal(g.a.role(), u.Role))
	}
	return c.Next()
}

// refusal says why a signed-in user may not use a page, and what their role does give.
func refusal(need, have ticket.Role) string {
	if need == ticket.RoleAdmin {
		return "Denne siden er bare for administratorer."
	}
	if have == ticket.RoleReader {
		return "Denne siden er bare for saksbehandlere og administratorer. Med rollen leser ser du statistikken."
	}
	return "Du har ikke tilgang til denne siden."
}

// mayUse reports whether u may use the route method path (a path as the table writes it) with
// the server as it is set up: the menus and the links on pages ask this. A page open to
// everyone (the map) is open to every signed-in user too.
func (s *Server) mayUse(u *ticket.User, method, path string) bool {
	r, ok := s.table[method+" "+path]
	if !ok || u == nil || !s.has(r.feature) {
		return false
	}
	need := r.access.role()
	return need == "" || u.Role.Allows(need)
}

// home is where u lands after signing in and where «Til forsiden» leads: the inbox, or the
// statistics for a reader.
func home(u *ticket.User) string {
	if u != nil && !u.Role.Allows(ticket.RoleAgent) {
		return "/statistikk"
	}
	return "/innboks"
}
