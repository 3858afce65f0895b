package web

import (
	"bytes"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/png"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/pquerna/otp/totp"

	"github.com/ks-no/digihjelpen/ticket"
)

// Setting up two-factor on /konto/tofaktor: a secret shown as a QR code (made here, as a PNG
// by pquerna/otp, never by an outside service) and as text, confirmed with a code before it is
// on; then ten recovery codes, shown once.

// pendingTOTPLife keeps the secret on screen the same across reloads for a while, so a phone
// that scanned it is not left with a secret nobody confirms.
const pendingTOTPLife = time.Hour

type twoFactorPage struct {
	QR       template.URL // data: URL of the PNG
	Secret   string       // in groups of four, for typing
	Required bool
}

func (s *Server) handleTwoFactorForm(c *fiber.Ctx) error {
	return s.renderTwoFactorForm(c, pageData{})
}

func (s *Server) renderTwoFactorForm(c *fiber.Ctx, d pageData) error {
	u := userFrom(c)
	if u.IsSSO() || u.TwoFactor {
		return c.Redirect("/konto", fiber.StatusSeeOther)
	}
	tf, err := s.Accounts.FindTwoFactor(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	secret := tf.Pending
	if secret == "" || s.Now().Sub(tf.PendingAt) > pendingTOTPLife {
		key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Email})
		if err != nil {
			return fmt.Errorf("generate totp secret: %w", err)
		}
		secret = key.Secret()
		if err := s.Accounts.BeginTwoFactor(c.UserContext(), u.ID, secret); err != nil {
			return err
		}
	}
	qr, err := totpQR(u.Email, secret)
	if err != nil {
		return err
	}
	required, err := s.Accounts.RequireTwoFactor(c.UserContext())
	if err != nil {
		return err
	}
	d.Title, d.Nav, d.Data = "Slå på tofaktor", "konto", twoFactorPage{QR: qr, Secret: groupsOf4(secret), Required: required}
	return s.render(c, "account_twofactor", d)
}

// totpQR is the otpauth:// URL of the secret as a QR code in a PNG data: URL.
func totpQR(email, secret string) (template.URL, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return "", fmt.Errorf("decode totp secret: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: email, Secret: raw})
	if err != nil {
		return "", fmt.Errorf("totp key: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", fmt.Errorf("totp qr: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("totp qr png: %w", err)
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

func groupsOf4(s string) string {
	var parts []string
	for len(s) > 4 {
		parts, s = append(parts, s[:4]), s[4:]
	}
	return strings.Join(append(parts, s), " ")
}

// handleTwoFactorEnable turns two-factor on when the code matches the secret on screen.
func (s *Server) handleTwoFactorEnable(c *fiber.Ctx) error {
	u := userFrom(c)
	if u.IsSSO() || u.TwoFactor {
		return c.Redirect("/konto", fiber.StatusSeeOther)
	}
	tf, err := s.Accounts.FindTwoFactor(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	step, ok := matchTOTP(tf.Pending, c.FormValue("kode"), s.Now())
	if tf.Pending == "" || !ok {
		c.Status(fiber.StatusBadRequest)
		return s.renderTwoFactorForm(c, pageData{Errors: ticket.FieldErrors{
			ticket.FieldError("kode", "Koden stemmer ikke. Skriv de seks sifrene appen viser for Digihjelpen kontaktpunkt nå.")}})
	}
	codes, hashes := newRecoveryCodes(ticket.RecoveryCodeCount)
	if err := s.Accounts.EnableTwoFactor(c.UserContext(), u.ID, step, hashes); err != nil {
		return err
	}
	return s.renderRecoveryCodes(c, codes, "Tofaktor er slått på.")
}

func (s *Server) renderRecoveryCodes(c *fiber.Ctx, codes []string, notice string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "account_recovery", pageData{Title: "Gjenopprettingskoder", Nav: "konto", Notice: notice, Data: codes})
}

// checkOwnPassword guards the changes that weaken or replace the second factor.
func (s *Server) checkOwnPassword(c *fiber.Ctx, u *ticket.User) error {
	key := accountKey(s.clientKey(c), u.Email)
	if blocked, wait := s.logins.Blocked(key); blocked {
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		return ticket.Errorf(ticket.ERATELIMIT, "For mange feil passord. Vent %s og prøv igjen.", waitText(wait))
	}
	if !CheckPassword(u.PasswordHash, c.FormValue("passord")) {
		s.logins.Fail(key, accountLimit)
		return ticket.FieldError("passord-tofaktor", "Passordet er feil.")
	}
	return nil
}

func (s *Server) handleTwoFactorDisable(c *fiber.Ctx) error {
	u := userFrom(c)
	required, err := s.Accounts.RequireTwoFactor(c.UserContext())
	if err != nil {
		return err
	}
	if required {
		return ticket.Errorf(ticket.EFORBIDDEN, "Administratorene krever tofaktor for alle lokale kontoer, så den kan ikke slås av.")
	}
	if err := s.checkOwnPassword(c, u); err != nil {
		return s.accountRefused(c, err)
	}
	if err := s.Accounts.ResetTwoFactor(c.UserContext(), u.ID, "tofaktor slått av av brukeren"); err != nil {
		return err
	}
	return c.Redirect("/konto?ok=tofaktor-av", fiber.StatusSeeOther)
}

// handleRecoveryCodes replaces the recovery codes (the old ones were used or lost).
func (s *Server) handleRecoveryCodes(c *fiber.Ctx) error {
	u := userFrom(c)
	if err := s.checkOwnPassword(c, u); err != nil {
		return s.accountRefused(c, err)
	}
	codes, hashes := newRecoveryCodes(ticket.RecoveryCodeCount)
	if err := s.Accounts.ReplaceRecoveryCodes(c.UserContext(), u.ID, hashes); err != nil {
		return err
	}
	return s.renderRecoveryCodes(c, codes, "De gamle gjenopprettingskodene virker ikke lenger.")
}

// accountRefused shows a wrong password beside its field on /konto; other errors go on.
func (s *Server) accountRefused(c *fiber.Ctx, err error) error {
	if ticket.ErrorCode(err) != ticket.EINVALID {
		return err
	}
	c.Status(fiber.StatusBadRequest)
	return s.renderAccount(c, pageData{Errors: ticket.FieldErrorsOf(err)})
}
