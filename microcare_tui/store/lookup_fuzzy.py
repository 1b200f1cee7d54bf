"""The lookup's fallbacks when nothing matches: a last word still being typed completed to
the one known word it starts, else misspelt words guessed (a service word, or a provider's
name). store.search.lookup tries them in that order."""

from __future__ import annotations

from typing import Any

from microcare_tui.domain.query import (
    SINGLE_WORDS,
    Chip,
    LookupQuery,
    Vocabulary,
    parse_lookup,
    tokens,
)
from microcare_tui.store.db import Store
from microcare_tui.store.fts_query import fts_any

FUZZY_CUTOFF = 80


def _provider_names(store: Store, process: Any) -> dict[int, tuple[str, str]]:
    """Each provider's rowid -> (id, processed name) for fuzzy matching, kept on the
    connection until the data changes (reading 10,000 names costs more than matching them)."""

    def load() -> dict[int, tuple[str, str]]:
        rows = store.query("SELECT rowid, id, name FROM providers WHERE deleted_at IS NULL")
        return {int(r["rowid"]): (r["id"], process(r["name"])) for r in rows}

    return store.cached("lookup.names", load)


def _name_candidates(store: Store, words: list[str], process: Any) -> tuple[list[str], list[str]]:
    """The ids and processed names of the providers whose name has a word starting with the
    first letter of one of `words`: the names worth scoring. Scoring every name cost ~3 ms
    at county scale (30 at ten times). One letter, not two: "Oka Tree" must still find Oak
    Tree (a slip in the second letter is common; in the first, rare). Kept on the
    connection for each set of letters until the data changes: asking the index and
    gathering the names cost ~0.5 ms at county (~3-6 ms at ten times) for every misspelt
    keystroke, which mostly start with the same letter as the one before."""
    match = fts_any([w[:1] for w in words if w[:1].isalnum()])
    if match is None:
        return [], []
    kept: dict[str, tuple[list[str], list[str]]] = store.cached("lookup.name_lists", dict)
    found = kept.get(match)
    if found is None:
        rowids = store.query(
            "SELECT rowid FROM provider_fts WHERE provider_fts MATCH :m",
            {"m": f"name : ({match})"},
        )
        names = _provider_names(store, process)
        hits = [names[r["rowid"]] for r in rowids if r["rowid"] in names]
        found = ([h[0] for h in hits], [h[1] for h in hits])
        if len(kept) >= 64:
            kept.clear()
        kept[match] = found
    return found


def completed(query: LookupQuery, vocab: Vocabulary) -> tuple[LookupQuery, str] | None:
    """The query with its last word, still being typed ("morni", "weeke", "shopp"),
    completed to the one known word it starts ("morning", "weekend", "shopping"), when that
    makes it understood; and the note to show. Cheaper than fuzzy matching (no register
    names are matched) and what the worker is typing."""
    words = tokens(query.text)
    if not words or len(words[-1]) < 3 or words[-1] not in query.words:
        return None
    word = words[-1]
    meanings: dict[object, str] = {}
    for phrase, meaning in vocab.phrases().items():
        if phrase.startswith(word) and " " not in phrase:
            meanings.setdefault(meaning, phrase)
            meanings[meaning] = min(meanings[meaning], phrase, key=len)
    for single in SINGLE_WORDS:
        if single.startswith(word):
            key = tuple(c.key for c in parse_lookup(single, vocab).chips)
            meanings[key] = min(meanings.get(key, single), single, key=len)
    if len(meanings) != 1:
        return None
    completion = next(iter(meanings.values()))
    cut = query.text.lower().rfind(word)
    completed = parse_lookup(query.text[:cut] + completion + query.text[cut + len(word) :], vocab)
    if completion in completed.words:
        return None
    return completed, f"No exact match: showing '{word}' as {completion}"


def fuzzy_rewrite(
    store: Store, query: LookupQuery, vocab: Vocabulary
) -> tuple[LookupQuery | None, list[str] | None, str]:
    """Guess what misspelt words meant: a service word, or a provider's name."""
    from rapidfuzz import fuzz, process, utils  # only on a miss: keeps start-up light

    phrases = list(vocab.phrases().items())
    phrase_texts = [p for p, _ in phrases]
    chips = list(query.chips)
    leftover: list[str] = []
    notes: list[str] = []
    for word in query.words:
        best = process.extractOne(word, phrase_texts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is not None and len(word) >= 3:
            kind, value = phrases[best[2]][1]
            label = vocab.service_labels.get(value, value) if kind == "service" else best[0]
            if kind == "area":
                label = vocab.area_names.get(value, value)
            chips.append(Chip(kind, value, label, word))
            notes.append(f"'{word}' as {label}")
        else:
            leftover.append(word)
    only_ids: list[str] | None = None
    if leftover:
        ids, names = _name_candidates(store, leftover, utils.default_process)
        text = " ".join(leftover)
        hits = process.extract(
            utils.default_process(text),
            names,
            scorer=fuzz.WRatio,
            score_cutoff=75,
            limit=20,
        )  # names are pre-processed (case, punctuation): "oak" finds "Oak Tree"
        if not hits:
            return None, None, ""
        only_ids = [ids[h[2]] for h in hits]
        notes.append(f"names like '{text}'")
    corrected = LookupQuery(text=query.text, chips=tuple(chips), words=())
    return corrected, only_ids, "No exact match: showing " + ", ".join(notes)
