package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Saved views: the inbox's filters and sort under a name, the user's own or shared with the
// team, listed with their counts beside the built-in views. A view keeps the query string
// (tildelt=meg stays «me» for whoever opens a shared view), never a search text.

type savedViewLink struct {
	ID      uint64
	Name    string
	Shared  bool
	Count   int
	Counted bool // false when the view no longer fits (an agency or user it names is gone)
	Link    string
	Current bool
	// Deletable: the user's own view, or a shared one they made (admins: any).
	Deletable bool
}

// savedViewLinks are the views the user sees, each counted under its own filters.
func (s *Server) savedViewLinks(c *fiber.Ctx, current inboxQuery, users []*ticket.User) ([]savedViewLink, error) {
	if !s.has(savedViews) {
		return nil, nil
	}
	me := userFrom(c)
	list, err := s.SavedViews.FindSavedViews(c.UserContext(), me.ID)
	if err != nil {
		return nil, err
	}
	out := make([]savedViewLink, 0, len(list))
	for _, v := range list {
		l := savedViewLink{ID: v.ID, Name: v.Name, Shared: v.Shared(), Current: current.Saved == strconv.FormatUint(v.ID, 10),
			Link:      "/innboks?" + v.Query + "&visning=" + strconv.FormatUint(v.ID, 10),
			Deletable: !v.Shared() || v.CreatedBy == me.Email || me.IsAdmin()}
		if l.Count, l.Counted, err = s.countSavedView(c, v, me, users); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// countSavedView counts the tickets a view shows; a view whose filters no longer hold counts
// nothing (and shows its error when opened).
func (s *Server) countSavedView(c *fiber.Ctx, v *ticket.SavedView, me *ticket.User, users []*ticket.User) (int, bool, error) {
	vals, err := url.ParseQuery(v.Query)
	if err != nil {
		return 0, false, nil
	}
	q := readInboxQuery(vals.Get)
	f, err := q.filter(me, users, s.Agencies)
	if err != nil {
		return 0, false, nil
	}
	for _, view := range inboxViews() {
		if view.Key == q.View {
			f.Statuses, f.Overdue, f.Limit = view.Statuses, view.Overdue, 1
			_, n, err := s.Tickets.FindTickets(c.UserContext(), f)
			return n, err == nil, err
		}
	}
	return 0, false, nil
}

// handleSavedViewCreate saves the filters the form carries under a name.
func (s *Server) handleSavedViewCreate(c *fiber.Ctx) error {
	me := userFrom(c)
	q := readInboxQuery(func(k string) string { return c.FormValue(k) })
	users, err := s.Users.FindUsers(c.UserContext())
	if err != nil {
		return err
	}
	if _, err := q.filter(me, users, s.Agencies); err != nil {
		return err
	}
	v := &ticket.SavedView{Name: c.FormValue("navn"), OwnerID: me.ID, Query: q.filterValues().Encode()}
	if c.FormValue("delt") == "ja" {
		v.OwnerID = 0
	}
	if err := s.SavedViews.CreateSavedView(c.UserContext(), v); err != nil {
		if fe := ticket.FieldErrorsOf(err); fe != nil {
			q.Query = ""
			c.Status(fiber.StatusBadRequest)
			return s.renderInboxPage(c, q, pageData{Errors: fe, Form: map[string]string{"navn": v.Name}})
		}
		return err
	}
	return c.Redirect("/innboks?"+v.Query+"&visning="+strconv.FormatUint(v.ID, 10), fiber.StatusSeeOther)
}

func (s *Server) handleSavedViewDelete(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return ticket.Errorf(ticket.ENOTFOUND, "Fant ikke visningen.")
	}
	v, err := s.SavedViews.FindSavedView(c.UserContext(), id)
	if err != nil {
		return err
	}
	me := userFrom(c)
	switch {
	case !v.Shared() && v.OwnerID != me.ID:
		return ticket.Errorf(ticket.ENOTFOUND, "Fant ikke visningen.")
	case v.Shared() && v.CreatedBy != me.Email && !me.IsAdmin():
		return ticket.Errorf(ticket.EFORBIDDEN, "Bare den som laget en delt visning, eller en administrator, kan slette den.")
	}
	if err := s.SavedViews.DeleteSavedView(c.UserContext(), id); err != nil {
		return err
	}
	back := c.FormValue("tilbake")
	if !strings.HasPrefix(back, "/innboks") || strings.Contains(back, "visning="+c.Params("id")) {
		back = "/innboks"
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
