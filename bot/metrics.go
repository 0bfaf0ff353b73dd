package bot

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/onrecord/onrecord/commands"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are OnRecord's Prometheus metrics, in a registry of their own
// (never the global default one). A nil *Metrics records nothing.
type Metrics struct {
	Registry     *prometheus.Registry
	interactions *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	errors       *prometheus.CounterVec
	deferred     prometheus.Counter
	reconnects   prometheus.Counter
	restErrors   *prometheus.CounterVec
	rateLimits   prometheus.Counter
	rejected     *prometheus.CounterVec
}

// Sizer counts the records of the knowledge base by kind.
type Sizer func(ctx context.Context) (map[string]int, error)

// NewMetrics returns the metrics, with the knowledge base's size read
// through size at each scrape (at most every 30 seconds).
func NewMetrics(size Sizer) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "onrecord_interactions_total",
			Help: "Interactions answered, by command, interaction type and outcome (ok, error, panic)."}, []string{"command", "type", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "onrecord_handler_seconds",
			Help:    "Time from an interaction's arrival to its answer being ready, by command and type.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 5}}, []string{"command", "type"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "onrecord_errors_total",
			Help: "Interactions that ended in an error, by error code (unavailable and internal ones are the database's and the bot's)."}, []string{"code"}),
		deferred: prometheus.NewCounter(prometheus.CounterOpts{Name: "onrecord_deferred_responses_total",
			Help: "Interactions acknowledged with a deferred response because the answer took longer than the deferral threshold."}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{Name: "onrecord_gateway_reconnects_total",
			Help: "Gateway reconnections after a drop, a reconnect request or a silent connection."}),
		restErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "onrecord_rest_errors_total",
			Help: "Discord REST requests that failed, by HTTP status."}, []string{"status"}),
		rateLimits: prometheus.NewCounter(prometheus.CounterOpts{Name: "onrecord_rest_rate_limits_total",
			Help: "Discord REST requests that were rate limited (and retried after retry_after)."}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "onrecord_http_rejected_total",
			Help: "HTTP interaction requests refused before dispatch, by reason (signature, stale, too_large, bad_json)."}, []string{"reason"}),
	}
	m.Registry.MustRegister(m.interactions, m.latency, m.errors, m.deferred, m.reconnects, m.restErrors, m.rateLimits, m.rejected,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if size != nil {
		m.Registry.MustRegister(&sizeCollector{size: size,
			desc: prometheus.NewDesc("onrecord_records", "Records in the knowledge base (all servers), by kind.", []string{"kind"}, nil)})
	}
	return m
}

// WatchAnswerCache reports rt's answer cache: answers given from it
// (hits), answers computed (misses) and answers kept.
func (m *Metrics) WatchAnswerCache(rt *commands.Router) {
	if m == nil || rt == nil {
		return
	}
	m.Registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "onrecord_answer_cache_hits_total",
			Help: "Answers given from the answer cache: the same question in the same server, the record unchanged."},
			func() float64 { return float64(rt.CacheStats().Hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "onrecord_answer_cache_misses_total",
			Help: "Answers of cacheable questions that had to be computed."},
			func() float64 { return float64(rt.CacheStats().Misses) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "onrecord_answer_cache_entries",
			Help: "Answers kept in the answer cache."},
			func() float64 { return float64(rt.CacheStats().Entries) }))
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

func (m *Metrics) interaction(command, typ string, outcome Outcome, code string, d time.Duration) {
	if m == nil {
		return
	}
	m.interactions.WithLabelValues(command, typ, string(outcome)).Inc()
	m.latency.WithLabelValues(command, typ).Observe(d.Seconds())
	if code != "" {
		m.errors.WithLabelValues(code).Inc()
	}
}

func (m *Metrics) deferral() {
	if m != nil {
		m.deferred.Inc()
	}
}

func (m *Metrics) reconnect() {
	if m != nil {
		m.reconnects.Inc()
	}
}

func (m *Metrics) restError(status int) {
	if m != nil {
		m.restErrors.WithLabelValues(strconv.Itoa(status)).Inc()
	}
}

func (m *Metrics) rateLimit() {
	if m != nil {
		m.rateLimits.Inc()
	}
}

func (m *Metrics) reject(reason string) {
	if m != nil {
		m.rejected.WithLabelValues(reason).Inc()
	}
}

// sizeCollector reports the knowledge base's size, read at most every 30
// seconds so that scraping stays cheap on a large base.
type sizeCollector struct {
	size Sizer
	desc *prometheus.Desc

	mu     sync.Mutex
	at     time.Time
	counts map[string]int
}

func (c *sizeCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *sizeCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) > 30*time.Second {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		counts, err := c.size(ctx)
		cancel()
		if err == nil {
			c.counts, c.at = counts, time.Now()
		}
	}
	for kind, n := range c.counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), kind)
	}
}
