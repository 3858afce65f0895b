package main

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// Config is the whole configuration. Every key is documented in config.example.toml; the
// defaults below let the server start with no file at all.
type Config struct {
	Server    ServerConfig    `toml:"server"`
	Storage   StorageConfig   `toml:"storage"`
	IMAP      IMAPConfig      `toml:"imap"`
	SMTP      SMTPConfig      `toml:"smtp"`
	Routing   RoutingConfig   `toml:"routing"`
	Stats     StatsConfig     `toml:"stats"`
	Retention RetentionConfig `toml:"retention"`
	Backup    BackupConfig    `toml:"backup"`
	Tickets   TicketsConfig   `toml:"tickets"`
	Audit     AuditConfig     `toml:"audit"`
	SSO       SSOConfig       `toml:"sso"`
	// Agencies change or add to the built-in agencies ([[agencies]] tables); see agencies.go.
	Agencies []ticket.Agency `toml:"agencies"`
}

// ServerConfig is the web server.
type ServerConfig struct {
	Addr       string `toml:"addr"`
	BaseURL    string `toml:"base_url"`
	AdminEmail string `toml:"admin_email"`
	LogLevel   string `toml:"log_level"`
	// TrustedProxies are reverse proxies (addresses or networks) whose X-Forwarded-For is
	// believed; see web.ParseTrustedProxies.
	TrustedProxies []string `toml:"trusted_proxies"`
	// PasswordLogin offers the password form; false leaves it to local admins (see config_sso.go).
	PasswordLogin bool `toml:"password_login"`
}

// StorageConfig is the database file.
type StorageConfig struct {
	Path string `toml:"path"`
}

// IMAPConfig is the mailbox questions arrive in. Intake is off while Addr is empty.
type IMAPConfig struct {
	Addr             string   `toml:"addr"`
	TLS              string   `toml:"tls"`
	Username         string   `toml:"username"`
	Password         string   `toml:"password"`
	Mailbox          string   `toml:"mailbox"`
	ProcessedMailbox string   `toml:"processed_mailbox"`
	PollInterval     Duration `toml:"poll_interval"`
	IDLE             bool     `toml:"idle"`
	MaxMessageBytes  int64    `toml:"max_message_bytes"`
	// OAuth2 instead of the password (Microsoft 365); see config_oauth.go.
	Auth         string `toml:"auth"`
	TokenURL     string `toml:"token_url"`
	ClientID     string `toml:"client_id"`
	ClientSecret string `toml:"client_secret"`
	Scope        string `toml:"scope"`
}

// SMTPConfig is the server replies go out through. Mail waits in the outbox while Addr is empty.
type SMTPConfig struct {
	Addr     string `toml:"addr"`
	TLS      string `toml:"tls"`
	Username string `toml:"username"`
	Password string `toml:"password"`
	From     string `toml:"from"`
	// OAuth2 instead of the password (Microsoft 365); see config_oauth.go.
	Auth         string `toml:"auth"`
	TokenURL     string `toml:"token_url"`
	ClientID     string `toml:"client_id"`
	ClientSecret string `toml:"client_secret"`
	Scope        string `toml:"scope"`
}

// RoutingConfig points at the rules file; the embedded default rules apply when it is empty.
type RoutingConfig struct {
	RulesFile string `toml:"rules_file"`
	// ReferralReminderAfter is how long an agency has to answer a referral before it is
	// flagged as overdue; 0 turns reminders off.
	ReferralReminderAfter Duration `toml:"referral_reminder_after"`
	// Learn is what the routing model that learns from staff's choices may do: "off",
	// "suggest" (staff see «Forslag» on tickets no rule routed) or "route" (it also routes
	// them, from LearnThreshold).
	Learn          string  `toml:"learn"`
	LearnThreshold float64 `toml:"learn_threshold"`
	// LearnSeed trains the model on the labelled questions built into the program besides
	// staff's labels, so it suggests and routes from the first day (routing/seed/).
	LearnSeed bool `toml:"learn_seed"`
}

// StatsConfig is the weekly report mail.
type StatsConfig struct {
	Recipients []string `toml:"recipients"`
	SendAt     string   `toml:"send_at"`
}

// RetentionConfig says how long personal data in closed tickets is kept.
type RetentionConfig struct {
	AnonymiseAfter Duration `toml:"anonymise_after"`
}

// BackupConfig is the scheduled backups (backups.go); off while Dir is empty.
type BackupConfig struct {
	Dir   string   `toml:"dir"`
	Every Duration `toml:"every"`
	Keep  int64    `toml:"keep"`
}

// TicketsConfig is the life of a ticket after it is answered.
type TicketsConfig struct {
	// CloseResolvedAfter closes a resolved ticket once the requester has been quiet this
	// long (the system's change, in its history); 0 keeps resolved tickets resolved.
	CloseResolvedAfter Duration `toml:"close_resolved_after"`
}

// AuditConfig says how long the audit log keeps sign-ins, openings, downloads, exports and
// admin changes (a ticket's own history lives as long as the ticket).
type AuditConfig struct {
	Keep Duration `toml:"keep"`
}

// DefaultConfig is what the server runs with when no file says otherwise.
func DefaultConfig() Config {
	return Config{
		Server: ServerConfig{Addr: "127.0.0.1:8080", BaseURL: "http://127.0.0.1:8080", AdminEmail: "admin@localhost", LogLevel: "info",
			PasswordLogin: true},
		Storage: StorageConfig{Path: "var/digihjelpen.db"},
		IMAP: IMAPConfig{TLS: "tls", Mailbox: "INBOX", ProcessedMailbox: "Behandlet",
			PollInterval: Duration(time.Minute), IDLE: true, MaxMessageBytes: 25 << 20, Auth: authPassword},
		SMTP: SMTPConfig{TLS: "starttls", From: "Digihjelpen kontaktpunkt <kontaktpunkt@localhost>", Auth: authPassword},
		Routing: RoutingConfig{ReferralReminderAfter: Duration(7 * 24 * time.Hour), Learn: string(ticket.LearnSuggest), LearnThreshold: routing.DefaultThreshold,
			LearnSeed: true},
		Stats:   StatsConfig{SendAt: "mandag 07:00"},
		Backup:  BackupConfig{Every: Duration(24 * time.Hour), Keep: 14},
		Tickets: TicketsConfig{CloseResolvedAfter: Duration(ticket.DefaultCloseResolvedAfter)},
		Audit:   AuditConfig{Keep: Duration(ticket.DefaultAuditKeep)},
		SSO:     DefaultSSOConfig(),
	}
}

// Duration is a time.Duration in TOML as a string: "90s", "5m", "12h", or days as "30d".
type Duration time.Duration

// UnmarshalText parses a duration, with "d" for days.
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return fmt.Errorf("expected a duration such as 90s, 5m, 12h or 30d, got %q", s)
		}
		*d = Duration(time.Duration(days) * 24 * time.Hour)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("expected a duration such as 90s, 5m, 12h or 30d, got %q", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration back in Go's form.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// ConfigError names the file (or variable), the key and what was expected.
type ConfigError struct {
	Source string // file name, or "environment"
	Line   int
	Key    string
	Reason string
}

func (e *ConfigError) Error() string {
	where := e.Source
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %s", where, e.Key, e.Reason)
	}
	return where + ": " + e.Reason
}

var typeErrorPattern = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]+)"\): (.*)$`)

// LoadConfig reads the defaults, then the file (when path is not ""), then the environment,
// and checks the result.
func LoadConfig(path string, environ []string) (Config, error) {
	cfg := DefaultConfig()
	source := "embedded defaults"
	if path != "" {
		source = path
		text, err := os.ReadFile(path)
		if err != nil {
			return cfg, &ConfigError{Source: path, Reason: "cannot read the file: " + errors.Unwrap(err).Error()}
		}
		if err := decodeConfig(path, string(text), &cfg); err != nil {
			return cfg, err
		}
	}
	if err := applyEnv(&cfg, environ); err != nil {
		return cfg, err
	}
	if err := cfg.Validate(source); err != nil {
		return cfg, withLine(err, path)
	}
	return cfg, nil
}

// LoadStoragePath reads storage.path from the defaults, the file and the environment without
// checking the rest: enough to find the database and the control socket beside it, for a
// command that hands its work to the running server (which has the whole configuration with
// its secrets) or that only replaces the file (restore).
func LoadStoragePath(path string, environ []string) (string, error) {
	cfg := DefaultConfig()
	if path != "" {
		text, err := os.ReadFile(path)
		if err != nil {
			return "", &ConfigError{Source: path, Reason: "cannot read the file: " + errors.Unwrap(err).Error()}
		}
		if err := decodeConfig(path, string(text), &cfg); err != nil {
			return "", err
		}
	}
	if err := applyEnv(&cfg, environ); err != nil {
		return "", err
	}
	if strings.TrimSpace(cfg.Storage.Path) == "" {
		return "", &ConfigError{Source: "configuration", Key: "storage.path", Reason: "expected a file path, got nothing"}
	}
	return cfg.Storage.Path, nil
}

func decodeConfig(path, text string, cfg *Config) error {
	md, err := toml.Decode(text, cfg)
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &ConfigError{Source: path, Line: pe.Position.Line, Key: pe.LastKey, Reason: pe.Message}
	} else if err != nil {
		if m := typeErrorPattern.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return &ConfigError{Source: path, Line: line, Key: m[2], Reason: typeReason(m[3])}
		}
		return &ConfigError{Source: path, Reason: err.Error()}
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		k := undecoded[0].String()
		return &ConfigError{Source: path, Line: lineOfKey(text, undecoded[0]), Key: k,
			Reason: "unknown key; known keys: " + strings.Join(knownKeys(), ", ")}
	}
	return validateAgencies(path, text, cfg.Agencies)
}

var incompatible = regexp.MustCompile(`incompatible types: TOML value has type (\w+); destination has type (\w+)`)

func typeReason(msg string) string {
	if m := incompatible.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("expected %s, got %s", article(m[2]), article(m[1]))
	}
	return msg
}

func article(goType string) string {
	switch goType {
	case "string":
		return "a string in quotes"
	case "int64", "integer":
		return "a whole number"
	case "float64", "float":
		return "a number such as 0.9"
	case "bool", "boolean":
		return "true or false"
	case "slice", "[]interface {}":
		return "a list such as [\"a\", \"b\"]"
	case "map", "map[string]interface {}":
		return "a table"
	}
	return goType
}

// lineOfKey finds the line of an unknown key, so the message can point at it.
func lineOfKey(text string, k toml.Key) int {
	section, name := "", k[len(k)-1]
	if len(k) > 1 {
		section = strings.Join(k[:len(k)-1], ".")
	}
	current := ""
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			current = strings.Trim(l, "[] ")
			if len(k) == 1 && current == name {
				return i + 1
			}
			continue
		}
		if current == section {
			if before, _, ok := strings.Cut(l, "="); ok && strings.TrimSpace(before) == name {
				return i + 1
			}
		}
	}
	return 0
}

// knownKeys lists section.key for every setting, from the struct tags. A list of tables
// ([[agencies]]) lists the keys of its tables.
func knownKeys() []string {
	var keys []string
	ct := reflect.TypeOf(Config{})
	for i := range ct.NumField() {
		sec := ct.Field(i)
		st := sec.Type
		if st.Kind() == reflect.Slice {
			st = st.Elem()
		}
		for j := range st.NumField() {
			keys = append(keys, sec.Tag.Get("toml")+"."+st.Field(j).Tag.Get("toml"))
		}
	}
	return keys
}

// applyEnv sets keys from DIGIHJELPEN_<SECTION>_<KEY> variables. A variable that names a known
// section but no known key is an error, so a typo in a secret's name does not go unnoticed.
func applyEnv(cfg *Config, environ []string) error {
	cv := reflect.ValueOf(cfg).Elem()
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		rest, ok := strings.CutPrefix(name, "DIGIHJELPEN_")
		if !ok {
			continue
		}
		for i := range cv.NumField() {
			if cv.Field(i).Kind() != reflect.Struct {
				continue // lists of tables ([[agencies]]) come from the file only
			}
			secTag := cv.Type().Field(i).Tag.Get("toml")
			keyPart, ok := strings.CutPrefix(rest, strings.ToUpper(secTag)+"_")
			if !ok {
				continue
			}
			if err := setEnvKey(cv.Field(i), secTag, keyPart, name, value); err != nil {
				return err
			}
		}
	}
	return nil
}

func setEnvKey(sec reflect.Value, secTag, keyPart, envName, value string) error {
	for j := range sec.NumField() {
		keyTag := sec.Type().Field(j).Tag.Get("toml")
		if strings.ToUpper(keyTag) != keyPart {
			continue
		}
		if err := setFromString(sec.Field(j), value); err != nil {
			return &ConfigError{Source: "environment variable " + envName, Key: secTag + "." + keyTag, Reason: err.Error()}
		}
		return nil
	}
	return &ConfigError{Source: "environment variable " + envName, Reason: "names no known key; known keys: " + strings.Join(knownKeys(), ", ")}
}

func setFromString(f reflect.Value, s string) error {
	switch p := f.Addr().Interface().(type) {
	case *string:
		*p = s
	case *bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("expected true or false, got %q", s)
		}
		*p = b
	case *float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("expected a number such as 0.9, got %q", s)
		}
		*p = x
	case *int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("expected a whole number, got %q", s)
		}
		*p = n
	case *Duration:
		return p.UnmarshalText([]byte(s))
	case *[]string:
		*p = nil
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				*p = append(*p, part)
			}
		}
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}

var sendAtPattern = regexp.MustCompile(`^(?i)(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|monday|tuesday|wednesday|thursday|friday|saturday|sunday) ([01]\d|2[0-3]):([0-5]\d)$`)

// Validate checks values that decode fine but make no sense; source names where they came from.
func (c *Config) Validate(source string) error {
	bad := func(key, reason string) error { return &ConfigError{Source: source, Key: key, Reason: reason} }
	if _, _, err := net.SplitHostPort(c.Server.Addr); err != nil {
		return bad("server.addr", fmt.Sprintf("expected host:port such as 127.0.0.1:8080, got %q", c.Server.Addr))
	}
	if u, err := url.Parse(c.Server.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("server.base_url", fmt.Sprintf("expected an http:// or https:// address, got %q", c.Server.BaseURL))
	}
	if _, err := web.ParseTrustedProxies(c.Server.TrustedProxies); err != nil {
		return bad("server.trusted_proxies", "expected IP addresses or networks: "+err.Error())
	}
	if _, err := mail.ParseAddress(c.Server.AdminEmail); err != nil {
		return bad("server.admin_email", fmt.Sprintf("expected an email address, got %q", c.Server.AdminEmail))
	}
	switch c.Server.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return bad("server.log_level", fmt.Sprintf("expected debug, info, warn or error, got %q", c.Server.LogLevel))
	}
	if strings.TrimSpace(c.Storage.Path) == "" {
		return bad("storage.path", "expected a file path, got nothing")
	}
	if err := c.IMAP.validate(bad); err != nil {
		return err
	}
	if err := validTLS(c.SMTP.TLS); err != nil {
		return bad("smtp.tls", err.Error())
	}
	if err := c.SMTP.mailAuth().validate("smtp", c.SMTP.Addr != "", bad); err != nil {
		return err
	}
	if c.SMTP.Addr != "" {
		if _, _, err := net.SplitHostPort(c.SMTP.Addr); err != nil {
			return bad("smtp.addr", fmt.Sprintf("expected host:port such as smtp.example.no:587, got %q", c.SMTP.Addr))
		}
	}
	if _, err := mail.ParseAddress(c.SMTP.From); err != nil {
		return bad("smtp.from", fmt.Sprintf("expected an address such as \"Digihjelpen kontaktpunkt <kontakt@ks.no>\", got %q", c.SMTP.From))
	}
	for _, r := range c.Stats.Recipients {
		if _, err := mail.ParseAddress(r); err != nil {
			return bad("stats.recipients", fmt.Sprintf("expected email addresses, got %q", r))
		}
	}
	if d := time.Duration(c.Routing.ReferralReminderAfter); d != 0 && d < time.Hour {
		return bad("routing.referral_reminder_after", fmt.Sprintf("expected 0s (no reminders) or at least 1h, got %v", d))
	}
	if !ticket.LearnMode(c.Routing.Learn).Valid() {
		return bad("routing.learn", fmt.Sprintf("expected \"off\", \"suggest\" or \"route\", got %q", c.Routing.Learn))
	}
	if t := c.Routing.LearnThreshold; t < 0.5 || t > 1 {
		return bad("routing.learn_threshold", fmt.Sprintf("expected a confidence from 0.5 to 1, such as 0.9, got %v", t))
	}
	if time.Duration(c.Backup.Every) < time.Minute {
		return bad("backup.every", fmt.Sprintf("expected at least 1m, got %v", time.Duration(c.Backup.Every)))
	}
	if c.Backup.Keep < 1 {
		return bad("backup.keep", fmt.Sprintf("expected at least 1 backup to keep, got %d", c.Backup.Keep))
	}
	if d := time.Duration(c.Retention.AnonymiseAfter); d != 0 && ticket.ValidateRetention(d) != nil {
		return bad("retention.anonymise_after", fmt.Sprintf("expected 0s (kept) or 1d to 3650d, got %v", d))
	}
	if d := time.Duration(c.Audit.Keep); d < 30*24*time.Hour {
		return bad("audit.keep", fmt.Sprintf("expected at least 30d, got %v", d))
	}
	if !sendAtPattern.MatchString(c.Stats.SendAt) {
		return bad("stats.send_at", fmt.Sprintf("expected a weekday and a time such as \"mandag 07:00\", got %q", c.Stats.SendAt))
	}
	return c.validateSignIn(bad)
}

func (c *IMAPConfig) validate(bad func(key, reason string) error) error {
	if err := validTLS(c.TLS); err != nil {
		return bad("imap.tls", err.Error())
	}
	if err := c.mailAuth().validate("imap", c.Addr != "", bad); err != nil {
		return err
	}
	if c.Addr == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return bad("imap.addr", fmt.Sprintf("expected host:port such as imap.example.no:993, got %q", c.Addr))
	}
	if c.Mailbox == "" || c.ProcessedMailbox == "" || c.Mailbox == c.ProcessedMailbox {
		return bad("imap.processed_mailbox", "expected a mailbox name different from imap.mailbox")
	}
	if time.Duration(c.PollInterval) < time.Second {
		return bad("imap.poll_interval", "expected at least 1s")
	}
	if c.MaxMessageBytes < 1<<10 {
		return bad("imap.max_message_bytes", "expected at least 1024")
	}
	return nil
}

func validTLS(s string) error {
	switch s {
	case "none", "starttls", "tls":
		return nil
	}
	return fmt.Errorf("expected none, starttls or tls, got %q", s)
}
