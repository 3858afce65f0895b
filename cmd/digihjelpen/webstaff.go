package main

import (
	"context"

	"github.com/ks-no/digihjelpen/web"
)

// wireStaffWeb gives the web server what the staff pages need beyond the stores: similar
// questions from the full-text index and the samples of /metrics.
func wireStaffWeb(a *app, srv *web.Server) {
	srv.Similar = a.tickets
	srv.Learning = a.rules // «Forslag» and the model's accuracy (issue 15)
	srv.Metrics = func(ctx context.Context) ([]web.Metric, error) {
		counts, err := a.tickets.CountTickets(ctx)
		if err != nil {
			return nil, err
		}
		backlog, err := a.db.SearchBacklog(ctx)
		if err != nil {
			return nil, err
		}
		stats, err := a.db.Stats(ctx)
		if err != nil {
			return nil, err
		}
		return append(web.TicketMetrics(counts),
			web.Metric{Name: "digihjelpen_search_backlog", Help: "Tickets waiting to be (re)indexed for full-text search.", Value: float64(backlog)},
			web.Metric{Name: "digihjelpen_database_bytes", Help: "Size of the bbolt database file.", Value: float64(stats.Size)},
		), nil
	}
}
