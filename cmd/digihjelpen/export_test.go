package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
)

// scenarioDB writes datagen.Scenario (whose 2026-W13 answers data's tests check by hand) to a
// database file and closes it, for the commands to open.
func scenarioDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db", "d.db")
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if err := datagen.Scenario(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExportCommand(t *testing.T) {
	dbPath := scenarioDB(t)
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"csv to stdout", []string{"export", "-week", "2026-W13", "-format", "csv"}, 0, "2026-W13;Sammendrag;;;Nye saker;new;7\r\n", ""},
		{"comma csv", []string{"export", "-week", "2026-W13", "-format", "csv-comma"}, 0, "2026-W13,Sammendrag,,,\"Første svar, median (timer)\",first_response_hours.median,7.5\r\n", ""},
		{"json", []string{"export", "-week", "2026-W13", "-format", "json"}, 0, `"resolution_hours": {`, ""},
		{"tickets of a period", []string{"export", "-tickets", "-from", "2026-03-16", "-to", "29.03.2026"}, 0, "Scenario T12", ""},
		{"tickets of a week", []string{"export", "-tickets", "-week", "2026-W14", "-format", "json"}, 0, `"subject":"Scenario T8"`, ""},
		{"ErrWeek", []string{"export", "-week", "2026-W60"}, 1, "", "Uke 60 finnes ikke i 2026."},
		{"ErrFutureWeek", []string{"export", "-week", "2099-W01"}, 1, "", "har ikke begynt ennå"},
		{"ErrFormat", []string{"export", "-format", "pdf"}, 1, "", "Ukjent format «pdf»"},
		{"ErrPeriod", []string{"export", "-tickets", "-from", "2026-04-01", "-to", "2026-03-01"}, 1, "", "Til-datoen kan ikke være før fra-datoen."},
		{"period report", []string{"export", "-from", "2026-03-23", "-to", "2026-03-29", "-format", "csv"}, 0,
			"2026-03-23–2026-03-29;Endring;new;Nye saker;Denne perioden;current;7\r\n", ""},
		{"period report as json", []string{"export", "-from", "2026-03-23", "-to", "2026-03-29", "-format", "json"}, 0, `"days": 7`, ""},
		{"ErrPeriodWithoutEnd", []string{"export", "-from", "2026-04-01"}, 1, "", "Skriv til-datoen som"},
		{"ErrPeriodAndWeek", []string{"export", "-from", "2026-04-01", "-to", "2026-04-02", "-week", "2026-W13"}, 2, "", "give -week or -from and -to"},
		{"ErrUnwritable", []string{"export", "-o", filepath.Join(dir, "finnes-ikke", "x.csv")}, 1, "", "finnes-ikke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, dbPath, "", tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
				t.Fatalf("code %d, stdout %.300q, stderr %q; want code %d, stdout with %q, stderr with %q",
					code, out, errOut, tt.wantCode, tt.wantOut, tt.wantErr)
			}
		})
	}

	xlsx := filepath.Join(dir, "uke13.xlsx")
	if code, _, errOut := runCmd(t, dbPath, "", "export", "-week", "2026-W13", "-format", "xlsx", "-o", xlsx); code != 0 {
		t.Fatalf("xlsx: %s", errOut)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Etater", "C2", excelize.Options{RawCellValue: true}); v != "5" { // KS, new
		t.Errorf("Etater!C2 = %q, want 5", v)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	js := filepath.Join(dir, "saker.json")
	if code, _, errOut := runCmd(t, dbPath, "", "export", "-tickets", "-week", "2026-W13", "-format", "json", "-o", js); code != 0 {
		t.Fatalf("ticket json: %s", errOut)
	}
	b, _ := os.ReadFile(js)
	var list []map[string]any
	if err := json.Unmarshal(b, &list); err != nil || len(list) != 7 {
		t.Fatalf("ticket json: %d tickets, %v", len(list), err)
	}
}
