package extract

// The word lists the rules read. Each is a small, closed set of English
// function words or news-writing vocabulary; none holds a name.

// gendered inverts lists of names by gender into a name → gender map.
func gendered(byGender map[string][]string) map[string]string {
	m := map[string]string{}
	for g, names := range byGender {
		for _, n := range names {
			m[n] = g
		}
	}
	return m
}

// set makes a lookup set of words.
func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

type lexicon struct {
	// cues are verbs of saying in their finite forms, with what they tell
	// of the medium.
	cues map[string]bool
	// participles are the -ing forms that attribute to the sentence's
	// subject ("…, adding", "with Mr Davies saying").
	participles map[string]bool
	// docVerbs are the cues a document may be the subject of.
	docVerbs map[string]bool
	// skipLeft are words between a subject and its cue verb: auxiliaries
	// and adverbs ("has insisted", "had initially unequivocally claimed").
	skipLeft map[string]bool
	// passive words before a cue make it passive ("was told about").
	passive map[string]bool
	// determiners open a description ("a Home Office source").
	determiners map[string]bool
	// joiners join words inside a noun phrase ("spokesman for the Home Office").
	joiners map[string]bool
	// describers are nouns and modifiers of people described, not named.
	describers map[string]bool
	// roleWords make up a role ("shadow home secretary").
	roleWords map[string]bool
	// roleHeads end a role ("secretary", "minister").
	roleHeads map[string]bool
	// docNouns are what documents are called.
	docNouns map[string]bool
	// orgWords end or start the name of an organisation or a place, never a person's.
	orgWords map[string]bool
	// notNames are capitalised words that start sentences or name
	// times, never people.
	notNames map[string]bool
	// titles before a name, with the gender they tell ("f", "m" or "").
	titles map[string]string
	// postNominals follow a name ("QC", "MP").
	postNominals map[string]bool
	// scare are words that, right before a quotation, make it a label
	// rather than someone's words ("a", "so-called", "branded").
	scare map[string]bool
	// rightStops end a speaker named after its cue ("said X as …").
	rightStops map[string]bool
	// objects are who a "told" cue is told to, kept as the venue.
	objects map[string]bool
	// fronted open a sentence's fronted phrase ("Asked …,", "In a statement,").
	fronted map[string]bool
	// anonymous speakers the text does not identify ("another").
	anonymous map[string]bool
	// givenNames are common first names with the gender they usually tell
	// ("f" or "m"): a pronoun skips a person whose first name says
	// otherwise. Names given to both are left out.
	givenNames map[string]string
	// particles join the parts of a name ("von der Leyen").
	particles map[string]bool
	// verbs are auxiliaries and common irregular verbs: a reported clause
	// holds one (with past forms in -ed).
	verbs map[string]bool
	// prepositions govern a noun phrase that is then no subject.
	prepositions map[string]bool
	// stopNP are function words that never belong to a speaker's noun
	// phrase, capitalised or not.
	stopNP map[string]bool
}

func newLexicon() *lexicon {
	return &lexicon{
		cues: set("said", "says", "say", "told", "tells", "tell", "added", "adds", "insisted", "insists",
			"claimed", "claims", "denied", "denies", "admitted", "admits", "argued", "argues", "warned", "warns",
			"wrote", "writes", "tweeted", "tweets", "posted", "blasted", "fumed", "stated", "states", "shouted",
			"conceded", "concedes", "explained", "replied", "declared", "noted", "notes", "acknowledged",
			"confirmed", "stressed", "maintained", "found", "finds", "reads", "concluded", "concludes",
			"raged", "snapped", "joked", "recalled", "protested", "responded", "continued", "urged",
			"texts", "texted", "messaged", "posts", "recalls", "explains", "remembers", "replies", "declares",
			"acknowledges", "confirms", "stresses", "maintains", "protests", "responds", "urges", "jokes",
			"accused", "accuses", "repeated", "repeats", "reiterated", "reiterates", "asserted", "asserts",
			"countered", "counters", "retorted", "vowed", "vows", "pledged", "pledges", "promised", "promises",
			"announced", "announces", "boasted", "complained", "complains", "predicted", "predicts",
			"answered", "answers", "speaks", "spoke", "asked", "asks", "write", "argue", "warn", "claim",
			"insist", "note", "conclude", "state", "chanted", "chant", "chants", "shouts", "yelled", "cried", "murmured",
			"muttered", "whispered", "sang", "wrote"),
		participles: set("saying", "adding", "telling", "tweeting", "insisting", "claiming", "writing",
			"arguing", "warning", "denying", "declaring", "stating", "explaining"),
		docVerbs: set("says", "said", "states", "stated", "adds", "added", "found", "finds", "reads", "notes",
			"noted", "concluded", "concludes", "warns", "warned", "sets", "set", "claims", "claimed"),
		skipLeft: set("had", "has", "have", "would", "will", "also", "later", "then", "previously", "again",
			"repeatedly", "today", "yesterday", "afterwards", "earlier", "did", "does", "do", "just", "once",
			"only", "reportedly", "herself", "himself", "itself", "themselves", "now", "since", "first", "even",
			"still", "always", "never", "not", "once", "allegedly", "apparently", "publicly", "privately"),
		passive: set("was", "were", "been", "be", "being", "is", "are", "am", "get", "got"),
		determiners: set("a", "an", "the", "one", "another", "two", "three", "several", "some", "many", "senior", "other",
			"their", "its", "his", "our", "own"),
		joiners: set("of", "for", "at", "to", "on"),
		describers: set("spokesman", "spokeswoman", "spokesperson", "spokespeople", "source", "sources", "official",
			"officials", "insider", "insiders", "aide", "aides", "adviser", "advisers", "advisor", "minister",
			"ministers", "secretary", "mp", "mps", "member", "members", "colleague", "colleagues", "campaigner",
			"campaigners", "protester", "protesters", "critic", "critics", "caseworker", "caseworkers", "chair",
			"chairman", "chairwoman", "leader", "leaders", "director", "chief", "executive", "head", "lawmaker",
			"lawmakers", "backbencher", "backbenchers", "grandee", "friend", "friends", "ally", "allies", "lawyer",
			"lawyers", "officer", "officers", "representative", "commissioner", "economist", "expert", "experts",
			"analyst", "activist", "activists", "councillor", "whip", "mother", "father", "woman", "man", "resident",
			"residents", "worker", "workers", "voter", "voters", "peer", "peers", "figure", "figures", "politician",
			"politicians", "candidate", "organiser", "founder", "president", "chancellor", "mayor", "judge",
			"general", "permanent", "deputy", "shadow", "home", "prime", "foreign", "immigration", "interior",
			"junior", "former", "cabinet", "labour", "tory", "conservative", "government", "party", "committee",
			"department", "police", "prosecutor", "prosecutors", "solicitor", "barrister", "victim", "victims",
			"unit", "team", "staff", "spokesmen", "spokeswomen", "person", "people", "individual", "campaign",
			"independent", "select", "affairs", "opposition", "whitehall", "downing", "union", "council",
			"developer", "company", "firm", "charity", "supervisor", "manager", "managers", "employee",
			"employees", "acting", "interim", "outgoing", "incoming", "veteran", "embattled", "local",
			"regional", "retired", "managing", "spokes", "agency", "group", "organisation", "organization",
			"association", "ministry", "regulator", "watchdog", "board", "trust", "advocates", "advocate",
			"journalist", "reporter", "correspondent", "editor", "author", "researcher", "researchers",
			"doctor", "doctors", "nurse", "teacher", "parent", "parents", "owner", "neighbour", "neighbours",
			"msp", "msps", "mep", "meps", "am", "mla", "mlas", "defenders", "supporters", "opponents", "rivals",
			"colleague's", "protesters", "crowd", "daughter", "son", "wife", "husband", "sister",
			"brother", "partner", "widow", "migration"),
		roleWords: set("shadow", "home", "prime", "foreign", "deputy", "secretary", "minister", "chancellor",
			"leader", "chair", "chairman", "chairwoman", "president", "director", "general", "immigration",
			"interior", "justice", "health", "education", "opposition", "permanent", "attorney", "mayor",
			"commissioner", "chief", "executive", "whip", "state", "treasury", "defence", "business", "culture",
			"environment", "transport", "work", "pensions", "communities", "equalities", "women", "brexit",
			"exchequer", "first", "party", "labour", "conservative", "tory", "democrat", "liberal", "policing",
			"security", "schools", "housing", "trade", "development", "international", "constitutional"),
		roleHeads: set("secretary", "minister", "chancellor", "leader", "chair", "chairman", "chairwoman",
			"president", "director", "commissioner", "mayor", "whip", "general", "executive", "premier", "speaker"),
		docNouns: set("memo", "memos", "memorandum", "report", "reports", "review", "letter", "letters", "email",
			"emails", "e-mail", "document", "documents", "paper", "papers", "study", "audit", "minutes", "guidance",
			"summary", "briefing", "note", "notes", "leaflet", "file", "files", "inquiry", "judgment", "ruling",
			"analysis", "survey", "poll", "polls", "manifesto", "message", "messages", "text", "tweet", "statement", "submission", "dossier", "assessment", "evaluation", "white",
			"consultation", "plan", "strategy", "policy", "contract", "bill", "act", "order", "circular"),
		orgWords: set("office", "street", "council", "union", "kingdom", "enforcement", "review", "committee",
			"party", "department", "agency", "commons", "parliament", "house", "road", "square", "court",
			"generation", "scheme", "ministry", "service", "government", "group", "trust", "foundation",
			"institute", "university", "college", "school", "hospital", "bank", "board", "authority",
			"commission", "times", "news", "post", "guardian", "mail", "telegraph", "independent", "operation",
			"european", "united", "national", "royal", "british", "caribbean", "windrush", "labour",
			"conservative", "conservatives", "tory", "tories", "whitehall", "cabinet", "home", "affairs",
			"select", "joint", "welfare", "immigrants", "lessons", "number", "downing", "twitter", "facebook",
			"wire", "reuters", "press", "association", "bbc", "itv", "sky", "centre", "center", "network",
			"society", "league", "federation", "alliance", "movement", "forum", "inquiry", "tribunal",
			"airport", "station", "hall", "palace", "abbey", "church", "city", "county", "borough", "state",
			"states", "republic", "assembly", "senate", "congress", "lords", "executive", "treasury"),
		notNames: set("the", "a", "an", "in", "on", "at", "but", "and", "asked", "speaking", "earlier",
			"later", "last", "outside", "inside", "after", "before", "when", "while", "as", "with", "without",
			"despite", "following", "pressed", "grilled", "meanwhile", "however", "yesterday", "today",
			"tonight", "this", "that", "these", "those", "it", "they", "we", "i", "he", "she", "you", "his",
			"her", "their", "our", "my", "your", "there", "here", "some", "many", "most", "all", "every",
			"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
			"february", "march", "april", "june", "july", "august", "september", "october", "november",
			"december", "does", "did", "do", "is", "are", "was", "were", "has", "have", "had", "can", "could",
			"would", "should", "what", "why", "how", "who", "where", "unfortunately", "frankly", "mr", "ms", "mrs", "according", "if", "so", "for",
			"former", "furious", "embattled", "defiant", "senior", "new", "opposition", "shadow", "prime",
			"interior", "minister", "secretary", "leader", "chair", "victims", "officials", "ministers",
			"campaigners", "critics", "sources", "voters", "one", "another", "two", "several"),
		titles: map[string]string{"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "mx": "", "dr": "",
			"sir": "m", "dame": "f", "lord": "m", "lady": "f", "baroness": "f", "baron": "m", "prof": "",
			"professor": "", "rev": "", "cllr": "", "councillor": ""},
		postNominals: set("qc", "kc", "mp", "msp", "mep", "obe", "mbe", "cbe", "jr", "sr"),
		scare: set("a", "an", "the", "so-called", "branded", "dubbed", "termed", "called", "labelled",
			"labeled", "as", "its", "their", "this", "these", "his", "her", "our", "word", "phrase", "term",
			"slogan", "entitled", "titled", "headlined", "my", "your"),
		rightStops: set("as", "in", "on", "at", "when", "after", "before", "while", "who", "whose", "which",
			"yesterday", "today", "last", "earlier", "later", "during", "outside", "afterwards", "that",
			"to", "from", "and", "but", "with", "tonight", "this"),
		objects: set("mps", "reporters", "journalists", "us", "me", "her", "him", "them", "the", "a", "an",
			"committee", "commons", "parliament", "peers", "lords", "bbc", "radio", "television", "tv",
			"listeners", "viewers", "supporters", "delegates", "conference", "house", "members", "audience",
			"crowd", "students", "press", "media", "colleagues", "constituents", "senators", "lawmakers"),
		fronted: set("asked", "speaking", "in", "on", "at", "after", "before", "when", "while", "earlier",
			"later", "last", "outside", "inside", "with", "despite", "following", "pressed", "grilled",
			"meanwhile", "however", "yesterday", "today", "tonight", "writing", "responding", "interviewed",
			"questioned", "challenged", "quizzed", "since", "during", "by", "from", "for", "as", "although",
			"though", "if", "once", "according"),
		anonymous: set("another", "others", "one", "someone", "somebody", "some", "many", "they", "we", "you", "i"),
		givenNames: gendered(map[string][]string{
			"f": {
				"abigail", "aisha", "alexis", "alice", "amanda", "amber", "amina", "amy", "ana", "andrea", "angela",
				"ann", "anna", "anneliese", "ashley", "astrid", "ayesha", "barbara", "bell", "betty", "beverly", "brenda",
				"brittany", "carmen", "carol", "caroline", "carolyn", "catherine", "charlotte", "cheryl", "chloe",
				"christina", "christine", "claire", "clare", "cynthia", "danielle", "dawn", "deborah", "debra", "denise",
				"diana", "diane", "donna", "doris", "dorothy", "eileen", "elena", "elizabeth", "ellie", "emily", "emma",
				"esther", "evelyn", "fatima", "fiona", "frances", "gillian", "glenda", "gloria", "grace", "greta",
				"hannah", "harriet", "heather", "helen", "hilary", "holly", "ines", "ingrid", "isabella", "jacqueline",
				"jacqui", "jane", "janet", "janice", "jennifer", "jess", "jessica", "jo", "jo-anne", "joan", "joanna",
				"joanne", "joyce", "judith", "judy", "julie", "karen", "kate", "katherine", "kathleen", "kathryn",
				"kayla", "kelly", "kemi", "kezia", "kimberly", "laura", "lauren", "layla", "leila", "linda", "lisa",
				"liz", "lori", "louise", "lucia", "lucy", "madeleine", "madison", "marcia", "margaret", "maria", "marie",
				"marilyn", "marta", "martha", "mary", "maureen", "megan", "melissa", "michelle", "miriam", "nadia",
				"nadine", "nancy", "natalie", "nicola", "nicole", "olivia", "pamela", "patricia", "paulette", "priti",
				"rachel", "rebecca", "rosa", "rosena", "rosie", "ruth", "samantha", "sandra", "sara", "sarah", "shabana",
				"sharon", "sheila", "shirley", "sofia", "sophia", "sophie", "stephanie", "suella", "susan", "teresa",
				"theresa", "ursula", "victoria", "virginia", "wendy", "yasmin", "yvette", "zara",
			},
			"m": {
				"aaron", "adam", "afzal", "ahmed", "alan", "albert", "alexander", "alfie", "ali", "andrew", "angus",
				"anthony", "archie", "arthur", "austin", "benjamin", "billy", "bobby", "boris", "bradley", "brandon",
				"brian", "bruce", "bryan", "callum", "carl", "carlos", "charles", "charlie", "christian", "christopher",
				"chuka", "colin", "daniel", "david", "dennis", "desmond", "dominic", "donald", "douglas", "dylan", "ed",
				"edward", "elijah", "emmanuel", "eric", "ethan", "eugene", "francois", "frank", "freddie", "gabriel",
				"gary", "george", "gerald", "gordon", "gregory", "guy", "hamish", "hans", "harold", "harry", "hassan",
				"henry", "hugh", "iain", "ian", "ibrahim", "jack", "jacob", "jacques", "james", "jason", "jeffrey",
				"jeremy", "jerry", "jesse", "joe", "john", "jonathan", "jordan", "jose", "joseph", "joshua", "juan",
				"justin", "karl", "keir", "keith", "kenneth", "kevin", "kwasi", "kyle", "larry", "lawrence", "leo",
				"lewis", "liam", "logan", "luis", "mario", "mark", "martin", "mason", "matt", "matthew", "max", "michael",
				"michel", "miguel", "mohammed", "muhammad", "nadhim", "nathan", "neil", "nicholas", "nick", "nigel",
				"noah", "olaf", "oliver", "omar", "oscar", "patrick", "paul", "pedro", "peter", "philip", "pierre",
				"ralph", "randy", "raymond", "richard", "rishi", "robert", "roger", "ronald", "ross", "roy", "rupert",
				"russell", "ryan", "sadiq", "sajid", "samuel", "satbir", "scott", "sean", "stefan", "stephen", "steven",
				"stuart", "terry", "theo", "thomas", "timothy", "tobias", "tom", "tony", "tyler", "vincent", "walter",
				"wayne", "william", "willie", "winston", "wyn", "yusuf", "zachary",
			},
		}),
		particles: set("von", "van", "der", "den", "de", "du", "da", "di", "la", "le", "bin", "al", "ibn", "ter", "ten", "dos", "das", "del", "y", "zu"),
		verbs: set("had", "has", "have", "would", "will", "could", "should", "can", "may", "might", "must", "did",
			"does", "do", "shall", "came", "comes", "went", "goes", "made", "makes", "took", "takes", "gave",
			"gives", "knew", "knows", "saw", "sees", "got", "gets", "left", "leaves", "kept", "keeps", "felt",
			"feels", "thought", "thinks", "brought", "began", "became", "ran", "met", "meets", "held", "holds",
			"paid", "pays", "sent", "sends", "spent", "lost", "won", "put", "puts", "set", "sets", "let", "cut",
			"read", "heard", "hears", "understood", "stood", "fell", "grew", "rose", "told", "said", "found",
			"wants", "needs", "works", "means", "seems", "remains", "exists", "matters", "knew", "backed",
			"lied", "misled", "hid", "broke", "wrote", "drew", "bore", "chose", "forgot", "meant", "built",
			"expects", "plans", "intends", "hopes", "believes", "accepts", "supports", "opposes", "faces",
			"continues", "includes", "shows", "proves", "agrees", "allows", "requires", "owes", "lacks"),
		prepositions: set("to", "of", "for", "with", "by", "at", "from", "about", "on", "in", "near", "behind",
			"against", "like", "among", "beside", "towards", "toward", "close"),
		stopNP: set("but", "and", "or", "yet", "so", "in", "on", "at", "after", "before", "when", "while", "as",
			"with", "without", "despite", "following", "asked", "speaking", "earlier", "later", "last",
			"outside", "inside", "meanwhile", "however", "yesterday", "today", "tonight", "this", "that",
			"these", "those", "it", "they", "we", "i", "he", "she", "you", "her", "my",
			"your", "there", "here", "if", "according", "unfortunately", "frankly", "monday", "tuesday",
			"wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
			"june", "july", "august", "september", "october", "november", "december", "who", "which",
			"whose", "whom", "what", "why", "how", "where", "not", "no", "nobody", "everyone", "by", "from",
			"into", "about", "over", "under", "than", "then", "also", "pressed", "grilled", "had", "has",
			"have", "was", "were", "is", "are", "here's", "there's", "it's", "that's", "what's", "who's", "he's",
			"she's", "let's", "where's", "would", "could", "should", "can", "might"),
	}
}
