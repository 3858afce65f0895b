package web

import (
	"path"
	"sort"

	"github.com/ks-no/digihjelpen/ticket"
)

// menuSet is the menus a route is linked from.
type menuSet int

const (
	mainMenu  menuSet = 1 << iota // the staff menu at the top of every signed-in page
	adminMenu                     // the administration's own menu and the cards of /admin
)

// menuEntry is a route's place in the menus: which, its label, and a line about it for the
// cards of /admin. Only GET routes have one.
type menuEntry struct {
	in    menuSet
	label string
	about string
}

var noMenu menuEntry

// menuLink is one link of a menu as the templates show it. Key is the last part of the path;
// a page names its menu item by it (pageData.Nav, adminPage.Current).
type menuLink struct {
	Key, Label, Path, About string
}

// menus lists each menu's routes in table order; the admin menu puts the admin pages before
// the staff pages admins also look after.
func menus(table []route) map[menuSet][]route {
	m := map[menuSet][]route{}
	for _, r := range table {
		for _, set := range []menuSet{mainMenu, adminMenu} {
			if r.menu.in&set != 0 {
				m[set] = append(m[set], r)
			}
		}
	}
	admins := m[adminMenu]
	sort.SliceStable(admins, func(i, j int) bool { return admins[i].access == admin && admins[j].access != admin })
	return m
}

// menu is what u sees of a menu: the routes u may use, of features that are on.
func (s *Server) menu(set menuSet, u *ticket.User) []menuLink {
	var links []menuLink
	for _, r := range s.menus[set] {
		if s.mayUse(u, r.method, r.path) {
			links = append(links, menuLink{Key: path.Base(r.path), Label: r.menu.label, Path: r.path, About: r.menu.about})
		}
	}
	return links
}
