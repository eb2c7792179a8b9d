package ingest

// WithChecker returns an Ingester that writes to the same store with the
// same extractor, notifier, limits, clock and observer, but checks new
// statements with c (nil: no contradiction checks). Benchmarks use it to
// time the write path alone, like for like with a search index that does
// no such check.
func (in *Ingester) WithChecker(c Checker) *Ingester {
	out := New(Options{Store: in.store, Extractor: in.extractor, Checker: c, Notifier: in.notifier,
		Limits: in.limits, Now: in.now, Logger: in.log})
	out.observe, out.terms = in.observe, in.terms
	return out
}
