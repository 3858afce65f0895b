package web

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The agencies at /admin/etater: administrators edit names, referral addresses and
// descriptions (AgencyStore keeps each save as a version, in the audit trail), so a referral
// goes to the new address at once, without a restart. The configuration gives the agencies and
// their first values.

// agencies returns the agencies in force: the administrators' versions over the configured
// ones (Agencies) when there is a store, else those configured.
func (s *Server) agencies(ctx context.Context) (ticket.Agencies, error) {
	if s.AgencyStore == nil {
		return s.Agencies, nil
	}
	return s.AgencyStore.FindAgencies(ctx)
}

// agencyNames is the agencies in force for pages that only show names: on a storage error the
// configured names do (logged), since no page should fail over a display name.
func (s *Server) agencyNames(c *fiber.Ctx) ticket.Agencies {
	as, err := s.agencies(c.UserContext())
	if err != nil {
		s.Logger.Error("read agencies", "err", err)
		return s.Agencies
	}
	return as
}

// agenciesPage lists the agencies; Editable when administrators can change them here.
type agenciesPage struct {
	Agencies ticket.Agencies
	Editable bool
	Saved    string
}

func (s *Server) handleAgencies(c *fiber.Ctx) error {
	as, err := s.agencies(c.UserContext())
	if err != nil {
		return err
	}
	d := agenciesPage{Agencies: as, Editable: s.AgencyStore != nil}
	if a, ok := as.Find(c.Query("lagret")); ok {
		d.Saved = a.Name
	}
	return s.renderAdmin(c, "admin_agencies", "etater", pageData{Title: "Etater", Data: d})
}

// agencyEditPage is the form for one agency with its saved versions.
type agencyEditPage struct {
	Agency   ticket.Agency
	Versions []*ticket.AgencyVersion
	From     int // the version the form was filled from (0: the one in force)
	Users    []*ticket.User
}

// Name is who saved a version, by name.
func (p agencyEditPage) Name(email string) string { return userName(p.Users, email) }

func (s *Server) handleAgencyEdit(c *fiber.Ctx) error {
	return s.renderAgencyEdit(c, nil, nil)
}

// renderAgencyEdit shows the form: with the values of a refused save (form), or those of the
// version asked for (?versjon=N: to take an older one into use again), or the ones in force.
func (s *Server) renderAgencyEdit(c *fiber.Ctx, form *ticket.Agency, errs ticket.FieldErrors) error {
	ctx := c.UserContext()
	as, err := s.agencies(ctx)
	if err != nil {
		return err
	}
	a, ok := as.Find(c.Params("key"))
	if !ok {
		return ticket.Errorf(ticket.ENOTFOUND, "Fant ingen etat «%s».", c.Params("key"))
	}
	d := agencyEditPage{Agency: a}
	if d.Versions, err = s.AgencyStore.FindAgencyVersions(ctx, a.Key); err != nil {
		return err
	}
	if d.Users, err = s.Users.FindUsers(ctx); err != nil {
		return err
	}
	if n, err := strconv.Atoi(c.Query("versjon")); err == nil {
		for _, v := range d.Versions {
			if v.Version == n {
				d.Agency, d.From = v.Agency, n
			}
		}
	}
	if form != nil {
		d.Agency = *form
	}
	p := pageData{Title: "Etat: " + a.Name, Data: d, Errors: errs}
	if len(errs) > 0 {
		p.Message = "Etaten ble ikke lagret. Se feilen under."
	}
	return s.renderAdmin(c, "admin_agency", "etater", p)
}

func (s *Server) handleAgencySave(c *fiber.Ctx) error {
	a := ticket.Agency{Key: c.Params("key"), Name: c.FormValue("navn"), Email: c.FormValue("epost"), Description: c.FormValue("beskrivelse")}
	saved, err := s.AgencyStore.SaveAgency(c.UserContext(), a)
	if fe := ticket.FieldErrorsOf(err); fe != nil || ticket.ErrorCode(err) == ticket.EINVALID {
		if fe == nil {
			fe = ticket.FieldErrors{ticket.FieldError("", "%s", ticket.ErrorMessage(err))}
		}
		c.Status(fiber.StatusBadRequest)
		return s.renderAgencyEdit(c, &a, fe)
	} else if err != nil {
		return err
	}
	if s.AgenciesChanged != nil {
		if as, err := s.AgencyStore.FindAgencies(c.UserContext()); err == nil {
			s.AgenciesChanged(as)
		} else {
			s.Logger.Error("read agencies after a save", "err", err)
		}
	}
	s.Logger.Info("agency saved", "agency", saved.Key, "version", saved.Version, "user_id", userFrom(c).ID)
	return c.Redirect("/admin/etater?lagret="+saved.Key, fiber.StatusSeeOther)
}
