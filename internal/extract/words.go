package extract

// Word lists the attribution rules read. They are written for newsbot
// (the speech verbs come from ./lexicon). Keys are lower case unless said.

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// lists are built once per extractor and only read afterwards.
type lists struct {
	verbs         map[string]string // speech verb form -> lemma
	skipBefore    map[string]bool   // between a subject and its verb: "has", "also"
	determiners   map[string]bool
	pronouns      map[string]bool
	boundary      map[string]bool // words a subject never spans
	titles        map[string]bool // role words before a name, as written (case kept)
	lowerTitles   map[string]bool // lower-case role words before a name ("former", "spokesman")
	orgHeads      map[string]bool // last words of organisation names
	docHeads      map[string]bool // documents as speakers
	orgNouns      map[string]bool // lower-case heads of organisations: "the planning office"
	groupNouns    map[string]bool // bare plural speakers: officials, sources
	objectVerbs   map[string]bool // lemmas taking a hearer: told reporters
	timeWords     map[string]bool
	preps         map[string]bool // starting a phrase to skip after the verb
	nounForms     map[string]bool // verb forms that are often nouns
	verbish       map[string]bool // finite verbs that mark a clause, not a subject
	leading       map[string]bool // sentence openers before a subject: But, And
	subordinators map[string]bool // "While S said X, ..."
	roleNouns     map[string]bool // heads of descriptions naming a role
	durations     map[string]bool // "days after the summit"
	openers       map[string]bool // words opening a phrase before the subject: "With", "Absent", "Back"
}

func newLists(verbs map[string]string) *lists {
	return &lists{
		verbs: verbs,
		skipBefore: set("has", "have", "had", "also", "will", "would", "could", "can", "may", "might", "should",
			"must", "did", "does", "do", "later", "previously", "then", "once", "again", "recently", "repeatedly",
			"now", "still", "already", "often", "publicly", "privately", "reportedly", "just", "first", "further",
			"long", "always", "even", "only", "both", "simply", "flatly", "quickly", "initially", "earlier",
			"since", "ultimately", "finally", "separately", "similarly", "elsewhere", "subsequently"),
		determiners: set("a", "an", "the", "another", "one", "two", "three", "four", "five", "several", "some",
			"many", "most", "few", "other", "his", "her", "their", "its", "our", "my", "your", "both", "all",
			"no", "each", "every", "any", "these", "those", "this", "that", "such", "multiple", "numerous", "top",
			"senior", "former", "more", "dozens", "hundreds", "thousands"),
		pronouns: set("he", "she", "they", "we", "i", "it", "you", "who"),
		boundary: set("that", "because", "when", "while", "as", "if", "after", "before", "although", "though",
			"which", "where", "so", "than", "whether", "or", "but", "and", "what", "how", "why", "whom", "whose",
			"unless", "until", "since", "once", "whereas", "whom", "nor", "yet", "then", "there", "here"),
		titles: set("Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Col.", "Lt.", "Sgt.", "Capt.", "Adm.", "Maj.", "Sen.",
			"Rep.", "Gov.", "Prof.", "Rev.", "Sens.", "Reps.", "Brig.", "Cmdr.", "Supt.", "Det.", "Insp.", "Atty.",
			"Hon.", "Fr.", "Lt.-Gen.", "Maj.-Gen.",
			"Mr", "Mrs", "Ms", "Dr", "President", "Vice", "Senator", "Representative", "Congressman",
			"Congresswoman", "Governor", "Mayor", "Secretary", "Minister", "Prime", "Foreign", "Defense", "Defence",
			"Interior", "Finance", "Justice", "Judge", "Chief", "Attorney", "General", "Colonel", "Lieutenant",
			"Major", "Captain", "Sergeant", "Admiral", "Commander", "Chancellor", "Ambassador", "Chairman",
			"Chairwoman", "Chair", "Director", "Spokesman", "Spokeswoman", "Spokesperson", "Speaker", "Leader",
			"Majority", "Minority", "Whip", "Senate", "House", "State", "Press", "Deputy", "Assistant",
			"Executive", "Officer", "Commissioner", "Sheriff", "Officer", "Professor", "Pope", "King", "Queen",
			"Prince", "Princess", "Sir", "Dame", "Lord", "Lady", "Father", "Rabbi", "Imam", "Bishop", "Archbishop",
			"Cardinal", "Councilman", "Councilwoman", "Councillor", "Assemblyman", "Assemblywoman", "Delegate",
			"Democratic", "Republican", "GOP", "Democrat", "U.S.", "US", "Former", "former", "Sen", "Rep", "Gov",
			"Coach", "Manager", "Adviser", "Advisor", "Counselor", "Nominee", "Candidate", "Presidential",
			"Security", "National", "Homeland", "Treasury", "Labor", "Commerce", "Education", "Energy",
			"Health", "Agriculture", "Transportation", "Veterans", "Affairs", "Development", "Housing", "Urban",
			"Supreme", "Court", "Federal", "Reserve", "Fed", "CEO", "Founder", "Co-founder", "Editor", "Host",
			"Anchor", "Correspondent", "Analyst", "Economist", "Strategist", "Pollster", "Lawyer", "Attorney",
			"Prosecutor", "Special", "Counsel", "Inspector", "Staff", "of", "Chief", "White", "Campaign",
			"Communications", "Policy", "Intelligence", "Committee", "Ranking", "Member", "Superintendent",
			"Secretary-General", "Lt", "Gen", "Col", "Sgt", "Capt", "Adm", "Maj", "Gens.", "Premier",
			"Emir", "Sheikh", "Ayatollah", "Crown", "Field", "Marshal", "Air", "Rear", "Vice-President",
			"Russian", "American", "British", "French", "German", "Chinese", "Syrian", "Iranian", "Israeli",
			"Turkish", "Ukrainian", "Mexican", "Canadian", "Japanese", "Indian", "Saudi", "Iraqi", "Afghan",
			"Egyptian", "Italian", "Spanish", "Australian", "Irish", "Scottish", "Welsh", "European", "Palestinian",
			"Kremlin", "Pentagon", "Rev"),
		lowerTitles: set("former", "ex", "late", "then", "spokesman", "spokeswoman", "spokesperson", "senator",
			"president", "vice", "secretary", "minister", "leader", "chairman", "chairwoman", "director",
			"adviser", "advisor", "aide", "lawyer", "attorney", "candidate", "nominee", "presidential", "campaign",
			"manager", "chief", "executive", "officer", "official", "economist", "analyst", "professor",
			"researcher", "strategist", "pollster", "consultant", "governor", "mayor", "representative", "rep",
			"congressman", "congresswoman", "democratic", "republican", "deputy", "press", "senior", "top",
			"general", "judge", "ambassador", "commissioner", "founder", "co-founder", "actor", "actress",
			"singer", "rapper", "comedian", "host", "anchor", "author", "writer", "columnist", "editor", "reporter",
			"correspondent", "coach", "billionaire", "businessman", "businesswoman", "activist", "commentator",
			"pastor", "chair", "co-chair", "head", "counsel", "prosecutor", "sheriff", "superintendent", "u.s.",
			"state", "party", "house", "senate", "white", "communications", "policy", "national", "security",
			"foreign", "defense", "defence", "of", "the", "for", "to", "and", "at", "incumbent", "frontrunner",
			"front-runner", "rival", "opponent", "running", "mate", "hopeful", "challenger", "gop", "dem",
			"veteran", "retired", "conservative", "liberal", "progressive", "independent", "longtime", "star",
			"developer", "tycoon", "mogul", "magnate", "ceo", "cfo", "cto", "vp", "son", "daughter", "wife",
			"husband", "brother", "sister", "mother", "father", "friend", "ally", "critic", "supporter"),
		orgHeads: set("Ministry", "Department", "Office", "Council", "Kremlin", "House", "Agency", "Committee",
			"Party", "Government", "Commission", "Police", "Army", "Navy", "Bank", "Court", "Parliament", "Senate",
			"Congress", "Pentagon", "Embassy", "Union", "Association", "Federation", "Organisation",
			"Organization", "Company", "Corporation", "Inc.", "Ltd.", "Co.", "Corp.", "Inc", "Ltd", "Group",
			"Center", "Centre", "Service", "Administration", "Authority", "Foundation", "Institute", "University",
			"Times", "Post", "News", "Journal", "Tribune", "Herald", "Press", "Reuters", "AP", "CNN", "BBC", "NBC",
			"CBS", "ABC", "Fox", "MSNBC", "Politico", "Bloomberg", "Guardian", "Telegraph", "Campaign", "Caucus",
			"Board", "Bureau", "FBI", "CIA", "NSA", "Pentagon", "Network", "Coalition", "Alliance", "Network",
			"Institution", "College", "School", "Hospital", "Church", "Club", "League", "Conference", "Forces",
			"Staff", "Command", "Unit", "Team", "Fund", "Trust", "Society", "Project", "Watch", "International",
			"Magazine", "Daily", "Week", "Weekly", "Monthly", "Review", "Gazette", "Examiner", "Breitbart",
			"Facebook", "Google", "Twitter", "Apple", "Microsoft", "Amazon", "NATO", "UN", "EU", "DNC", "RNC",
			"GOP", "Democrats", "Republicans", "Ministry", "Cabinet", "Secretariat", "Legislature", "Assembly",
			"Commons", "Lords", "Tribunal", "Prosecutors", "Agencies", "Industries", "Systems", "Holdings",
			"Partners", "Associates", "Airlines", "Motors", "Bros.", "Studios", "Records", "Labs"),
		docHeads: set("statement", "memo", "memorandum", "letter", "report", "document", "documents", "filing",
			"complaint", "lawsuit", "suit", "indictment", "email", "e-mail", "emails", "release", "study",
			"survey", "poll", "polls", "analysis", "tweet", "post", "article", "story", "ad", "advertisement",
			"website", "site", "paper", "editorial", "book", "notice", "order", "ruling", "decision", "opinion",
			"transcript", "affidavit", "motion", "brief", "petition", "resolution", "bill", "law", "proposal",
			"plan", "platform", "audit", "review", "findings", "data", "records", "figures", "estimates", "message",
			"note", "video", "footage", "speech", "interview", "account", "communique", "declaration", "summary",
			"assessment", "guidance", "policy", "warrant", "citation", "manifesto", "dossier", "budget"),
		orgNouns: set("office", "department", "ministry", "agency", "council", "committee", "company", "government",
			"campaign", "administration", "police", "army", "commission", "court", "firm", "party", "university",
			"board", "bureau", "embassy", "authority", "service", "union", "bank", "newspaper", "network",
			"organisation", "organization", "group", "corporation", "club", "association", "regime", "military",
			"ministry's", "team", "office's", "league", "federation", "institute", "foundation", "senate", "house"),
		groupNouns: set("officials", "sources", "experts", "analysts", "critics", "aides", "advisers", "advisors",
			"lawyers", "attorneys", "prosecutors", "police", "investigators", "witnesses", "residents", "people",
			"observers", "researchers", "scientists", "economists", "authorities", "supporters", "opponents",
			"democrats", "republicans", "lawmakers", "legislators", "senators", "leaders", "activists", "voters",
			"doctors", "scholars", "historians", "strategists", "pollsters", "insiders", "diplomats", "organizers",
			"organisers", "protesters", "protestors", "students", "parents", "teachers", "workers", "members",
			"spokesmen", "spokespeople", "representatives", "executives", "managers", "staffers", "staff",
			"others", "many", "some", "both", "neighbors", "neighbours", "friends", "relatives", "family",
			"officers", "agents", "commentators", "conservatives", "liberals", "progressives", "evangelicals",
			"economists", "forecasters", "journalists", "reporters", "editors", "polls", "documents", "records",
			"reports", "studies", "surveys", "data", "estimates", "figures", "statistics", "emails", "filings",
			"advocates", "groups", "campaigners", "candidates", "officials'", "aides", "donors", "backers",
			"allies", "skeptics", "sceptics", "physicians", "nurses", "victims", "survivors", "families",
			"americans", "russians", "europeans", "israelis", "palestinians", "syrians", "iranians"),
		objectVerbs: set("tell", "inform", "remind", "assure", "reassure", "warn", "ask", "advise", "notify",
			"urge", "promise", "email"),
		timeWords: set("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
			"today", "tonight", "earlier", "later", "recently", "afterward", "afterwards", "week", "month", "year",
			"morning", "afternoon", "evening", "night", "weekend", "previously", "again", "repeatedly", "publicly",
			"privately", "separately", "also", "then", "once", "last", "this", "next", "ago", "now", "too",
			"further", "late", "early", "overnight", "frequently", "often", "bluntly", "flatly", "simply"),
		preps: set("on", "in", "at", "during", "to", "via", "through", "after", "before", "over", "from", "with",
			"while", "last", "this", "earlier", "late", "early", "told", "under", "by", "for", "of", "about",
			"outside", "inside", "following", "near", "when", "upon", "ahead"),
		nounForms: set("claims", "comments", "reports", "states", "notes", "points", "charges", "answers",
			"promises", "tweets", "remarks", "warnings", "estimates", "recalls", "statements", "responses",
			"replies", "state", "report", "comment", "claim", "note", "point", "charge", "answer", "promise",
			"tweet", "remark", "warning", "estimate", "recall", "response", "reply", "statement", "release",
			"comments", "accounts", "observes", "indicates", "cites", "quips", "jokes", "repeats", "urges",
			"advises", "disputes", "mentions", "highlights", "highlight", "dispute", "mention", "post", "posts",
			"email", "emails", "blames", "blame", "suggests", "stresses", "stress", "maintains", "insists",
			"denies", "confirms", "declares", "describes", "explains", "argues", "admits", "adds"),
		verbish: set("is", "was", "are", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does",
			"did", "will", "would", "can", "could", "should", "shall", "may", "might", "must", "not", "said",
			"cannot", "can't", "can’t", "won't", "won’t", "don't", "don’t", "didn't", "didn’t", "doesn't",
			"doesn’t", "isn't", "isn’t", "wasn't", "wasn’t", "never",
			"says", "told", "get", "got", "make", "made", "want", "wants", "wanted", "think", "thinks", "believe",
			"believes", "know", "knows", "knew", "see", "saw", "seen", "go", "went", "gone", "take", "took",
			"give", "gave", "come", "came", "called", "call", "calls", "need", "needs", "needed", "seems",
			"seemed", "appears", "appeared", "became", "become", "won", "lost", "began", "led", "left", "met",
			"ran", "came", "held", "kept", "put", "let", "set", "felt", "paid", "brought", "sent", "spent"),
		roleNouns: set("official", "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor",
			"minister", "secretary", "director", "chief", "head", "leader", "officer", "commander", "general",
			"diplomat", "envoy", "ambassador", "lawyer", "attorney", "analyst", "expert", "economist", "professor",
			"manager", "strategist", "pollster", "president", "chairman", "chairwoman", "executive", "founder",
			"member", "representative", "negotiator", "mediator", "governor", "mayor", "senator", "candidate"),
		durations: set("days", "weeks", "hours", "months", "years", "minutes", "moments", "shortly", "soon", "just"),
		openers: set("with", "without", "absent", "back", "during", "despite", "amid", "among", "like", "unlike",
			"just", "even", "here", "there", "asked", "speaking", "according", "instead", "rather", "perhaps",
			"maybe", "still", "yes", "no", "well", "oh", "now", "it’s", "it's", "that’s", "that's", "there’s",
			"what", "not", "only", "about", "around", "nearly", "almost", "roughly"),
		subordinators: set("while", "although", "though", "because", "if", "as", "when", "after", "before", "since",
			"whereas", "unless", "until", "once"),
		leading: set("but", "and", "so", "yet", "still", "also", "however", "meanwhile", "instead", "now",
			"then", "later", "earlier", "separately", "similarly", "indeed", "moreover", "furthermore",
			"nonetheless", "nevertheless", "thus", "finally", "first", "second", "third", "again", "plus",
			"or", "and,", "today", "yesterday", "privately", "publicly", "ultimately", "previously", "recently"),
	}
}
