"""Demands from the table data/lang/en/demands.tsv: each category in a typical phrasing, the
topics that are no demand without a demand context, and the table itself.

Every sentence here is written for this file.
"""
from __future__ import annotations

from datetime import date

import pytest

from strikewatch.events import demands, roles
from strikewatch.events.demands import TableError, demand_table, find_demands, parse_table, says_demands
from strikewatch.types import Demand, Document, Span

# the six labels exports carried before the table; the grader matches gold words inside them
OLD_LABELS = ("resignation", "new elections", "release of prisoners", "end to violence", "wages",
              "punishment of those responsible")
CATEGORIES = {"political", "pay", "pensions", "jobs", "conditions", "hours", "union", "prices",
              "services", "land", "environment", "rights", "police"}


def labels(sentence: str) -> list[str]:
    return [d.label for d in find_demands(sentence, 0, len(sentence))]


def test_the_table_keeps_the_old_labels_word_for_word():
    table = demand_table("en")
    assert set(OLD_LABELS) <= set(table.labels)
    assert set(table.categories.values()) == CATEGORIES


def test_the_table_is_read_once():
    assert demand_table("en") is demand_table("en")


def test_roles_still_exports_the_demand_functions():
    assert roles.find_demands is demands.find_demands
    assert roles.says_demands is demands.says_demands


def test_demand_category_is_optional():
    span = Span.of("new elections", 0, 13)
    assert Demand("new elections", span).category is None
    assert Demand("new elections", span, "political").category == "political"


@pytest.mark.parametrize("sentence, label, category", [
    # political
    ("Students marched to parliament demanding the resignation of the interior minister.",
     "resignation", "political"),
    ("Opposition supporters called for fresh elections under international observers.",
     "new elections", "political"),
    ("The crowd demanded that the result of the vote be annulled.",
     "annulment of the election result", "political"),
    ("Volunteers at the polling station petitioned for a recount of the ballots.",
     "recount of the vote", "political"),
    ("Activists rallied in the capital for independence.", "independence", "political"),
    ("Thousands protested against the new citizenship law outside parliament.",
     "repeal of a law or policy", "political"),
    ("The unions want the repeal of the labour code amendments.", "repeal of a law or policy",
     "political"),
    # pay
    ("Bus drivers walked out over pay on Monday.", "wages", "pay"),
    ("Dockers went on strike for a 15 per cent pay rise.", "wages", "pay"),
    ("Miners at the colliery stopped work over wage arrears of three months.", "unpaid wages", "pay"),
    ("Cleaners at the hospital protested to demand a higher minimum wage.", "minimum wage", "pay"),
    ("Staff picketed the head office over the cancellation of annual bonuses.", "bonuses", "pay"),
    # pensions
    ("Retirees blocked the main road in protest at cuts to their pensions.", "pensions", "pensions"),
    ("Unions called a general strike against plans to raise the retirement age.", "pensions",
     "pensions"),
    # jobs
    ("Steelworkers marched through the town against job cuts at the mill.", "job cuts", "jobs"),
    ("Workers occupied the factory in protest at the dismissal of the union leader.", "dismissals",
     "jobs"),
    ("They demanded the reinstatement of 40 sacked drivers.", "reinstatement of dismissed workers",
     "jobs"),
    ("Employees rallied against the closure of the glass factory.", "closures", "jobs"),
    # conditions
    ("Garment workers struck for better working conditions.", "working conditions", "conditions"),
    ("Miners stopped work over safety concerns after a roof collapse.", "safety at work",
     "conditions"),
    ("Nurses are striking over unsafe staffing levels.", "staffing", "conditions"),
    # hours
    ("Warehouse staff walked out over compulsory overtime.", "working hours", "hours"),
    ("The drivers demand shorter working hours and two rest days a week.", "working hours", "hours"),
    # union
    ("Couriers struck to demand recognition of their independent union.", "union recognition",
     "union"),
    ("Teachers held a rally in support of a new collective agreement.", "collective bargaining",
     "union"),
    ("Dockers marched in defence of the right to strike.", "right to strike", "union"),
    ("Shop workers protested against anti-union retaliation by the chain.",
     "end to anti-union retaliation", "union"),
    # prices
    ("Hundreds took to the streets in protest against rising fuel prices.", "fuel prices", "prices"),
    ("Residents protested over soaring food prices.", "food prices", "prices"),
    ("Commuters staged a sit-in against the metro fare increase.", "fares", "prices"),
    ("Traders shut their shops in protest against the new sales tax.", "taxes", "prices"),
    ("Pensioners demonstrated against higher electricity tariffs.", "utility bills", "prices"),
    ("Nurses joined a march against the rising cost of living.", "cost of living", "prices"),
    # services
    ("Villagers blocked the highway to demand clean drinking water.", "water supply", "services"),
    ("Residents protested against daily power cuts.", "electricity", "services"),
    ("Doctors marched for better health care in rural areas.", "health care", "services"),
    ("Parents rallied to save the local school.", "education", "services"),
    ("Tenants protested against the lack of heating in their flats.", "heating", "services"),
    ("Villagers blocked the highway to demand road repairs.", "roads", "services"),
    ("Commuters rallied against cuts to bus services.", "public transport", "services"),
    # land
    ("Farmers marched to the capital against land grabs by mining companies.", "land", "land"),
    ("Residents of the settlement protested against forced evictions.", "housing", "land"),
    ("Young people rallied for affordable housing in the city centre.", "housing", "land"),
    # environment
    ("Locals protested against the construction of a battery plant near the town.", "environment",
     "environment"),
    ("Villagers rallied against pollution from the smelter.", "environment", "environment"),
    ("Pupils went on strike for climate action.", "climate", "environment"),
    # rights
    ("Journalists rallied for press freedom outside the ministry.", "press freedom", "rights"),
    ("Students demonstrated against the ban on rallies.", "freedom of assembly", "rights"),
    ("Writers protested against censorship of the arts.", "freedom of speech", "rights"),
    ("The crowd demanded the release of detained activists.", "release of prisoners", "rights"),
    # police
    ("Crowds marched against police brutality.", "end to violence", "police"),
    ("Relatives called for an independent investigation into the killing.", "police accountability",
     "police"),
    ("They demanded the prosecution of the officers who beat protesters.",
     "punishment of those responsible", "police"),
])
def test_each_category_in_a_typical_phrasing(sentence, label, category):
    found = {d.label: d for d in find_demands(sentence, 0, len(sentence))}
    assert label in found, (sentence, list(found))
    assert found[label].category == category
    assert found[label].span.text == sentence[found[label].span.start:found[label].span.end]


@pytest.mark.parametrize("sentence", [
    "The company raised prices of its cars by five per cent in March.",
    "The forward scored from a clever pay-off pass in the second half.",
    "Fuel prices rose by three per cent in March, the statistics office said.",
    "The Department for Education published new figures on Tuesday.",
    "Demand for housing remains strong in the capital.",
    "Demand for electricity peaked during the cold spell.",
    "The government will raise taxes next year.",
    "The firm announced 200 job cuts last year.",
    "She was taken to hospital for treatment.",
    "He won a bonus for scoring twice.",
    "It is the price to pay for failure.",
    "Workers who earn the minimum wage went home early.",
    "The plant supplies water to the whole city.",
    "The England team trained in the rain.",
    "Analysts expressed uncertainty over job security in the sector.",
    "The bill was passed by parliament on Thursday.",
    "The operator blamed the strike for power outages in the north.",
    "The tribunal found that she had suffered unfair dismissal.",
    "The minister said he would reinstate the old rules.",
    "He recounted the story of the strike to reporters.",
    "Police used water cannon against the protesters.",
    "So all the recognised unions for council workers are on strike.",
    "The government said it will not withdraw this reform.",
    "The newspaper was praised for its coverage of the land registry.",
])
def test_no_demand_without_a_demand_context(sentence):
    assert labels(sentence) == []


def test_the_strike_over_a_law_is_a_demand_but_not_against_the_law():
    assert labels("It is against the law to block the road.") == []
    assert "repeal of a law or policy" in labels("Drivers blocked the road against the new law.")


def test_a_list_of_demands_counts_to_its_end():
    found = labels("They demanded higher pay, cheaper fuel and an end to power cuts.")
    assert found == ["wages", "electricity"]


def test_a_clause_break_ends_the_list():
    found = labels("Workers demanded new elections, while the government raised fuel prices.")
    assert found == ["new elections"]


def test_each_label_once_at_its_first_mention_in_order():
    text = "Intro. They struck over unpaid wages, and then over unpaid wages again, and for new elections."
    start = text.index("They")
    found = find_demands(text, start, len(text))
    assert [d.label for d in found] == ["wages", "unpaid wages", "new elections"]
    assert all(text[d.span.start:d.span.end] == d.span.text for d in found)
    assert found[1].span.start == text.index("unpaid wages")


@pytest.mark.parametrize("sentence, says", [
    ("Their demands were read out at the gate.", True),
    ("The workers called for new elections.", True),
    ("A petition was signed by 3,000 workers.", True),
    ("Protesters chanted slogans outside the office.", True),
    ("The workers went home at six.", False),
    ("Hundreds protested against rising fuel prices.", False),  # a demand, but no demand word
])
def test_says_demands_is_the_demand_words_as_before(sentence, says):
    assert says_demands(sentence, 0, len(sentence)) is says


TINY = "\n".join([
    "# a table for a made-up language",
    "label\tcategory\tpattern",
    "@demand\tmacro\t\\bvoli\\b",
    "@break\tmacro\t[;.]",
    "@mods\tmacro\t(?:(?:la|novaj)\\s+){0,2}",
    "@cue\tcontext\t\\b(?:kontraŭ|por)",
    "@cue_list\tmacro\t\\bvolis\\b",
    "new elections\tpolitical\t\\bnovaj elektoj\\b",
    "fuel prices\tprices\t{cue}prezoj de benzino\\b",
])


def test_a_language_table_needs_only_its_rows():
    table = parse_table(TINY, "xx")
    assert table.labels == ("new elections", "fuel prices")
    assert table.speaks.search("ili voli") is not None
    text = "Ili strikis kontraŭ la prezoj de benzino."
    [row] = [r for r in table.rows if r.label == "fuel prices"]
    m = row.pattern.search(text)
    assert m and demands._in_context(table, row, text, m.start(), {})
    assert not demands._in_context(table, row, "La prezoj de benzino.", 3, {})


@pytest.mark.parametrize("bad, message", [
    ("label\tcategory\tpattern\nwages\tpay", "2 columns"),
    ("labels\tcategory\tpattern\nwages\tpay\tx", "header"),
    ("label\tcategory\tpattern\nwages\tpay\t{nothing}pay", "unknown helper"),
    ("label\tcategory\tpattern\nwages\tpay\t(unclosed", "bad pattern"),
    ("label\tcategory\tpattern\nwages\tPay Category\tpay", "bad label"),
])
def test_a_broken_table_says_where(bad, message):
    base = "\n".join(TINY.splitlines()[2:7])
    text = bad.replace("label\tcategory\tpattern\n", "label\tcategory\tpattern\n" + base + "\n", 1)
    with pytest.raises(TableError, match=message):
        parse_table(text, "xx")


def test_a_table_without_its_helpers_is_refused():
    with pytest.raises(TableError, match="helper rows missing: @mods"):
        parse_table("label\tcategory\tpattern\n@demand\tmacro\tx\n@break\tmacro\t[.]", "xx")


def test_a_context_goes_only_at_the_start_of_a_pattern():
    with pytest.raises(TableError, match="only at the start"):
        parse_table(TINY + "\nfares\tprices\tbus {cue}fares", "xx")


def test_a_missing_language_is_an_error():
    with pytest.raises(TableError, match="no demand table"):
        demand_table("zz")


def test_events_carry_the_new_demands(extractor):
    text = ("Hundreds of bus drivers in Gomel went on strike on Monday over unpaid wages "
            "and rising fuel prices.")
    [event] = extractor.extract(Document(id="d", text=text, published=date(2020, 8, 21))).events
    got = {d.label: d.category for d in event.demands}
    assert got.get("unpaid wages") == "pay" and got.get("fuel prices") == "prices"
