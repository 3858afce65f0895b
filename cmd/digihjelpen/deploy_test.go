package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
)

// TestSystemdUnit: the unit runs the server as its own unprivileged user with the file system
// read-only but the data folder, no new privileges and no capabilities; systemd's own checker
// finds nothing wrong with it (where systemd-analyze is installed).
func TestSystemdUnit(t *testing.T) {
	unit := "../../scripts/systemd/digihjelpen.service"
	f, err := os.Open(unit)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			got[k] = append(got[k], v)
		}
	}
	for key, want := range map[string]string{
		"User": "digihjelpen", "Group": "digihjelpen", "NoNewPrivileges": "yes", "ProtectSystem": "strict",
		"ReadWritePaths": "/var/lib/digihjelpen", "StateDirectory": "digihjelpen", "ProtectHome": "yes", "PrivateTmp": "yes",
		"CapabilityBoundingSet": "", "UMask": "0077", "ExecStart": "/usr/local/bin/digihjelpen serve -config /etc/digihjelpen/config.toml",
	} {
		if len(got[key]) != 1 || got[key][0] != want {
			t.Errorf("%s=%q, want %q", key, got[key], want)
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is not installed: only the keys are checked")
		return
	}
	// verify looks for the ExecStart binary: point it at the one the tests build
	text, _ := os.ReadFile(unit)
	copyUnit := filepath.Join(t.TempDir(), "digihjelpen.service")
	os.WriteFile(copyUnit, []byte(strings.ReplaceAll(string(text), "/usr/local/bin/digihjelpen", buildBinary(t))), 0o644)
	if out, err := exec.Command(analyze, "verify", copyUnit).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err := exec.Command(analyze, "security", "--offline=yes", "--threshold=20", copyUnit).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Overall exposure level") {
		t.Errorf("systemd-analyze security: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(string(out[strings.LastIndex(string(out), "→"):])))
}

// TestServeAsTheServiceUser runs the server as an unprivileged user that owns only its data
// folder (0700), as the unit does: it serves, writes its database, control socket and
// backups there, and the commands of that user and of root reach it through the socket.
func TestServeAsTheServiceUser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if os.Geteuid() != 0 {
		t.Skip("switches to another user")
	}
	const uid = 65534
	base, err := os.MkdirTemp("", "dh-service-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	data := filepath.Join(base, "lib")
	os.Mkdir(data, 0o700)
	os.Chown(data, uid, uid)
	bin := buildBinary(t)
	os.Chmod(filepath.Dir(bin), 0o755)
	addr := freeAddr(t)
	environ := append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+filepath.Join(data, "digihjelpen.db"), "DIGIHJELPEN_SERVER_ADDR="+addr,
		"DIGIHJELPEN_SERVER_BASE_URL=http://"+addr, "DIGIHJELPEN_BACKUP_DIR="+filepath.Join(data, "backup"))
	asService := func(cmd *exec.Cmd) *exec.Cmd {
		cmd.Env, cmd.Dir = environ, "/"
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
		return cmd
	}
	serve := asService(exec.Command(bin, "serve"))
	logs := &syncBuffer{}
	serve.Stdout, serve.Stderr = logs, logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	waitHealthy(t, "http://"+addr+"/healthz")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if files, _ := filepath.Glob(filepath.Join(data, "backup", "digihjelpen-*.db")); len(files) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no scheduled backup\n%s", logs)
		}
	}
	if out, err := asService(exec.Command(bin, "token", "create", "-name", "tjenesten")).CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "dh_") {
		t.Errorf("token create as the service user: %v %s", err, out)
	}
	root := exec.Command(bin, "user", "add", "drift@ks.no", "-name", "Drift", "-role", "admin")
	root.Env = environ
	if out, err := root.CombinedOutput(); err != nil || !strings.Contains(string(out), "Brukeren drift@ks.no (admin) er opprettet.") {
		t.Errorf("user add as root: %v %s", err, out)
	}
	for _, name := range []string{"digihjelpen.db", "digihjelpen.db.sock", "backup"} {
		var st syscall.Stat_t
		if err := syscall.Stat(filepath.Join(data, name), &st); err != nil || st.Uid != uid {
			t.Errorf("%s: %v, owner %d, want the service user", name, err, st.Uid)
		}
	}
	serve.Process.Signal(syscall.SIGTERM)
	if err := serve.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, logs)
	}
	if n := strings.Count(logs.String(), "command run for the command line"); n != 2 {
		t.Errorf("the server ran %d commands, want 2\n%s", n, logs)
	}
}

// TestServeAddrTakenExitsAtOnce: serve on an address another process holds exits at once with
// the reason, having changed nothing: no first administrator, no socket, the file unlocked.
func TestServeAddrTakenExitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dbPath := filepath.Join(t.TempDir(), "var", "d.db")
	cmd := exec.Command(buildBinary(t), "serve")
	cmd.Env = append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+dbPath, "DIGIHJELPEN_SERVER_ADDR="+taken.Addr().String())
	began := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(began)
	if err == nil || cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "listen on "+taken.Addr().String()+" (server.addr)") ||
		!strings.Contains(string(out), "address already in use") {
		t.Fatalf("exit %v: %s", err, out)
	}
	if took > 2*time.Second {
		t.Errorf("took %v to give up", took)
	}
	if strings.Contains(string(out), "Passord") || strings.Contains(string(out), "started") {
		t.Errorf("it did more than fail:\n%s", out)
	}
	if _, err := os.Stat(socketPath(dbPath)); !os.IsNotExist(err) {
		t.Errorf("a control socket was left: %v", err)
	}
	db := data.NewDB(dbPath) // with its 2 s lock timeout: fails if the file were still held
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, _ := data.NewUserService(db).CountUsers(t.Context()); n != 0 {
		t.Errorf("%d users made by a start that failed", n)
	}
}
