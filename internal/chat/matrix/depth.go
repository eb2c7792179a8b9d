package matrix

// AlertQueueDepth is the number of alerts handed to the adapter and not
// yet taken by its poster, for the alert_queue_depth gauge. (Alerts the
// queue could not take are posted by the sweep, from the store.)
func (a *Adapter) AlertQueueDepth() int { return len(a.alerts) }
