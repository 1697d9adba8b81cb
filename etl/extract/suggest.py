"""Indicator suggestions: which indicators of the catalogue a figure's words match.

Each indicator is described by its Chinese name, its definition and the evidence of the
rows already curated under it (digits taken out, so that a number does not pull towards
an indicator that once had it). A figure is described by its clause and the words just
before it. scikit-learn's TF-IDF over character 1-3-grams (Chinese needs no word
segmentation this way) and cosine similarity rank the indicators; a figure whose unit
cannot be the indicator's (人次 against a percent) has its score lowered, not removed,
since units are written loosely (个 for items, 名 for persons).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

DIGITS = re.compile(r"[0-9０-９.．,，%％]+")
MIN_SCORE = 0.08  # below this nothing in the catalogue fits: indicator_id is left empty

# Which indicator units a measure word may stand for.
UNIT_FITS = {
    "%": {"percent"}, ":1": {"ratio"}, "万元": {"yuan_10k"}, "亿元": {"yuan_10k"}, "元": {"yuan", "yuan_10k"},
    "人次": {"person_times"}, "万人次": {"person_times"},
    "人": {"persons"}, "名": {"persons", "rank", "places"}, "位": {"persons"}, "余人": {"persons"},
    "分": {"points"}, "个百分点": {"percent"}, "百分点": {"percent"},
}
COUNTS = {"count", "items", "times"}


@dataclass
class Catalogue:
    ids: list[str]
    units: list[str]
    themes: list[str]
    names: list[str]
    vectorizer: object
    matrix: object

    def suggest(self, queries: list[tuple[str, str]], top: int = 3) -> list[list[tuple[str, float]]]:
        """For each (words, unit) the best `top` (indicator id, score), best first."""
        if not queries or not self.ids:
            return [[] for _ in queries]
        import numpy as np

        texts = [DIGITS.sub(" ", words) for words, _ in queries]
        scores = (self.vectorizer.transform(texts) @ self.matrix.T).toarray()
        units = np.array(self.units)
        out = []
        for row, (_, unit) in zip(scores, queries):
            fits = UNIT_FITS.get(unit)
            if fits is None:
                fits = COUNTS if unit else COUNTS | {"persons", "person_times", "percent"}
            weight = np.where(np.isin(units, list(fits)), 1.0, 0.6)
            ranked = row * weight
            best = np.argsort(-ranked, kind="stable")[:top]
            out.append([(self.ids[i], float(ranked[i])) for i in best if ranked[i] > 0])
        return out


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return list(csv.DictReader(text.splitlines()))


def load_catalogue(data_dir: Path | None, *, exclude_source: str | None = None,
                   indicators: list[dict] | None = None, observations: list[dict] | None = None) -> Catalogue:
    """The catalogue of data_dir (or of the rows given). exclude_source leaves out the
    evidence of one source's rows: how the suggestions fare on a report never curated."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if indicators is None:
        indicators = _read(Path(data_dir) / "indicators.csv") if data_dir else []
    if observations is None:
        observations = _read(Path(data_dir) / "observations.csv") if data_dir else []
    evidence: dict[str, list[str]] = {}
    for row in observations:
        if exclude_source and row.get("source_id") == exclude_source:
            continue
        evidence.setdefault(row.get("indicator_id", ""), []).append(row.get("evidence", ""))
    ids, units, themes, names, docs = [], [], [], [], []
    for row in indicators:
        indicator = (row.get("indicator_id") or "").strip()
        if not indicator:
            continue
        ids.append(indicator)
        units.append(row.get("unit", ""))
        themes.append(row.get("theme", ""))
        names.append(row.get("name_zh", ""))
        text = " ".join([row.get("name_zh", "")] * 3 + [row.get("definition_zh", "")] + evidence.get(indicator, []))
        docs.append(DIGITS.sub(" ", text))
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    matrix = vectorizer.fit_transform(docs) if docs else None
    return Catalogue(ids, units, themes, names, vectorizer, matrix)
