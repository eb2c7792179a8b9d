package textindex

// isStopWord reports words too common to search for. The list is ours:
// function words of English (articles, pronouns, auxiliaries, prepositions,
// conjunctions) and the single letters left by apostrophes ("s", "t").
// Reporting verbs ("said") are not stop words: "who-said" searches never
// hold them, and statements about statements may.
func isStopWord(w string) bool {
	if len(w) == 1 {
		return w[0] < '0' || w[0] > '9'
	}
	switch w {
	case "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
		"be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
		"can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further",
		"had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
		"i", "if", "in", "into", "is", "it", "its", "itself", "just", "ll", "me", "more", "most", "my", "myself",
		"nor", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over",
		"own", "re", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
		"them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
		"under", "until", "up", "ve", "very", "was", "we", "were", "what", "when", "where", "which", "while",
		"who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
		"also", "may", "might", "must", "shall", "us", "its'", "let", "yet":
		return true
	}
	return false
}
