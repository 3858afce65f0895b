package web

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// openBare opens a server with nothing wired: the table needs no storage to be built.
func openBare(t *testing.T) *Server {
	t.Helper()
	s := &Server{BaseURL: "http://127.0.0.1:8080", Secret: bytes.Repeat([]byte("k"), 32)}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(t.Context()) })
	return s
}

// TestRouteTable checks the table itself: every route once, with an access and a handler;
// fiber serves exactly the table; each route runs the session and CSRF check when it should
// and the role check exactly once; no route is shadowed by one before it; menus link pages.
func TestRouteTable(t *testing.T) {
	s := openBare(t)
	table := s.routeTable()
	lines := map[string]int{}
	for _, r := range table {
		key := r.method + " " + r.path
		lines[key]++
		if r.access == noAccess {
			t.Errorf("%s has no access", key)
		}
	}
	for key, n := range lines {
		if n != 1 {
			t.Errorf("%s is in the table %d times, want once", key, n)
		}
	}

	guardCode := reflect.ValueOf(guard{s, agent}.check).Pointer()
	csrfCode, sessionCode := reflect.ValueOf(s.csrf).Pointer(), reflect.ValueOf(s.loadSession).Pointer()
	routes := s.app.GetRoutes(true)
	notUse := map[uintptr]bool{}
	for _, fr := range routes {
		notUse[reflect.ValueOf(fr.Handlers).Pointer()] = true
	}
	for _, fr := range s.app.GetRoutes(false) {
		if !notUse[reflect.ValueOf(fr.Handlers).Pointer()] && fr.Path != "/" {
			t.Errorf("middleware mounted on %s: guards belong to the routes, in the table", fr.Path)
		}
	}
	served := map[string]int{}
	for _, fr := range routes {
		key := fr.Method + " " + fr.Path
		if fr.Method == fiber.MethodHead {
			key = get + " " + fr.Path
		}
		served[key]++
		r, ok := s.table[key]
		if !ok {
			t.Errorf("fiber serves %s %s, which is not in the table", fr.Method, fr.Path)
			continue
		}
		var guards, csrfs, sessions int
		for _, h := range fr.Handlers {
			switch reflect.ValueOf(h).Pointer() {
			case guardCode:
				guards++
			case csrfCode:
				csrfs++
			case sessionCode:
				sessions++
			}
		}
		wantGuards := 0
		if r.access.role() != "" {
			wantGuards = 1
		}
		if guards != wantGuards {
			t.Errorf("%s %s runs the role check %d times, want %d", fr.Method, fr.Path, guards, wantGuards)
		}
		wantSession := 0
		if r.access.usesSession() {
			wantSession = 1
		}
		if csrfs != wantSession || sessions != wantSession {
			t.Errorf("%s %s runs CSRF %d and session %d times, want %d", fr.Method, fr.Path, csrfs, sessions, wantSession)
		}
	}
	for _, r := range table {
		want := 1
		if r.method == get {
			want = 2 // and HEAD
		}
		if n := served[r.method+" "+r.path]; n != want {
			t.Errorf("%s %s is registered %d times, want %d", r.method, r.path, n, want)
		}
	}

	for i, r := range table {
		p := concretePath(r.path)
		for _, earlier := range table[:i] {
			if earlier.method == r.method && pathMatches(earlier.path, p) {
				t.Errorf("%s %s is shadowed by %s, which comes before it: move it up", r.method, r.path, earlier.path)
			}
		}
		if r.menu.in != 0 && (r.menu.label == "" || r.method != get) {
			t.Errorf("%s %s: a menu entry needs a label and a GET route", r.method, r.path)
		}
		if r.menu.in&adminMenu != 0 && r.menu.about == "" {
			t.Errorf("%s: the cards of /admin need a line about it", r.path)
		}
	}
}

// concretePath fills a route's parameters with values no literal segment has.
func concretePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || s == "*" {
			segs[i] = "x-" + strings.TrimPrefix(s, ":")
		}
	}
	return strings.Join(segs, "/")
}

// pathMatches reports whether a route pattern takes path, as fiber matches them: a parameter
// takes one non-empty segment, * takes the rest.
func pathMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	for i, p := range ps {
		if p == "*" {
			return true
		}
		if i >= len(xs) || (p != xs[i] && !(strings.HasPrefix(p, ":") && xs[i] != "")) {
			return false
		}
	}
	return len(ps) == len(xs)
}

func TestPathMatches(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/admin/svarmaler/:id", "/admin/svarmaler/ny", true},
		{"/admin/svarmaler/:id", "/admin/svarmaler/kvitteringer/ny", false},
		{"/saker/:ref", "/saker/x/slett", false},
		{"/static/:hash/*", "/static/a/b/c.css", true},
		{"/innboks", "/innboks/sok", false},
		{"/", "/", true},
	}
	for _, tt := range tests {
		if got := pathMatches(tt.pattern, tt.path); got != tt.want {
			t.Errorf("pathMatches(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

// TestRegisterRefusesBadTables: Open fails on a table with a route twice, a route that does
// not say who may use it, or a menu entry that is not a page.
func TestRegisterRefusesBadTables(t *testing.T) {
	s := openBare(t)
	h := func(c *fiber.Ctx) error { return nil }
	tests := []struct {
		name  string
		table []route
		want  string
	}{
		{"ErrTwice", []route{{get, "/a", agent, always, h, noMenu}, {get, "/a", admin, always, h, noMenu}}, "twice"},
		{"ErrNoAccess", []route{{get, "/a", noAccess, always, h, noMenu}}, "no access"},
		{"ErrNoHandler", []route{{get, "/a", agent, always, nil, noMenu}}, "no handler"},
		{"ErrMenuNotPage", []route{{post, "/a", agent, always, h, menuEntry{mainMenu, "A", ""}}}, "not a page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.app = fiber.New()
			if err := s.register(tt.table); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}
