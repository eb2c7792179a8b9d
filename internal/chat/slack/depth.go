package slack

// AlertQueueDepth is the number of alert posts waiting in the channel
// queues (failed ones being retried among them), for the
// alert_queue_depth gauge.
func (a *Adapter) AlertQueueDepth() int { return a.q.persistentDepth() }

// persistentDepth counts the persistent jobs queued, before and after
// run, being tried or waiting to be retried. A job moving between these
// places may be counted twice for an instant.
func (q *queues) persistentDepth() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := int(q.outside.Load())
	for _, p := range q.pending {
		if p.j.persistent {
			n++
		}
	}
	for _, cq := range q.byChan {
		cq.mu.Lock()
		for _, j := range cq.jobs {
			if j.persistent {
				n++
			}
		}
		cq.mu.Unlock()
	}
	return n
}
