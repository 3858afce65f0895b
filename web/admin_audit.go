package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// auditQuery is the audit log's search form as the URL carries it.
type auditQuery struct {
	Person, Ref, Kind, From, To string
}

func (q auditQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"person": q.Person, "sak": q.Ref, "type": q.Kind, "fra": q.From, "til": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// auditRow is one event as the log shows it.
type auditRow struct {
	*ticket.Event
	Ref, Label string
}

type auditPage struct {
	Query auditQuery
	Kinds []struct {
		Kind  ticket.EventKind
		Label string
	}
	Rows    []auditRow
	Next    string // the URL of the next page, "" at the end
	Partial bool
	ReadTo  time.Time
	CSV     string // the URL of the CSV of this search
}

func readAuditQuery(c *fiber.Ctx) auditQuery {
	return auditQuery{Person: strings.TrimSpace(c.Query("person")), Ref: strings.TrimSpace(c.Query("sak")),
		Kind: c.Query("type"), From: strings.TrimSpace(c.Query("fra")), To: strings.TrimSpace(c.Query("til"))}
}

// filter turns the form into a filter; the reference is looked up to its ticket.
func (s *Server) auditFilter(ctx context.Context, q auditQuery) (ticket.AuditFilter, error) {
	f := ticket.AuditFilter{Person: q.Person, Kind: ticket.EventKind(q.Kind)}
	var errs ticket.FieldErrors
	if q.Ref != "" {
		ref, err := ticket.ParseRef(q.Ref)
		var t *ticket.Ticket
		if err == nil {
			t, err = s.Tickets.FindTicketByRef(ctx, ref)
		}
		if err != nil {
			errs = append(errs, ticket.FieldError("sak", "%s", ticket.ErrorMessage(err)))
		} else {
			f.TicketID = t.ID
		}
	}
	for _, d := range []struct {
		text, field string
		into        *time.Time
		next        bool
	}{{q.From, "fra", &f.From, false}, {q.To, "til", &f.To, true}} {
		if d.text == "" {
			continue
		}
		day, err := ticket.ParseDay(d.text, d.field)
		if err != nil {
			errs = append(errs, ticket.FieldErrorsOf(err)...)
			continue
		}
		if d.next { // the to-date is taken with
			day = day.AddDate(0, 0, 1)
		}
		*d.into = day
	}
	return f, errs.Err()
}

func (s *Server) handleAuditLog(c *fiber.Ctx) error {
	q := readAuditQuery(c)
	p := auditPage{Query: q, Kinds: ticket.EventKindLabels, CSV: "/admin/logg/csv?" + q.values().Encode()}
	d := pageData{Title: "Revisjonslogg", Form: map[string]string{"person": q.Person, "sak": q.Ref, "type": q.Kind, "fra": q.From, "til": q.To}}
	f, err := s.auditFilter(c.UserContext(), q)
	if err != nil {
		c.Status(fiber.StatusBadRequest)
		d.Errors = ticket.FieldErrorsOf(err)
		d.Data = p
		return s.renderAdmin(c, "admin_audit", "logg", d)
	}
	f.Cursor, f.Limit = c.Query("etter"), 100
	page, err := s.Audit.FindAuditEvents(c.UserContext(), f)
	if err != nil {
		return err
	}
	refs := s.refNames(c.UserContext())
	for _, e := range page.Events {
		p.Rows = append(p.Rows, auditRow{Event: e, Ref: refs(e.TicketID), Label: ticket.KindLabel(e.Kind)})
	}
	if page.Next != "" {
		v := q.values()
		v.Set("etter", page.Next)
		p.Next = "/admin/logg?" + v.Encode()
	}
	p.Partial, p.ReadTo = page.Partial, page.ReadTo
	d.Data = p
	return s.renderAdmin(c, "admin_audit", "logg", d)
}

// refNames returns a lookup of ticket references by id, which remembers what it read ("" for
// no ticket, «slettet» for one that is gone).
func (s *Server) refNames(ctx context.Context) func(id uint64) string {
	seen := map[uint64]string{0: ""}
	return func(id uint64) string {
		if r, ok := seen[id]; ok {
			return r
		}
		r := "slettet"
		if t, err := s.Tickets.FindTicketByID(ctx, id); err == nil {
			r = t.Ref.String()
		}
		seen[id] = r
		return r
	}
}

// handleAuditCSV streams every event of the search as CSV for Norwegian Excel (semicolons, a
// BOM), and writes the download to the log itself first.
func (s *Server) handleAuditCSV(c *fiber.Ctx) error {
	q := readAuditQuery(c)
	f, err := s.auditFilter(c.UserContext(), q)
	if err != nil {
		return err
	}
	name := "revisjonslogg-" + s.Now().In(ticket.Oslo).Format("2006-01-02-1504") + ".csv"
	detail := "revisjonslogg: " + name
	if filter := q.values().Encode(); filter != "" {
		detail += " (" + filter + ")"
	}
	if err := s.Events.AddEvent(c.UserContext(), 0, ticket.EventExported, detail); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name))
	audit, refs := s.Audit, s.refNames
	return s.streamBody(c, "audit log", func(ctx context.Context, w io.Writer) error {
		return writeAuditCSV(ctx, w, audit, f, refs(ctx))
	})
}

func writeAuditCSV(ctx context.Context, w io.Writer, audit ticket.AuditService, f ticket.AuditFilter, ref func(uint64) string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	if err := cw.Write([]string{"tid", "hendelse", "type", "hvem", "sak", "fra", "til", "detaljer"}); err != nil {
		return err
	}
	err := audit.EachAuditEvent(ctx, f, func(e *ticket.Event) error {
		return cw.Write([]string{e.At.In(ticket.Oslo).Format(time.RFC3339), ticket.KindLabel(e.Kind), string(e.Kind),
			report.SafeCell(e.Actor), ref(e.TicketID), report.SafeCell(e.From), report.SafeCell(e.To), report.SafeCell(e.Detail)})
	})
	if err != nil {
		return fmt.Errorf("audit log CSV: %w", err)
	}
	cw.Flush()
	return cw.Error()
}
