package extract

import (
	"strings"
	"testing"
)

// want is one expected statement: the speaker's canonical name, the kind
// and the words (exact).
type want struct {
	speaker string
	kind    Kind
	text    string
}

func check(t *testing.T, text string, wants ...want) {
	t.Helper()
	got := New().Extract(Document{Text: "Headline line\n" + text, Headline: true})
	runes := []rune("Headline line\n" + text)
	for _, st := range got {
		if string(runes[st.Start:st.End]) != st.Text && st.Kind == Direct {
			t.Errorf("offsets %d-%d give %q, text is %q", st.Start, st.End, string(runes[st.Start:st.End]), st.Text)
		}
	}
	if len(got) != len(wants) {
		t.Errorf("%q:\n got %d statements, want %d", text, len(got), len(wants))
		for _, st := range got {
			t.Logf("  %q (%s) [%s %s] %q", st.Speaker.Name, st.Speaker.Mention, st.Kind, st.Cue, st.Text)
		}
		return
	}
	for i, w := range wants {
		st := got[i]
		if st.Speaker.Name != w.speaker || st.Kind != w.kind || st.Text != w.text {
			t.Errorf("%q:\n statement %d = %q [%s] %q\n want       %q [%s] %q", text, i, st.Speaker.Name, st.Kind, st.Text, w.speaker, w.kind, w.text)
		}
	}
}

func TestQuoteThenSpeaker(t *testing.T) {
	check(t, "“We will not retreat,” Ivan Petrov said.", want{"Ivan Petrov", Direct, "We will not retreat"})
	check(t, "\"We will not retreat,\" said Ivan Petrov.", want{"Ivan Petrov", Direct, "We will not retreat"})
	check(t, "“We will not retreat,” warm-hearted Petrov said on Monday.", want{"Petrov", Direct, "We will not retreat"})
	check(t, "\"It is a hard sell,\" said a senior diplomat who spoke on condition of anonymity.",
		want{"a senior diplomat", Direct, "It is a hard sell"})
	check(t, "“The vote is close,” said Sen. Ann Lowe (D-Ore.).", want{"Ann Lowe", Direct, "The vote is close"})
	check(t, "“The vote is close,” Sen. Ann Lowe (D-Ore.) told reporters.", want{"Ann Lowe", Direct, "The vote is close"})
}

func TestSpeakerThenQuote(t *testing.T) {
	check(t, "Ivan Petrov said: “We will not retreat from the river.”", want{"Ivan Petrov", Direct, "We will not retreat from the river."})
	check(t, "Ivan Petrov told the Daily Planet, “We will not retreat.”", want{"Ivan Petrov", Direct, "We will not retreat."})
}

func TestReportedSpeech(t *testing.T) {
	check(t, "Ivan Petrov said on Tuesday that the bridge would reopen next year.",
		want{"Ivan Petrov", Indirect, "the bridge would reopen next year"})
	check(t, "The bridge would reopen next year, officials said.", want{"officials", Indirect, "The bridge would reopen next year"})
	check(t, "Mayor Ann Lowe says she respects the “hard work” of the crews but argues that the budget is too small.",
		want{"Ann Lowe", Mixed, "she respects the “hard work” of the crews"},
		want{"Ann Lowe", Indirect, "the budget is too small"})
	check(t, "Ivan Petrov is telling voters that he will win.", want{"Ivan Petrov", Indirect, "he will win"})
}

func TestSplitAndTitledShapes(t *testing.T) {
	check(t, "Nobody expected it. “We will win. It is late,” he said in his speech that night.",
		want{"he", Direct, "We will win. It is late"})
	check(t, "“We raised money,” Jeff Dunn, Ruiz’ campaign manager, said in a statement. “It is working.”",
		want{"Jeff Dunn", Direct, "We raised money"}, want{"Jeff Dunn", Direct, "It is working."})
	check(t, "\"These men use words,\" said Sherman, speaking of politicians, \"and leave room.\"",
		want{"Sherman", Direct, "These men use words"}, want{"Sherman", Direct, "and leave room."})
	check(t, "Ruiz said on \"This Week\" that he would \"take a look\" at the bill.",
		want{"Ruiz", Mixed, "he would \"take a look\" at the bill"})
	check(t, "The senator said the system was \"corrupt,\" noting that it is \"very strange.\"",
		want{"The senator", Mixed, "the system was \"corrupt,\""}, want{"The senator", Mixed, "it is \"very strange.\""})
	check(t, "Graham said she was “impressed” with the children, but lamented that the speech was dull.",
		want{"Graham", Mixed, "she was “impressed” with the children"})
}

func TestAppositionsAndMarks(t *testing.T) {
	check(t, "A former mayor -- Tom Berg, who lost in 2008 -- said the plan \"offered nothing new.\"",
		want{"Tom Berg", Mixed, "the plan \"offered nothing new.\""})
	check(t, "Ann Lowe, a pollster who works with Civic Data, a survey firm, said the race was close.",
		want{"Ann Lowe", Indirect, "the race was close"})
	check(t, "Speaking later, Sen. Ann Lowe (D-Ore.), who backs the bill, said it would pass.",
		want{"Ann Lowe", Indirect, "it would pass"})
	check(t, "“Apparently not,“ he said. “A leopard keeps its spots.”",
		want{"he", Direct, "Apparently not"}, want{"he", Direct, "A leopard keeps its spots."})
	check(t, "Ann Lowe says “the wind is at our backs” despite the loss.",
		want{"Ann Lowe", Mixed, "“the wind is at our backs” despite the loss"})
	check(t, "Several said they would rather wait.", want{"Several", Indirect, "they would rather wait"})
}

func TestClauses(t *testing.T) {
	check(t, "Barkley, who said he votes rarely, said the race was dull.",
		want{"Barkley", Indirect, "he votes rarely"}, want{"Barkley", Indirect, "the race was dull"})
	check(t, "But lawyers and legal experts said that is unlikely.", want{"lawyers and legal experts", Indirect, "is unlikely"})
	check(t, "Even a top party strategist said the mayor must choose.", want{"a top party strategist", Indirect, "the mayor must choose"})
	check(t, "As Ruiz claimed that “the plan is dead,” one of the lawyers for Tom Berg said the cases differ.",
		want{"Ruiz", Direct, "the plan is dead"}, want{"one of the lawyers for Tom Berg", Indirect, "the cases differ"})
	check(t, "Most voters who said they were undecided, however, stayed home.", want{"Most voters", Indirect, "they were undecided"})
}

func TestMoreClauses(t *testing.T) {
	check(t, "As Tom Berg said last week in Oslo, “the port is the future.”", want{"Tom Berg", Direct, "the port is the future."})
	check(t, "Supporters who have heard from the campaign say the plan is to win early.",
		want{"supporters", Indirect, "the plan is to win early"})
	check(t, "But he said he was too busy: “I have a lot going on.”",
		want{"he", Indirect, "he was too busy"}, want{"he", Direct, "I have a lot going on."})
}

func TestParentheticalQuotes(t *testing.T) {
	check(t, "In the poorer towns, he said, “we do not know the answer” on how many jobs go.",
		want{"he", Mixed, "In the poorer towns “we do not know the answer” on how many jobs go"})
	check(t, "Perhaps, he said, this “small town has grown too fast.”",
		want{"he", Mixed, "Perhaps this “small town has grown too fast.”"})
	check(t, "“This is the lie,” Ruiz said: that Berg is richer than everyone else.",
		want{"Ruiz", Direct, "This is the lie"}, want{"Ruiz", Indirect, "Berg is richer than everyone else"})
	check(t, "Pence went on to say he is “confident” about it.", want{"Pence", Mixed, "he is “confident” about it"})
	check(t, "Ruiz said the bill was sound - and argued that it would pass.",
		want{"Ruiz", Indirect, "the bill was sound"}, want{"Ruiz", Indirect, "it would pass"})
}

func TestAccordingTo(t *testing.T) {
	check(t, "According to the Interior Ministry, the bridge will reopen in May.",
		want{"the Interior Ministry", AccordingTo, "the bridge will reopen in May"})
	check(t, "The bridge will reopen in May, according to the Interior Ministry.",
		want{"the Interior Ministry", AccordingTo, "The bridge will reopen in May"})
}

func TestContinuations(t *testing.T) {
	check(t, "Ivan Petrov said the bridge was safe, adding that repairs would start soon.",
		want{"Ivan Petrov", Indirect, "the bridge was safe"},
		want{"Ivan Petrov", Indirect, "repairs would start soon"})
	check(t, "“The bridge is safe,” Ivan Petrov said. “Repairs start soon.”",
		want{"Ivan Petrov", Direct, "The bridge is safe"},
		want{"Ivan Petrov", Direct, "Repairs start soon."})
	check(t, "“The bridge is safe,” Ivan Petrov said, “and repairs start soon.”",
		want{"Ivan Petrov", Direct, "The bridge is safe"},
		want{"Ivan Petrov", Direct, "and repairs start soon."})
}

func TestMultiParagraphQuote(t *testing.T) {
	check(t, "Ivan Petrov said: “The bridge is safe.\n\n“Repairs start soon and will take a year.”\n\nThe council met later.",
		want{"Ivan Petrov", Direct, "The bridge is safe."},
		want{"Ivan Petrov", Direct, "Repairs start soon and will take a year."})
	check(t, "“The bridge is safe.\n\n“Repairs start soon and will take a year,” Ivan Petrov said.",
		want{"Ivan Petrov", Direct, "The bridge is safe."},
		want{"Ivan Petrov", Direct, "Repairs start soon and will take a year"})
}

func TestSpeakers(t *testing.T) {
	check(t, "Col. Gen. Mikhail Mizintsev, the head of the Russian defence centre, said the refugees could return.\n\n"+
		"“We are ready to help them,” Mizintsev said.\n\n“The roads are open,” he added.",
		want{"Mikhail Mizintsev", Indirect, "the refugees could return"},
		want{"Mikhail Mizintsev", Direct, "We are ready to help them"},
		want{"Mikhail Mizintsev", Direct, "The roads are open"})
	check(t, "Yuri Ushakov, a Kremlin aide, said the summit would go ahead.\n\n“Nothing has changed,” the aide said.",
		want{"Yuri Ushakov", Indirect, "the summit would go ahead"},
		want{"Yuri Ushakov", Direct, "Nothing has changed"})
	check(t, "The State Department said the talks had ended without a deal.",
		want{"the State Department", Indirect, "the talks had ended without a deal"})
	check(t, "A National Security Council spokesman said the meeting was productive.",
		want{"A National Security Council spokesman", Indirect, "the meeting was productive"})
	check(t, "Anna Berg and Tom Berg run the farm.\n\n“Rain is late,” Anna Berg said.\n\n“We will manage,” Tom Berg said.\n\n“It will come,” Berg said.",
		want{"Anna Berg", Direct, "Rain is late"}, want{"Tom Berg", Direct, "We will manage"}, want{"Tom Berg", Direct, "It will come"})
}

func TestDocumentsAndPronouns(t *testing.T) {
	check(t, "The ministry issued a statement. The statement read: “The border is closed.”",
		want{"the statement", Direct, "The border is closed."})
	check(t, "Mr. Tom Berg met Ms. Anna Lowe on Monday.\n\n“It went well,” she said.\n\n“We agreed,” he said.",
		want{"Anna Lowe", Direct, "It went well"}, want{"Tom Berg", Direct, "We agreed"})
	check(t, "Anna Berg said the plan was sound.\n\nLater, Tom Smith visited the site.\n\n“It is ready,” he said.",
		want{"Anna Berg", Indirect, "the plan was sound"}, want{"Tom Smith", Direct, "It is ready"})
	check(t, "“We will win,” she said.", want{"she", Direct, "We will win"})
}

func TestRolesInNames(t *testing.T) {
	check(t, "Party co-chairman Liam Fern said the party was ready.", want{"Liam Fern", Indirect, "the party was ready"})
	check(t, "One of the four, Gerry Colm - who was wrongly jailed - said the families were glad. He said Tony Blair had been sincere.",
		want{"Gerry Colm", Indirect, "the families were glad"}, want{"Gerry Colm", Indirect, "Tony Blair had been sincere"})
}

func TestRoleDescriptions(t *testing.T) {
	check(t, "Col. Gen. Ivan Petrov said the roads were open.\n\n“We are ready,” the general said.",
		want{"Ivan Petrov", Indirect, "the roads were open"}, want{"Ivan Petrov", Direct, "We are ready"})
}

func TestNotStatements(t *testing.T) {
	check(t, "Advertisement")
	check(t, "The so-called “peace plan” was debated for hours in the chamber.")
	check(t, "Ivan Petrov thinks the bridge is unsafe and wants a new one.")
	check(t, "Ivan Petrov was told that the bridge is unsafe.")
	check(t, "Read more: Ivan Petrov said the bridge is unsafe")
	check(t, "Miller said into the phone.")
	check(t, "Mayor Ann Lowe, left, and Tom Berg talk during the meeting, saying nothing. (AP Photo/Jane Roe)")
	check(t, "“We start now,” Sessions said as he opened the session.", want{"Sessions", Direct, "We start now"})
}

func TestHeadlineSkipped(t *testing.T) {
	got := New().Extract(Document{Text: "“We will win,” Petrov said\nNothing here.", Headline: true})
	if len(got) != 0 {
		t.Fatalf("headline gave %v", got)
	}
	if strings.Contains(New().Name(), " ") {
		t.Fatal("name has a space")
	}
}

// A quotation whose own attribution names someone new is theirs, never the
// previous paragraph's speaker's; plain words may qualify a role noun before
// the name.
func TestQualifiedRoleBeforeName(t *testing.T) {
	check(t, "\n\n“We will win,” spokesman John Smith said.\n\n“We will lose,” said union leader Omar Reyes.\n\n“We will draw,” party spokesman Tom Berg said.",
		want{"John Smith", Direct, "We will win"},
		want{"Omar Reyes", Direct, "We will lose"},
		want{"Tom Berg", Direct, "We will draw"})
}

func TestUnreadAttributionIsNotInherited(t *testing.T) {
	// "the ever-cheerful" is no role the extractor reads: the quotation is
	// left out rather than given to Ann Lee.
	check(t, "\n\n“We will win,” Ann Lee said.\n\n“We will lose,” said the ever so cheerful and fine Bo.",
		want{"Ann Lee", Direct, "We will win"})
}
