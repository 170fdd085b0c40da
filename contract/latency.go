package contract

import (
	"sort"
	"time"
)

// latencies collects response times per operation. Requests are sequential,
// so it needs no lock.
type latencies struct {
	ok, all map[string][]time.Duration
}

func (l *latencies) observe(op string, status int, d time.Duration) {
	if op == "" {
		return
	}
	if l.all == nil {
		l.ok, l.all = map[string][]time.Duration{}, map[string][]time.Duration{}
	}
	l.all[op] = append(l.all[op], d)
	if status < 400 {
		l.ok[op] = append(l.ok[op], d)
	}
}

// OpLatency is the response time of one operation. The percentiles are over
// its successful (2xx/3xx) responses when it had any, else over all of them,
// so fast refusals do not hide a slow route.
type OpLatency struct {
	Op    string        `json:"operationId"`
	Count int           `json:"count"`
	P50   time.Duration `json:"p50Ns"`
	P95   time.Duration `json:"p95Ns"`
	Max   time.Duration `json:"maxNs"`
	Slow  bool          `json:"exceedsMaxLatency,omitempty"`
}

func (l *latencies) report(limit time.Duration) []OpLatency {
	out := make([]OpLatency, 0, len(l.all))
	for op, all := range l.all {
		ds := l.ok[op]
		if len(ds) == 0 {
			ds = all
		}
		ds = append([]time.Duration(nil), ds...)
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		o := OpLatency{Op: op, Count: len(ds), P50: percentile(ds, 50), P95: percentile(ds, 95), Max: ds[len(ds)-1]}
		o.Slow = limit > 0 && o.P95 > limit
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Op < out[j].Op })
	return out
}

// percentile is the nearest-rank percentile of sorted ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := (p*len(ds) + 99) / 100
	if i < 1 {
		i = 1
	}
	return ds[i-1]
}
