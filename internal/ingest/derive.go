package ingest

import "newsbot/internal/extract"

// WithExtractor returns an Ingester that writes to the same store with the
// same checker, notifier, limits, clock and observer, but extracts with e:
// for sources whose statements come already structured, and for
// benchmarks that generate them. Writes of both stay serialised by the
// store's single write transaction.
func (in *Ingester) WithExtractor(e extract.Extractor) *Ingester {
	return in.derive(func(o *Options) { o.Extractor = e })
}

// WithChecker returns an Ingester that writes to the same store with the
// same extractor, notifier, limits, clock and observer, but checks new
// statements with c (nil: no contradiction checks). Benchmarks use it to
// time the write path alone, like for like with a search index that does
// no such check.
func (in *Ingester) WithChecker(c Checker) *Ingester {
	return in.derive(func(o *Options) { o.Checker = c })
}

// derive returns an Ingester made with in's options as change leaves them,
// sharing in's observer and term memory.
func (in *Ingester) derive(change func(*Options)) *Ingester {
	o := Options{Store: in.store, Extractor: in.extractor, Checker: in.checker, Notifier: in.notifier,
		Limits: in.limits, Now: in.now, Logger: in.log}
	change(&o)
	out := New(o)
	out.observe, out.terms = in.observe, in.terms
	return out
}
