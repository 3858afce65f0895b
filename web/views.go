package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

//go:embed templates/*.html
var templateFS embed.FS

// views holds every page template, parsed once at start. Each page is layout.html plus its own
// file, so a page defines "title" and "content".
type views struct {
	pages map[string]*template.Template
}

// parsedViews parses the templates once per process: they are embedded, so every Server
// shares them (html/template executes concurrently), and a test that opens a server for each
// case does not parse them again.
var parsedViews = sync.OnceValues(parseViews)

// parseViews parses the layout and the partials once, then each page into a clone of them:
// parsing the whole set again for each of the pages took most of a start.
func parseViews() (*views, error) {
	v := &views{pages: map[string]*template.Template{}}
	base, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("parse the layout and partials: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone the layout for %s: %w", f, err)
		}
		if t, err = t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("parse template %s: %w", f, err)
		}
		v.pages[name] = t
	}
	return v, nil
}

// pageData is what every page gets; pages add their own values in Data.
type pageData struct {
	Title   string
	User    *ticket.User
	CSRF    string
	Message string // an error or notice shown at the top
	Notice  string
	Status  int
	Errors  ticket.FieldErrors
	Form    map[string]string
	Data    any
	Nav     string // which menu item is current (menuLink.Key)
	// Menu is the staff menu of the signed-in user, from the route table; render sets it.
	Menu []menuLink
	// Public marks the pages for people outside KS (the form, the status page): their own
	// header and footer.
	Public bool
	// Index lets search engines index the page; every other page says noindex.
	Index bool
	// Scripts are static files loaded (deferred) after the page; never inline script.
	Scripts []string
	// MailProblems say why mail stops (mail_state.go), on the pages that show them.
	MailProblems []string
	// Alarms are operational problems (Server.Alarms), shown to administrators on every page.
	Alarms []string
}

// render writes a page. An unknown page name is a programming error, caught by the tests.
func (s *Server) render(c *fiber.Ctx, name string, d pageData) error {
	t, ok := s.views.pages[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	if d.User == nil {
		d.User = userFrom(c)
	}
	if d.User != nil && d.Menu == nil {
		d.Menu = s.menu(mainMenu, d.User)
	}
	if d.User != nil && d.User.Role == ticket.RoleAdmin && s.Alarms != nil && d.Alarms == nil {
		d.Alarms = s.Alarms(c.UserContext())
	}
	if d.CSRF == "" {
		d.CSRF = s.csrfToken(c)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Type("html", "utf-8")
	return c.Send(buf.Bytes())
}

var templateFuncs = template.FuncMap{
	"oslo":      formatOslo,
	"osloDate":  func(t time.Time) string { return t.In(ticket.Oslo).Format("02.01.2006") },
	"isoTime":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"static":    staticURL,
	"statusCSS": func(s ticket.Status) string { return "status-" + statusSlug[s] },
	"inc":       func(i int) int { return i + 1 },
	"fe":        func(id, text string) errorView { return errorView{ID: id, Text: text} },
	"bytes":     formatBytes,
	"home":      home,
	"roles":     func() []ticket.Role { return ticket.Roles },
}

// formatBytes shows a size as people read it: "850 byte", "12 kB", "3,4 MB".
func formatBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d byte", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/1e6), ".", ",", 1)
}

var statusSlug = map[ticket.Status]string{
	ticket.StatusNew: "ny", ticket.StatusOpen: "apen", ticket.StatusWaiting: "venter",
	ticket.StatusReferred: "henvist", ticket.StatusResolved: "lost", ticket.StatusClosed: "lukket",
}

// formatOslo shows a time as people in Norway read it: "23.11.2026 kl. 09:05".
func formatOslo(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ticket.Oslo).Format("02.01.2006 kl. 15:04")
}
