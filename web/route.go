package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

const (
	get   = fiber.MethodGet // fiber answers HEAD as well
	post  = fiber.MethodPost
	patch = fiber.MethodPatch
	del   = fiber.MethodDelete
)

// route is one line of the table.
type route struct {
	method  string
	path    string
	access  access
	feature feature
	handler fiber.Handler
	menu    menuEntry
}

// routes registers the route table (routes.go): each route once, with the chain its access
// needs, then the answer for every path that is not in it.
func (s *Server) routes() error {
	s.app.Use(s.measure, s.securityHeaders, s.recoverPanic)
	if err := s.register(s.routeTable()); err != nil {
		return err
	}
	s.app.Use(s.csrf, s.loadSession, func(c *fiber.Ctx) error {
		c.Locals(localUnrouted, true)
		return ticket.Errorf(ticket.ENOTFOUND, "Siden finnes ikke.")
	})
	return nil
}

// register adds the routes of table to the app, refusing a table with a route twice, without
// access or handler, or in a menu without being a page.
func (s *Server) register(table []route) error {
	s.table = make(map[string]route, len(table))
	for _, r := range table {
		key := r.method + " " + r.path
		if _, dup := s.table[key]; dup {
			return fmt.Errorf("web: route %s is in the table twice", key)
		}
		if r.access == noAccess || r.handler == nil {
			return fmt.Errorf("web: route %s has no access or no handler", key)
		}
		if r.menu.in != 0 && r.method != get {
			return fmt.Errorf("web: route %s is in a menu but is not a page", key)
		}
		s.table[key] = r
		s.app.Add(r.method, r.path, s.chain(r)...)
		if r.method == get {
			s.app.Add(fiber.MethodHead, r.path, s.chain(r)...)
		}
	}
	s.menus = menus(table)
	return nil
}

// chain is what runs for route r, in order: the session and CSRF check for browser routes, the
// one role check, the feature check, the handler.
func (s *Server) chain(r route) []fiber.Handler {
	var hs []fiber.Handler
	if r.access.usesSession() {
		hs = append(hs, s.csrf, s.loadSession)
	}
	if r.access.role() != "" {
		hs = append(hs, guard{s, r.access}.check)
	}
	if r.feature != always {
		hs = append(hs, s.requireFeature(r.feature))
	}
	return append(hs, r.handler)
}
