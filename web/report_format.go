package web

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// ExportFormat is a file format of the statistics exports.
type ExportFormat string

// The export formats (docs/STATISTICS.md, "Formats").
const (
	FormatCSV      ExportFormat = "csv"       // semicolons, decimal commas, BOM: Norwegian Excel
	FormatCSVComma ExportFormat = "csv-comma" // commas and decimal points, BOM: other tools
	FormatXLSX     ExportFormat = "xlsx"
	FormatJSON     ExportFormat = "json"
)

// ExportFormatOption is a format with what people read in a picker.
type ExportFormatOption struct {
	Format ExportFormat
	Label  string
}

// ExportFormats lists the formats, the one most people want first.
var ExportFormats = []ExportFormatOption{
	{FormatXLSX, "Excel (XLSX)"},
	{FormatCSV, "CSV for norsk Excel (semikolon)"},
	{FormatCSVComma, "CSV med komma"},
	{FormatJSON, "JSON"},
}

// ParseExportFormat checks a format name.
func ParseExportFormat(s string) (ExportFormat, error) {
	f := ExportFormat(strings.ToLower(strings.TrimSpace(s)))
	for _, x := range ExportFormats {
		if x.Format == f {
			return f, nil
		}
	}
	return "", ticket.FieldError("format", "Ukjent format «%s». Velg csv, csv-comma, xlsx eller json.", s)
}

// ContentType is the MIME type of a file in the format.
func (f ExportFormat) ContentType() string {
	switch f {
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatJSON:
		return "application/json; charset=utf-8"
	}
	return "text/csv; charset=utf-8"
}

// Ext is the file name extension of the format.
func (f ExportFormat) Ext() string {
	if f == FormatCSVComma {
		return "csv"
	}
	return string(f)
}

// ReportFileName is the name of the weekly report's file: digihjelpen-uke-2026-W47.xlsx.
func ReportFileName(w ticket.Week, f ExportFormat) string {
	return fmt.Sprintf("digihjelpen-uke-%s.%s", w, f.Ext())
}

// WriteReport writes the weekly report in format f; agencies give the agency names and order.
func WriteReport(w io.Writer, r *ticket.WeeklyReport, f ExportFormat, agencies ticket.Agencies) error {
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
func (f ExportFormat) decimal(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if f == FormatCSV {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// separator is the field separator of a CSV format.
func (f ExportFormat) separator() rune {
	if f == FormatCSV {
		return ';'
	}
	return ','
}

// utf8BOM makes Excel read a CSV file as UTF-8 (without it, ø and å turn into two characters).
const utf8BOM = "\ufeff"

// safeCell keeps a spreadsheet from reading text as a formula (CSV injection): a cell that
// starts with = + - @ or a control character gets a leading apostrophe, which Excel hides.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
