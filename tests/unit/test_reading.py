"""Question reading: what Discord and chat add is set aside, names and dates are found, misspellings
corrected, and the question's form and expected answer read; chatter never changes what is asked."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.reading import Query
from retrieval.reading.dates import normalise_dates, read_time
from retrieval.reading.followups import corrected, needs_context, read_message, resolve, two_questions
from retrieval.reading.markup import strip_markup
from retrieval.reading.places import places
from retrieval.services import Services


def read(services: Services, text: str) -> Query:
    return services.offline_answerer.reading.read(text, services.registry.get())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<@123456789012345678> when did egypt join?", "when did egypt join?"),
        ("<@!42> <@&77> <#99> @everyone @here when", "when"),
        (
            "when did **Egypt** join __the__ ILRS? <:moon:1122334455> <a:spin:99887766>",
            "when did Egypt join the ILRS?",
        ),
        ("when did egypt join 🚀🌕 👍🏽 1️⃣ the ilrs :) xD", "when did egypt join the ilrs"),
        (
            "see https://example.org/x?y=1 and <https://e.org> ||spoiler|| `code` ```block```",
            "see and spoiler code block",
        ),
        ("> quoted\n# heading question???", "quoted. heading question?"),
        ("snake_case and x_D stay", "snake_case and x_D stay"),
        ("zero\u200bwidth \u202eright-to-left", "zerowidth right-to-left"),
    ],
)
def test_discord_markup_emoji_links_and_formatting_are_removed(raw: str, expected: str) -> None:
    assert strip_markup(raw) == expected


@pytest.mark.parametrize(
    "variant",
    [
        "@everyone when did egypt join the ilrs thx",
        "<@123456789012345678> when did egypt join the ILRS?? 🚀",
        "hey guys, quick q: when did egypt join the ilrs? for my essay lol",
        "sorry if this is a dumb question - when did egypt join the ilrs",
        "when did egypt join the ilrs or am i wrong",
        "When did Egypt join the ILRS? I need it for a school project, ty!",
        "yo when did egypt join the ilrs rn",
    ],
)
def test_chatter_around_a_question_does_not_change_what_is_asked(
    starter_services: Services, variant: str
) -> None:
    plain = read(starter_services, "when did egypt join the ilrs")
    assert read(starter_services, variant).signature()[:-1] == plain.signature()[:-1]
    assert read(starter_services, variant).members == ["Egypt"] and read(
        starter_services, variant
    ).coalitions == ["ilrs"]


@pytest.mark.parametrize(
    ("typed", "member", "coalition"),
    [
        ("when did egpyt join the ilrs", "Egypt", "ilrs"),
        ("when did thialand sign the artemis acords", "Thailand", "artemis_accords"),
        ("is pakstan in the ILSR", "Pakistan", "ilrs"),
        ("is ethiopia in the iles", "Ethiopia", "ilrs"),
        ("did columbia sign the artemis accords", "Colombia", "artemis_accords"),
        ("when did the uk sign the accords", "United Kingdom", "artemis_accords"),
        ("when did czechia sign artemis", "Czech Republic", "artemis_accords"),
        ("did the thai government join the chinese moon base", "Thailand", "ilrs"),
        ("is the UAE in the china-russia moon base", "United Arab Emirates", "ilrs"),
        ("when did senegal join china's lunar station", "Senegal", "ilrs"),
    ],
)
def test_members_and_coalitions_by_alias_demonym_nickname_and_misspelling(
    starter_services: Services, typed: str, member: str, coalition: str
) -> None:
    q = read(starter_services, typed)
    assert q.members == [member] and q.coalitions == [coalition], (q.members, q.coalitions, q.corrections)


def test_common_words_are_corrected_and_ordinary_words_are_not(starter_services: Services) -> None:
    q = read(starter_services, "how many coutnries have signned the artemis accords for my class")
    assert q.corrections == {"coutnries": "countries", "signned": "signed"}
    assert q.wh == "how_many" and q.coalitions == ["artemis_accords"] and "class" not in q.text
    # a word found only inside a longer foreign name ("stet" of Papua New Guinea's Tok Pisin name) is no target
    start = read(starter_services, "ok so when did the artemis accords strt")
    assert start.corrections == {"strt": "start"}, start.corrections


def test_a_name_two_letters_from_a_member_is_not_taken_for_it(starter_services: Services) -> None:
    q = read(starter_services, "latveria signed the artemis accords when?")
    assert q.members == [] and q.unknown_names == ["latveria"]


def test_real_countries_regions_and_artemis_missions_are_told_apart(starter_services: Services) -> None:
    assert read(starter_services, "has turkey signed the accords").countries == ["TUR"]
    assert read(starter_services, "which latin american countries signed in 2023").regions == [
        "latin_america"
    ]
    assert read(starter_services, "which south african bodies joined the ilrs").members == ["South Africa"]
    mission = read(starter_services, "when does artemis iii launch")
    assert mission.coalitions == [] and not mission.membership


@pytest.mark.parametrize(
    ("question", "wh", "expects"),
    [
        ("when did egypt join the ilrs", "when", "date"),
        ("what exact date did djibouti join", "when", "date"),
        ("how many countries signed the accords", "how_many", "number"),
        ("how much did egypt pay to join the ilrs", "how_much", "money"),
        ("who signed the accords for senegal", "who", "agent"),  # its agency or a person
        ("who signed the accords for senegal, which minister", "who", "person"),
        ("who signed on behalf of the egyptian space agency", "who", "person"),
        ("who leads the ilrs", "who", "agent"),
        ("who led nasa when the accords were launched", "who", "person"),  # the body's head, not the body
        ("which agency signed for pakistan", "which", "agent"),
        ("who joined the ilrs in 2024", "who", "members"),
        ("where was the 2nd artemis accords workshop held", "where", "place"),
        ("in which city did poland sign the artemis accords", "which", "place"),
        ("is thailand in both", "yes_no", "yes_no"),
        ("did egypt join the ilrs or sign the artemis accords first", "choice", "choice"),
        ("someone said the accords have 12 principles, is that right", "yes_no", "yes_no"),
        ("why is the ilrs called china-led", "why", "reason"),
        ("who gave the figure of 17 ilrs members in april 2025", "who", "agent"),
        ("who at roscosmos read out the list of 13 ilrs countries", "who", "person"),
        ("how did venezuela sign the ilrs deal", "how", "manner"),
        ("artemis signatory count on 29 september 2025?", "how_many", "number"),
        ("bolivia in the ilrs?", "yes_no", "yes_no"),
    ],
)
def test_the_form_of_a_question_and_the_answer_it_expects(
    starter_services: Services, question: str, wh: str, expects: str
) -> None:
    q = read(starter_services, question)
    assert (q.wh, q.expects) == (wh, expects)


def test_the_articles_own_word_wins_a_typo_tie_and_membership_verbs_are_never_unknown(
    starter_services: Services,
) -> None:
    first = read(starter_services, "which was the fisrt african country to join the ilrs")
    assert (
        first.corrections == {"fisrt": "first"}
        and first.superlative == "first"
        and first.regions == ["africa"]
    )
    accede = read(starter_services, "On what date did Argentina accede to the Artemis Accords?")
    assert accede.unknown_names == [] and accede.members == ["Argentina"] and accede.membership


@pytest.mark.parametrize("made_up", ["latveria", "elbonia", "aldoria", "ruritania"])
def test_a_made_up_name_two_unlike_slips_from_a_real_one_is_not_corrected(
    starter_services: Services, made_up: str
) -> None:
    assert made_up not in read(starter_services, f"did {made_up} sign the artemis accords").corrections


@pytest.mark.parametrize(
    ("question", "typo", "meant"),
    [
        (
            "which 3 countries signed the accroda in the first few weeks of 2024?",
            "accroda",
            "accords",
        ),  # swap, key
        (
            "which african coutnriess have signed the artemis accords",
            "coutnriess",
            "countries",
        ),  # swap, extra
        ("who actuaaly started the ILRS?", "actuaaly", "actually"),  # the letter beside typed twice
        (
            "what date did hngray sign the artemis accords?",
            "hngray",
            "hungary",
        ),  # a swap and a dropped letter
        ("blaurs is in china's moon base club isnt it", "blaurs", "belarus"),
    ],
)
def test_two_slips_in_a_long_word_are_corrected(
    starter_services: Services, question: str, typo: str, meant: str
) -> None:
    assert read(starter_services, question).corrections.get(typo) == meant


def test_a_clause_about_the_asking_before_the_question_is_not_its_question_word(
    starter_services: Services,
) -> None:
    gulf = read(
        starter_services, "sorry if this is a dumb question - gulf states that signed the accords?? 🙏"
    )
    assert gulf.wh != "yes_no" and gulf.regions == ["gulf"], (gulf.wh, gulf.text)
    nordic = read(
        starter_services,
        "good morning list the nordic countries in the artemis accords pls, is finnland one of them",
    )
    assert nordic.members == [] and nordic.regions == ["nordic"], nordic.text


def test_what_the_asker_says_of_themself_before_the_question_word_is_talk(starter_services: Services) -> None:
    lost = read(
        starter_services,
        "ngl i lost track — who all signed up for the ilrs at that china space day ceremony in wuhan?",
    )
    assert lost.wh == "who" and lost.text.startswith("who"), lost.text
    # a claim that names something is part of the question, not talk
    assert "egypt" in read(starter_services, "i think egypt joined in 2023, when exactly?").text.lower()


def test_opening_or_closing_a_period_asks_for_its_first_or_last_member(starter_services: Services) -> None:
    kicked = read(starter_services, "who kicked off 2024 for the accords")
    assert (
        kicked.superlative == "first"
        and kicked.time.start == dt.date(2024, 1, 1)
        and kicked.unknown_terms == []
    )
    assert (
        read(starter_services, "which country opened 2024 as the first new signatory").superlative == "first"
    )
    assert read(starter_services, "who closed out 2024 for the accords").superlative == "latest"


@pytest.mark.parametrize(
    ("question", "wh"),
    [
        ("can u list all the institutions that signed with dsel", "which"),
        ("could you tell me which countries joined the ilrs in 2024", "which"),
        ("i wonder whether malaysia ever made it into the ilrs", "yes_no"),
        ("can you check if peru signed the accords", "yes_no"),
        ("ngl i forgot, serbia's spot in the ilrs count was?", "what"),
        ("december 2024 artemis signers?", "which"),
        ("first country to join ilrs that wasnt china or russia?", "which"),
        ("whats the artemis accords headcount at the end of 2024", "how_many"),
    ],
)
def test_requests_indirect_questions_and_fragments(
    starter_services: Services, question: str, wh: str
) -> None:
    assert read(starter_services, question).wh == wh


def test_what_a_membership_question_leaves_out_or_counts_in(starter_services: Services) -> None:
    other = read(starter_services, "first country to join ilrs that wasnt china or russia?")
    assert other.superlative == "first" and set(other.anchors) == {("except", "China"), ("except", "Russia")}
    counting = read(starter_services, "which country was 6th to join the ilrs (countin china and russia)")
    assert counting.ordinal == 6 and ("counting", "China") in counting.anchors
    spot = read(starter_services, "serbia's spot in the ilrs count was?")
    assert spot.asks_ordinal and spot.members == ["Serbia"]


def test_next_in_the_past_and_last_year_are_not_the_future_or_the_latest(starter_services: Services) -> None:
    nxt = read(starter_services, "after bulgaria signed artemis who was next")
    assert not nxt.future and nxt.superlative == "first" and nxt.expects == "members"
    last_year = read(starter_services, "which countries joined the artemis accords last year")
    assert last_year.superlative is None and last_year.time.start == dt.date(2025, 1, 1)


def test_a_year_that_was_over_is_its_end() -> None:
    for text in ("was belarus in the ilrs before 2023 was over", "by the time 2023 ended"):
        assert read_time(text, dt.date(2026, 11, 27)).as_of == dt.date(2023, 12, 31)


def test_gulf_states_organisation_words_and_idioms(starter_services: Services) -> None:
    assert read(starter_services, "which gulf country signed the accords first").regions == ["gulf"]
    assert read(starter_services, "the first arab country in the ilrs").regions == ["arab"]
    # the G20's member countries, not every EU member state the library files under it
    g20 = places().regions["g20"].members
    assert {"DEU", "FRA", "ITA", "TUR", "ZAF"} <= g20 and not {"IRL", "MLT", "HRV"} & g20 and len(g20) == 19
    # the words of an event's name are not a region or a question about leaders
    summit = read(starter_services, "how many artemis signatories by the time of the africa leaders summit")
    assert summit.regions == [] and not summit.leading and summit.time.as_of == dt.date(2022, 12, 13)
    # an organisation's name is not the region it names
    assert read(starter_services, "when did the arab union for astronomy join the ilrs").regions == []
    assert (
        read(starter_services, "what non-government outfits joined the ilrs in july 2023").member_type
        == "organisation"
    )
    assert read(starter_services, "who's really calling the shots in the ilrs these days?").leading
    assert read(starter_services, "How did the ILRS formally come into being?").founding


def test_long_names_two_letters_off_are_corrected_and_made_up_names_are_not(
    starter_services: Services,
) -> None:
    assert read(starter_services, "is lichtenstien in the artemis accords").members == ["Liechtenstein"]
    assert read(starter_services, "when did nicaruaga come on board with the ilrs").members == ["Nicaragua"]
    assert read(starter_services, "did aldoria join chinas moon base before thailand?").unknown_names == [
        "aldoria"
    ]
    assert read(starter_services, "when's the moon base supossed to be done").corrections == {
        "supossed": "supposed"
    }
    assert read(starter_services, "what older space treaty are the accords bulit on top of").focus == "treaty"


def test_when_and_where_asks_where_and_came_up_with_means_founded(starter_services: Services) -> None:
    both = read(starter_services, "When and at what event were the Artemis Accords first signed?")
    assert both.text.startswith("When and") and both.wh == "where" and both.has("event")
    assert read(starter_services, "when and where was the ilrs roadmap released").wh == "where"
    origin = read(starter_services, "which country came up with the ilrs in the first place")
    assert origin.founding and origin.superlative is None


def test_a_fragment_ending_in_number_asks_for_a_members_place_in_the_order(
    starter_services: Services,
) -> None:
    q = read(starter_services, "estonia artemis number?")
    assert q.wh == "what" and q.asks_ordinal and q.members == ["Estonia"]


def test_unknown_names_and_unknown_things_asked_about(starter_services: Services) -> None:
    assert "elon" in read(starter_services, "what did elon musk say about the artemis accords").unknown_names
    assert read(starter_services, "is wakanda in the ilrs").unknown_names == ["wakanda"]
    population = read(starter_services, "what is the population of egypt")
    assert population.focus == "population" and "population" in population.unknown_terms
    assert read(starter_services, "when will the next principals meeting be held").future
    assert not read(starter_services, "when was the ILOA letter of intent planned to be signed").future


TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "as_of", "start", "end"),
    [
        ("how many had signed by the end of 2022", dt.date(2022, 12, 31), None, None),
        ("how many had signed by 1 june 2022", dt.date(2022, 6, 1), None, None),
        ("who signed in 2023", None, dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("who signed in 2021 and 2022", None, dt.date(2021, 1, 1), dt.date(2022, 12, 31)),
        ("who joined between january and september 2025", None, dt.date(2025, 1, 1), dt.date(2025, 9, 30)),
        ("who signed last year", None, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("who joined since 2024", None, dt.date(2024, 1, 1), None),
        ("how many before 2023", dt.date(2022, 12, 31), None, None),
        ("who signed in the first half of 2024", None, dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        ("members at the end of october 2023", dt.date(2023, 10, 31), None, None),
        ("the first signatory of 2025", None, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("who signed in q1 2024", None, dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("who signed in the second quarter of 2024", None, dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("who signed in h2 2024", None, dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("signings in spring 2022", None, dt.date(2022, 3, 1), dt.date(2022, 5, 31)),
        ("who signed in 3/2022", None, dt.date(2022, 3, 1), dt.date(2022, 3, 31)),
        ("march '22 signings", None, dt.date(2022, 3, 1), dt.date(2022, 3, 31)),
        ("who joined in '23", None, dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    ],
)
def test_dates_as_people_write_them(
    text: str, as_of: dt.date | None, start: dt.date | None, end: dt.date | None
) -> None:
    frame = read_time(normalise_dates(text).lower(), TODAY)
    assert (frame.as_of, frame.start, frame.end) == (as_of, start, end)


def test_now_words_and_rn_mean_the_newest_information(starter_services: Services) -> None:
    assert read(starter_services, "how many countries are in artemis rn").time.now
    assert read(starter_services, "how many countries have signed so far").time.now


@pytest.mark.parametrize(
    ("previous", "follow_up", "resolved_members", "resolved_coalitions"),
    [
        (
            "when did thailand join the ilrs",
            "and when did they sign the artemis accords?",
            ["Thailand"],
            ["artemis_accords"],
        ),
        ("when did rwanda sign the artemis accords", "what about nigeria", ["Nigeria"], ["artemis_accords"]),
        (
            "when did malaysia sign the artemis accords",
            "and the philippines?",
            ["Philippines"],
            ["artemis_accords"],
        ),
        ("when did thailand join the ilrs", "what about the accords?", ["Thailand"], ["artemis_accords"]),
        ("is egypt in the ilrs", "when did it join?", ["Egypt"], ["ilrs"]),
    ],
)
def test_follow_ups_are_read_as_the_standalone_question_they_mean(
    starter_services: Services,
    previous: str,
    follow_up: str,
    resolved_members: list[str],
    resolved_coalitions: list[str],
) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    q = resolve(reader.read(follow_up), reader.read(previous), reader)
    assert (q.members, q.coalitions) == (resolved_members, resolved_coalitions), q.text


def test_follow_ups_about_an_event_a_topic_or_a_position(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    where = resolve(
        reader.read("where did that happen"), reader.read("what date did estonia sign the accords"), reader
    )
    assert where.wh == "where" and where.members == ["Estonia"]
    based = resolve(reader.read("where is it based"), reader.read("what's dsel"), reader)
    assert "dsel" in based.text.lower()
    second = resolve(
        reader.read("what about the second?"),
        reader.read("which country was the first to belong to both coalitions?"),
        reader,
    )
    assert second.ordinal == 2 and second.asks_both


def test_follow_ups_that_repeat_the_previous_question_with_one_thing_changed(
    starter_services: Services,
) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())

    def follow(previous: str, current: str) -> Query:
        return resolve(reader.read(current), reader.read(previous), reader)

    trump = follow(
        "Which country was the first to sign the Accords under the Biden administration?",
        "What about the first under Trump?",
    )
    assert (
        "trump" in trump.text.lower() and "biden" not in trump.text.lower() and trump.superlative == "first"
    )
    same = follow("List the African signatories of the Artemis Accords.", "Now do the same for the ILRS.")
    assert same.coalitions == ["ilrs"] and same.regions == ["africa"] and same.wh == "which"
    year = follow("how many countries signed the accords in 2023", "same question for 2024")
    assert year.wh == "how_many" and year.time.start == dt.date(2024, 1, 1)
    region = follow("which country was the first to sign the accords in 2021", "and in africa?")
    assert region.regions == ["africa"] and region.time.empty
    when = follow("did chile sign the artemis accords", "when was that")
    assert when.wh == "when" and when.members == ["Chile"] and when.coalitions == ["artemis_accords"]


def test_a_message_whose_last_question_leans_on_what_it_said_before(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    place = read_message(
        reader, "estonia joined the accords in milan right? which place in the line were they"
    )
    assert place.members == ["Estonia"] and place.coalitions == ["artemis_accords"] and place.asks_ordinal
    region = read_message(
        reader,
        "my cousin says only asian countries do the ilrs, which latin american countries are actually in it?",
    )
    assert region.regions == ["latin_america"] and region.coalitions == ["ilrs"]
    signer = read_message(
        reader,
        "I saw a site saying Cheikh Oumar Anne signed the Artemis Accords for Senegal. Who actually signed?",
    )
    assert signer.members == ["Senegal"] and signer.wh == "who" and signer.unknown_names == []
    # a remark after the question that names nothing new is set aside
    remark = read_message(reader, "senegal artemis accords number? some site said 40th which sounds off")
    assert remark.asks_ordinal and "sounds" not in remark.text
    # two questions of its own: read whole, the first one leads
    both = read_message(reader, "how did venezuela sign up to the ilrs, was it in person")
    assert both.wh == "how" and both.members == ["Venezuela"]
    dates = read_message(reader, "bahrain has like 3 different dates floating around, what are they")
    assert "dates" in dates.text
    # "the initiative" is the coalition the remark named, not the member it mentioned
    initiative = read_message(
        reader, "i keep hearing ilrs was china's idea, who started the initiative originally and when"
    )
    assert initiative.coalitions == ["ilrs"] and initiative.members == [] and initiative.wh == "when"


def test_a_follow_up_names_what_the_previous_question_was_about_not_its_setting(
    starter_services: Services,
) -> None:
    reading = starter_services.offline_answerer.reading
    registry = starter_services.registry.get()
    reader = reading.reader(registry)

    def follow(previous: str, current: str) -> Query:
        return resolve(reading.read(current, registry), reading.read(previous, registry), reader)

    launch = follow(
        "Who was NASA Administrator when the Artemis Accords were launched?",
        "and where did the launch happen lol",
    )
    assert launch.coalitions == ["artemis_accords"] and launch.founding and launch.wh == "where"
    # "had joined Russia and China": the side the counted members joined, not who "them" is
    them = follow(
        "How many countries did Roscosmos say had joined Russia and China in the ILRS in April 2025?",
        "which of them are in latin america",
    )
    assert "of Russia and China" not in them.text and them.text.startswith("which of countries"), them.text
    # "which swiss company": Switzerland only says where it is from; "its" is the company the answer names
    assert (
        "Switzerland's counterpart"
        not in follow(
            "Which Swiss company joined the ILRS in 2023?", "Who was its counterpart on the Chinese side?"
        ).text
    )
    kenya = follow(
        "Which Kenyan institution signed a memorandum with DSEL to join the ILRS?",
        "so does that make kenya itself a member?",
    )
    assert kenya.members + kenya.countries in (["Kenya"], ["KEN"]) and kenya.coalitions == ["ilrs"], (
        kenya.text
    )


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("who was in charge when senegal signed", "who was in charge when senegal signed"),
        ("who can tell me when egypt joined the ilrs", "when egypt joined the ilrs"),
        ("hey who knows when egypt joined the ilrs", "when egypt joined the ilrs"),
    ],
)
def test_a_question_word_opens_the_question_unless_it_asks_about_asking(
    starter_services: Services, question: str, kept: str
) -> None:
    assert read(starter_services, question).text == kept


def test_who_was_x_when_y_asks_who(starter_services: Services) -> None:
    q = read(starter_services, "who was nasa administrator when senegal signed the accords")
    assert q.wh == "who" and q.expects != "date"


def test_how_far_or_how_big_expects_a_figure(starter_services: Services) -> None:
    assert read(starter_services, "how far is the moon from earth").expects == "number"
    assert read(starter_services, "how long ago did egypt join the ilrs").wh == "when"


def test_a_pronoun_with_nobody_to_refer_to_needs_the_previous_question(starter_services: Services) -> None:
    assert needs_context(read(starter_services, "and when did they sign the artemis accords?"))
    assert needs_context(read(starter_services, "what about senegal?"))
    assert not needs_context(read(starter_services, "what is DSEL and where is it"))


def test_a_slip_inside_a_name_of_several_words_is_read_with_its_neighbours() -> None:
    from retrieval.reading.query import NameIndex

    index = NameIndex(
        phrases={
            ("united", "arab", "emirates"): ("member", "United Arab Emirates"),
            ("aruba",): ("country", "ABW"),
            ("isle", "of", "man"): ("member", "Isle of Man"),
        },
        longest=3,
        needs_capitals=frozenset(),
    )
    assert index.phrase_fix(["united", "arba", "emirates"]) == (1, "arab")  # not Aruba
    assert index.phrase_fix(["iske", "of", "man"]) == (0, "isle")
    assert index.phrase_fix(["united", "arab", "emirates"]) is None  # typed right: nothing to fix
    assert index.phrase_fix(["united", "kingdom", "emirates"]) is None  # more than one slip away
    # names sharing all but one word: the slip is read the same whatever order the names were added in
    saudi = [
        (("saudi", "arabian"), ("member", "Saudi Arabia")),
        (("saudi", "arabia"), ("member", "Saudi Arabia")),
        (("saudi",), ("member", "Saudi Arabia")),
    ]
    for phrases in (saudi, saudi[::-1]):
        both = NameIndex(phrases=dict(phrases), longest=2, needs_capitals=frozenset())
        assert both.phrase_fix(["saudi", "arabai"]) == (1, "arabia")
        assert both.phrase_fix(["saudi", "arabain"]) == (1, "arabian")
        assert both.phrase_fix(["saudi", "arabian"]) is None  # a name's own word


def test_a_known_word_beside_a_whole_name_is_not_a_slip_in_a_longer_one(starter_services: Services) -> None:
    # "last asian": "asian" names a region by itself, so "last" is not a slip for "east asian"
    last = read(starter_services, "last asian country to come on board the artemis accords in 2024")
    assert last.regions == ["asia"] and not last.corrections, (last.regions, last.corrections)
    saudi = read(starter_services, "was saudi arabai's accords signing done in person or virtually")
    assert saudi.members == ["Saudi Arabia"] and not saudi.unknown_names, saudi.unknown_names


def test_a_slip_in_a_less_common_word_whose_family_the_articles_use_is_corrected(
    starter_services: Services,
) -> None:
    q = read(starter_services, "when did the russian duma ratfiy the ilrs deal")
    assert q.corrections.get("ratfiy") == "ratify"
    assert read(starter_services, "was the united arba emirates a founder of the accords").members == [
        "United Arab Emirates"
    ]


@pytest.mark.parametrize(
    ("typed", "kept", "dropped"),
    [
        ("name the african countries in the artemis accords, need it for a project", "african", "need"),
        ("how long after rwanda did angola sign the accords need it for a project!", "rwanda", "need"),
        ("can someone tell me, artemis accords headcount as of 1 nov 2023?", "headcount", "can"),
        ("by when does china want to put astronauts on the moon", "astronauts", "by"),
    ],
)
def test_talk_about_the_asking_is_set_aside_but_a_country_s_wants_are_not(
    starter_services: Services, typed: str, kept: str, dropped: str
) -> None:
    q = read(starter_services, typed)
    words = q.text.lower().split()
    assert kept in q.text.lower() and dropped not in words, q.text


def test_words_after_a_verb_at_the_end_go_on_with_the_question(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    assert reader.read("was the venezuela ilrs signing done remotely").text.endswith("done remotely")
    assert "essay" not in reader.read("when did egypt join the ilrs for my essay").text


def test_an_and_between_two_questions_splits_them(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    assert two_questions(reader, "when did egypt join the ilrs and who signed for it") == (
        "when did egypt join the ilrs",
        "and who signed for it",
    )
    assert two_questions(reader, "when and where did rwanda sign the artemis accords") is None
    assert two_questions(reader, "which countries signed the accords and when") is None


def test_greetings_slips_and_talk_about_the_question_are_read_as_meant(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    assert "all" not in reader.read("hi all, and in 2023?").text.split()
    assert "first" in reader.read("quick q when were the artemis accords firs signed").text
    assert "blocs" in reader.read("was any country in both blocs by the end of 2023").text
    dumb = reader.read("sorry if this is a dumb question - list the founding signatories of the accords pls")
    assert not dumb.unknown_terms


def test_an_abbreviation_does_not_end_a_question() -> None:
    from retrieval.reading.followups import _LAST_QUESTION

    parts = [
        p for p in _LAST_QUESTION.split("How long after the U.S. presidential inauguration did it sign?") if p
    ]
    assert len(parts) == 1
    assert (
        len([p for p in _LAST_QUESTION.split("estonia joined in milan right? which place were they") if p])
        == 2
    )


def test_office_abbreviations_asides_and_adverbs_are_read_as_meant(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    memo = reader.read("who signed the founding memo for the chinese side")
    assert "memorandum" in memo.text.split() and not memo.unknown_terms
    assert "department" in reader.read("does the state dept have a hand in it").text.split()
    anyway = reader.read("who wrote the artemis accords anyway")
    assert not anyway.unknown_terms  # an adverb for the whole question is not a thing the articles lack
    assert reader.read("who signed the accords for norway like the actual person").expects == "person"
    assert reader.read("who signed the accords for norway").expects == "agent"


def test_a_side_a_deal_a_lab_and_a_relative_clause_are_read_as_meant(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    side = reader.read("who signed on the venezuelan side of the ilrs deal")
    assert side.text == "who signed for venezuelan of the ilrs agreement" and side.members == ["Venezuela"]
    assert "Venezuela" in side.search_text  # the articles write the name, not the demonym
    assert "deal" in reader.read("what does the fifth principle deal with").text.split()  # the verb stays
    assert "laboratory" in reader.read("which chinese lab signs with companies").text.split()
    assert reader.read("which company is building the lunar hub").expects == "agent"
    assert reader.read("what did the nicaraguan delegation say at the signing").expects == "statement"
    assert reader.read("What did the Russian State Duma do on 28 May 2024?").expects != "statement"
    nano = reader.read("Where is the company nanoSPACE AG, which signed an ILRS memorandum, based?")
    assert not nano.unknown_names  # "where is the company" is the question's own words, not a name
    assert two_questions(reader, "Where is nanoSPACE AG, which signed an ILRS memorandum, based?") is None
    landers = reader.read("which company has been contracted to build the landers")
    assert not landers.corrections  # "landers", a plural of an English word, is not "lenders"


def test_an_event_named_by_a_clause_or_mistyped_sets_the_time(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    duma = reader.read("newest ilrs country at the time the duma ratified the russia-china agreement")
    assert duma.time.as_of == dt.date(2024, 5, 28) and not duma.members  # the clause's object names no member
    typo = reader.read("who was the newest accords member when the longeuil workshop kicked off?")
    assert typo.time.as_of == dt.date(2024, 5, 21) and typo.raw.endswith("kicked off?")
    assert reader.read("how many countries had joined by the time of the tiandu forum").time.as_of == dt.date(
        2024, 9, 5
    )
    sydney = reader.read("how many signatories were there at the time of the sydney meeting")
    assert sydney.coalitions == ["artemis_accords"]  # the event's own coalition


def test_organisations_are_placed_by_the_country_their_name_gives() -> None:
    world = places()
    assert world.home("Kenya Advanced Institute of Science and Technology (KAIST)") == "KEN"
    assert world.home("South African Radio Astronomy Observatory (SARAO)") == "ZAF"
    assert world.home("nanoSPACE AG (Switzerland)") == "CHE"
    assert world.home("Asia-Pacific Space Cooperation Organization (APSCO)") is None


def test_a_phrasal_verb_and_an_everyday_word_for_an_official(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    assert "released" in reader.read("when did china and russia put out the ilrs roadmap").text.split()
    assert reader.read("which roscosmos boss read out the list of ilrs countries").expects == "person"


def test_thanks_laughter_and_pleas_after_a_question_are_dropped() -> None:
    from retrieval.reading.followups import without_trailing_chat

    assert without_trailing_chat("one site says senegal was the 40th, is that right cheers") == (
        "one site says senegal was the 40th, is that right"
    )
    assert without_trailing_chat("10th or 11th?!! tia") == "10th or 11th?!!"
    assert (
        without_trailing_chat("which belarusian body signed it? anyone?")
        == "which belarusian body signed it?"
    )
    assert without_trailing_chat("is that right thanks in advance") == "is that right"
    assert without_trailing_chat("when did egypt join lol?") == "when did egypt join?"
    assert without_trailing_chat("lol") == "lol"  # nothing but chat: left for the reader to refuse


def test_names_typed_with_letters_left_out_or_doubled_are_corrected(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    speller = reader.speller
    assert speller.correct("pakisn") == "pakistan" and speller.correct("kazakstn") == "kazakhstan"
    assert speller.correct("countriess") == "countries"  # a doubled plural "s", not the plural of "countries"
    assert (
        speller.correct("latveria") is None and speller.correct("aldoria") is None
    )  # made up: letters added
    assert reader.read("yo, wait why do i see two different dates for iceland").text.startswith(
        "why do i see"
    )
    # among words equally close, the commoner in English ("realy": really, not realty); among names, the one the
    # articles use more ("ifelands": Iceland, a signatory they report, over Ireland)
    assert speller.correct("realy") == "really" and speller.correct("ifelands") == "iceland"


def test_whose_side_said_with_an_apostrophe_asks_who_acts_for_that_country(
    starter_services: Services,
) -> None:
    # "on china's side" is "for China": the agency or person who signs for it, not a list of members
    q = read(starter_services, "who signs the country-level ilrs agreements on china's side")
    assert "for china" in q.text.lower() and q.expects == "agent"


def test_a_word_known_only_inside_a_longer_name_is_corrected_when_typed_alone(
    starter_services: Services,
) -> None:
    # "afrika" is a word of "suid afrika" (South Africa's Afrikaans name); alone it is a slip for the region
    q = read(starter_services, "ilrs members from afrika?? asking for a debate thx")
    assert q.regions == ["africa"] and q.corrections.get("afrika") == "africa"
    # inside its own name it stays as written
    assert read(starter_services, "did suid afrika join the ilrs").members == ["South Africa"]


def test_a_word_drawn_out_is_read_as_said_but_a_roman_numeral_is_kept() -> None:
    assert strip_markup("hiii sooo who joined the ilrs") == "hi so who joined the ilrs"
    assert strip_markup("thxxx") == "thxx"  # a consonant kept twice: the speller reads it
    assert strip_markup("when does Artemis III launch") == "when does Artemis III launch"


def test_an_idiom_for_signing_and_a_document_signed_ask_for_who_signed_it(starter_services: Services) -> None:
    q = starter_services.offline_answerer.read(
        "yo who actually put pen to paper on the china-russia moon base memo? names pls",
        None,
        starter_services.registry.get(),
    )
    assert q.expects == "person" and "sign" in q.text
    assert read(starter_services, "who signed the accords in 2021").expects == "members"


def test_more_chat_shorthand_is_spelled_out(starter_services: Services) -> None:
    q = read(starter_services, "n which of em is also in teh ilrs")
    assert "which of them is also in the ilrs" in q.text.lower(), q.text


def test_a_name_the_asker_takes_back_is_replaced_by_the_one_meant(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    # the question after the correction, with the new name for its "that one"
    after = read_message(
        reader,
        "who started the artemis accords... no wait i meant the ilrs 🤦 which two countries started that one and when",
    )
    assert after.coalitions == ["ilrs"] and after.founding, after.text
    # the question before it, with the name replaced (a member for a member)
    before = read_message(reader, "when did nigeria join the ilrs... oops i meant rwanda")
    assert before.members == ["Rwanda"] and before.coalitions == ["ilrs"], before.text
    coalition = read_message(reader, "when did egypt sign the artemis accords, sorry i meant the ilrs")
    assert coalition.members == ["Egypt"] and coalition.coalitions == ["ilrs"], coalition.text
    # "i mean" with nothing taken back is a filler, not a correction; with a word that takes back, it is one
    filler = "when did nigeria sign the accords, i mean was rwanda there too"
    assert corrected(reader, filler) == filler
    assert corrected(reader, filler.replace("i mean", "oops i mean")).startswith(
        "when did rwanda sign the accords"
    )


def test_the_two_coalitions_named_by_what_they_are_are_both(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    assert read_message(reader, "which of the two coalitions was founded earlier").coalitions == [
        "artemis_accords",
        "ilrs",
    ]
    assert not read_message(reader, "how many members does each coalition have").asks_both


def test_idioms_for_leading_and_the_time_of_asking_are_read_as_meant(starter_services: Services) -> None:
    for question in ("who calls the shots in the ilrs", "who is really in the driving seat of the ilrs"):
        q = read(starter_services, question)
        assert q.leading and q.coalitions == ["ilrs"] and not q.unknown_terms, (question, q.text)
    now = read(starter_services, "who is the head of roscosmos these days")
    assert now.time.now and "days" not in now.content_terms, now.content_terms
    # a follow-up asking who leads, with a time clause naming members, keeps the thread's coalition
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    previous = reader.read("Who leads the ILRS?")
    seat = resolve(
        reader.read("and who is really in the driving seat since russia invaded ukraine?"), previous, reader
    )
    assert seat.coalitions == ["ilrs"] and seat.leading, seat.text
    running = read(starter_services, "which two space agencies are supposed to be running the ILRS?")
    assert running.leading and not running.future, running.text
    assert read(starter_services, "when is the ilrs supposed to be finished").future  # a plan, still
    charge = read(starter_services, "who was in charge at nasa when the accords were first rolled out?")
    assert charge.leading and "launched" in charge.text and not charge.unknown_terms, charge.text
    # a name after "by" is what is asked about, not an aside, even when its first word is an English one
    signer = read(starter_services, "Was the 2021 ILRS memorandum signed for Roscosmos by Yuri Borisov?")
    assert signer.text.endswith("by Yuri Borisov?"), signer.text


def test_abbreviations_adjectives_and_founding_words_are_read_as_meant(starter_services: Services) -> None:
    agencies = read(starter_services, "which space agcys run the IRLS?")
    assert "agencies" in agencies.text and not agencies.unknown_terms, agencies.text
    assert read(starter_services, "Was Germany among the inaugural signatories of the accords?").founding
    # an adjective the articles never use is not the thing asked about; the noun after it is
    goal = read(
        starter_services, "What quantitative goal for partner countries did Wu Weiren set for the ILRS?"
    )
    assert goal.focus != "quantitative", goal.focus
    tally = read(starter_services, "what was the vote tally when the duma ratified the ilrs deal")
    assert tally.focus == "vote", tally.focus
    assert read(starter_services, "how much has china budgeted for the ilrs").expects == "money"


def test_whether_something_made_a_country_a_member_asks_whether_it_is_one(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    made = read_message(
        reader,
        "Did the attendance of Italian experts at the 2021 Zhuhai seminar make Italy, a founding Artemis Accords "
        "signatory, a member of the ILRS?",
    )
    assert made.members == ["Italy"] and made.coalitions == ["ilrs"] and made.wh == "yes_no", made.text


def test_coming_on_board_at_the_end_of_a_message_is_joining(starter_services: Services) -> None:
    q = read(starter_services, "which chinese bodies first pushed the ilrs idea, before russia came on board")
    assert q.text.endswith("before russia joined") and q.founding, q.text


def test_who_leads_a_body_the_articles_name_is_a_question_of_its_own_in_a_thread(
    starter_services: Services,
) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    previous = reader.read("Who signed the 2021 ILRS memorandum for Roscosmos?")
    head = resolve(reader.read("cool, and who's in charge of roscosmos now?"), previous, reader)
    assert "memorandum" not in head.text and head.time.now and not head.time.years, head.text
    # what a body said goes on from the thread ("a few days later" than the figure asked about before)
    said = reader.read("and what did roscosmos say a few days later")
    assert (
        resolve(said, reader.read("what figure did cnsa give for ilrs membership in april 2025"), reader).text
        != said.text
    )


def test_the_other_one_two_months_and_where_d_are_read_as_meant(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    other = resolve(
        reader.read("is it in the other one too?"), reader.read("When did Serbia join the ILRS?"), reader
    )
    assert other.coalitions == ["artemis_accords"] and other.members == ["Serbia"], other.text
    months = read(starter_services, "which countries joined the ilrs in april and may 2024?")
    assert (months.time.start, months.time.end) == (dt.date(2024, 4, 1), dt.date(2024, 5, 31)), months.time
    where = read(starter_services, "where'd nicaragua sign it")
    assert where.wh == "where" and not where.unknown_terms, where.text


def test_coalitions_and_agencies_called_by_what_they_are_are_read_as_named(
    starter_services: Services,
) -> None:
    for question, coalition in (
        ("which south american countries signed that nasa moon pact?", "artemis_accords"),
        ("who signed the american moon rules pact in october 2024?", "artemis_accords"),
        ("when was the U.S.-led space agreement first signed", "artemis_accords"),
    ):
        q = read(starter_services, question)
        assert q.coalitions == [coalition] and not q.members and "the the" not in q.text, (question, q.text)
    agency = read(starter_services, "who's the head of the russian space agency?")
    assert "roscosmos" in agency.content_terms and not agency.members, agency.text
    assert "cnsa" in read(starter_services, "what did china's space agency say").content_terms
    # "tell us" is not the United States; an agreement *with* NASA is not the Accords
    assert not read(starter_services, "did the US sign an agreement with NASA").coalitions
    # in a thread, "the us one" and "the chinese one" are the coalitions; "the russian one" is left as said
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    previous = reader.read("how many countries joined the ilrs in 2023")
    us_one = resolve(reader.read("ok and how many signed the us one that year"), previous, reader)
    assert us_one.coalitions == ["artemis_accords"] and not us_one.members, us_one.text
    chinese_one = resolve(
        reader.read("and the chinese one?"), reader.read("how many countries are in the accords"), reader
    )
    assert chinese_one.coalitions == ["ilrs"], chinese_one.text


def test_who_leads_a_coalition_said_to_describe_it_is_not_asked(starter_services: Services) -> None:
    members = read(
        starter_services,
        "Which Latin American countries are members of the lunar research station led by China and Russia?",
    )
    assert not members.leading and not members.members and members.regions == ["latin_america"], members.text
    # asked of the coalition itself, it is the question
    asked = read(starter_services, "is the ilrs led by china and russia")
    assert asked.leading and asked.members == ["China", "Russia"], asked.text


def test_a_tag_question_and_a_purpose_before_the_question_are_read_as_meant(
    starter_services: Services,
) -> None:
    for question in (
        "greece signed the aa before belgium didnt it",
        "egypt joined the ilrs in 2023 didnt they",
    ):
        assert read(starter_services, question).wh == "yes_no", question
    purpose = read(
        starter_services,
        "For my school project on space diplomacy I need to know who actually founded the ILRS and when it "
        "officially got started. Can you help?",
    )
    assert purpose.founding and "diplomacy" not in purpose.unknown_terms + purpose.content_terms, purpose.text


def test_a_clarification_a_claim_someone_made_and_once_they_had_are_read_as_meant(
    starter_services: Services,
) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    wrote = read_message(
        reader, "@coalition-bot who actually wrote the artemis accords?? like which part of the us govt"
    )
    assert wrote.coalitions == ["artemis_accords"] and wrote.founding, wrote.text
    claim = read_message(
        reader, "My teacher says Russia is the one really running the ILRS these days. Is that right?"
    )
    assert claim.wh == "yes_no" and claim.leading and "teacher" not in claim.text.lower(), claim.text
    once = read(
        starter_services,
        "Which country was the first to sign up to the ILRS once China and Russia had set it up?",
    )
    assert once.founding and "after China and Russia" in once.text, once.text


def test_a_bracketed_aside_that_only_describes_is_set_aside(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    q = read_message(
        reader,
        "did the Paris get-together of Artemis Accords signatories (the first one held face to face) happen before "
        "Rwanda and Nigeria signed?",
    )
    assert "face" not in q.content_terms and q.wh == "yes_no", q.text
    # an aside that limits or names is kept
    assert "(not just announced)" in reader.without_asides("which baltic states signed (not just announced)")
    assert "(ILRS)" in reader.without_asides("who leads the lunar research station (ILRS)")
    official = read(starter_services, "whats the full official name of the us moon rules document??")
    assert official.expects != "person" and official.coalitions == ["artemis_accords"], official.expects


def test_chat_habits_around_a_question_are_read_as_meant(starter_services: Services) -> None:
    reader = starter_services.offline_answerer.reading.reader(starter_services.registry.get())
    # a correction after a dash ("— sorry, the accords")
    peru = read_message(reader, "when did peru sign the ilrs — sorry, the accords!! brain not working today")
    assert peru.coalitions == ["artemis_accords"] and peru.members == ["Peru"], peru.text
    # a guess at the answer and the asker's doubt are not the question's subject
    guess = read_message(
        reader,
        "which south american country got into the artemis accords first? argentina?? or am i mixing it up",
    )
    assert not guess.members and guess.regions == ["south_america"], guess.text
    # "or was that just a rumor": whether it is so
    rumour = read_message(reader, "wait is serbia actually part of the ilrs or was that just a rumor?? 🤨")
    assert rumour.wh == "yes_no" and not rumour.unknown_terms and "rumor" not in rumour.content_terms, (
        rumour.text
    )
    # a quoted message before the question is what "them" refers to
    quoted = read_message(
        reader,
        "> ok so china and russia started the ilrs\nsure but who was the very first country to join after them??",
    )
    assert quoted.members == ["China", "Russia"] and "after China and Russia" in quoted.text, quoted.text
    assert "even" not in read(starter_services, "is germany even in the artemis accords??").content_terms


def test_a_question_keeps_its_line_breaks_through_validation() -> None:
    from retrieval.questions import validate_question

    assert validate_question("  > quoted   line \n\n  the   question? ") == "> quoted line\nthe question?"


def test_clefts_same_month_as_an_event_and_two_regions_left_out_are_read_as_meant(
    starter_services: Services,
) -> None:
    choice = read(starter_services, "Was it Pakistan or Azerbaijan that got into the ILRS first?")
    assert choice.members == ["Pakistan", "Azerbaijan"] and choice.wh in ("which", "choice"), choice.text
    claim = read(starter_services, "was it nasa that drafted the accords")
    assert claim.wh == "yes_no" and claim.text.startswith("nasa drafted"), claim.text
    month = read(
        starter_services,
        "which countries signed the accords in the same month as the milan principals meeting",
    )
    assert (month.time.start, month.time.end) == (dt.date(2024, 10, 1), dt.date(2024, 10, 31)), month.time
    outside = read(starter_services, "Which founders of the Accords aren't in Europe or Asia?")
    assert outside.excluded_regions == ["europe", "asia"] and not outside.regions, outside.excluded_regions
    going = read(starter_services, "when did the ilrs actually get going?")
    assert going.founding and not going.future, going.text
    assert read(starter_services, "did thailand go ilrs first or artemis first").membership
