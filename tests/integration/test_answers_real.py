"""Answers on the shipped corpus with the real model: the questions the product is judged by."""

from __future__ import annotations

import pytest

from retrieval.answer_types import REFUSAL
from retrieval.services import Services

pytestmark = pytest.mark.model


def assert_answered(services: Services, question: str, expected: str, previous: str | None = None) -> None:
    """The question (a follow-up of `previous`, if given) is answered, not refused, with `expected` in the text."""
    answer = (
        services.answerer.answer(question, context=previous)
        if previous
        else services.answerer.answer(question)
    )
    assert expected in answer.text and not answer.refused, answer.text


def test_signatory_count_is_the_newest_with_as_of_and_a_citation(real_services: Services) -> None:
    answer = real_services.answerer.answer("How many countries have signed the Artemis Accords?")
    assert "59" in answer.text and "as of 3 December 2025" in answer.text
    assert answer.citations[0].published == "2025-12-03" and "59" in answer.citations[0].passage
    assert "Latvia" in answer.text  # the pending 60th is mentioned, not counted


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many countries signed the artemis accords during 2024", "19"),
        ("how many had signed the artemis accords by the end of 2024", "52"),
        ("when did belarus join the ilrs", "October 2023"),
        ("is thailand in both?", "both coalitions"),
        ("who leads the ilrs", "CNSA"),
        (
            "who hosted the first in person accords meetup in paris?",
            "Brazilian Space Agency",
        ),  # a meetup is a meeting
    ],
)
def test_typical_questions(real_services: Services, question: str, expected: str) -> None:
    answer = real_services.answerer.answer(question)
    assert not answer.refused and expected in answer.text and answer.citations


@pytest.mark.parametrize(
    "question",
    ["whats nasa's budget for the artemis accords", "when did iran join the ilrs", "who won the world cup"],
)
def test_unanswerable_questions_are_refused(real_services: Services, question: str) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.refused and answer.text.startswith(REFUSAL) and answer.citations  # closest sources shown


def test_a_second_sentence_is_about_what_the_lead_is_about(real_services: Services) -> None:
    answer = real_services.answerer.answer("which agencies co-chaired the sydney artemis meeting")
    assert "Sydney" in answer.text and "UAE Space Agency" in answer.text
    assert (
        "Milan" not in answer.text and "Paris" not in answer.text
    )  # other meetings' co-chairs are not this answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who kicked off 2024 for the accords", "Belgium"),
        ("estonia artemis number?", "45th"),
        ("artemis signatory count on 29 september 2025?", "56"),
        ("fisrt south american country to sign the artemis accords?", "Brazil"),
        ("name the founders of the ilrs", "China and Russia"),
        ("which nations set up the ilrs", "China and Russia"),
        ("who signed artemis first after the founding 8", "Ukraine"),
    ],
)
def test_chat_shaped_membership_questions_reach_the_registry(
    real_services: Services, question: str, expected: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert not answer.refused and expected in answer.text and not answer.text.startswith(("Yes.", "No."))


@pytest.mark.parametrize(
    ("question", "expected", "opening"),
    [
        ("how did venezuela sign up to the ilrs, was it in person", "video link", ""),
        (
            "When did Djibouti join the ILRS, and what did it sign?",
            "not known",
            "Djibouti joined the ILRS in April 2025",
        ),
        (
            "yo what day did poland sign the artemis thing, was it at some conference?",
            "26 October 2021",
            "Poland",
        ),
        ("did new zealand beat south korea to the artemis accords?", "24 May 2021", "No."),
        (
            "the dominican republic joined artemis without any ceremony right? did nasa do something to mark it later",
            "25 October 2024",
            "Yes.",
        ),
    ],
)
def test_two_questions_in_one_message_and_how_something_was_done(
    real_services: Services, question: str, expected: str, opening: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert not answer.refused and expected in answer.text and answer.text.startswith(opening), answer.text


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (
            "anyone got the outcome of the artemis accords meeting at this year's IAC?",
            "newest indexed articles are from",
        ),
        ("how many countries signed the accords in 2026", "newest indexed articles are from"),
        ("did chang'e-7 launch ok? any news", "only as planned"),
    ],
)
def test_what_happened_after_the_newest_article_or_was_only_planned_is_not_known(
    real_services: Services, question: str, reason: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.refused and reason in answer.text and answer.citations


def test_a_day_and_month_without_a_year_is_not_read_as_after_the_articles(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "then why does spacenews say 27 may?", context="when did south korea sign the artemis accords"
    )
    assert "newest indexed articles" not in answer.text


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("which coalition did senegal join first", "Senegal joined the ILRS first", "Yes."),
        ("who was quicker to sign artemis, chile or peru", "Peru signed the Artemis Accords first", ""),
        ("is it true that greece signed before belgium", "No. Belgium signed the Artemis Accords first", ""),
        ("did belarus join the ilrs before azerbaijan", "No. Azerbaijan joined the ILRS first", ""),
        ("what are the founding countries of the ilrs", "China and Russia founded the ILRS", "began on"),
        ("who co-founded the ilrs", "China and Russia", ""),
        ("which nations spearhead the ilrs", "Roscosmos and CNSA", "16 countries"),
    ],
)
def test_order_and_founder_questions_however_they_are_put(
    real_services: Services, question: str, expected: str, absent: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and not answer.refused
    assert not absent or absent not in answer.text


def test_a_month_known_only_to_the_month_is_not_ordered_against_a_day_in_it(real_services: Services) -> None:
    """Belarus's day in October 2023 is not known; only its place in the order (7th, after Pakistan) tells."""
    answer = real_services.answerer.answer("who joined the ilrs first, belarus or pakistan")
    assert answer.text.startswith("Pakistan joined the ILRS first")


def test_that_month_in_a_follow_up_is_the_month_named_before(real_services: Services) -> None:
    first = real_services.answerer.answer("who joined the ilrs in october 2023?")
    answer = real_services.answerer.answer("who else joined that month?", context=first.resolved)
    assert "Azerbaijan" in answer.text and "Pakistan" in answer.text and "Venezuela" not in answer.text


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        (
            "which countries are in both the artemis accords and the ilrs",
            "ok which of those two got into artemis first",
            "Thailand signed the Artemis Accords first",
        ),
        ("when did peru sign the artemis accords", "did any other country sign on the same day?", "Slovakia"),
        (
            "When did the Isle of Man Government agree to the extension of the Artemis Accords?",
            "How many signatory countries did the Accords have at that point?",
            "12 signatory countries by 27 July 2021",
        ),
    ],
)
def test_a_follow_up_that_leans_on_the_previous_answer(
    real_services: Services, previous: str, question: str, expected: str
) -> None:
    """'Those two', 'the same day', 'at that point' point at what the previous answer said, not at its question."""
    assert_answered(real_services, question, expected, previous)


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("who signed the artemis accords on 30 May 2024", "Peru and Slovakia", "42"),
        (
            "did peru sign the accords on 29 may 2024",
            "No. Peru signed the Artemis Accords on 30 May 2024",
            "",
        ),
        ("did peru sign the accords in may 2024", "Yes. Peru signed", ""),
    ],
)
def test_a_day_named_with_on_is_that_day(
    real_services: Services, question: str, expected: str, absent: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and (not absent or absent not in answer.text)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "how many days were there between panama inking the artemis accords and thailand doing it?",
            "5 days",
        ),
        ("how many months between thailand joining the ilrs and it signing artemis", "about 8 months"),
        ("how many countries founded the artemis accords?? 8 or 9 i always forget", "8 founding countries"),
        ("how many signatories did artemis have going into 2022?", "14 signatory countries"),
        ("which south asian countries are in the artemis accords? my cousin says only india", "Bangladesh"),
        ("artemis signatory count on 29 april 2025? comparing it w/ the roscosmos ilrs list", "54"),
        ("first north american country to sign artemis that wasnt a founder?", "Mexico"),
        ("first non-founding signatory of the artemis accords", "Ukraine"),
        ("which nordic country brought up the rear in artemis", "Norway"),
    ],
)
def test_gaps_founders_and_asides_are_read_as_meant(
    real_services: Services, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected)


def test_a_yes_no_question_about_anyone_else_is_answered_yes_with_the_list(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "Did any other country sign on that same day?", context="When did Rwanda sign the Artemis Accords?"
    )
    assert answer.text.startswith("Yes.") and "Nigeria" in answer.text


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "did the uae sign the accords before pakistan joined the ilrs",
            "Yes. The United Arab Emirates came first",
        ),
        ("was south africa in the ilrs before nigeria signed the artemis accords", "No. Nigeria came first"),
        ("which of cyprus and estonia signed later", "Cyprus signed the Artemis Accords later"),
        ("between chile and peru, who signed the accords last", "Chile signed the Artemis Accords later"),
        ("which did senegal do first", "Senegal joined the ILRS first"),
        (
            "how much later did the philippines sign than malaysia",
            "The Philippines signed the Artemis Accords later",
        ),
    ],
)
def test_order_answers_lead_with_what_was_asked(real_services: Services, question: str, opening: str) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.text.startswith(opening)
    assert "1 days" not in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who are the key members of the ilrs", "Roscosmos and CNSA"),
        ("which countries are the main partners in the ilrs", "Roscosmos and CNSA"),
        ("which country was the driving force behind the artemis accords", "NASA"),
        ("which two countries are at the center of the ilrs", "Roscosmos and CNSA"),
        ("which countries drew up the ilrs", "China and Russia"),
        ("who were the two original members of the ilrs", "China and Russia"),
    ],
)
def test_who_leads_or_founded_in_other_words(real_services: Services, question: str, expected: str) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and "Thailand" not in answer.text


def test_a_when_clause_after_which_sets_the_time_and_central_europe_is_a_region(
    real_services: Services,
) -> None:
    answer = real_services.answerer.answer(
        "which central and eastern european countries were in artemis when hungary joined"
    )
    assert answer.text.startswith("Ten Central and Eastern European countries") and "Poland" in answer.text
    assert "by 22 October 2025" in answer.text


@pytest.mark.parametrize(
    ("question", "expected", "event"),
    [
        (
            "who was the newest artemis signatory at the time of the milan meeting?",
            "Estonia",
            "The principals' meeting in Milan was on 14 October 2024",
        ),
        (
            "Which country was the last to sign the Artemis Accords before the Sydney principals' meeting?",
            "Senegal",
            "The principals' meeting in Sydney was on 29 September 2025",
        ),
        (
            "by how many did the artemis accords grow between the milan and sydney meetings",
            "11 countries",
            "Milan was on 14 October 2024",
        ),
        (
            "how many countries had joined the ilrs by the tiandu forum",
            "13",
            "The Tiandu forum where ten institutions",
        ),
    ],
)
def test_an_event_sets_the_time_and_the_answer_says_and_cites_its_date(
    real_services: Services, question: str, expected: str, event: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and event[:30] in answer.text
    cited = answer.text.split(event[:30], 1)[1]
    assert "[" in cited.split(".")[0]  # the event's date carries its own citation


def test_an_event_asked_about_is_not_turned_into_a_date(real_services: Services) -> None:
    answer = real_services.answerer.answer("who co-chaired the milan meeting")
    assert "Canadian Space Agency" in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "when did thailand join the international lunar research station, the moon base project that keeps "
            "growing every year?",
            "Thailand joined the ILRS on 5 April 2024",
        ),
        (
            "when did thailand join the moon base that china and russia lead?",
            "Thailand joined the ILRS on 5 April 2024",
        ),
        (
            "when did thailand officially join the international lunar research station as a full member country?",
            "Thailand joined the ILRS on 5 April 2024",
        ),
        ("which countries in the ilrs also signed the artemis accords", "Thailand"),
    ],
)
def test_a_clause_that_only_describes_a_coalition_is_not_asked(
    real_services: Services, question: str, expected: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.text.startswith(expected) or expected in answer.text
    assert "China joined" not in answer.text and "Russia joined" not in answer.text


def test_a_yes_no_question_mostly_in_words_the_articles_never_use_is_refused(real_services: Services) -> None:
    answer = real_services.answerer.answer("does the ilrs plan a nuclear power plant on the moon")
    assert answer.refused and not answer.text.startswith(("Yes.", "No."))


def test_ratified_is_the_same_word_as_ratify(real_services: Services) -> None:
    answer = real_services.answerer.answer("did russia ratify the ilrs agreement")
    assert answer.text.startswith("Yes.") and "ratified" in answer.text


def test_agencies_that_signed_a_memorandum_are_not_the_member_organisations(real_services: Services) -> None:
    answer = real_services.answerer.answer("which space agencies signed the ilrs memorandum in 2021")
    assert "No organisation joined" not in answer.text and "organisations joined" not in answer.text


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "which countries signed the accords but are not in the ilrs from asia",
            "13 Asian countries in the Artemis",
        ),
        (
            "which ilrs members have not signed the artemis accords",
            "14 countries in the ILRS are not in the Artemis",
        ),
        (
            "which african countries signed the artemis accords but did not join the ilrs",
            "3 African countries in the",
        ),
    ],
)
def test_in_one_coalition_but_not_the_other_reads_which_is_which(
    real_services: Services, question: str, opening: str
) -> None:
    assert real_services.answerer.answer(question).text.startswith(opening)


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "Was Canada one of the countries that launched the Artemis Accords?",
            "Yes. Canada was one of the founders",
        ),
        ("lol my friend swears romania signed the accords before poland. true or nah?", "No. Poland signed"),
        (
            "chile came after cyprus in the artemis lineup right?? or was it the other way round",
            "Yes. Cyprus signed",
        ),
        (
            "Of the Czech Republic, Spain and Argentina, which was the last to sign the Artemis Accords?",
            "Argentina signed the Artemis Accords last of the three, on 27 July 2023",
        ),
    ],
)
def test_claims_put_loosely_and_orders_of_three(real_services: Services, question: str, opening: str) -> None:
    assert real_services.answerer.answer(question).text.startswith(opening)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "How many signatories did the Artemis Accords have on the day Egypt joined the ILRS?",
            "33 signatory",
        ),
        (
            "how many countries were in the ilrs on the day argentina signed the artemis accords",
            "3 member countries",
        ),
        ("at the point thailand signed artemis, who was the newest ilrs member?", "Senegal"),
        ("when venezuela joined the ilrs who was the newest artemis signatory at that point", "India"),
    ],
)
def test_a_member_of_one_coalition_sets_the_time_for_the_other(
    real_services: Services, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Which country or countries were the first to sign the Artemis Accords after the first in-person "
            "meeting of signatories in Paris?",
            "Rwanda",
        ),
        (
            "who was the last country to sign artemis before the first signatories meetup in paris?",
            "Saudi Arabia",
        ),
    ],
)
def test_an_event_with_an_ordinal_in_its_name_is_not_a_superlative(
    real_services: Services, question: str, expected: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and answer.note.startswith("registry:")


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("what is the ilrs", "The International Lunar Research Station (ILRS) is"),
        ("what are the artemis accords", "The Artemis Accords are"),
        ("explain the artemis accords", "The Artemis Accords are"),
    ],
)
def test_what_a_coalition_is_is_answered_by_the_sentence_that_says_what_it_is(
    real_services: Services, question: str, opening: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.text.startswith(opening) and answer.citations
    assert "explainer" not in answer.text.lower()  # never a sentence about the article itself


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which countries signed the accords on day one", "8 founding countries"),
        ("which countries were in the ilrs from the beginning", "China and Russia founded the ILRS"),
        ("which agencies started the ilrs", "Roscosmos"),
        ("which country kicked off the artemis signings in 2023", "the Czech Republic, on 3 May 2023"),
        (
            "which came first, the china-russia ilrs memo or the artemis accords launch",
            "The Artemis Accords came first",
        ),
    ],
)
def test_beginnings_are_told_from_firsts_within_a_period(
    real_services: Services, question: str, expected: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and answer.citations


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("On what date was Azerbaijan admitted to the ILRS?", "3 October 2023"),
        ("between belarus and azerbaijan which got into the ilrs sooner", "Azerbaijan joined the ILRS first"),
        ("norway was the what-th signer of the acords", "55th"),
        ("who was #32 on the artemis list", "Bulgaria"),
        ("which african country signed the artemis accords third", "Angola was the 3rd African signatory"),
        ("how many countries signed artemis during 2024 alone lol", "19 countries"),
        ("how many signatories did the accords have in september 2022", "21 signatory countries"),
        ("any latin american country thats in both artemis and the ilrs", "No, no Latin American country"),
        (
            "At which facility was the second Artemis Accords Workshop held in May 2024?",
            "Chapman Space Centre",
        ),
    ],
)
def test_membership_questions_in_the_words_people_use(
    real_services: Services, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected)


def test_a_question_for_a_person_is_not_answered_by_a_sentence_without_one(real_services: Services) -> None:
    answer = real_services.answerer.answer("who signed the accords for norway, which minister")
    assert answer.refused and "Foreign Policy Watchdog" not in answer.text


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        (
            "when did azerbaijan join the ilrs",
            "how many member countries did it have by then",
            "5 member countries",
        ),
        (
            "when was the china russia ilrs memo signed",
            "<@987654321098765432> how many artemis signers were there on that date lol",
            "9 signatory countries by 9 March 2021",
        ),
        (
            "when did south africa join the ilrs",
            "so where did that put them in the member count",
            "4th country",
        ),
        ("when did senegal sign up to the ilrs", "where did that signing happen", "Anhui"),
        ("when did senegal sign up to the ilrs", "where did it sign", "Anhui"),
    ],
)
def test_a_follow_up_about_the_previous_event_and_its_day(
    real_services: Services, previous: str, question: str, expected: str
) -> None:
    """'By then', 'on that date', 'that signing', 'where did that put them': the previous answer's event."""
    assert_answered(real_services, question, expected, previous)


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("which countries signed the artemis accords in the same month as india", "Ecuador", "India ("),
        ("who signed the accords on the same day as nigeria", "Rwanda", "Nigeria ("),
        ("was latvia the 60th signatory", "Not yet. Latvia's accession", "Yes"),
        (
            "how many member countries did the ilrs have by 3 October 2023",
            "5 member countries",
            "6 member countries",
        ),
    ],
)
def test_same_period_as_a_member_and_pending_or_month_only_rows(
    real_services: Services, question: str, expected: str, absent: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and absent not in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "who else signed with rwanda",
            "Nigeria signed the Artemis Accords on the same day as Rwanda, 13 December",
        ),
        (
            "which organisations joined the ilrs with the arab union",
            "Asia-Pacific Space Cooperation Organization (APSCO) joined the ILRS on the same day",
        ),
        # a member known only to the month shares its month, said so
        (
            "who joined the ilrs alongside djibouti",
            "Bolivia and Ethiopia joined the ILRS in the same month as Djibouti",
        ),
        # nor is a month-only member counted on one day of its month: it may have been
        (
            "which countries joined the ilrs on 18 october 2023",
            "One country joined the ILRS on 18 October 2023: Pakistan (18 October 2023) [1]. Belarus joined the ILRS "
            "in October 2023, day not known",
        ),
        ("was senegal the fourth african country to sign the accords", "Yes. Senegal signed"),
        # who had the idea is the articles' account of who proposed it; who founded it is the registry's founders
        (
            "whose idea was the ilrs in the first place?",
            "CNSA and the Chinese Academy of Sciences took the initiative",
        ),
        ("which countries originally founded the ilrs", "China and Russia founded the ILRS"),
        # a parliament is a body that answers "who"; "signed by what agency" is the question's words, not a name
        ("who ratified the ilrs agreement in russia", "Russian State Duma ratified"),
        # ... but a parliament does not sign
        ("who signed the ilrs memorandum for russia", "Dmitry Rogozin"),
        ("venezuela's ilrs joint statement with cnsa was signed by what agency on their side", "ABAE"),
        # a word for members the articles never use still asks for members
        ("which outfits signed on to the ilrs in july 2023, not counting venezuela", "nanoSPACE AG"),
        (
            "ugh forgot - slovakia signed the accords together w another country that day, which one?",
            "Peru signed",
        ),
        (
            "Apart from Nicaragua, which parties joined the ILRS on the same day in Wuhan?",
            "Asia-Pacific Space Cooperation",
        ),
        # an event's date said again after its name is the event's day, not another time
        (
            "Which country was the first to sign the Accords after the Milan principals' meeting of 14 October 2024?",
            "was Cyprus",
        ),
        # "before 2023 was over" is by the end of 2023; an event named as "that … workshop"
        (
            "was belarus already part of the ilrs before 2023 was over",
            "Yes. Belarus joined the ILRS in October 2023",
        ),
        (
            "did slovenia sign the accords before that canadian space agency workshop in may 2024?",
            "Yes. Slovenia signed",
        ),
        # "where we actually know the date" is a clause of the question, not its question word
        (
            "most recent country to join the ilrs where we actually know the signing date",
            "Senegal, on 5 September 2024",
        ),
        # "what action": what was done, told by the verb
        ("What action did the Russian State Duma take on the ILRS agreement in May 2024?", "ratification"),
        (
            "Which two US government bodies wrote the Artemis Accords?",
            "NASA and the US Department of State drafted",
        ),
        # joining "at" an event is joining on its day; "countries + orgs" asks for members of both kinds
        (
            "what joined the ilrs on china space day 2024 in wuhan? countries + orgs",
            "Three members joined the ILRS on 24 April 2024",
        ),
        (
            "how many countries signed the accords at the africa leaders summit",
            "2 countries signed the Artemis Accords on 13 December 2022",
        ),
        # events the articles date set the time: "once" an event happened, "by the time of" it
        ("who was the first country to sign the accords once trump was back in office? 🇺🇸", "was Finland"),
        ("how many ilrs members were there at the time of the sco summit in astana", "12 member countries"),
        # a noun phrase asks for the members it names; "(not just announced)" is what the registry counts anyway
        ("gulf states that signed the accords?? 🙏", "Three Gulf countries signed the Artemis Accords"),
        (
            "baltic states that have actually sined the accords so far? (not just announced)",
            "Lithuania (15 May 2024)",
        ),
        # a remark after a whole question that names nothing says why it is asked
        (
            "wich 3 countries signed the accords in april 2024? making a timeline lol",
            "Switzerland (15 April 2024)",
        ),
        # the country left unnamed is the one asked for
        ("peru signed the accords on the same day as some other country right? which one", "Slovakia signed"),
        (
            "What is the most recent country to join the ILRS whose joining date is actually known?",
            "with a known date was Senegal, on 5 September 2024",
        ),
        ("who was the first arab country in the ilrs", "The first Arab country in the ILRS was Egypt"),
    ],
)
def test_members_beside_another_a_month_only_date_and_a_place_within_a_region(
    real_services: Services, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # the member the answer named, not the members the question set its time by
        (
            "Which country was the first to join the ILRS after China and Russia?",
            "when was that",
            "17 July 2023",
        ),
        (
            "Which country became the 56th signatory of the Artemis Accords?",
            "Where does that country rank among the African signatories?",
            "4th African signatory",
        ),
        (
            "Which country became the 11th member of the ILRS?",
            "Who signed the memorandum on that country's behalf?",
            "Ministry of Science",
        ),
        # one of the set the previous answer listed, though the set is plural
        (
            "which african countries are in the ilrs",
            "which of them joined first",
            "The first African country in the ILRS was South Africa",
        ),
        # a bare question word asks it of the previous question's event
        ("did kazakhstan join the ilrs", "when", "3 July 2024"),
        # the same question about the other event the follow-up names
        (
            "who co-chaired the artemis accords principals meeting in milan",
            "and the one in sydney?",
            "Australian Space Agency",
        ),
        # the meeting of that kind held next (not the ILRS's BRICS meeting between them), or the one before
        (
            "Which agencies co-chaired the Artemis Accords principals' meeting in Milan in October 2024?",
            "ok and who co-chaired the one after that?",
            "UAE Space Agency",
        ),
        ("who co-chaired the milan principals meeting", "and the one before that?", "CNES"),
        # "followed it", "after it": the member the previous question was about
        (
            "When did Lithuania sign the Artemis Accords?",
            "and which baltic country followed it, and when? thx",
            "Estonia, on 13 October 2024",
        ),
        (
            "What number signatory was Angola in the Artemis Accords?",
            "Which African country was the next to sign after it?",
            "Senegal",
        ),
        # a time shifted from the previous question's day
        (
            "how many signatories did the artemis accords have on 11 december 2024",
            "and a week after that? 🤔",
            "51 signatory",
        ),
        (
            "Which country joined the ILRS in Wuhan on China Space Day 2024?",
            "Where did that place it in the ILRS membership order?",
            "Nicaragua was the 10th",
        ),
        # "now" replaces the time the previous question set, by a date or by an event
        (
            "How many countries had signed the Artemis Accords by the Sydney meeting in September 2025?",
            "how many now",
            "59",
        ),
        (
            "How many countries had signed the Artemis Accords by the end of 2024?",
            "how many is it now? 👀",
            "59",
        ),
        # the new question words in place of the previous one's
        (
            "When were the Artemis Accords launched?",
            "ok and at what event did that happen?",
            "International Astronautical Congress",
        ),
    ],
)
def test_a_follow_up_about_the_member_the_previous_answer_named(
    real_services: Services, previous: str, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected, previous)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "were australia and the uae both founders of the accords",
            "Yes. Australia and the United Arab Emirates were both",
        ),
        ("were japan and india both founding signatories", "No. Japan was one of the founders"),
        (
            "Where does Azerbaijan come in the joining order of ILRS member countries?",
            "5th country in the ILRS",
        ),
        (
            "Among South American countries, where does Peru rank in the order of Artemis Accords signatories?",
            "6th South American",
        ),
        (
            "how many countries were in the accords when the first signatories meeting happened in paris?",
            "21 signatory countries",
        ),
        ("where did poland sign the artemis accords", "Dubai"),
        ("by when does china want to put astronauts on the moon", "2030"),
    ],
)
def test_ranks_founders_events_and_places_read_as_meant(
    real_services: Services, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected)


def test_which_of_them_picks_one_of_the_set_the_previous_question_named(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "Which of them was the last to do so that year?",
        context="How many countries signed the Artemis Accords in 2021?",
    )
    assert answer.text.startswith("The last signatory of the Artemis Accords in 2021 was Mexico")


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("first non-european country to sign artemis in 2024", "non-European signatory", "Belgium"),
        ("which countries outside europe signed the accords in 2023", "Angola", "Germany"),
        ("how many non-african countries are in the ilrs", "11 non-African countries", "Egypt"),
        (
            "in march 2021 how many more countries were in artemis than in the ilrs",
            "7 more countries",
            "1 member",
        ),
        ("how many countries were in the ilrs at the end of march 2021", "2 member countries", "Thailand"),
    ],
)
def test_regions_left_out_differences_and_founders_known_by_the_year(
    real_services: Services, question: str, expected: str, absent: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and absent not in answer.text


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        (
            "Which were the first two African countries to sign the Artemis Accords?",
            "Which African country was the next to sign after them?",
            "of the Artemis Accords after Rwanda and Nigeria was Angola",
        ),
        (
            "what number signatory was lithuania in the artemis accords",
            "which baltic country came after them",
            "Estonia",
        ),
        (
            "When did the Czech Republic sign the Artemis Accords?",
            "Who signed immediately before it?",
            "Rwanda and Nigeria, both on 13 December 2022",
        ),
        (
            "when did the russian duma ratify the ilrs agreement",
            "how many countries were in it by then",
            "Serbia joined the ILRS in May 2024, day not known: 11",
        ),
    ],
)
def test_after_them_ties_and_members_known_only_by_the_month(
    real_services: Services, previous: str, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected, previous)


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        # founders from a region, or none of them, with the region's first member after them
        (
            "Did Africa have a seat among the founding signatories of the Artemis Accords?",
            "No. None of the 8 founders of the Artemis Accords",
            "Narnia",
        ),
        ("how many asian countries were founding signatories of the artemis accords", "2 of the 8", "Canada"),
        ("were there any european countries among the ilrs founders?", "Yes. Russia was one", "Belarus"),
        # founders apart from some of them
        (
            "Apart from the United States, the United Kingdom and the United Arab Emirates, which countries "
            "were founding signatories of the Artemis Accords?",
            "Australia, Canada, Italy, Japan and Luxembourg",
            "Ukraine",
        ),
        # seasons and early/late parts of a year written the other way round
        ("2025 spring artemis signers? like march to may. need it for a slide", "Bangladesh", "Finland"),
        ("which 3 countries signed the accrods in the first few weeks of 2024?", "Uruguay", "Armenia"),
        # who was in a coalition at a time, not who came in then
        ("Which countries made up the ILRS in mid-September 2023?", "Venezuela", "Azerbaijan"),
        ("what members did the ilrs have in 2022", "China (2021) and Russia", "Egypt"),
        # a member left out in the asker's words, and regions left out
        (
            "<@123456789012345678> which 2025 artemis signers are NOT from asia? leaving latvia out since "
            "it's not formal yet",
            "Finland",
            "Bangladesh",
        ),
        # chat shorthand is not a name nobody knows; an idiom of "according to" is not a plan
        (
            "whats the newest country to sign the artemis accords, going by the latest numbers you've got?",
            "Philippines",
            "do not say what will happen",
        ),
        # a remark after a whole question is set aside; the asker's guesses stay with the question
        (
            "@everyone which countries joined the accords between january and september 2025? making a slide rn",
            "Senegal",
            "In total",
        ),
        ("nicaragua was the what-th country in the ilrs? 10th or 11th?", "was the 10th country", "11th"),
        # places offered as answers are not the question's own words; the missions as people type them
        ("where did thailand sign the artemis accords, bangkok or washington", "Bangkok", "couldn't find"),
        ("what part of the moon are change-7 and change-8 going to", "south pole", "couldn't find"),
        # whose coalition it is, not a subject; a country's agency can be who signed for it
        ("is vietnam in china's ilrs? my prof said so but idk", "do not mention Vietnam", "China joined"),
        ("who signed for azerbaijan when it joined the moon station project", "Azercosmos", "couldn't find"),
        # China's Space Day is a date
        (
            "Which international organisations signed ILRS agreements with CNSA in Wuhan on China Space Day 2024?",
            "Arab Union",
            "couldn't find",
        ),
    ],
)
def test_regions_of_founders_seasons_compositions_and_offered_answers(
    real_services: Services, question: str, expected: str, absent: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert expected in answer.text and absent not in answer.text


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        (
            "when did thailand sign the artemis accords",
            "where did they sign it? bangkok or washington",
            "Bangkok",
        ),
        (
            "Who signed the ILRS memorandum for China in 2021?",
            "On what date was that memorandum signed?",
            "9 March 2021",
        ),
        (
            "How many signatories did NASA count at the Sydney principals meeting?",
            "What share of the world's countries did NASA say that was?",
            "30%",
        ),
        (
            "when was the milan principals meeting",
            "how many of the signatories turned up to that one? thx",
            "42",
        ),
    ],
)
def test_follow_ups_about_a_signing_a_memorandum_and_a_share(
    real_services: Services, previous: str, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected, previous)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Which took place earlier, the Artemis Accords signatories' meeting in Paris or the principals' "
            "meeting in Milan?",
            "in Paris came first, on 19 September 2022",
        ),
        (
            "was the sydney meeting before the milan meeting?",
            "No. The principals' meeting in Milan came first",
        ),
        (
            "which was later, the paris meeting or the longueuil workshop",
            "Workshop at the Canadian Space Agency came later",
        ),
    ],
)
def test_two_named_events_are_put_in_order_with_their_dates(
    real_services: Services, question: str, expected: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.text.startswith(expected) or expected in answer.text.split(". ")[0] + "."
    assert len(answer.citations) >= 2


def test_again_at_the_end_and_a_rank_that_leans_on_the_previous_member(real_services: Services) -> None:
    founders = real_services.answerer.answer("@everyone who founded the ilrs again?")
    assert "China and Russia founded the ILRS" in founders.text
    rank = real_services.answerer.answer(
        "which number country in the ilrs did that make them?", context="When did Egypt join the ILRS?"
    )
    assert rank.text.startswith("Egypt was the 8th country in the ILRS")


def test_a_contribution_asked_for_is_money_and_a_count_does_not_answer_it(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "How much did Norway contribute financially when it signed the Artemis Accords?"
    )
    assert answer.refused and "55 signatories" not in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("did greece sign the artemis accords in the same month as belgium", "No. Greece signed"),
        ("did sweden sign the accords the same week as switzerland", "Yes. Sweden signed"),
        (
            "was bangladesh the first south asian country to sign the accords",
            "No. The first South Asian signatory",
        ),
        ("was india the first south asian signatory of the accords", "Yes. India was the first South Asian"),
        (
            "was egypt the first african country in the ilrs",
            "No. The first African member of the ILRS was South Africa",
        ),
    ],
)
def test_a_claim_of_the_same_period_or_of_being_first_is_checked(
    real_services: Services, question: str, expected: str
) -> None:
    assert real_services.answerer.answer(question).text.startswith(expected)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        ("when did belgium sign the artemis accords", "and greece, same month or not", "No. Greece signed"),
        (
            "when did switzerland sign the artemis accords",
            "and sweden? was it the same week lol",
            "Yes. Sweden",
        ),
        ("when did senegal sign the artemis accords", "was that before the sydney meeting", "Yes. Senegal"),
        (
            "when did bangladesh sign the artemis accords",
            "were they the first south asian country to do it?",
            "No.",
        ),
        ("when did rwanda sign the artemis accords", "at what event tho?", "U.S.-Africa Leaders Summit"),
        ("when did thailand sign the artemis accords", "in which city?", "Bangkok"),
        ("what number ilrs member was nicaragua", "who else signed with china that same day", "APSCO"),
    ],
)
def test_follow_ups_that_compare_periods_check_a_rank_or_ask_where_the_signing_was(
    real_services: Services, previous: str, question: str, expected: str
) -> None:
    assert_answered(real_services, question, expected, previous)


def test_founders_counted_for_both_and_a_list_that_leaves_announcements_out(real_services: Services) -> None:
    both = real_services.answerer.answer("how many founders did each bloc start with, artemis vs ilrs")
    assert (
        "8 founding countries" in both.text
        and "Two countries, China and Russia, founded the ILRS" in both.text
    )
    baltic = real_services.answerer.answer(
        "which baltic states have actually signed artemis? not counting announcements lol"
    )
    assert baltic.text.startswith("Two Baltic countries signed the Artemis Accords: Lithuania")


def test_a_list_between_a_member_and_an_event_names_both_ends_and_a_month_only_member(
    real_services: Services,
) -> None:
    answer = real_services.answerer.answer(
        "which countries joined the ilrs after egypt but before the duma ratification"
    )
    assert answer.text.startswith("Two countries joined the ILRS after Egypt and by 27 May 2024: Thailand")
    assert "Serbia joined the ILRS in May 2024, day not known" in answer.text


def test_what_a_member_signed_is_a_document_the_articles_name(real_services: Services) -> None:
    answer = real_services.answerer.answer("what did egypt sign to join the ilrs")
    assert "cooperation agreement" in answer.text
    unknown = real_services.answerer.answer("what kind of document did djibouti sign")
    assert "not known" in unknown.text


def test_a_second_question_joined_by_and_is_answered_too(real_services: Services) -> None:
    both = real_services.answerer.answer(
        "when did thailand join the ilrs and when did it sign the artemis accords"
    )
    assert "5 April 2024" in both.text and "16 December 2024" in both.text
    # one answer that says both (the date and who signed) is kept whole, not cut to the date
    signed = real_services.answerer.answer("when did egypt join the ilrs and who signed for it")
    assert "6 December 2023" in signed.text and "Egyptian Space Agency" in signed.text
    # the articles name nobody who signed for Poland: the second question is said to be unanswered
    poland = real_services.answerer.answer("where did poland sign the accords and who signed for them")
    assert "Dubai" in poland.text and "do not answer the second question" in poland.text


def test_countries_in_a_list_are_not_people_who_signed(real_services: Services) -> None:
    # "the United Arab Emirates," and "the Isle of Man Government had" look like names of people
    answer = real_services.answerer.answer("who signed the artemis accords for poland")
    assert answer.refused


def test_a_place_is_not_repeated_by_a_second_sentence(real_services: Services) -> None:
    answer = real_services.answerer.answer("where did poland sign the accords")
    assert "Dubai" in answer.text and answer.text.count("Dubai") == 1


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("was the venezuela ilrs signing done in person", "No."),
        ("was the venezuela ilrs signing done remotely", "Yes."),
        ("did venezuela join the ilrs remotely", "Yes."),
    ],
)
def test_in_person_or_remotely_is_answered_by_how_it_was_done(
    real_services: Services, question: str, opening: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.text.startswith(opening) and "video link" in answer.text


def test_an_event_and_a_member_are_ordered_by_their_dates(real_services: Services) -> None:
    answer = real_services.answerer.answer("was the isle of man extension before poland signed")
    assert answer.text.startswith("Yes. The extension of the Artemis Accords to the Isle of Man came first")
    assert "26 October 2021" in answer.text
    # a day against a month that holds it: not ordered, and said so with both dates
    unsure = real_services.answerer.answer(
        "which came first, the duma ratification or serbia joining the ilrs"
    )
    assert unsure.text.startswith("The articles do not say which came first") and "28 May 2024" in unsure.text


def test_between_two_members_or_a_member_and_an_event(real_services: Services) -> None:
    members = real_services.answerer.answer("which countries signed the accords between belgium and sweden")
    assert members.text.startswith(
        "Three countries signed the Artemis Accords between Belgium and Sweden: Greece"
    )
    event = real_services.answerer.answer(
        "did any country sign the accords between senegal and the sydney meeting"
    )
    assert event.text.startswith("No.") and "29 September 2025" in event.text and event.citations


def test_anyone_in_both_as_of_a_date(real_services: Services) -> None:
    then = real_services.answerer.answer("as of end of april 2025 was anyone actually in both groups")
    assert then.text.startswith("Yes. One country was in both coalitions by 30 April 2025: Thailand")
    assert "Senegal" not in then.text
    never = real_services.answerer.answer("was any country in both blocs by the end of 2023")
    assert (
        never.text.startswith("No, no country was in both coalitions by 31 December 2023") and never.citations
    )


def test_the_askers_guess_after_a_question_is_not_a_condition(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "who was the 20th to sign the accords? pretty sure its a european country"
    )
    assert answer.text.startswith("France was the 20th signatory")


def test_a_statement_then_a_bare_position_asks_the_statements_question(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "bangladesh was the 2nd south asian country to sign, who was first"
    )
    assert "India" in answer.text and not answer.text.startswith("Bangladesh")


def test_a_news_site_asked_for_is_the_articles_outlet(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "which news site reported czechia as the 24th country to sign the accords"
    )
    assert answer.text.startswith("Space.com reported it")


def test_by_then_is_the_day_the_previous_question_named(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "ok and how many countries were in the ilrs by then",
        context="What did the Russian State Duma do on 28 May 2024 regarding the ILRS?",
    )
    assert "by 28 May 2024" in answer.text and not answer.refused


def test_they_with_a_coalition_and_no_thread_are_its_people(real_services: Services) -> None:
    answer = real_services.answerer.answer("where did they release the ilrs roadmap")
    assert "St. Petersburg" in answer.text
    assert real_services.answerer.answer("when did they join the ilrs").refused


def test_a_verb_after_which_is_not_the_thing_asked_about(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "Which occurred earlier: Nicaragua's accession to the ILRS or Lithuania's signing of the Artemis Accords?"
    )
    assert answer.text.startswith("Nicaragua came first")


def test_what_made_it_a_first_asks_why(real_services: Services) -> None:
    answer = real_services.answerer.answer("what made brazil signing the artemis accords a first")
    assert "first South American" in answer.text


@pytest.mark.parametrize(
    ("question", "context", "both"),
    [
        ("wait why do i see two different dates for iceland", None, ("10 October 2023", "31 October 2023")),
        (
            "why do some places give a different day",
            "When did Saudi Arabia sign the Artemis Accords?",
            ("14 July 2022", "16 July 2022"),
        ),
    ],
)
def test_dates_that_disagree_are_answered_with_both(
    real_services: Services, question: str, context: str | None, both: tuple[str, str]
) -> None:
    answer = real_services.answerer.answer(question, context=context)
    assert all(day in answer.text for day in both) and not answer.refused


def test_a_subject_written_as_the_question_wrote_it_is_preferred(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "which south african institution signed with dsel at the tiandu forum lol i forgot the acronym"
    )
    assert answer.text.startswith("The South African Radio Astronomy Observatory (SARAO)")


def test_a_short_part_of_a_name_the_articles_write_is_not_unknown(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "What participation goal did Wu Weiren describe for the ILRS around August 2024?"
    )
    assert "500" in answer.text and "5,000" in answer.text


def test_who_held_an_office_asks_for_a_person(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "Who was President of the Canadian Space Agency at the time of the Longueuil workshop?"
    )
    assert answer.refused  # the articles name no president of the CSA


def test_a_source_before_the_question_does_not_hide_its_form(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "Going by NASA's date, did Estonia sign before the Milan principals' meeting?"
    )
    assert answer.text.startswith("Yes.") and "13 October 2024" in answer.text
    remark = real_services.answerer.answer(
        "ngl kinda surprised anyone is in both. which country was first to be in the accords and the ilrs"
    )
    assert remark.text.startswith("Thailand was the first country in both coalitions")


def test_the_region_with_the_most_members_is_counted_from_the_registry(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "At the end of 2024, which region accounted for the largest number of Artemis Accords signatories?"
    )
    assert answer.text.startswith(
        "Europe had the most Artemis Accords signatories by 31 December 2024: 25 of 52"
    )
    # the article's own breakdown, which draws Europe's border differently, is shown beside it
    assert "26" in answer.text
    fewest = real_services.answerer.answer("which region has the fewest artemis signatories")
    assert fewest.text.startswith("Oceania had the fewest")


def test_what_an_acronym_is_and_a_second_question_after_a_preposition(real_services: Services) -> None:
    dsel = real_services.answerer.answer("what is DSEL and where is it")
    assert dsel.text.startswith("The Deep Space Exploration Laboratory (DSEL), based in Hefei")
    city = real_services.answerer.answer(
        "Who announced on 23 April 2025 that 17 countries and international organisations had joined the ILRS, "
        "and in which city?"
    )
    assert "Bian Zhigang" in city.text and "Shanghai" in city.text


def test_how_something_was_signed_prefers_in_person_or_by_video(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "ngl curious how venezuela signed the ilrs statement, was it done in person or remotely?"
    )
    assert "video link" in answer.text


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "first african country in chinas moon station",
            "The first African country in the ILRS was South Africa",
        ),
        ("has kenya joined chinas moon base or nah", "No. Kenya"),
    ],
)
def test_a_possessive_typed_without_its_apostrophe_is_not_a_subject(
    real_services: Services, question: str, opening: str
) -> None:
    assert real_services.answerer.answer(question).text.startswith(opening)


def test_a_slip_in_the_readers_own_words_is_corrected(real_services: Services) -> None:
    answer = real_services.answerer.answer("On what date did Brazil acede to the Artemis Accords?")
    assert answer.text.startswith("Brazil signed the Artemis Accords on 15 June 2021")


def test_founding_signatories_are_counted_and_a_founding_memo_is_a_document(real_services: Services) -> None:
    count = real_services.answerer.answer("how many founding signatories did the artemis accords have")
    assert count.text.startswith(
        "The Artemis Accords had 8 founding countries, which signed on 13 October 2020"
    )
    memo = real_services.answerer.answer("what agencies signed the ilrs founding memo")
    assert "Roscosmos" in memo.text and "China National Space Administration" in memo.text
    assert "NARIT" not in memo.text


def test_a_regions_countries_that_have_not_joined(real_services: Services) -> None:
    eu = real_services.answerer.answer("which eu countries havent signed the artemis accords")
    assert eu.text.startswith(
        "Five EU countries have not signed the Artemis Accords: Croatia, Ireland, Latvia"
    )
    assert "Latvia's signing is announced" in eu.text and eu.citations
    # the ILRS list is not complete: said as who the articles do not name, and no territories
    south = real_services.answerer.answer("which south american countries are not in the ilrs")
    assert "not among the ILRS members the articles name" in south.text
    assert "Falkland" not in south.text and "Venezuela" not in south.text


def test_a_full_list_from_a_region(real_services: Services) -> None:
    answer = real_services.answerer.answer("give me the full list of artemis signatories from asia")
    assert answer.text.startswith("14 Asian countries signed the Artemis Accords: Japan")


def test_counting_back_from_the_newest(real_services: Services) -> None:
    second = real_services.answerer.answer("which country was the 2nd most recent to sign the accords")
    assert second.text.startswith("The second newest signatory of the Artemis Accords was Malaysia")
    tied = real_services.answerer.answer("who was the third newest ilrs member")
    assert "cannot be told apart" in tied.text and tied.citations


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("was bahrain the 17th or 18th signatory", "The 17th. Bahrain signed"),
        ("was senegal the 40th or the 41st to sign", "Neither: the 56th."),
        (
            "how many days after nigeria did rwanda sign",
            "Rwanda and Nigeria signed the Artemis Accords on the same day",
        ),
        (
            "order these by signing date: peru, chile, slovakia",
            "Peru signed the Artemis Accords first of the three",
        ),
    ],
)
def test_choices_gaps_and_orders_of_several(real_services: Services, question: str, opening: str) -> None:
    assert real_services.answerer.answer(question).text.startswith(opening)


@pytest.mark.parametrize(
    ("context", "question", "opening"),
    [
        (
            "when did egypt join the ilrs",
            "who was next",
            "The first country in the ILRS after Egypt was Thailand",
        ),
        (
            "who was the 30th signatory",
            "and who came right after them",
            "The first signatory of the Artemis Accords after Iceland was the Netherlands",
        ),
        (
            "when did kenya join the ilrs",
            "oh ok what about its artemis status",
            "Kenya has not signed the Artemis Accords",
        ),
        (
            "when did rwanda sign the accords",
            "where did that happen",
            "On 13 December 2022, Rwanda and Nigeria both signed",
        ),
    ],
)
def test_follow_ups_about_the_next_member_a_status_or_where(
    real_services: Services, context: str, question: str, opening: str
) -> None:
    assert real_services.answerer.answer(question, context=context).text.startswith(opening)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who wrote the artemis accords anyway, nasa alone?", "U.S. Department of State"),
        ("who actually signed the 2021 ilrs founding memo for the chinese side?", "Zhang Kejian"),
    ],
)
def test_everyday_verbs_and_abbreviations_find_the_articles_words(
    real_services: Services, question: str, expected: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert not answer.refused and expected in answer.text, answer.text


def test_an_aside_asking_for_a_person_is_not_answered_with_an_agency(real_services: Services) -> None:
    answer = real_services.answerer.answer("who signed the artemis accords for norway like the actual person")
    assert answer.refused  # the articles name Norway's agency and ministry, not the person who signed


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what does the ninth principle of the accords deal with", "ninth principle"),
        ("who is on the venezuelan side of the ilrs deal", "ABAE"),
        ("which chinese lab does the ilrs paperwork with companies, like the nanospace deal", "DSEL"),
        ("Where is the company nanoSPACE AG, which signed an ILRS memorandum, based?", "Lyss"),
    ],
)
def test_positions_sides_and_clauses_find_their_sentence(
    real_services: Services, question: str, expected: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert not answer.refused and expected in answer.text, answer.text
    assert "16 countries" not in answer.text  # a clause inside the question is not a second question


@pytest.mark.parametrize(
    "question",
    [
        "what did the nicaraguan delegation say at the wuhan signing",  # nobody's words are reported
        "Which company has been contracted to build the landers for the ILRS?",
        "Which Pakistani official put their signature on the SUPARCO agreement with CNSA?",  # a paper's name
    ],
)
def test_a_sentence_without_the_kind_of_answer_asked_for_is_not_an_answer(
    real_services: Services, question: str
) -> None:
    assert real_services.answerer.answer(question).refused


def test_newest_and_next_around_an_event_say_who_may_straddle_it(real_services: Services) -> None:
    newest = real_services.answerer.answer("newest ilrs country at the time the duma ratified the agreement")
    assert newest.text.startswith("The last country in the ILRS by 28 May 2024 was Nicaragua")
    assert "Serbia joined the ILRS in May 2024, day not known: it may have been in by then too" in newest.text
    after = real_services.answerer.answer(
        "after the russian duma ratifyed the ilrs deal, who was the next country in?"
    )
    assert after.text.startswith(
        "The first country in the ILRS since 29 May 2024 was Kazakhstan, on 3 July 2024"
    )
    assert "Serbia joined the ILRS in May 2024, day not known: it may have been first" in after.text


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "As of 5 April 2024, which nine countries did SpaceNews count as members of the ILRS?",
            "Nine countries joined the ILRS by 5 April 2024: China (2021), Russia (9 March 2021)",
        ),
        (
            "Which country was the most recent Artemis Accords signatory in the State Department count of "
            "3 December 2025?",
            "The last signatory of the Artemis Accords by 3 December 2025 was the Philippines",
        ),
        (
            "which african institutions joined the ilrs",
            "Three African organisations joined the ILRS: the Space Science and Geospatial Institute (SSGI)",
        ),
        ("who signed on the thai side of the ilrs deal", "Thailand joined the International Lunar Research"),
        (
            "lol who actually leads the ilrs, on paper vs in practice? heard russia kinda stepped back",
            "The ILRS is described as led by Roscosmos and CNSA",
        ),
    ],
)
def test_sources_days_regions_of_organisations_and_hearsay(
    real_services: Services, question: str, opening: str
) -> None:
    assert real_services.answerer.answer(question).text.startswith(opening)


def test_the_name_of_an_official_asks_for_a_person(real_services: Services) -> None:
    # the articles name Thailand's ministry, not the minister
    assert real_services.answerer.answer(
        "What was the name of the Thai minister who signed the ILRS memorandum?"
    ).refused


def test_which_countries_prefers_the_sentence_that_names_countries(real_services: Services) -> None:
    answer = real_services.answerer.answer("the 10 institutions at tiandu, what countries were they from")
    assert (
        "Serbia, Switzerland, the United Arab Emirates, Indonesia, Pakistan, Panama and South Africa"
        in answer.text
    )


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "Did the Russian State Duma ratify the ILRS agreement with China before Kazakhstan joined the project?",
            "Yes. The Russian State Duma's ratification of the ILRS agreement came first, on 28 May 2024",
        ),
        (
            "how many signatories did artemis have when they met in paris in sept 2022",
            "The Artemis Accords had 21 signatory countries by 19 September 2022",
        ),
        (
            "how many artemis signatory countries were there when the accords got extended to the isle of man",
            "The Artemis Accords had 12 signatory countries by 27 July 2021",
        ),
    ],
)
def test_events_named_by_what_happened(real_services: Services, question: str, opening: str) -> None:
    assert real_services.answerer.answer(question).text.startswith(opening)


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "had cyprus signed the accords by the milan meeting",
            "No. Cyprus signed the Artemis Accords on 23 October",
        ),
        (
            "Had the Philippines signed the Artemis Accords by the time of the Sydney principals' meeting?",
            "No. The Philippines signed the Artemis Accords on 27 October 2025",
        ),
        ("had serbia joined the ilrs by 20 may 2024", "Not known. Serbia joined the ILRS in May 2024"),
        ("had serbia joined the ilrs by the end of 2024", "Yes. Serbia joined the ILRS in May 2024"),
        (
            "was new zealand one of the founders of the accords or did it join later? i always mix it up w australia",
            "No. New Zealand signed the Artemis Accords on 31 May 2021",
        ),
        (
            "lol some intro i read says the accords were first signed on sept 13 2020, is that legit?",
            "No. The Artemis Accords were launched on 13 October 2020",
        ),
        (
            "whats the 7th principle of the artemis accords about?",
            "The seventh principle of the Artemis Accords",
        ),
        ("who read out the list of 13 ilrs countries in april 2025", "Roscosmos head Dmitry Bakanov said"),
        (
            "Who presented CNSA's April 2024 plan for a basic ILRS by 2035 and an extended model by 2045?",
            "The China National Space Administration (CNSA) and Wu Weiren said on 25 April 2024",
        ),
    ],
)
def test_claims_by_a_day_plans_positions_and_speakers(
    real_services: Services, question: str, opening: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.text.startswith(opening), answer.text
    assert "sixth principle" not in answer.text  # an ordinal's answer does not add its neighbour


def test_which_members_needs_a_sentence_naming_them(real_services: Services) -> None:
    # the articles say 42 of 45 attended, never which three did not
    answer = real_services.answerer.answer(
        "Which three signatories did not attend the Milan principals' meeting in October 2024?"
    )
    assert answer.refused
    assert not real_services.answerer.answer("which countries attended the zhuhai seminar").refused


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "Did Sudi Arabia sign the Artemis Accords before the first in-person meeting of signatories in Paris?",
            "Yes. Saudi Arabia signed the Artemis Accords on 14 July 2022",
        ),
        (
            "what did the artemsi signatories agree on in october 2023",
            "In October 2023, Artemis Accords signatories agreed on an initial set of mission data parameters",
        ),
    ],
)
def test_a_mistyped_name_is_read_and_searched_as_meant(
    real_services: Services, question: str, opening: str
) -> None:
    assert real_services.answerer.answer(question).text.startswith(opening)


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "is any of the og 8 artemis founders also in the ilrs?? 🤔",
            "Unconfirmed. The United Arab Emirates was reported to have joined the ILRS in June 2023",
        ),
        ("are any of the ilrs founders artemis signatories", "No. China has not signed the Artemis Accords"),
        (
            "when kazakhstan joined the ilrs in july 2024, who was the newest artemis accords signatory at that point?",
            "The last signatory of the Artemis Accords when Kazakhstan joined the ILRS was Armenia, the 43rd, on 12 June 2024",
        ),
    ],
)
def test_founders_in_the_other_coalition_and_a_time_clause_first(
    real_services: Services, question: str, opening: str
) -> None:
    assert real_services.answerer.answer(question).text.startswith(opening)


def test_an_organisation_nobody_mentions_and_a_list_asked_for_by_name(real_services: Services) -> None:
    agency = real_services.answerer.answer("did the helvanian space agency sign an mou with dsel?")
    assert agency.refused and "helvanian space agency" in agency.text  # said as typed, not as corrected
    counted = real_services.answerer.answer(
        "what are the 17 countries and orgs cnsa counted in april 2025, like the actual list"
    )
    assert counted.refused  # CNSA gave a number; no article lists the 17
    named = real_services.answerer.answer(
        "what are the 13 countries roscosmos named in april 2025, like the actual list"
    )
    assert "Belarus, Pakistan, Azerbaijan" in named.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Is Belarus part of the ILRS?",
            "Yes. Belarus joined the ILRS in October 2023, the 7th country in the ILRS",
        ),
        ("is djibouti a member of the ilrs", "by Roscosmos as of 29 April 2025"),
        (
            "did kazakhstan join the ilrs before armenia signed the accords or after? timeline stuff",
            "After. Armenia came first",
        ),
        (
            "some list had hungary as a signatory before may 2025, was that right",
            "No. Hungary signed the Artemis Accords on 22 October 2025",
        ),
        (
            "whats the yearly budget of the artemis accords, like who pays for it? thx",
            "do not mention “budget”",
        ),
    ],
)
def test_standing_with_position_and_source_before_or_after_and_claims(
    real_services: Services, question: str, expected: str
) -> None:
    assert expected in real_services.answerer.answer(question).text


@pytest.mark.parametrize(
    "question",
    [
        "honestly is the ILRS better than the artemis accords? whats ur take",
        # the countries the ten came from are not the ten institutions' names
        "Can you name all ten institutions that signed memorandums with DSEL at the Tiandu forum?",
    ],
)
def test_an_opinion_and_a_list_the_articles_do_not_give_are_declined(
    real_services: Services, question: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.refused and "Serbia" not in answer.text


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("how old is dmitry bakanov", "an age"),  # his name is in the articles, his age is not
        (
            "who signed the accords for rwanda? like the actual person",
            "a person's name",
        ),  # not "Leaders Summit"
    ],
)
def test_a_passage_without_the_kind_of_answer_asked_for_is_not_an_answer(
    real_services: Services, question: str, why: str
) -> None:
    answer = real_services.answerer.answer(question)
    assert answer.refused and why in answer.text, answer.text


def test_words_after_the_last_name_that_carry_the_question_are_kept(real_services: Services) -> None:
    # "kick off" is the verb "when did the ilrs" still needs; "genovia" after "for" is a name, not chatter
    assert_answered(real_services, "when did the ilrs officially kick off lol", "9 March 2021")
    genovia = real_services.answerer.answer("who signed the artemis accords for genovia?")
    assert genovia.refused and "genovia" in genovia.text.lower() and "59" not in genovia.text


def test_a_place_asked_for_is_looked_for_past_the_passages_about_the_names_asked(
    real_services: Services,
) -> None:
    # the passages about China and Russia come first and name no city; the Nanjing statement is found next
    assert_answered(
        real_services, "in which city did china and russia open the ilrs to everyone else", "Nanjing"
    )


def test_they_and_it_in_one_follow_up_are_the_founders_and_the_coalition(real_services: Services) -> None:
    # "they" are the founders the answer named; "it" is the ILRS, not China and Russia again
    for follow_up in (
        "hmm ok, and in which city did they open it up to everyone else a few weeks later",
        "where did they open it to other countries",  # its own verb, not "where founded the ilrs"
    ):
        assert_answered(real_services, follow_up, "Nanjing", previous="who founded the ilrs")


def test_who_put_pen_to_paper_on_a_memorandum_names_the_people(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "yo who actually put pen to paper on the china-russia moon base memo? names pls"
    )
    assert "Zhang Kejian" in answer.text and "Rogozin" in answer.text and not answer.refused, answer.text
    # a clause saying which memo ("that founded the ilrs", "which launched it") does not ask for the founders
    for question in (
        "Who signed the March 2021 China-Russia memorandum that founded the ILRS?",
        "who signed the memo which officially launched the ilrs",
    ):
        signers = real_services.answerer.answer(question)
        assert "Zhang Kejian" in signers.text and "Rogozin" in signers.text, (question, signers.text)


def test_the_latest_meeting_of_a_kind_is_the_newest_event_of_that_kind(real_services: Services) -> None:
    # "the latest principals meeting" is Sydney (29 September 2025), not Milan (14 October 2024)
    answer = real_services.answerer.answer("who co-chaired the latest principals meeting")
    assert "Australian Space Agency" in answer.text and "Milan" not in answer.text, answer.text


def test_the_first_members_of_a_region_are_not_the_coalitions_first_and_their_event_is_found(
    real_services: Services,
) -> None:
    # "the first african countries" are Rwanda and Nigeria, not the eight founders; "event" names the kind of answer
    # (the U.S.-Africa Leaders Summit), not a word the sentence must carry
    assert_answered(
        real_services,
        "at what event did the first african countries sign the artemis accords",
        "U.S.-Africa Leaders Summit",
    )
    first = "Which were the first African countries to sign the Artemis Accords?"
    for follow_up in ("At which event did they sign, and on what date?", "and at what event did they sign"):
        assert_answered(real_services, follow_up, "U.S.-Africa Leaders Summit", previous=first)


def test_the_second_question_of_a_follow_up_reads_after_the_first_as_understood(
    real_services: Services,
) -> None:
    # "that country" is Senegal, the one the thread named, in both halves of the message
    answer = real_services.answerer.answer(
        "wait isn't that country in the ilrs too?? when did it join that one",
        context="who was the 4th african country to sign the artemis accords?",
    )
    assert answer.text.startswith("Yes. Senegal joined the ILRS on 5 September 2024"), answer.text
    assert "Azerbaijan" not in answer.text, answer.text


def test_an_adjective_the_articles_never_use_does_not_refuse_the_question(real_services: Services) -> None:
    assert_answered(
        real_services,
        "What quantitative goal for partner countries, foreign institutions and researchers did Wu Weiren "
        "articulate for the ILRS?",
        "5,000",
    )


def test_when_was_that_after_who_hosted_a_meeting_is_the_meetings_date(real_services: Services) -> None:
    # "that" is the meeting, not the day its hosts signed the Accords
    answer = real_services.answerer.answer(
        "and when was that?",
        context="Who co-hosted the first in-person meeting of Artemis Accords signatories?",
    )
    assert "19 September 2022" in answer.text and "signed the Artemis Accords on" not in answer.text, (
        answer.text
    )


def test_a_claim_that_one_body_acts_alone_is_answered_no_when_the_articles_name_another(
    real_services: Services,
) -> None:
    answer = real_services.answerer.answer(
        "My friend reckons NASA runs all the outreach for the Artemis Accords on its own. Is that correct, or is "
        "some other body involved too?"
    )
    assert answer.text.startswith("No. ") and "Department of State" in answer.text, answer.text
    # without "on its own" the same sentence says yes
    shared = real_services.answerer.answer("does nasa lead us outreach on the accords?")
    assert shared.text.startswith("Yes. "), shared.text


def test_two_questions_with_a_remark_after_them_are_both_answered(real_services: Services) -> None:
    # "they" in the second is the coalition the yes/no question before it named, not its whole predicate
    answer = real_services.answerer.answer(
        "Are the Artemis Accords actually legally binding? And which treaty are they built on? Need this for my essay."
    )
    assert answer.text.startswith("No. ") and "Outer Space Treaty" in answer.text, answer.text


def test_what_year_is_answered_by_a_sentence_that_gives_a_year(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "according to the cgtn based stuff, what year was the ilrs first proposed"
    )
    assert "2017" in answer.text and not answer.refused, answer.text
    # "took the initiative" is how it began; "and in what year" is answered by the years the sentence gives
    initiative = real_services.answerer.answer(
        "Who first took the initiative for the ILRS, and in what year?"
    )
    assert initiative.text.startswith("Accounts of the project's origins differ"), initiative.text


def test_a_coalition_said_by_what_it_is_is_searched_by_its_name(real_services: Services) -> None:
    # "the chinese moon base" is searched as the ILRS, not as "base" (the station's own definition); the repeat a
    # second question's answer would add is left out
    opened = real_services.answerer.answer(
        "who opened the chinese moon base up so any country could join?? and where did they announce that"
    )
    assert "CNSA and Roscosmos" in opened.text and "Nanjing" in opened.text, opened.text
    assert opened.text.count("Nanjing") == 1, opened.text
    # "when was that and where": the sentence that gives the day and the place
    roadmap = real_services.answerer.answer(
        "so china's space agency + the russian space people put out some roadmap for the moon base right?? when was "
        "that and where lol"
    )
    assert "16 June 2021" in roadmap.text and "St. Petersburg" in roadmap.text, roadmap.text


def test_two_answers_that_each_add_something_are_both_kept(real_services: Services) -> None:
    answer = real_services.answerer.answer("who signed artemis same day as peru, was it slovenia or smth")
    assert "Slovakia" in answer.text and "No. Slovenia signed" in answer.text, answer.text
    # an answer that says all the other says and more is kept alone, with the thread's words not counted as facts
    egypt = real_services.answerer.answer(
        "Which agency signed on its behalf, and in which city?",
        context="Which country was the first Arab state to join the ILRS?",
    )
    assert "Egyptian Space Agency" in egypt.text and "Beijing" in egypt.text, egypt.text


def test_the_fuller_wording_of_the_same_statement_is_preferred(real_services: Services) -> None:
    answer = real_services.answerer.answer("what did nasa's karen feldstein say about the ilrs principles")
    assert "not been released" in answer.text and "similar" in answer.text, answer.text
    # "even" before "in" is not asked about; "even though" is kept
    germany = real_services.answerer.answer("is germany even in the artemis accords??")
    assert germany.text.startswith("Yes. Germany signed"), germany.text


def test_a_body_not_among_the_hosts_or_chairs_named_is_answered_no(real_services: Services) -> None:
    cnsa = real_services.answerer.answer(
        "did china's space agency co-host that first artemis signatories meetup in paris?"
    )
    assert cnsa.text.startswith("No. ") and "CNES" in cnsa.text, cnsa.text
    esa = real_services.answerer.answer("was ESA one of the cochairs at the sydney artemis meeting or nah")
    assert esa.text.startswith("No. ") and "Australian Space Agency" in esa.text, esa.text
    nasa = real_services.answerer.answer("was nasa one of the co-chairs at the sydney meeting")
    assert nasa.text.startswith("Yes. "), nasa.text
    # a sentence that says who hosted it is preferred to a near one that only says when it took place
    pair = real_services.answerer.answer("paris signatories meetup in 2022 was hosted by esa + nasa right")
    assert pair.text.startswith("No. ") and "CNES" in pair.text, pair.text


def test_a_claim_naming_the_wrong_author_is_answered_no_and_an_unnamed_body_gets_no_yes(
    real_services: Services,
) -> None:
    esa = real_services.answerer.answer(
        "@coalition-bot was it esa that wrote the artemis accords?? my friend swears"
    )
    assert esa.text.startswith("No. ") and "Department of State" in esa.text, esa.text
    both = real_services.answerer.answer("did nasa and the state department write the accords")
    assert both.text.startswith("Yes. "), both.text
    # the sentence found says CNSA and Roscosmos released it: it neither confirms NASA nor says "yes"
    roadmap = real_services.answerer.answer("was the ilrs roadmap drafted by nasa")
    assert not roadmap.text.startswith("Yes") and "Roscosmos" in roadmap.text, roadmap.text


def test_the_head_of_a_body_is_a_person_and_rolled_out_is_launched(real_services: Services) -> None:
    answer = real_services.answerer.answer(
        "who was in charge at NASA when the Artemis Accords were first rolled out?"
    )
    assert "Bridenstine" in answer.text, answer.text
