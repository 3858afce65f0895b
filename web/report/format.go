// Package report writes the statistics files: the weekly report as CSV, XLSX and JSON, the
// ticket export streamed row by row in the same formats, and the text of the weekly report mail.
// The statistics page, the JSON API, the export command and the weekly mail all write through
// it, so they cannot drift apart; it imports only ticket of ours (a leaf, see
// cmd/digihjelpen/imports_test.go), so the command line uses it without the web.
package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// Format is a file format of the statistics exports.
type Format string

// The export formats (docs/STATISTICS.md, "Formats").
const (
	FormatCSV      Format = "csv"       // semicolons, decimal commas, BOM: Norwegian Excel
	FormatCSVComma Format = "csv-comma" // commas and decimal points, BOM: other tools
	FormatXLSX     Format = "xlsx"
	FormatJSON     Format = "json"
)

// FormatOption is a format with what people read in a picker.
type FormatOption struct {
	Format Format
	Label  string
}

// Formats lists the formats, the one most people want first.
var Formats = []FormatOption{
	{FormatXLSX, "Excel (XLSX)"},
	{FormatCSV, "CSV for norsk Excel (semikolon)"},
	{FormatCSVComma, "CSV med komma"},
	{FormatJSON, "JSON"},
}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, x := range Formats {
		if x.Format == f {
			return f, nil
		}
	}
	return "", ticket.FieldError("format", "Ukjent format «%s». Velg csv, csv-comma, xlsx eller json.", s)
}

// ContentType is the MIME type of a file in the format.
func (f Format) ContentType() string {
	switch f {
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatJSON:
		return "application/json; charset=utf-8"
	}
	return "text/csv; charset=utf-8"
}

// Ext is the file name extension of the format.
func (f Format) Ext() string {
	if f == FormatCSVComma {
		return "csv"
	}
	return string(f)
}

// FileName is the name of the weekly report's file: digihjelpen-uke-2026-W47.xlsx.
func FileName(w ticket.Week, f Format) string {
	return fmt.Sprintf("digihjelpen-uke-%s.%s", w, f.Ext())
}

// Write writes the weekly report in format f; agencies give the agency names and order.
func Write(w io.Writer, r *ticket.WeeklyReport, f Format, agencies ticket.Agencies) error {
	switch f {
	case FormatJSON:
		return writeReportJSON(w, r, agencies)
	case FormatXLSX:
		return writeReportXLSX(w, r, agencies)
	case FormatCSV, FormatCSVComma:
		return writeReportCSV(w, r, f, agencies)
	}
	return fmt.Errorf("write report: unknown format %q", f)
}

// decimal formats a number for the format: a decimal comma for Norwegian Excel.
func (f Format) decimal(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if f == FormatCSV {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// separator is the field separator of a CSV format.
func (f Format) separator() rune {
	if f == FormatCSV {
		return ';'
	}
	return ','
}

// utf8BOM makes Excel read a CSV file as UTF-8 (without it, ø and å turn into two characters).
const utf8BOM = "\ufeff"

// SafeCell keeps a spreadsheet from reading text as a formula (CSV injection): a cell that
// starts with = + - @ or a control character gets a leading apostrophe, which Excel hides.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
