package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// usersNotices are the confirmations after a redirect, by a code in the URL (never a name or
// an address).
var usersNotices = map[string]string{
	"rolle": "Rollen er endret.", "deaktivert": "Brukeren er deaktivert og logget ut.", "aktivert": "Brukeren er aktivert igjen.",
	"opprettet": "Brukeren er opprettet med passordet du valgte.",
	"tofaktor":  "Tofaktor er nullstilt. Brukeren setter den opp på nytt.", "tofaktor-kreves": "Alle lokale kontoer må nå bruke tofaktor.",
	"tofaktor-valgfritt": "Tofaktor er nå valgfritt for lokale kontoer.",
}

type usersPage struct {
	Users []*ticket.User
	Me    uint64
	Roles []ticket.Role
	// TwoFactor offers two-factor (the account store is there); RequireTwoFactor is the
	// setting that every local account must use it.
	TwoFactor, RequireTwoFactor bool
}

func (s *Server) renderUsers(c *fiber.Ctx, d pageData) error {
	users, err := s.Users.FindUsers(c.UserContext())
	if err != nil {
		return err
	}
	if d.Form == nil {
		d.Form = map[string]string{"rolle": string(ticket.RoleAgent)}
	}
	d.Title = "Brukere"
	page := usersPage{Users: users, Me: userFrom(c).ID, Roles: ticket.Roles, TwoFactor: s.Accounts != nil}
	if s.Accounts != nil {
		if page.RequireTwoFactor, err = s.Accounts.RequireTwoFactor(c.UserContext()); err != nil {
			return err
		}
	}
	d.Data = page
	return s.renderAdmin(c, "admin_users", "brukere", d)
}

func (s *Server) handleUsers(c *fiber.Ctx) error {
	return s.renderUsers(c, pageData{Notice: usersNotices[c.Query("ok")]})
}

// handleUserCreate adds a user. A password left empty is generated and shown once.
func (s *Server) handleUserCreate(c *fiber.Ctx) error {
	form := map[string]string{"epost": strings.TrimSpace(c.FormValue("epost")), "navn": strings.TrimSpace(c.FormValue("navn")),
		"rolle": c.FormValue("rolle")}
	password, generated := c.FormValue("passord"), false
	if password == "" {
		password, generated = GeneratePassword(), true
	}
	u := &ticket.User{Email: form["epost"], Name: form["navn"], Role: ticket.Role(form["rolle"])}
	var errs ticket.FieldErrors
	if err := u.Validate(); err != nil {
		errs = append(errs, renameFields(err, map[string]string{"email": "epost", "name": "navn", "role": "rolle"})...)
	}
	hash, err := HashPassword(password)
	if err != nil {
		errs = append(errs, ticket.FieldError("passord", "%s", ticket.ErrorMessage(err)))
	}
	if len(errs) == 0 {
		u.PasswordHash = hash
		err = s.Users.CreateUser(c.UserContext(), u)
		errs = append(errs, renameFields(err, map[string]string{"email": "epost"})...)
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusBadRequest)
		return s.renderUsers(c, pageData{Form: form, Errors: errs})
	}
	if !generated {
		return c.Redirect("/admin/brukere?ok=opprettet", fiber.StatusSeeOther)
	}
	return s.renderSecret(c, "brukere", "Brukeren er opprettet", "Passord for "+u.Email, password)
}

// renameFields turns the domain's field errors into errors on this form's field names. An
// error that is not about fields is returned as is (nil stays nil).
func renameFields(err error, names map[string]string) ticket.FieldErrors {
	if err == nil {
		return nil
	}
	list := ticket.FieldErrorsOf(err)
	if list == nil {
		return ticket.FieldErrors{{Code: ticket.ErrorCode(err), Message: ticket.ErrorMessage(err)}}
	}
	out := make(ticket.FieldErrors, 0, len(list))
	for _, e := range list {
		if n, ok := names[e.Field]; ok {
			e = &ticket.Error{Code: e.Code, Field: n, Message: e.Message}
		}
		out = append(out, e)
	}
	return out
}

// secretPage shows a password or token once; it is never stored in clear.
type secretPage struct {
	Label, Secret, Back string
	// Hint replaces the sentence under the secret (that it is shown once and stored hashed).
	Hint string
}

// renderSecret shows secret on the page of the admin area it belongs to.
func (s *Server) renderSecret(c *fiber.Ctx, area, title, label, secret string) error {
	back := "/admin"
	for _, a := range s.menu(adminMenu, userFrom(c)) {
		if a.Key == area {
			back = a.Path
		}
	}
	return s.renderAdmin(c, "admin_secret", area, pageData{Title: title, Data: secretPage{Label: label, Secret: secret, Back: back}})
}

// userParam loads the user named by :id.
func (s *Server) userParam(c *fiber.Ctx) (*ticket.User, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke brukeren.")
	}
	return s.Users.FindUserByID(c.UserContext(), id)
}

// userActionFailed shows why a change to a user was refused, on the users page.
func (s *Server) userActionFailed(c *fiber.Ctx, err error) error {
	if code := ticket.ErrorCode(err); code != ticket.EINVALID && code != ticket.EFORBIDDEN {
		return err
	}
	c.Status(statusOf[ticket.ErrorCode(err)])
	return s.renderUsers(c, pageData{Message: ticket.ErrorMessage(err)})
}

func (s *Server) handleUserRole(c *fiber.Ctx) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	role := ticket.Role(c.FormValue("rolle"))
	if !role.Valid() {
		return s.userActionFailed(c, ticket.FieldError("rolle", "Velg rollen agent, admin eller leser."))
	}
	if _, err := s.Users.UpdateUser(c.UserContext(), u.ID, ticket.UserUpdate{Role: &role}); err != nil {
		return s.userActionFailed(c, err)
	}
	return c.Redirect("/admin/brukere?ok=rolle", fiber.StatusSeeOther)
}

// handleUserActive disables or enables a user; a disabled user is logged out everywhere.
func (s *Server) handleUserActive(c *fiber.Ctx) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	disable := c.FormValue("aktiv") == "nei"
	if disable && u.ID == userFrom(c).ID {
		return s.userActionFailed(c, ticket.Errorf(ticket.EFORBIDDEN, "Du kan ikke deaktivere deg selv."))
	}
	if _, err := s.Users.UpdateUser(c.UserContext(), u.ID, ticket.UserUpdate{Disabled: &disable}); err != nil {
		return s.userActionFailed(c, err)
	}
	if !disable {
		return c.Redirect("/admin/brukere?ok=aktivert", fiber.StatusSeeOther)
	}
	if _, err := s.Sessions.DeleteUserSessions(c.UserContext(), u.ID); err != nil {
		return err
	}
	return c.Redirect("/admin/brukere?ok=deaktivert", fiber.StatusSeeOther)
}

// handleUserPassword gives a user a new generated password, shown once, and logs them out
// everywhere. An admin who resets their own password stays logged in here only, with a new
// session: a browser left logged in elsewhere (or a stolen cookie) is out too.
func (s *Server) handleUserPassword(c *fiber.Ctx) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	if u.IsSSO() {
		return s.userActionFailed(c, ticket.Errorf(ticket.EINVALID, "%s logger inn med KS-konto og har ikke passord her.", u.Email))
	}
	password := GeneratePassword()
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := s.Users.UpdateUser(c.UserContext(), u.ID, ticket.UserUpdate{PasswordHash: &hash}); err != nil {
		return err
	}
	if _, err := s.Sessions.DeleteUserSessions(c.UserContext(), u.ID); err != nil {
		return err
	}
	if u.ID == userFrom(c).ID {
		if err := s.newSession(c, u, nil); err != nil {
			return err
		}
	}
	return s.renderSecret(c, "brukere", "Nytt passord", "Nytt passord for "+u.Email, password)
}
