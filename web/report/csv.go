package report

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/ks-no/digihjelpen/ticket"
)

// writeReportCSV writes the report as one table in long form, one number per row: week,
// section, key, name, measure, JSON field, value. A pivot table turns it into any view, and
// the columns never change with the data.
func writeReportCSV(w io.Writer, r *ticket.WeeklyReport, f Format, agencies ticket.Agencies) error {
	return writeTablesCSV(w, "uke", r.Week.String(), Tables(r, agencies), f)
}

// writeTablesCSV writes tables in long form; the first column, named spanHead, says which week
// or period each row belongs to (span).
func writeTablesCSV(w io.Writer, spanHead, span string, tables []Table, f Format) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = f.separator(), true
	if err := cw.Write([]string{spanHead, "del", "kode", "navn", "mål", "felt", "verdi"}); err != nil {
		return err
	}
	week := span
	for _, t := range tables {
		for _, row := range t.Rows {
			for i, c := range t.Cols {
				v := row.Values[i]
				cell := ""
				if v.OK {
					cell = f.decimal(v.V)
				}
				if err := cw.Write([]string{week, t.Name, SafeCell(row.Key), SafeCell(row.Name), c.Label, c.Field, cell}); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
