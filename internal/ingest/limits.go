package ingest

// LimitError is an article refused for being over one of the Limits; its
// message says which limit and by how much, for the person who sent it.
type LimitError struct{ Msg string }

func (e *LimitError) Error() string { return e.Msg }
