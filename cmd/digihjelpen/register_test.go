package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegisterCommand exports the register, reads a changed copy back, and refuses a file
// with mistakes, naming each line.
func TestRegisterCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "db", "d.db")
	file := filepath.Join(dir, "kommuner.csv")
	if code, _, errOut := runCmd(t, dbPath, "", "register", "export", "-o", file); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 372 || !strings.HasPrefix(string(b), "\ufeffkommunenummer;navn;") {
		t.Fatalf("export: %d lines, start %q", n, string(b[:40]))
	}
	changed := strings.Replace(string(b), "1804;Bodø;ikke kjent;;;;;;nei;", "1804;Bodø;tilbud;bibliotek;Stormen;;;;ja;", 1)
	if err := os.WriteFile(file, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, dbPath, "", "register", "import", file)
	if code != 0 || !strings.Contains(out, "1 oppføringer endret, 370 uendret") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCmd(t, dbPath, "", "register", "export", "-format", "csv-comma")
	if code != 0 || !strings.Contains(out, "1804,Bodø,tilbud,bibliotek,Stormen,,,,ja,") {
		t.Errorf("the imported row is not in the next export: %d", code)
	}
	bad := strings.Replace(changed, "1804;Bodø;tilbud;", "1804;Bodø;kanskje;", 1)
	os.WriteFile(file, []byte(bad), 0o600)
	code, _, errOut = runCmd(t, dbPath, "", "register", "import", file)
	if code != 1 || !strings.Contains(errOut, "ingenting er lest inn") || !strings.Contains(errOut, "kolonne status: ukjent status «kanskje»") {
		t.Errorf("bad import: %d %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, dbPath, "", "register", "delete"); code != 2 || !strings.Contains(errOut, "register export") {
		t.Errorf("unknown subcommand: %d %q", code, errOut)
	}
}
