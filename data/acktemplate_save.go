package data

import (
	"context"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// CreateAckTemplate stores a new template as its first version, or as the next one after a
// deleted template of the same name.
func (s *TemplateService) CreateAckTemplate(ctx context.Context, a *ticket.AckTemplate) error {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		last, err := tx.latestAck(a.Name)
		if err != nil {
			return err
		}
		if (last != nil && !last.Deleted) || (last == nil && builtinAck(a.Name) != nil) {
			return ticket.FieldErrors{ticket.FieldError("name", "Det finnes allerede en kvitteringsmal med navnet «%s». Velg et annet navn, eller endre den som finnes.", a.Name)}
		}
		version := 1
		if last != nil {
			version = last.Version + 1
		}
		return tx.putAck(a, version, actor, "opprettet")
	})
}

// SaveAckTemplate stores a's title and text as the next version of a.Name, unless someone
// saved since ifVersion.
func (s *TemplateService) SaveAckTemplate(ctx context.Context, a *ticket.AckTemplate, ifVersion int) error {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.currentAck(a.Name)
		if err != nil {
			return err
		}
		if err := staleAck(cur, ifVersion, "Teksten din er tatt vare på; se gjennom og lagre igjen."); err != nil {
			return err
		}
		return tx.putAck(a, cur.Version+1, actor, fmt.Sprintf("versjon %d lagret", cur.Version+1))
	})
}

// DeleteAckTemplate records the deletion of name as its next version. The default cannot go:
// every ticket no rule gives a template needs it.
func (s *TemplateService) DeleteAckTemplate(ctx context.Context, name string, ifVersion int) (*ticket.AckTemplate, error) {
	if name == ticket.DefaultAckTemplateName {
		return nil, ticket.ErrDeleteDefaultAck
	}
	actor := ticket.ActorFromContext(ctx).Name
	var gone *ticket.AckTemplate
	err := s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.currentAck(name)
		if err != nil {
			return err
		}
		if err := staleAck(cur, ifVersion, "Se gjennom endringen før du sletter."); err != nil {
			return err
		}
		gone = &ticket.AckTemplate{Name: cur.Name, Title: cur.Title, Deleted: true}
		return tx.putAck(gone, cur.Version+1, actor, "slettet")
	})
	if err != nil {
		return nil, err
	}
	return gone, nil
}

// staleAck refuses a change made from an older version than cur; then says what to do.
func staleAck(cur *ticket.AckTemplate, ifVersion int, then string) error {
	if cur.Version == ifVersion {
		return nil
	}
	return ticket.Errorf(ticket.ECONFLICT, "Kvitteringsmalen «%s» er endret av %s siden du åpnet den (nå versjon %d). %s", cur.Title, cur.UpdatedBy, cur.Version, then)
}

// putAck stores a as version of its name, stamped with actor and the transaction's time, and
// records what happened in the audit trail.
func (tx *Tx) putAck(a *ticket.AckTemplate, version int, actor, what string) error {
	a.Version, a.UpdatedBy, a.UpdatedAt = version, actor, tx.now
	buf, err := encode(ackTemplateRecord{Name: a.Name, Title: a.Title, Version: version, Text: a.Text,
		UpdatedBy: actor, UpdatedAt: tx.now, Deleted: a.Deleted})
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketAckVersions).Put(ackKey(a.Name, version), buf); err != nil {
		return fmt.Errorf("put acknowledgement template %s version %d: %w", a.Name, version, err)
	}
	return tx.addEvent(0, ticket.EventTemplate, actor, "", "kvittering", fmt.Sprintf("«%s» (%s) %s", a.Title, a.Name, what))
}

// recordAckTemplates writes in t's history which template made each acknowledgement in out
// (ticket.EventAcknowledged), so staff see what the requester was told.
func (tx *Tx) recordAckTemplates(t *ticket.Ticket, out []*ticket.OutboundMail) error {
	for _, m := range out {
		if m.Kind != ticket.MailAck || m.Template == nil {
			continue
		}
		u := m.Template
		detail := fmt.Sprintf("«%s», versjon %d", u.Title, u.Version)
		if u.Version == 0 {
			detail = fmt.Sprintf("«%s», den innebygde teksten", u.Title)
		}
		if err := tx.addEvent(t.ID, ticket.EventAcknowledged, "system", u.Asked, u.Name, detail); err != nil {
			return err
		}
	}
	return nil
}
