package web

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

type csvRows struct {
	cw       *csv.Writer
	f        ExportFormat
	agencies ticket.Agencies
	cells    []string
}

func newCSVRows(w io.Writer, f ExportFormat, agencies ticket.Agencies) (*csvRows, error) {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = f.separator(), true
	return &csvRows{cw: cw, f: f, agencies: agencies}, cw.Write(exportHeads)
}

// Row writes one ticket; times in Oslo as 2026-11-23 09:05, which Excel reads as a date.
func (c *csvRows) Row(t *ticket.Ticket) error {
	c.cells = c.cells[:0]
	for _, v := range ticketRow(t, c.agencies) {
		var s string
		switch v := v.(type) {
		case string:
			s = safeCell(v)
		case int:
			s = strconv.Itoa(v)
		case float64:
			s = c.f.decimal(v)
		case time.Time:
			s = v.In(ticket.Oslo).Format("2006-01-02 15:04")
		}
		c.cells = append(c.cells, s)
	}
	return c.cw.Write(c.cells)
}

func (c *csvRows) Discard() {}

func (c *csvRows) Close() error {
	c.cw.Flush()
	return c.cw.Error()
}

// jsonRows writes a JSON array, one ticket at a time.
type jsonRows struct {
	w        io.Writer
	enc      *json.Encoder
	agencies ticket.Agencies
	n        int
}

// ticketExportJSON is one ticket of the JSON export.
type ticketExportJSON struct {
	Ref                        string        `json:"ref"`
	CreatedAt                  time.Time     `json:"created_at"`
	Week                       string        `json:"week"`
	Status                     ticket.Status `json:"status"`
	Agency                     string        `json:"agency"`
	Channel                    string        `json:"channel"`
	Category                   string        `json:"category"`
	Municipality               apiNumber     `json:"municipality"`
	County                     apiNumber     `json:"county"`
	FirstResponseAt            *time.Time    `json:"first_response_at"`
	FirstResponseHours         any           `json:"first_response_hours"`
	FirstResponseBusinessHours any           `json:"first_response_business_hours"`
	ResolvedAt                 *time.Time    `json:"resolved_at"`
	ResolutionHours            any           `json:"resolution_hours"`
	ResolutionBusinessHours    any           `json:"resolution_business_hours"`
	ReopenCount                int           `json:"reopen_count"`
	Referrals                  []apiReferral `json:"referrals"`
	MessageCount               int           `json:"message_count"`
	Subject                    string        `json:"subject"`
}

func newJSONRows(w io.Writer, agencies ticket.Agencies) (*jsonRows, error) {
	_, err := io.WriteString(w, "[\n")
	return &jsonRows{w: w, enc: json.NewEncoder(w), agencies: agencies}, err
}

func (j *jsonRows) Row(t *ticket.Ticket) error {
	if j.n > 0 {
		if _, err := io.WriteString(j.w, ","); err != nil {
			return err
		}
	}
	j.n++
	a := toAPITicket(t)
	return j.enc.Encode(ticketExportJSON{
		Ref: a.Ref, CreatedAt: a.CreatedAt, Week: ticket.WeekOf(t.CreatedAt).String(), Status: t.Status, Agency: t.Agency,
		Channel: a.Channel, Category: t.Category, Municipality: a.Requester.Municipality, County: a.Requester.County,
		FirstResponseAt: a.FirstResponseAt, FirstResponseHours: exportHours(t.CreatedAt, t.FirstResponseAt, false),
		FirstResponseBusinessHours: exportHours(t.CreatedAt, t.FirstResponseAt, true), ResolvedAt: a.ResolvedAt,
		ResolutionHours: exportHours(t.CreatedAt, t.ResolvedAt, false), ResolutionBusinessHours: exportHours(t.CreatedAt, t.ResolvedAt, true),
		ReopenCount: t.ReopenCount, Referrals: a.Referrals, MessageCount: t.MessageCount, Subject: t.Subject,
	})
}

func (j *jsonRows) Discard() {}

func (j *jsonRows) Close() error {
	_, err := io.WriteString(j.w, "]\n")
	return err
}
