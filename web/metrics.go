package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// openMetrics registers the web's own metric, the time requests take by route, on the
// registry /metrics serves (a registry of its own when Metrics is nil), and prepares the
// handler. The registry and its exposition are client_golang's: cmd/digihjelpen adds intake,
// outbox, quarantine, backup, database and Go runtime metrics to the same registry.
func (s *Server) openMetrics() error {
	if s.Metrics == nil {
		s.Metrics = prometheus.NewRegistry()
	}
	s.requestSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "digihjelpen_http_request_duration_seconds",
		Help:    "Time from a request to its handler's return, by method and route (the route table's pattern; streamed downloads continue after).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route"})
	if err := s.Metrics.Register(s.requestSeconds); err != nil {
		return err
	}
	s.metricsHandler = adaptor.HTTPHandler(promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{
		ErrorLog: promErrorLog{s}, ErrorHandling: promhttp.ContinueOnError}))
	return nil
}

// measure observes how long each request takes, labelled by the route that answered it; a
// path no route has is "other", so a scan of random paths adds no series.
func (s *Server) measure(c *fiber.Ctx) error {
	began := time.Now()
	err := c.Next()
	route := c.Route().Path
	if c.Locals(localUnrouted) != nil {
		route = "other"
	}
	s.requestSeconds.WithLabelValues(c.Method(), route).Observe(time.Since(began).Seconds())
	return err
}

// localUnrouted marks a request no route took (the answer is «Siden finnes ikke»).
const localUnrouted = "unrouted"

// handleMetrics serves /metrics in the Prometheus exposition format. It needs an API token
// (Prometheus: authorization.credentials_file), as the figures are internal; a token of any
// role will do, since they are counts without personal data.
func (s *Server) handleMetrics(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.metricsHandler(c)
}

// promErrorLog logs what a collector could not collect (the rest is served).
type promErrorLog struct{ s *Server }

func (l promErrorLog) Println(v ...any) { l.s.Logger.Error("metrics", "err", v) }
