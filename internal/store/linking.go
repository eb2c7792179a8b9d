package store

// saveLinking saves the article linkArticle is linking statements to, if
// it changed since it was last saved. Every use of the articles bucket
// saves it first (Tx.b), so that reads see it, and Update saves it before
// commit. An error fails the transaction.
func (t *Tx) saveLinking() error {
	if !t.linkDirty {
		return t.linkErr
	}
	t.linkDirty = false
	if err := t.saveArticle(t.linking); err != nil {
		t.linking = nil
		t.linkErr = err
	}
	return t.linkErr
}
