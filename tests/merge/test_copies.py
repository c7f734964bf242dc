"""Copy detection: spun, translated, edited and re-titled copies link to their original;
independent reports of one strike, and other events at the same plant, do not."""
from __future__ import annotations

import dataclasses
import json
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strikewatch.merge.copies import CopyDetector, similarity, skeleton_alignment
from strikewatch.merge.signatures import DocumentSignature, name_key, signature, skeleton_items, word_minhash
from strikewatch.types import Document

CROSSDOC = Path(__file__).resolve().parents[1] / "data" / "crossdoc"

MAZ = """About 1,000 workers at the Minsk Automobile Plant (MAZ) walked off the assembly lines on \
Thursday and marched along Partizansky Avenue towards the centre of Minsk, witnesses said. The \
column, led by welders from the chassis shop, was joined by staff of the neighbouring Minsk Tractor \
Works (MTZ) shortly after noon.

"We are not sheep, and we want our votes counted," said Siarhei Dyleuski, a 32-year-old fitter who \
addressed the crowd from the back of a lorry. Plant director Valery Ivankovich told the workers that \
production targets for August would not be cut and that anyone absent after 14:00 would be docked a \
day's pay.

By the evening the marchers, whose number organisers put at 5,000, had reached Independence Square, \
where they were greeted by about 300 students from the Belarusian State University. Police did not \
intervene. Alexander Lukashenko, who visited MZKT the following Monday, dismissed the strikers as "a \
handful of people paid from abroad"."""

MAZ_SPUN = """roughly 1,000 employees at the minsk automobile factory (maz) left the production lines \
on thursday and paraded along partizansky avenue toward the middle of minsk, onlookers stated. the \
procession, headed by welders from the chassis workshop, was accompanied by personnel of the adjacent \
minsk tractor works (mtz) soon after midday.

we are not sheep, and we wish our ballots tallied, stated siarhei dyleuski, a 32-year-old mechanic \
who spoke to the throng from the rear of a truck. factory manager valery ivankovich informed the \
employees that output goals for august would not be lowered and that anybody missing after 14:00 \
would lose a days wages.

by nightfall the marchers, whose figure organisers estimated at five thousand, had arrived at independence \
square, in which they were welcomed by around 300 pupils from the belarusian state university. law \
enforcement did not step in. alexander lukashenko, who toured the wheeled tractor factory the next monday, brushed off the \
strikers as a small number of individuals funded from overseas."""

AZOT = """Workers at Grodno Azot, the nitrogen fertiliser plant in Hrodna, began an open-ended strike \
on 26 October, the plant's strike committee said. According to committee chairman Pavel Yushkevich, \
about 200 people from the ammonia and carbamide shops did not start their shifts on Monday morning, \
and a further 150 gathered outside the administration building at 10:30.

The management of Grodno Azot said in a statement that the plant was working normally and that only \
37 employees had failed to turn up. Director Igor Ivanovsky warned that those who stayed away would \
be dismissed under Article 42 of the Labour Code.

"People are afraid, but they came anyway," Yushkevich told Nasha Niva. Riot police detained 12 \
strikers near the checkpoint in the afternoon; four were later released. The Viasna human rights \
centre said two of those held were women."""

AZOT_TRANSLATED = """At the enterprise Grodno Azot, plant of nitrogen fertilisers in Grodno, on 26 \
October workers began an indefinite strike, reported the strike committee of the plant. By words of \
the chairman of the committee Pavel Jushkevich, around 200 persons of the ammonia and carbamide \
workshops did not go out to the shift on Monday in the morning, and yet 150 assembled near the \
building of administration at 10:30.

Leadership of Grodno Azot declared in a statement, that the plant works in normal mode and only 37 \
employees did not come. Director Ihar Ivanouski warned, that those who did not come will be \
dismissed on Article 42 of the Labour Code.

"People are scared, but all the same came," said Jushkevich to Nasha Niva. OMON detained near the \
checkpoint 12 strikers in the daytime; four were released later. The human rights centre Viasna \
reported, that among the detained two are women."""

NAFTAN = """Naftan strikers rally in Novopolotsk

About 800 employees of the Naftan oil refinery in Novopolotsk downed tools on Friday and walked in a \
column to the town's executive committee, in what local media called the largest labour protest the \
town had seen. Refinery spokesman Dzmitry Lapko said the plant continued to operate at full \
capacity. "We're not politicians, we just want our votes counted," said Andrei, a technician who \
has worked at Naftan for 19 years. He said managers had tried to stop staff leaving by locking the \
turnstiles at Gate 3. The strike committee, chaired by Yauhen Bobrov, said it would meet again on \
Monday at 8:00 and demanded the release of 17 colleagues detained since 9 August. Polatsk district \
police did not comment."""

NAFTAN_EDITED = """Naftan strikers rally in Novopolotsk

About 800 employees of the Naftan oil refinery in Novopolotsk downed tools on Friday and marched in a \
column to the town's executive committee, in what local media called the largest labour protest the \
town had ever seen. Refinery spokesman Dzmitry Lapko said the plant continued to operate at full \
capacity. "We're not politicians, we just want our votes counted," said Andrei, a technician who \
has worked at Naftan for 19 years. He said managers had tried to stop staff leaving by locking the \
turnstiles at Gate 3. The strike committee, chaired by Yauhen Bobrov, said it would meet again on \
Monday at 8:00 and demanded the release of 17 colleagues held since 9 August. Polatsk district \
police did not respond to a request for comment. (Updated at 18:40 with the refinery's statement.)"""

NAFTAN_RETITLED = NAFTAN.replace("Naftan strikers rally in Novopolotsk",
                                 "Refinery workers walk out as anger over the vote spreads")

# Two outlets report the same Belaruskali sit-in: same people, place and close figures, told in
# their own words and order.
BELARUSKALI_A = """Miners refuse to surface at Belaruskali

About 250 miners of Belaruskali's fourth mine in Salihorsk stayed underground after their night \
shift on Monday, said Hleb Karatkevich of the strike committee. Karatkevich told reporters that 19 \
strikers had been detained since the start of the week and that three had been given 15 days in \
jail by the Salihorsk district court. The company said production had not been affected. Anatol \
Bokun, the committee's chairman, said the miners would stay below ground until the detained were \
freed. At the Minsk Tractor Works about 400 workers stopped the line for two hours."""

BELARUSKALI_B = """Salihorsk court jails potash strikers as sit-in goes on

A court in Salihorsk on Wednesday sentenced three Belaruskali strikers to 15 days in jail and fined \
several others, as a protest 300 metres below ground entered its third day. Anatol Bokun, who chairs \
the strike committee at the state potash producer, said around 270 miners had refused to come up \
from the fourth mine. Belaruskali insisted that output was normal. Committee member Hleb Karatkevich \
put the number of detained strikers at 19, most of them fined. Police were seen outside the mine's \
administration building, and families brought food and warm clothes to the gate."""

# Two different events at the same plant.
BELAZ_AUGUST = """Thousands rally at BelAZ gates in Zhodzina

On 17 August around 2,000 workers of BelAZ, the dump-truck maker in Zhodzina, gathered outside the \
plant's administration building and demanded a meeting with director general Siarhei Nikiforovich. \
He came out after an hour and promised that no one would be punished for taking part. Welder Maksim \
Kamarou read out a list of demands, including new elections and the release of those detained after \
9 August. Workers from the 45-tonne truck line then marched to the town square."""

BELAZ_OCTOBER = """Security forces detain BelAZ workers at Zhodzina checkpoint

Riot police detained 11 employees of BelAZ near the main checkpoint in Zhodzina early on 26 October \
as they tried to gather for a meeting on the first day of the national strike, the Viasna rights \
group said. Among those held was Siarhei Dylevsky, a crane operator, who was later fined 870 \
roubles. BelAZ said that all 8 production shops were working. "There were maybe 60 of us at the \
gate, and then the buses came," one worker said. By evening 7 of the 11 had been released."""

PUBLISHED = {"maz": date(2020, 8, 13), "maz-spun": date(2020, 8, 14), "azot": date(2020, 10, 26),
             "azot-mt": date(2020, 10, 27), "naftan": date(2020, 8, 21), "naftan-edit": date(2020, 8, 21),
             "naftan-retitled": date(2020, 8, 22), "bk-a": date(2020, 10, 28), "bk-b": date(2020, 10, 28),
             "belaz-aug": date(2020, 8, 17), "belaz-oct": date(2020, 10, 26)}
TEXTS = {"maz": MAZ, "maz-spun": MAZ_SPUN, "azot": AZOT, "azot-mt": AZOT_TRANSLATED, "naftan": NAFTAN,
         "naftan-edit": NAFTAN_EDITED, "naftan-retitled": NAFTAN_RETITLED, "bk-a": BELARUSKALI_A,
         "bk-b": BELARUSKALI_B, "belaz-aug": BELAZ_AUGUST, "belaz-oct": BELAZ_OCTOBER}
# copy -> original
GOLD = {"maz-spun": "maz", "azot-mt": "azot", "naftan-edit": "naftan", "naftan-retitled": "naftan"}
INDEPENDENT = [("bk-a", "bk-b"), ("belaz-aug", "belaz-oct")]


@pytest.fixture(scope="session")
def vocabulary() -> frozenset[str]:
    from strikewatch.merge.signatures import load_vocabulary
    return load_vocabulary()


@pytest.fixture(scope="session")
def sigs(vocabulary) -> dict[str, DocumentSignature]:
    return {k: signature(Document(k, text, published=PUBLISHED[k]), vocabulary=vocabulary)
            for k, text in TEXTS.items()}


def _detector(sigs, order) -> CopyDetector:
    det = CopyDetector()
    for k in order:
        det.add(sigs[k])
    return det


# --- signatures ------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [("Hleb", "Gleb"), ("Karatkevich", "Korotkevich"), ("Zhodino", "Zhodzina"),
                                  ("Hrodna", "Grodno"), ("Tsikhanouskaya", "Tikhanovskaya"),
                                  ("Aliaksandr", "Alexander"), ("Lukashenka", "Lukashenko's"),
                                  ("Yushkevich", "Jushkevich"), ("Салигорск", "Soligorsk")])
def test_name_key_folds_transliterations(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [("Minsk", "Pinsk"), ("Hleb", "Pavel"), ("BelAZ", "MAZ")])
def test_name_key_keeps_names_apart(a, b):
    assert name_key(a) != name_key(b)


def test_skeleton_keeps_numbers_and_names_in_order_in_any_case():
    vocab = frozenset("about worker at the plant walk out on friday said".split())
    text = "About 1,000 workers at BelAZ walked out on Friday, Hleb Karatkevich said."
    assert skeleton_items(text, vocab) == ("1000", name_key("belaz"), name_key("hleb"), name_key("karatkevich"))
    assert skeleton_items(text.lower(), vocab) == skeleton_items(text, vocab)
    respelt = "about 1000 workers at belaz walked out on friday, gleb korotkevich said"
    assert skeleton_items(respelt, vocab) == skeleton_items(text, vocab)


def test_spun_copy_keeps_the_skeleton(vocabulary):
    assert skeleton_items(MAZ_SPUN, vocabulary) == tuple(
        k for k in skeleton_items(MAZ, vocabulary) if k not in ("5000", name_key("mzkt")))


def test_signature_round_trips_through_json(sigs):
    for sig in sigs.values():
        back = DocumentSignature.from_json(sig.to_json())
        assert back == sig
        assert DocumentSignature.from_json(sig.to_json().encode()) == sig
        assert similarity(back, sigs["maz"]) == similarity(sig, sigs["maz"])
    data = json.loads(sigs["maz"].to_json())
    assert len(data["hashvalues"]) == 128 and all(isinstance(v, int) for v in data["hashvalues"])


@given(st.text(max_size=300), st.one_of(st.none(), st.dates()))
@settings(max_examples=60, deadline=None)
def test_any_signature_round_trips_through_json(text, published):
    sig = signature(Document("d", text, published=published), vocabulary=frozenset({"the", "a"}))
    assert DocumentSignature.from_json(sig.to_json()) == sig


def test_signature_from_another_format_is_refused(sigs):
    data = json.loads(sigs["maz"].to_json())
    data["hash"] = "sha1"
    with pytest.raises(ValueError, match="recompute"):
        DocumentSignature.from_json(json.dumps(data))


# --- pairs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("copy, original", sorted(GOLD.items()))
def test_copies_are_copies(sigs, copy, original):
    sim = similarity(sigs[copy], sigs[original])
    print(copy, original, sim)
    assert sim.is_copy


@pytest.mark.parametrize("a, b", INDEPENDENT)
def test_independent_reports_and_other_events_are_not_copies(sigs, a, b):
    sim = similarity(sigs[a], sigs[b])
    print(a, b, sim)
    assert not sim.is_copy


def test_short_generic_texts_do_not_collide(vocabulary):
    a = "Workers at BelAZ in Zhodzina struck on 26 October, Siarhei Dylevsky said."
    b = "On 26 October BelAZ workers in Zhodzina walked out, said Siarhei Dylevsky, a crane operator."
    sa, sb = (signature(Document(i, t), vocabulary=vocabulary) for i, t in (("a", a), ("b", b)))
    assert not similarity(sa, sb).is_copy


def test_all_pairs_precision_and_recall(sigs):
    det = _detector(sigs, sorted(sigs))
    found = {link.copy: link.original for link in det.links()}
    assert found == GOLD
    assert det.groups() == [("maz", "maz-spun"), ("naftan", "naftan-edit", "naftan-retitled"),
                            ("azot", "azot-mt")]


def test_sources_count_outlets_not_copies(sigs):
    det = _detector(sigs, sorted(sigs))
    assert det.sources(["naftan", "naftan-edit", "naftan-retitled"]) == 1
    assert det.sources(["bk-a", "bk-b", "maz"]) == 3
    assert det.sources(["maz", "maz-spun", "bk-a", "bk-b"]) == 3


# --- detector --------------------------------------------------------------------------------

def test_add_returns_the_original(sigs):
    det = CopyDetector()
    assert det.add(sigs["naftan"]) is None
    link = det.add(sigs["naftan-retitled"])
    assert link is not None and (link.copy, link.original, link.source) == ("naftan-retitled", "naftan", "naftan")
    assert det.add(sigs["naftan-retitled"]) == link  # idempotent


def test_earlier_original_added_later_takes_over_its_group(sigs):
    det = CopyDetector()
    det.add(sigs["naftan-retitled"])
    det.add(sigs["naftan-edit"])
    assert det.original_of("naftan-retitled") == "naftan-edit"
    assert det.add(sigs["naftan"]) is None  # published first: the original of the group
    assert det.original_of("naftan-retitled") == det.original_of("naftan-edit") == "naftan"
    assert det.groups() == [("naftan", "naftan-edit", "naftan-retitled")]


def test_same_id_with_another_signature_replaces_it(sigs):
    det = CopyDetector()
    det.add(sigs["naftan"])
    det.add(sigs["naftan-retitled"])
    assert det.original_of("naftan-retitled") == "naftan"
    det.add(dataclasses.replace(sigs["azot"], id="naftan"))  # the text was edited
    assert det.link("naftan-retitled") is None and det.groups() == []
    with pytest.raises(KeyError):
        det.original_of("nope")


def test_removing_a_source_falls_back_to_the_next_partner(sigs):
    det = _detector(sigs, sorted(sigs))
    group = next(g for g in det.groups() if g[0] == "naftan")
    det.remove("naftan")
    rest = tuple(d for d in group if d != "naftan")
    fresh = _detector({k: v for k, v in sigs.items() if k != "naftan"},
                      sorted(k for k in sigs if k != "naftan"))
    assert det.groups() == fresh.groups() and list(det.links()) == list(fresh.links())
    assert len(rest) < 2 or any(set(g) == set(rest) for g in det.groups())


@given(st.permutations(sorted(TEXTS)))
@settings(max_examples=40, deadline=None)
def test_grouping_does_not_depend_on_insertion_order(sigs, order):
    reference = _detector(sigs, sorted(sigs))
    det = _detector(sigs, order)
    assert det.groups() == reference.groups()
    assert list(det.links()) == list(reference.links())


_SENTENCES = [s.strip() + "." for text in (BELARUSKALI_A, BELAZ_AUGUST, NAFTAN) for s in text.split(". ")]
_CORPUS = st.lists(st.tuples(st.lists(st.sampled_from(range(len(_SENTENCES))), min_size=2, max_size=8),
                             st.integers(0, 3)), min_size=2, max_size=12)


@given(_CORPUS, st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_grouping_of_overlapping_texts_does_not_depend_on_order(vocabulary, corpus, rnd):
    sigs = {}
    for i, (picks, day) in enumerate(corpus):
        doc = Document(f"d{i}", " ".join(_SENTENCES[p] for p in picks), published=date(2020, 8, 20 + day))
        sigs[doc.id] = signature(doc, vocabulary=vocabulary)
    order = list(sigs)
    rnd.shuffle(order)
    reference, det = _detector(sigs, sorted(sigs)), _detector(sigs, order)
    assert det.groups() == reference.groups()
    assert list(det.links()) == list(reference.links())
    for link in det.links():
        assert sigs[link.original].published <= sigs[link.source].published <= sigs[link.copy].published


@given(_CORPUS, _CORPUS, st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_edits_and_removals_leave_what_a_fresh_detector_builds(vocabulary, corpus, edits, rnd):
    """Any history of adds, edits (another signature for an id) and removals ends where adding
    the final signatures to an empty detector ends."""
    def sig(i, picks, day):
        doc = Document(f"d{i}", " ".join(_SENTENCES[p] for p in picks), published=date(2020, 8, 20 + day))
        return signature(doc, vocabulary=vocabulary)

    final = {f"d{i}": sig(i, *item) for i, item in enumerate(corpus)}
    det = CopyDetector()
    for i, item in enumerate(edits):  # earlier versions, some of ids that end up gone
        det.add(sig(i, *item))
    for doc_id in list(final):
        if rnd.random() < 0.5:
            det.add(final[doc_id])
    det.sync(final[d] for d in rnd.sample(sorted(final), len(final)))
    reference = _detector(final, sorted(final))
    assert det.groups() == reference.groups()
    assert list(det.links()) == list(reference.links())


_ITEMS = st.lists(st.sampled_from(["mz", "blz", "1000", "300", "hlb", "krtkvt", "zdn"]), max_size=30)


def _skeleton_only(doc_id: str, items: list[str]) -> DocumentSignature:
    minhash, shingles = word_minhash([])
    return DocumentSignature(doc_id, None, minhash, shingles, tuple(items), tuple(range(0, 3 * len(items), 3)),
                             3 * len(items))


@given(_ITEMS, _ITEMS)
@settings(max_examples=200, deadline=None)
def test_skeleton_alignment_is_symmetric(a, b):
    sa, sb = _skeleton_only("a", a), _skeleton_only("b", b)
    assert skeleton_alignment(sa, sb) == skeleton_alignment(sb, sa)


def test_one_shared_passage_is_not_a_copy():
    """Ten names and figures in one passage (a list of results), the rest of each text apart."""
    results = "mz 3 blz 1 mt 2 mzkt 0 hrdn 4".split()
    a = _skeleton_only("a", [*results, *"x1 x2 x3 x4".split()])
    b = _skeleton_only("b", [*results, *"y1 y2 y3 y4".split()])
    assert similarity(a, b).is_copy  # the passage is most of both texts
    a, b = (dataclasses.replace(s, positions=(*s.positions[:10], 200, 300, 400, 500), words=600) for s in (a, b))
    sim = similarity(a, b)
    assert sim.skeleton >= 0.7 and sim.matched >= 6 and sim.coverage < 0.1 and not sim.is_copy


# --- the labelled cross-document set --------------------------------------------------------

def _crossdoc_gold(name: str) -> dict:
    for path in (CROSSDOC.parent / "gold" / "crossdoc" / name, CROSSDOC / "gold" / name):
        if path.exists() and list(CROSSDOC.glob("*.txt")):
            return json.loads(path.read_text(encoding="utf-8"))
    pytest.skip(f"tests/data/crossdoc and its {name} are not there")


def _crossdoc_detector(vocabulary) -> CopyDetector:
    det = CopyDetector()
    for path in sorted(CROSSDOC.glob("*.txt")):
        meta = json.loads(path.with_name(path.stem + ".meta.json").read_text(encoding="utf-8"))
        published = date.fromisoformat(meta["published"]) if meta.get("published") else None
        doc = Document(meta["id"], path.read_text(encoding="utf-8"), published=published)
        det.add(signature(doc, vocabulary=vocabulary))
    return det


def test_crossdoc_copy_links(vocabulary):
    gold = _crossdoc_gold("copies.json")["copies"]
    start = time.perf_counter()
    det = _crossdoc_detector(vocabulary)
    found = {link.copy: link.original for link in det.links()}
    right = sum(1 for copy, original in found.items() if gold.get(copy) == original)
    precision, recall = right / max(1, len(found)), right / max(1, len(gold))
    print(f"crossdoc copy links: {len(found)} found, {len(gold)} gold, precision {precision:.3f}, "
          f"recall {recall:.3f} ({time.perf_counter() - start:.2f} s)")
    assert precision >= 0.95 and recall >= 0.95, sorted(set(found.items()) ^ set(gold.items()))


def test_crossdoc_independent_sources(vocabulary):
    expected = _crossdoc_gold("copies.json")["independent_sources"]
    pairs = _crossdoc_gold("cross.json")["same_event"]
    det = _crossdoc_detector(vocabulary)
    for anchor, count in expected.items():
        reports = {anchor} | {b for a, b in pairs if a == anchor} | {a for a, b in pairs if b == anchor}
        docs = sorted({r.split(":")[0] for r in reports})
        assert det.sources(docs) == count, (anchor, docs)
