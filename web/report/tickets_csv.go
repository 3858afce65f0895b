package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// csvRows writes the ticket export as CSV, row by row.
type csvRows struct {
	cw       *csv.Writer
	f        Format
	agencies ticket.Agencies
	cells    []string
}

func newCSVRows(w io.Writer, f Format, agencies ticket.Agencies) (*csvRows, error) {
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
			s = SafeCell(v)
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

// Discard has nothing to free: the rows are written.
func (c *csvRows) Discard() {}

// Close flushes the last rows.
func (c *csvRows) Close() error {
	c.cw.Flush()
	return c.cw.Error()
}
