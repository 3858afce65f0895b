package report

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The workbook is written with excelize (github.com/xuri/excelize/v2): the maintained Go
// library for Office Open XML, with a streaming writer for the ticket export.

// xlsxStyles are the cell styles of our workbooks.
type xlsxStyles struct {
	header, date, datetime, decimal int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	date, datetime, decimal := "dd.mm.yyyy", "dd.mm.yyyy hh:mm", "0.00"
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, err
	}
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &date}); err != nil {
		return s, err
	}
	if s.datetime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &datetime}); err != nil {
		return s, err
	}
	s.decimal, err = f.NewStyle(&excelize.Style{CustomNumFmt: &decimal})
	return s, err
}

// excelTime is t as Excel stores it: the Oslo wall-clock time, without a zone.
func excelTime(t time.Time) time.Time {
	l := t.In(ticket.Oslo)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// headRow is a line above the summary's figures: what the report covers.
type headRow struct {
	label string
	value any
	style func(xlsxStyles) int
}

func dateStyle(s xlsxStyles) int     { return s.date }
func datetimeStyle(s xlsxStyles) int { return s.datetime }

// weekHead says which week a weekly report covers.
func weekHead(r *ticket.WeeklyReport) []headRow {
	return []headRow{
		{"Uke", r.Week.String(), nil},
		{"Fra (mandag 00:00)", excelTime(r.From), dateStyle},
		{"Til (mandag 00:00, ikke med)", excelTime(r.To), dateStyle},
		{"Laget", excelTime(r.GeneratedAt), datetimeStyle},
	}
}

// writeReportXLSX writes a sheet per table: numbers as numbers, the week's dates as dates.
func writeReportXLSX(w io.Writer, r *ticket.WeeklyReport, agencies ticket.Agencies) error {
	return writeWorkbook(w, weekHead(r), Tables(r, agencies))
}

// writeWorkbook writes a sheet per table, the summary (the vertical table) under head.
func writeWorkbook(w io.Writer, head []headRow, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx styles: %w", err)
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", t.Name, err)
		}
		if t.Vertical {
			err = writeSummarySheet(f, st, head, t)
		} else {
			err = writeTableSheet(f, st, t)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", t.Name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// cellName is the A1 name of column col, row row (both from 1).
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row) // only fails for col or row < 1
	return name
}

func writeSummarySheet(f *excelize.File, st xlsxStyles, head []headRow, t Table) error {
	s := t.Name
	for i, h := range head {
		if err := f.SetCellValue(s, cellName(1, i+1), h.label); err != nil {
			return err
		}
		if err := f.SetCellValue(s, cellName(2, i+1), h.value); err != nil {
			return err
		}
		if h.style != nil {
			if err := f.SetCellStyle(s, cellName(2, i+1), cellName(2, i+1), h.style(st)); err != nil {
				return err
			}
		}
	}
	row := len(head) + 2
	if err := setHeaderRow(f, st, s, row, []string{"Mål", "Verdi", "Felt"}); err != nil {
		return err
	}
	for i, c := range t.Cols {
		row++
		if err := setRow(f, st, s, row, []any{c.Label}, []Col{c}, []Value{t.Rows[0].Values[i]}); err != nil {
			return err
		}
		if err := f.SetCellValue(s, cellName(3, row), c.Field); err != nil {
			return err
		}
	}
	return f.SetColWidth(s, "A", "A", 42)
}

func writeTableSheet(f *excelize.File, st xlsxStyles, t Table) error {
	s := t.Name
	heads := []string{t.KeyHead, t.NameHead}
	for _, c := range t.Cols {
		heads = append(heads, c.Label)
	}
	if err := setHeaderRow(f, st, s, 1, heads); err != nil {
		return err
	}
	for i, r := range t.Rows {
		if err := setRow(f, st, s, i+2, []any{r.Key, r.Name}, t.Cols, r.Values); err != nil {
			return err
		}
	}
	if err := f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.SetColWidth(s, "B", "B", 28); err != nil {
		return err
	}
	last, err := excelize.ColumnNumberToName(len(heads))
	if err != nil {
		return err
	}
	return f.SetColWidth(s, "C", last, 16)
}

func setHeaderRow(f *excelize.File, st xlsxStyles, sheet string, row int, heads []string) error {
	cells := make([]any, len(heads))
	for i, h := range heads {
		cells[i] = h
	}
	if err := f.SetSheetRow(sheet, cellName(1, row), &cells); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, cellName(1, row), cellName(len(heads), row), st.header)
}

// setRow writes the leading text cells, then the values: numbers, or empty when nothing was
// measured; hours get two decimals.
func setRow(f *excelize.File, st xlsxStyles, sheet string, row int, lead []any, cols []Col, values []Value) error {
	cells := append([]any{}, lead...)
	for i, v := range values {
		switch {
		case !v.OK:
			cells = append(cells, nil)
		case cols[i].Hours:
			cells = append(cells, v.V)
		default:
			cells = append(cells, int(v.V))
		}
	}
	if err := f.SetSheetRow(sheet, cellName(1, row), &cells); err != nil {
		return err
	}
	for i, c := range cols {
		if c.Hours {
			name := cellName(len(lead)+i+1, row)
			if err := f.SetCellStyle(sheet, name, name, st.decimal); err != nil {
				return err
			}
		}
	}
	return nil
}
