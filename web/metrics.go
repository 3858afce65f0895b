package web

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Metric is one sample of a gauge for /metrics.
type Metric struct {
	Name   string // e.g. digihjelpen_tickets
	Help   string
	Labels map[string]string
	Value  float64
}

// MetricsSource gives the samples /metrics exposes. cmd/digihjelpen collects them from the
// stores (ticket counters, search backlog, database size); other parts add theirs there.
type MetricsSource func(ctx context.Context) ([]Metric, error)

// handleMetrics serves /metrics in the Prometheus text format (version 0.0.4). It is written by
// hand rather than with client_golang: a handful of gauges read from counters on each scrape
// need no registry, and the format is four lines of rules. It needs an API token (Prometheus:
// authorization.credentials_file), as the counts are internal figures; a token of any role will
// do, since they are counts without personal data.
func (s *Server) handleMetrics(c *fiber.Ctx) error {
	var samples []Metric
	if s.Metrics != nil {
		var err error
		if samples, err = s.Metrics(c.UserContext()); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(exposition(samples))
}

// exposition writes samples grouped by name, with HELP and TYPE once per name.
func exposition(samples []Metric) string {
	sort.SliceStable(samples, func(i, j int) bool { return samples[i].Name < samples[j].Name })
	var b strings.Builder
	last := ""
	for _, m := range samples {
		if m.Name != last {
			fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", m.Name, escapeHelp(m.Help), m.Name)
			last = m.Name
		}
		b.WriteString(m.Name)
		if len(m.Labels) > 0 {
			keys := make([]string, 0, len(m.Labels))
			for k := range m.Labels {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%s=\"%s\"", k, escapeLabel(m.Labels[k]))
			}
			b.WriteByte('}')
		}
		fmt.Fprintf(&b, " %g\n", m.Value)
	}
	return b.String()
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
func escapeLabel(s string) string { return labelEscaper.Replace(s) }

// TicketMetrics are the ticket counts by status and agency as samples.
func TicketMetrics(counts []ticket.StatusCount) []Metric {
	var out []Metric
	for _, c := range counts {
		out = append(out, Metric{Name: "digihjelpen_tickets", Help: "Tickets by status and agency.",
			Labels: map[string]string{"status": string(c.Status), "agency": c.Agency}, Value: float64(c.N)})
	}
	return out
}
