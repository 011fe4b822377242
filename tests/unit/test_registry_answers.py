"""Structured questions answered from the members registry, on the shipped corpus (fake embedder: the
registry route needs no model). Each answer leads with the answer and cites passages that state it."""

from __future__ import annotations

import re

import pytest

from retrieval.answer_types import REFUSAL, Answer
from retrieval.evaluation import citation_valid
from retrieval.reading.followups import resolve
from retrieval.services import Services


def ask(services: Services, question: str, context: str | None = None) -> Answer:
    return services.offline_answerer.answer(question, context=context)


def assert_cited(answer: Answer, *facts: str) -> None:
    """Not refused, every fact in the text, and each fact (not the question's own phrases, like "end of 2022")
    stated by a passage its sentence cites."""
    assert not answer.refused, answer.text
    for fact in facts:
        assert fact in answer.text, (fact, answer.text)
    assert citation_valid(answer, [f for f in facts if not f.startswith("end of")]), answer.text
    assert answer.citations and all(re.search(rf"\[{c.n}\]", answer.text) for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("when did egypt join the ilrs", ["Egypt", "6 December 2023"]),
        ("when did the uk sign the artemis accords", ["United Kingdom", "13 October 2020"]),
        ("what number signatory was hungary", ["57th", "22 October 2025"]),
        ("who was the 40th signatory of the artemis accords", ["Lithuania", "40th", "15 May 2024"]),
        ("which country was the 10th in the ilrs", ["Nicaragua", "10th"]),
    ],
)
def test_a_members_date_and_position(starter_services: Services, question: str, facts: list[str]) -> None:
    answer = ask(starter_services, question)
    assert_cited(answer, *facts)
    assert len(answer.text) < 300  # a one-fact answer stays short


def test_yes_no_and_the_special_statuses(starter_services: Services) -> None:
    assert ask(starter_services, "is egypt in the ilrs").text.startswith(
        "Yes. Egypt joined the ILRS on 6 December 2023"
    )
    latvia = ask(starter_services, "has latvia signed the accords yet")
    assert latvia.text.startswith("Not yet.") and "announced" in latvia.text
    uae = ask(starter_services, "is the uae in the ilrs")
    assert uae.text.startswith("Unconfirmed.")
    djibouti = ask(starter_services, "what exact date did djibouti join the ilrs")
    assert "April 2025" in djibouti.text and "not known" in djibouti.text


def test_a_real_country_that_is_not_a_member_is_told_apart_from_an_unknown_name(
    starter_services: Services,
) -> None:
    turkey = ask(starter_services, "has turkey signed the artemis accords")
    assert turkey.text.startswith("No. Türkiye has not signed the Artemis Accords") and not turkey.refused
    assert "59 signatory countries" in turkey.text and turkey.citations
    kenya = ask(starter_services, "is kenya part of the ilrs")
    assert kenya.text.startswith("No.") and "KAIST" in kenya.text  # what the articles do say about Kenya
    iran = ask(
        starter_services, "when did iran join the ilrs"
    )  # not mentioned, and the ILRS list is not complete
    assert iran.refused and iran.text.startswith(REFUSAL) and "cannot say" in iran.text and iran.citations
    narnia = ask(starter_services, "is narnia in the ilrs")
    assert narnia.refused and "Narnia is not in the members registry" in narnia.text
    assert "Did you mean Latvia?" in ask(starter_services, "did latveria sign the accords").text


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        (
            "which latin american countries signed the artemis accords in 2023?",
            ["Ecuador", "21 June 2023", "Argentina", "27 July 2023"],
        ),
        (
            "which african countries have joined the ilrs",
            ["South Africa", "Egypt", "Senegal", "Djibouti", "Ethiopia"],
        ),
        (
            "which organisations are partners of the ilrs",
            ["Asia-Pacific Space Cooperation Organization", "Arab Union for Astronomy and Space Sciences"],
        ),
        (
            "which countries signed the artemis accords in 2021 and 2022",
            ["New Zealand", "Mexico", "Israel", "Rwanda"],
        ),
        ("who joined the ilrs in 2024", ["Thailand", "Nicaragua", "Serbia", "Kazakhstan", "Senegal"]),
        ("which arab states are in the ilrs", ["Egypt", "Djibouti"]),
    ],
)
def test_member_lists_filtered_by_time_type_and_region(
    starter_services: Services, question: str, facts: list[str]
) -> None:
    assert_cited(ask(starter_services, question), *facts)


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("how many countries have signed the artemis accords", ["59", "3 December 2025"]),
        ("how many countries had signed the artemis accords by the end of 2022", ["23", "end of 2022"]),
        ("how many countries signed the artemis accords in 2025", ["7", "Finland", "Philippines"]),
        ("how many countries were in the ilrs at the end of october 2023", ["7"]),
    ],
)
def test_counts_now_by_a_date_and_in_a_year(
    starter_services: Services, question: str, facts: list[str]
) -> None:
    assert_cited(ask(starter_services, question), *facts)


def test_the_ilrs_count_gives_each_sources_figure(starter_services: Services) -> None:
    answer = ask(starter_services, "how many countries are in the ilrs")
    assert not answer.refused and re.search(r"\b(13|15|17)\b", answer.text) and "2025" in answer.text


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        (
            "which countries were the first to sign the artemis accords",
            ["Australia", "United States", "13 October 2020"],
        ),
        (
            "who were the first african signatories of the artemis accords",
            ["Rwanda", "Nigeria", "13 December 2022"],
        ),
        ("who is the newest signatory of the artemis accords", ["Philippines", "27 October 2025"]),
        ("who was the first country to join the ilrs after china and russia", ["Venezuela", "17 July 2023"]),
        ("which was the first signatory of 2025", ["Finland"]),
        # a number of members that cuts through one day's signings takes that whole day
        ("what were the first five countries to sign the artemis accords", ["Australia", "United States"]),
        ("the 3 most recent artemis signatories", ["Hungary", "Malaysia", "Philippines"]),
        # "the second latin american member": a place counted within the region
        (
            "On which date did the ILRS gain its second Latin American member country?",
            ["Nicaragua", "24 April 2024"],
        ),
        # Thailand is in both: the frame its Accords date sets holds for the Accords only
        ("who was the most recent country to join before thailand", ["Panama", "Austria"]),
        (
            "who was the first arab country to sign the artemis accords",
            ["United Arab Emirates", "13 October 2020"],
        ),
    ],
)
def test_first_and_latest_members(starter_services: Services, question: str, facts: list[str]) -> None:
    assert_cited(ask(starter_services, question), *facts)


def test_order_answers_with_the_choice_and_both_dates(starter_services: Services) -> None:
    thailand = ask(starter_services, "did thailand join the ilrs or sign the artemis accords first?")
    assert_cited(thailand, "5 April 2024", "16 December 2024")
    assert thailand.text.startswith("Thailand joined the ILRS first")
    egypt = ask(starter_services, "did Egypt join the ILRS or sign the Artemis Accords first?")
    assert "6 December 2023" in egypt.text and "has not signed the Artemis Accords" in egypt.text
    assert not egypt.text.startswith("Yes")
    pair = ask(starter_services, "did pakistan join the ilrs before egypt")
    assert pair.text.startswith("Yes. Pakistan joined the ILRS first, on 18 October 2023")
    assert "6 December 2023" in pair.text


def test_overlap_and_the_first_country_in_both(starter_services: Services) -> None:
    both = ask(starter_services, "which countries are in both coalitions")
    assert_cited(both, "Thailand", "Senegal")
    assert "United Arab Emirates" in both.text and "unconfirmed" in both.text
    first = ask(starter_services, "what was the first country to belong to both the accords and the ilrs")
    assert first.text.startswith("Thailand was the first country in both coalitions")
    assert ask(starter_services, "is pakistan in both the ilrs and the accords").text.startswith("No.")


def test_founders_leaders_and_which_coalition_came_first(starter_services: Services) -> None:
    assert_cited(ask(starter_services, "who founded the ilrs"), "China", "Russia", "9 March 2021")
    wrote = ask(starter_services, "who wrote the artemis accords")
    assert "NASA" in wrote.text and "State" in wrote.text and wrote.citations
    first = ask(starter_services, "which came first, the ilrs or the artemis accords")
    assert first.text.startswith("The Artemis Accords came first") and "9 March 2021" in first.text


@pytest.mark.parametrize(
    "variant",
    [
        "@everyone how many countries have signed the artemis accords thx",
        "how many coutnries have signed the artemis accords?? asking for my class",
        "<@123> yo how many countries r in artemis rn 🚀",
        "sorry if this is a dumb question - how many countries have signed the accords",
    ],
)
def test_chatter_typos_and_pings_give_the_same_answer(starter_services: Services, variant: str) -> None:
    plain = ask(starter_services, "how many countries have signed the artemis accords")
    assert ask(starter_services, variant).text == plain.text


def test_a_follow_up_gets_the_answer_of_the_question_it_stands_for(starter_services: Services) -> None:
    answer = ask(
        starter_services,
        "and when did they sign the artemis accords?",
        context="when did thailand join the ilrs",
    )
    assert "16 December 2024" in answer.text and answer.resolved.lower().startswith("when did thailand sign")


def test_a_member_of_both_sets_the_time_for_the_coalition_its_date_is_from(
    starter_services: Services,
) -> None:
    # Thailand signed the Accords in December 2024 but joined the ILRS in April: Senegal (ILRS, September 2024)
    # is not "before Thailand"
    answer = ask(starter_services, "who was the most recent country to join before thailand")
    assert "Senegal" not in answer.text and "Panama" in answer.text


def test_a_list_of_the_members_that_signed_with_a_body_names_those_the_registry_gives(
    starter_services: Services,
) -> None:
    dsel = ask(starter_services, "what institutes signed ilrs MoUs with dsel in april 2024?")
    assert_cited(dsel, "Deep Space Exploration Laboratory (DSEL)", "SSGI", "KAIST")
    assert "APSCO" not in dsel.text  # it signed with CNSA that month
    deals = ask(
        starter_services, "which institutes signed ilrs deals with dsel in april 2024"
    )  # deals: agreements
    assert_cited(deals, "Deep Space Exploration Laboratory (DSEL)", "SSGI", "KAIST")
    named = ask(
        starter_services,
        "Which African research institutes signed ILRS memorandums with DSEL during 2024, as named in the articles?",
    )
    assert_cited(named, "SSGI", "KAIST", "SARAO")
    cnsa = ask(starter_services, "which organisations signed with cnsa")  # the body says which coalition
    assert_cited(cnsa, "APSCO", "Arab Union")
    assert "nanoSPACE" not in cnsa.text
    # the registry names some of DSEL's partners, not all ten of Tiandu: a count is the articles' to give
    tiandu = ask(starter_services, "how many institutions signed ilrs mous with DSEL at the tiandu forum")
    assert not tiandu.text.startswith(("1 organisation", "One organisation")), tiandu.text


def test_the_founders_left_out_of_a_list_or_a_count_are_said_and_not_counted(
    starter_services: Services,
) -> None:
    listed = ask(
        starter_services,
        "Apart from the eight founders, which countries were already signatories when Poland signed the Artemis Accords?",
    )
    assert_cited(listed, "Ukraine", "South Korea", "New Zealand", "Brazil")
    assert "apart from the founders" in listed.text and "Australia" not in listed.text
    counted = ask(starter_services, "how many countries signed the accords by 2022 besides the og members")
    assert counted.text.startswith(
        "15 countries had signed the Artemis Accords by 31 December 2022 apart from"
    )
    organisations = ask(
        starter_services, "Apart from member countries, which organisations are recorded as ILRS partners?"
    )
    assert_cited(organisations, "APSCO", "nanoSPACE")


def test_how_a_coalition_began_originally_gives_the_articles_account_of_its_origins(
    starter_services: Services,
) -> None:
    began = ask(starter_services, "who started the ilrs originally and when")
    assert_cited(began, "9 March 2021", "2016")
    assert began.text.startswith("The ILRS began on 9 March 2021")
    # who started it, without asking how it began: its founders, not the accounts of its idea
    assert ask(starter_services, "who started the ilrs in the first place").text.startswith(
        "China and Russia"
    )


def test_founders_and_leaders_named_in_the_answer_to_a_check_or_a_choice(starter_services: Services) -> None:
    venezuela = ask(starter_services, "Was Venezuela a founding member of the ILRS?")
    assert_cited(venezuela, "China and Russia", "9 March 2021")
    assert venezuela.text.startswith("No. Venezuela joined the ILRS on 17 July 2023")
    congress = ask(
        starter_services,
        "At which International Astronautical Congress were the Artemis Accords first signed?",
    )
    assert_cited(congress, "71st International Astronautical Congress")
    # the leaders offered as the answer are the coalition's; the head of one of them is another question
    run = ask(
        starter_services,
        "is the artemis accords thing run by nasa alone or does the state dept have a hand in it too?",
    )
    assert_cited(run, "NASA", "Department of State")
    head = ask(starter_services, "who was in charge at NASA when Senegal joined the accords?")
    assert "Department of State, which also lead" not in head.text


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("does nasa run the artemis accords", "Yes"),
        ("does china run the ilrs", "Yes"),
        ("is the ilrs led by cnsa alone", "No"),  # CNSA and Roscosmos
        ("is the artemis accords run by nasa alone", "No"),  # NASA and the State Department
        ("is nasa in charge of the ilrs", "No"),  # the other coalition's leader
        ("is the ilrs led by esa", "No"),  # a body the articles never say leads it
        ("does esa run the artemis accords", "No"),
    ],
)
def test_whether_a_body_leads_a_coalition_is_answered_yes_or_no_with_its_leaders(
    starter_services: Services, question: str, verdict: str
) -> None:
    answer = ask(starter_services, question)
    assert answer.text.startswith(f"{verdict}. "), answer.text
    ilrs = "ilrs" in question
    assert_cited(answer, *(["Roscosmos", "CNSA"] if ilrs else ["NASA", "Department of State"]))


def test_an_organisation_asked_for_by_its_country_is_one_the_registry_places_there(
    starter_services: Services,
) -> None:
    swiss = ask(starter_services, "Which Swiss company joined the ILRS in 2023?")
    assert_cited(swiss, "nanoSPACE AG")
    assert "Switzerland joined" not in swiss.text and "ILOA" not in swiss.text
    kenyan = ask(starter_services, "which kenyan institute joined the ilrs")
    assert_cited(kenyan, "Kenya Advanced Institute of Science and Technology")
    # ILOA's name places it in Hawai'i, no country: the registry cannot say, so it does not say "none"
    american = ask(starter_services, "which american organisation joined the ilrs")
    assert not american.text.startswith("No organisation"), american.text


@pytest.mark.parametrize(
    ("previous", "question", "facts", "left_out"),
    [
        (
            "When did Lithuania sign the Artemis Accords?",
            "who else joined that month",
            ["Peru", "Slovakia"],
            "Lithuania (",
        ),
        (
            "When did Switzerland sign the Artemis Accords?",
            "Which other countries signed during that same week?",
            ["Sweden", "Slovenia"],
            "Switzerland (",
        ),
        (
            "who was the 30th artemis signatory",
            "ok and who signed the month after that?",
            ["Netherlands", "Angola"],
            "Iceland",
        ),
    ],
)
def test_a_follow_up_about_the_week_month_or_year_around_the_answers_day(
    starter_services: Services, previous: str, question: str, facts: list[str], left_out: str
) -> None:
    answer = ask(starter_services, question, context=previous)
    assert_cited(answer, *facts)
    assert left_out not in answer.text  # "else", "other": not the member the previous answer named


def test_a_follow_up_about_that_meeting_is_about_the_event_the_previous_question_named(
    starter_services: Services,
) -> None:
    answer = ask(
        starter_services,
        "Which countries were the next to sign after that meeting?",
        context="How many signatories did the Artemis Accords have at the time of the Paris meeting in September 2022?",
    )
    assert_cited(answer, "Rwanda", "Nigeria")


def test_members_known_only_to_the_same_month_are_not_put_in_an_order(starter_services: Services) -> None:
    three = ask(starter_services, "which of djibouti ethiopia and bolivia signed up to the ilrs first")
    assert "precisely enough" in three.text and "first of the three" not in three.text
    two = ask(starter_services, "did djibouti join the ilrs before ethiopia")
    assert "precisely enough" in two.text and "same day" not in two.text


def test_a_list_request_with_a_check_on_one_member_is_answered_by_the_list(
    starter_services: Services,
) -> None:
    nordic = ask(
        starter_services, "list the nordic countries in the artemis accords pls, is finnland one of them"
    )
    assert_cited(nordic, "Iceland", "Sweden", "Denmark", "Finland", "Norway")
    organisations = ask(
        starter_services,
        "which organisations or institutes signed on to the ilrs in april 2024, not counting countries",
    )
    assert_cited(organisations, "SSGI", "KAIST", "APSCO")
    assert "Thailand" not in organisations.text


def test_the_newest_member_when_something_happened_in_a_month_is_the_newest_by_its_end(
    starter_services: Services,
) -> None:
    answer = ask(
        starter_services,
        "Which country was the most recent Artemis Accords signatory when the State Department counted 21 "
        "signatories in September 2022?",
    )
    assert_cited(answer, "Saudi Arabia", "14 July 2022")
    assert (
        "France" not in answer.text
    )  # one country asked for: the count's "signatories" is not the question's


def test_a_country_whose_organisation_joined_is_told_apart_from_a_member(starter_services: Services) -> None:
    swiss = ask(starter_services, "so is switzerland an ilrs member now bc of that swiss company")
    assert swiss.text.startswith("No.") and "nanoSPACE AG" in swiss.text, swiss.text
    assert_cited(swiss, "nanoSPACE AG")


def test_already_a_member_at_an_event_is_a_member_by_its_day(starter_services: Services) -> None:
    cyprus = ask(
        starter_services,
        "was cyprus already in the accords at the milan meeting? trying to figure out who was in the room lol",
    )
    assert (
        cyprus.text.startswith("No.")
        and "23 October 2024" in cyprus.text
        and "14 October 2024" in cyprus.text
    )


def test_follow_ups_typed_without_apostrophes_or_after_talk_still_lean_on_the_previous_question(
    starter_services: Services,
) -> None:
    behalf = ask(
        starter_services,
        "who signed the memorandum on that countrys behalf",
        context="Which country became the 11th member of the ILRS?",
    )
    assert "Ministry of Science" in behalf.text and not behalf.refused, behalf.text
    reading = starter_services.offline_answerer.reading
    assert reading.read(
        "can someone tell me what about russia plz", starter_services.registry.get()
    ).follow_on


def test_and_the_other_one_keeps_the_noun_the_previous_question_named(starter_services: Services) -> None:
    reading = starter_services.offline_answerer.reading
    registry = starter_services.registry.get()
    resolved = resolve(
        reading.read("and the extended one", registry),
        reading.read("What is CNSA's target date for the basic ILRS model?", registry),
        reading.reader(registry),
    )
    assert "extended ILRS model" in resolved.text and "one" not in resolved.text.split(), resolved.text


def test_a_question_asked_in_the_negative_is_a_check_not_a_member_left_out(
    starter_services: Services,
) -> None:
    germany = ask(starter_services, "wasnt germany one of the original 8 in the artemis accords or smth")
    assert germany.text.startswith("No. Germany signed the Artemis Accords on 14 September 2023"), (
        germany.text
    )
    # further in, "that was not a founder" still leaves the founders out
    ukraine = ask(starter_services, "which was the first country that was not a founder to sign the accords")
    assert_cited(ukraine, "Ukraine")


@pytest.mark.parametrize("question", ["<@123456789012345678>", "???", "🚀"])
def test_a_message_with_no_words_is_answered_without_an_error(
    starter_services: Services, question: str
) -> None:
    answer = ask(starter_services, question)
    assert answer.text  # a refusal or a hint, never an exception


def test_members_of_one_coalition_in_a_period_that_are_also_in_the_other(starter_services: Services) -> None:
    # the period frames the coalition named before "also": those members, checked against the other coalition
    none = ask(starter_services, "which countries that signed the accords in 2021 also joined the ilrs")
    assert_cited(none, "South Korea", "Mexico")
    assert none.text.startswith("None of the five countries that signed the Artemis Accords in 2021"), (
        none.text
    )
    two = ask(
        starter_services, "which countries that joined the ilrs in 2024 also signed the artemis accords"
    )
    assert_cited(two, "Thailand", "Senegal")
    assert "Two of the five countries that joined the ILRS in 2024" in two.text
    later = ask(
        starter_services,
        "which of them also joined the ilrs",
        context="which countries signed the accords in 2021",
    )
    assert later.text.startswith("None of the five"), later.text


def test_the_founders_left_out_of_the_list_asked_before(starter_services: Services) -> None:
    answer = ask(
        starter_services, "which of those werent founders", context="who signed the artemis accords in 2020"
    )
    assert_cited(answer, "Ukraine")
    assert "Australia" not in answer.text


def test_whether_one_coalition_began_before_the_other(starter_services: Services) -> None:
    assert ask(starter_services, "was the ilrs founded after the accords").text.startswith(
        "Yes. The Artemis Accords came first"
    )
    assert ask(starter_services, "did the ilrs start before the artemis accords").text.startswith("No. ")
    choice = ask(
        starter_services,
        "quick q, was the ilrs started before or after the artemis accords? my teacher says before lol",
    )
    assert_cited(choice, "13 October 2020", "9 March 2021")
    assert choice.text.startswith("The Artemis Accords came first"), choice.text


def test_organisations_asked_by_what_they_are_and_whose_body_they_signed_with(
    starter_services: Services,
) -> None:
    nonprofits = ask(starter_services, "which companies or non profits signed up to the ilrs in july 2023")
    assert_cited(nonprofits, "nanoSPACE AG", "International Lunar Observatory Association")
    # "China's" says whose laboratory it is; China is not a member asked about
    african = ask(
        starter_services,
        "Which African institutes have signed ILRS memorandums with China's Deep Space Exploration Laboratory?",
    )
    assert_cited(african, "SSGI", "KAIST", "SARAO")


def test_a_claim_after_what_the_asker_always_thought_is_checked(starter_services: Services) -> None:
    answer = ask(
        starter_services,
        "tbh i always thought india was one of the first signers of the artemis acords back in 2020, right?",
    )
    assert answer.text.startswith("No.") and "21 June 2023" in answer.text, answer.text


def test_a_coalitions_start_named_by_its_clause_sets_the_time(starter_services: Services) -> None:
    # "when the ilrs got started" is 9 March 2021 (events.csv): the Accords' members by then, not the founders
    listed = ask(
        starter_services,
        "who were the artemis members back when the ilrs got started in march 2021? just the list",
    )
    assert_cited(listed, "Ukraine", "Luxembourg")
    assert "by 9 March 2021" in listed.text and "founded the ILRS" not in listed.text, listed.text
    counted = ask(starter_services, "how many countries had signed the accords when the ilrs began")
    assert counted.text.startswith("The Artemis Accords had 9 signatory countries by 9 March 2021"), (
        counted.text
    )
    # asking when it began is still asking for the date
    assert "9 March 2021" in ask(starter_services, "when did the ilrs start").text


def test_pool_25_readings_from_the_registry(starter_services: Services) -> None:
    # a drawn-out greeting is talk, and "the institute-level ones" are institutes
    institutes = ask(
        starter_services,
        "hiii 👋 any african research institutes signed up to the ilrs? not govts, the institute-level ones",
    )
    assert_cited(institutes, "SSGI", "KAIST", "SARAO")
    leaders = ask(starter_services, "Which space agencies are described as leading the ILRS?")
    assert_cited(leaders, "CNSA", "Roscosmos")
    # two regions joined by "or": members of either
    either = ask(
        starter_services, "Which Caribbean or Central American countries have signed the Artemis Accords?"
    )
    assert_cited(either, "Dominican Republic", "Panama")
    assert "Caribbean or Central American countries" in either.text
    # a claim naming a founder and a non-founder: one "No", with who the founders were
    founders = ask(starter_services, "wasn't the ilrs started by china and india")
    assert founders.text.startswith("No. The ILRS was founded by China and Russia"), founders.text
    assert founders.text.count("No.") == 1


def test_others_that_year_after_a_list_of_one_month(starter_services: Services) -> None:
    # "that year" is the year around the month asked before, and "others" leaves out those already named
    answer = ask(
        starter_services, "any others that year?", context="which countries joined the ilrs in april 2024?"
    )
    assert_cited(answer, "Serbia", "Senegal")
    assert "apart from Nicaragua and Thailand" in answer.text and "(5 April 2024)" not in answer.text, (
        answer.text
    )


def test_a_pronoun_for_the_coalition_a_remark_named(starter_services: Services) -> None:
    # "them" is the Artemis Accords the remark before the question named, not the remark itself
    answer = ask(
        starter_services,
        "my prof keeps saying the artemis accords were some UN thing lol. who actually wrote them?",
    )
    assert_cited(answer, "NASA", "Department of State")


def test_claims_reported_and_claims_about_several_get_one_verdict(starter_services: Services) -> None:
    site = ask(
        starter_services,
        "@here saw a site saying germany was the 8th country to sign the accords back in may 2021, is that legit",
    )
    assert site.text.startswith("No. Germany signed the Artemis Accords on 14 September 2023"), site.text
    several = ask(
        starter_services,
        "An article about Chile's accession said the United States, Saudi Arabia and India were among the first "
        "countries to sign the Artemis Accords in 2020. Is that accurate?",
    )
    assert several.text.startswith("No. ") and several.text.count("No.") == 1, several.text
    assert_cited(several, "14 July 2022", "21 June 2023")
    assert "Chile" not in several.text  # whose article it was, not part of the claim


def test_both_after_two_members_is_the_members_not_the_coalitions(starter_services: Services) -> None:
    same_day = ask(starter_services, "nigeria and rwanda both signed the accords on 13 december 2022, right?")
    assert same_day.text.startswith("Yes.") and "ILRS" not in same_day.text, same_day.text
    founders = ask(starter_services, "were australia and the uae both founders")  # the coalition both are in
    assert founders.text.startswith("Yes. Australia and the United Arab Emirates were both founders"), (
        founders.text
    )
    assert ask(starter_services, "is thailand in both").text.startswith("Yes. Thailand is in both coalitions")


def test_pool_25_claims_contrasts_and_regional_founders(starter_services: Services) -> None:
    # a friend's claim after the question is a remark, not part of what is asked
    us = ask(
        starter_services,
        "was the us govt ever part of the ilrs?? my friend swears some hawaii group signed up so america's in",
    )
    assert us.text.startswith("No. The United States is in the Artemis Accords but not in the ILRS"), us.text
    # "as opposed to merely announcing": the registry's members already leave out those only announced
    baltic = ask(
        starter_services,
        "Which Baltic states have actually signed the Artemis Accords, as opposed to merely announcing an intention "
        "to join?",
    )
    assert_cited(baltic, "Lithuania", "Estonia")
    european = ask(
        starter_services, "is the uk the only european founder of the accords or were there others"
    )
    assert european.text.startswith("No. Three of the founders of the Artemis Accords are European"), (
        european.text
    )
    assert_cited(european, "Italy", "Luxembourg", "United Kingdom")


def test_which_of_the_two_coalitions_began_first_is_their_order_not_their_overlap(
    starter_services: Services,
) -> None:
    answer = ask(
        starter_services,
        "Which of the two coalitions was founded earlier, and on what date was each of them started?",
    )
    assert answer.text.startswith("The Artemis Accords came first"), answer.text
    assert_cited(answer, "13 October 2020", "9 March 2021")
    assert "Thailand" not in answer.text, answer.text
    each = ask(starter_services, "how many members does each coalition have")
    assert "in both coalitions" not in each.text, each.text
    assert_cited(each, "59")


def test_inaugural_signatories_and_a_membership_something_made_are_answered_from_the_registry(
    starter_services: Services,
) -> None:
    germany = ask(
        starter_services,
        "Was Germany among the inaugural signatories of the Artemis Accords in October 2020?",
    )
    assert germany.text.startswith("No. Germany signed the Artemis Accords on 14 September 2023"), (
        germany.text
    )
    inaugural = ask(starter_services, "who were the inaugural signatories of the accords")
    assert_cited(inaugural, "Australia", "Luxembourg", "13 October 2020")
    italy = ask(
        starter_services,
        "Did the attendance of Italian experts at the 2021 Zhuhai seminar make Italy, a founding Artemis Accords "
        "signatory, a member of the ILRS?",
    )
    assert italy.text.startswith("No. Italy is in the Artemis Accords but not in the ILRS"), italy.text


def test_who_first_pushed_the_idea_is_whose_idea_it_was(starter_services: Services) -> None:
    # "first" is when the idea came, not the first member; "came on board" at the end is still joining
    answer = ask(
        starter_services, "which chinese bodies first pushed the ilrs idea, before russia came on board"
    )
    assert_cited(answer, "Chinese Academy of Sciences", "2016")


def test_how_many_of_the_first_members_leads_with_the_number(starter_services: Services) -> None:
    answer = ask(
        starter_services,
        "and how many of them were there?",
        context="Which countries signed the Artemis Accords on the very first day?",
    )
    assert answer.text.startswith("Eight: the first signatories of the Artemis Accords were Australia"), (
        answer.text
    )
    assert_cited(answer, "13 October 2020")
    # a statement, then the question whether it made a country a member
    italy = ask(
        starter_services,
        "Experts from Italy attended the 2021 ILRS seminar in Zhuhai. Did that make Italy, a founding signatory of "
        "the Artemis Accords, a member of the ILRS?",
    )
    assert italy.text.startswith("No. Italy is in the Artemis Accords but not in the ILRS"), italy.text


def test_a_member_asked_about_in_the_other_coalition_and_two_months_at_once(
    starter_services: Services,
) -> None:
    serbia = ask(starter_services, "is it in the other one too?", context="When did Serbia join the ILRS?")
    assert serbia.text.startswith("No. Serbia has not signed the Artemis Accords"), serbia.text
    months = ask(starter_services, "which countries joined the ilrs in april and may 2024?")
    assert_cited(months, "Thailand", "Nicaragua", "Serbia")


def test_what_kind_of_document_began_a_coalition_is_how_it_began(starter_services: Services) -> None:
    answer = ask(
        starter_services, "what kind of document kicked off the ilrs and on what date was it signed?"
    )
    assert_cited(answer, "memorandum of understanding", "9 March 2021")


def test_coalitions_called_by_what_they_are_get_their_registry_answers(starter_services: Services) -> None:
    south = ask(
        starter_services,
        "which south american countries signed that nasa moon pact? 🌎 need it for a school thing",
    )
    assert_cited(south, "Brazil", "Colombia", "Chile")
    latin = ask(
        starter_services,
        "Which Latin American countries are members of the lunar research station led by China and Russia?",
    )
    assert_cited(latin, "Venezuela", "Nicaragua", "Bolivia")
    began = ask(
        starter_services,
        "Could you tell me when the American moon rules pact was first signed, and at which gathering that took "
        "place?",
    )
    assert_cited(began, "13 October 2020", "71st International Astronautical Congress")
    # the first signatory after a meeting is not the coalition's first
    after = ask(
        starter_services,
        "Which country was the first to sign the Artemis Accords after the Milan principals' meeting?",
    )
    assert_cited(after, "Cyprus")
    # a tag question gets its verdict first
    tag = ask(starter_services, "greece signed the aa before belgium didnt it")
    assert tag.text.startswith("No. Belgium signed the Artemis Accords first"), tag.text


def test_whether_one_body_leads_alone_is_answered_no_when_it_shares_the_lead(
    starter_services: Services,
) -> None:
    alone = ask(starter_services, "does NASA run the Artemis Accords on its own?")
    assert alone.text.startswith("No. "), alone.text
    assert ask(starter_services, "does nasa lead the artemis accords").text.startswith("Yes. ")
    first = ask(
        starter_services,
        "Which country was the first to sign up to the ILRS once China and Russia had set it up?",
    )
    assert "China, in 2021" not in first.text and "Venezuela" in first.text, first.text


def test_being_the_one_who_leads_is_leading_alone(starter_services: Services) -> None:
    claim = ask(
        starter_services,
        "My teacher says Russia is the one really running the ILRS these days. Is that right?",
    )
    assert claim.text.startswith("No. "), claim.text
    assert ask(starter_services, "is russia leading the ilrs").text.startswith("Yes. ")


def test_the_member_just_before_or_after_another_comes_with_its_place(starter_services: Services) -> None:
    before = ask(starter_services, "who came right before hungary in the accords")
    assert re.search(r"was \w+, the \d+(?:st|nd|rd|th), on ", before.text), before.text


def test_founders_wrongly_named_get_the_founding_date(starter_services: Services) -> None:
    answer = ask(starter_services, "wasnt the ilrs launched by china and india?")
    assert answer.text.startswith("No. The ILRS was founded by China and Russia on 9 March 2021"), answer.text
    thailand = ask(starter_services, "did thailand go ilrs first or artemis first")
    assert thailand.text.startswith("Thailand joined the ILRS first"), thailand.text
