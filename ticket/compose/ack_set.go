package compose

import (
	"log/slog"
	"maps"

	"github.com/ks-no/digihjelpen/ticket"
)

// ackSet is the acknowledgement templates a composer holds: the newest version of every name,
// deletions included, so that an older version arriving late never brings a template back.
// A set is never changed once stored; a change stores a copy.
type ackSet map[string]*ticket.AckTemplate

func newAckSet(list []*ticket.AckTemplate) ackSet {
	set := ackSet{}
	for _, a := range list {
		cp := *a
		set[cp.Name] = &cp
	}
	if d, ok := set[ticket.DefaultAckTemplateName]; !ok || d.Deleted {
		set[ticket.DefaultAckTemplateName] = ticket.DefaultAckTemplate()
	}
	return set
}

func (c *Composer) ackSet() ackSet {
	if s := c.acks.Load(); s != nil {
		return *s
	}
	return builtinAckSet
}

var builtinAckSet = newAckSet(ticket.BuiltinAckTemplates())

// SetAckTemplates makes list the acknowledgement templates from now on (at start, from
// storage). The default is always there: the built-in one when list lacks it.
func (c *Composer) SetAckTemplates(list []*ticket.AckTemplate) {
	c.acksMu.Lock()
	defer c.acksMu.Unlock()
	set := newAckSet(list)
	c.acks.Store(&set)
	c.warned.Clear()
}

// SetAckTemplate puts one saved version into use at once (after an admin saved or deleted a
// template), unless a newer version of it is already in use. An empty name is the default;
// the default cannot be deleted.
func (c *Composer) SetAckTemplate(a *ticket.AckTemplate) {
	cp := *a
	if cp.Name == "" {
		cp.Name = ticket.DefaultAckTemplateName
	}
	if cp.Deleted && cp.Name == ticket.DefaultAckTemplateName {
		return
	}
	c.acksMu.Lock()
	defer c.acksMu.Unlock()
	old := c.ackSet()
	if cur, ok := old[cp.Name]; ok && cur.Version > cp.Version {
		return
	}
	set := maps.Clone(old)
	set[cp.Name] = &cp
	c.acks.Store(&set)
	c.warned.Delete(cp.Name)
}

// AckTemplate returns the default acknowledgement in use.
func (c *Composer) AckTemplate() *ticket.AckTemplate {
	return c.ackSet()[ticket.DefaultAckTemplateName]
}

// FindAckTemplate returns the template in use with name ("" is the default), and whether
// there is one.
func (c *Composer) FindAckTemplate(name string) (*ticket.AckTemplate, bool) {
	if name == "" {
		name = ticket.DefaultAckTemplateName
	}
	a, ok := c.ackSet()[name]
	if !ok || a.Deleted {
		return nil, false
	}
	return a, true
}

// HasAckTemplate reports whether a template with name is in use; routing warns about rules
// that name one that is not.
func (c *Composer) HasAckTemplate(name string) bool {
	_, ok := c.FindAckTemplate(name)
	return ok
}

// SetLogger sets where the composer warns (a rule naming a missing template); without it,
// slog's default logger.
func (c *Composer) SetLogger(l *slog.Logger) { c.log.Store(l) }

func (c *Composer) logger() *slog.Logger {
	if l := c.log.Load(); l != nil {
		return l
	}
	return slog.Default()
}

// SetAgencies gives the names the {etat} placeholder shows; without them it shows the key.
func (c *Composer) SetAgencies(as ticket.Agencies) { c.agencies.Store(&as) }

func (c *Composer) agencyName(key string) string {
	if as := c.agencies.Load(); as != nil {
		return as.Name(key)
	}
	return key
}
