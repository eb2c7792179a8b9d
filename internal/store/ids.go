package store

// LastStatementID is the highest statement id given so far (0: none): ids
// run from 1 to it, with gaps where statements were deleted.
func (t *Tx) LastStatementID() uint64 { return t.b(bStatements).Sequence() }
