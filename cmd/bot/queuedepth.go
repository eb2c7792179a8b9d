package main

import "newsbot/internal/ops"

// alertQueuer is a chat adapter that can say how many alert posts it has
// waiting.
type alertQueuer interface {
	AlertQueueDepth() int
}

// watchQueues reports each adapter's alert queue as alert_queue_depth
// (m nil: no operations listener, nothing to do).
func watchQueues(m *ops.Metrics, adapters []chatAdapter) {
	if m == nil {
		return
	}
	for _, ad := range adapters {
		if q, ok := ad.(alertQueuer); ok {
			m.WatchQueue(ad.Name(), q.AlertQueueDepth)
		}
	}
}
