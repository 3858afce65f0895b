package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
)

// runCmd runs a subcommand in-process with the database in a temp dir.
func runCmd(t *testing.T, dbPath, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, environ: []string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath}}
	code := run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

func TestRunCommands(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "db", "d.db")
	backup := filepath.Join(t.TempDir(), "kopi.db")
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"help", "", []string{"help"}, 0, "digihjelpen serve", ""},
		{"no command", "", nil, 2, "Bruk:", ""},
		{"ErrUnknownCommand", "", []string{"start"}, 2, "", "Ukjent kommando «start»"},
		{"user add", "", []string{"user", "add", "ola@ks.no", "-name", "Ola Nordmann", "-role", "agent"}, 0, "Passord:", ""},
		{"user add from stdin", "et-langt-passord-her\n", []string{"user", "add", "kari@ks.no", "-name", "Kari", "-role", "admin", "-password-stdin"}, 0, "kari@ks.no (admin)", ""},
		{"ErrUserTaken", "", []string{"user", "add", "OLA@ks.no", "-name", "Ola"}, 1, "", "finnes allerede"},
		{"ErrUserRole", "", []string{"user", "add", "per@ks.no", "-name", "Per", "-role", "sjef"}, 1, "", "Rollen må være"},
		{"ErrUserShortPassword", "kort\n", []string{"user", "add", "per@ks.no", "-name", "Per", "-password-stdin"}, 1, "", "minst 12 tegn"},
		{"ErrUserNoEmail", "", []string{"user", "add", "-name", "Per"}, 2, "", "one email address"},
		{"ErrUserSub", "", []string{"user", "delete", "x"}, 2, "", "user add"},
		{"token create", "", []string{"token", "create", "-name", "statistikk"}, 0, "dh_", "vises bare denne ene gangen"},
		{"ErrTokenName", "", []string{"token", "create"}, 1, "", "Gi nøkkelen et navn"},
		{"backup", "", []string{"backup", backup}, 0, "Sikkerhetskopi skrevet", ""},
		{"user add reader", "", []string{"user", "add", "leder@ks.no", "-name", "Leder", "-role", "leser"}, 0, "leder@ks.no (leser)", ""},
		{"token create reader", "", []string{"token", "create", "-name", "styringsgruppa", "-role", "leser"}, 0, "dh_", "vises bare denne ene gangen"},
		{"ErrTokenRole", "", []string{"token", "create", "-name", "x", "-role", "sjef"}, 1, "", "Rollen må være «admin», «agent» eller «leser»"},
		{"ErrBackupArgs", "", []string{"backup"}, 2, "", "backup FILE"},
		{"ErrBadFlag", "", []string{"serve", "-port", "80"}, 2, "", "flag provided but not defined"},
		{"ErrConfigFile", "", []string{"serve", "-config", "/finnes/ikke.toml"}, 1, "", "/finnes/ikke.toml"},
		{"ErrImportNoArgs", "", []string{"import"}, 2, "", "at least one FILE.eml or DIR"},
		{"ErrImportMissing", "", []string{"import", "/finnes/ikke.eml"}, 1, "", "finner ikke «/finnes/ikke.eml»"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, dbPath, tt.stdin, tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
				t.Fatalf("code %d, stdout %q, stderr %q; want code %d, stdout with %q, stderr with %q",
					code, out, errOut, tt.wantCode, tt.wantOut, tt.wantErr)
			}
		})
	}
	// the backup is a database with the users in it
	db := data.NewDB(backup)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, _ := data.NewUserService(db).CountUsers(context.Background()); n != 2 {
		t.Fatalf("backup has %d users, want 2", n)
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatal(err)
	}
}
