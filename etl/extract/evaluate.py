"""`make eval-extract`: the extractor against what curators recorded.

For every source in DATA_DIR/sources.csv whose document is in the sources folder, the
extractor runs as a curator would run it (the institution, the source and the period
the curator gives in the Curate page's form), and its candidates are matched one to one
with the curated rows of that source:

- an observation matches when value, qualifier, kind, period, period_end and period_type
  agree and the candidate's figure lies inside the curated row's evidence in the
  document;
- an award when count, level, grade, period, period_end and period_type agree, in the
  same way.

Recall is the share of curated rows matched; precision the share of candidates that
match a curated row (the others are listed: noise, or figures nobody curated yet).
Indicator suggestions are scored on the matched observations twice: with the whole
catalogue (re-reading a report already curated) and with the evidence of the report's
own rows left out of it (a report never seen, the honest measure).

With --doc FILE, the results replace the part of FILE between the eval-extract markers.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .__main__ import options_for
from .core import Candidate, Extraction, extract_file
from .suggest import _read, load_catalogue

START, END = "<!-- eval-extract:start -->", "<!-- eval-extract:end -->"
SPACE = re.compile(r"\s+")
OBS_KEY = ("value", "qualifier", "kind", "period", "period_end", "period_type")
AWARD_KEY = ("count", "level", "grade", "period", "period_end", "period_type")


def _number(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{value:g}"


def key(row: dict, names: tuple[str, ...]) -> tuple:
    return tuple(_number(row.get(name, "") or "") if name in ("value", "count") else (row.get(name, "") or "") for name in names)


@dataclass
class Score:
    source: str
    curated: dict = field(default_factory=dict)  # table -> rows
    matched: dict = field(default_factory=dict)  # table -> [(curated row, candidate)]
    missed: dict = field(default_factory=dict)  # table -> [(curated row, why)]
    extra: dict = field(default_factory=dict)  # table -> [candidate]
    candidates: dict = field(default_factory=dict)
    top1: int = 0
    top3: int = 0
    top1_own: int = 0
    top3_own: int = 0
    seconds: float = 0.0


def _spans(document: str, evidence: str) -> list[tuple[int, int]]:
    needle = SPACE.sub("", evidence)
    out, at = [], document.find(needle) if needle else -1
    while at >= 0:
        out.append((at, at + len(needle)))
        at = document.find(needle, at + 1)
    return out


def match(extraction: Extraction, rows: list[dict], table: str) -> tuple[list, list, list]:
    names = OBS_KEY if table == "observations" else AWARD_KEY
    document = "".join(SPACE.sub("", p.text) for p in extraction.paragraphs)
    candidates: list[Candidate] = list(extraction.observations if table == "observations" else extraction.awards)
    free = set(range(len(candidates)))
    matched, missed = [], []
    for row in rows:
        spans = _spans(document, row.get("evidence", ""))
        wanted = key(row, names)
        here = [i for i in sorted(free) if any(a <= candidates[i].anchor < b for a, b in spans)]
        hit = next((i for i in here if key(candidates[i].row, names) == wanted), None)
        if hit is None:
            if not spans:
                why = "evidence not found in the text as read"
            elif not here:
                why = "no candidate inside the evidence"
            else:
                best = max(here, key=lambda i: sum(a == b for a, b in zip(key(candidates[i].row, names), wanted)))
                got = key(candidates[best].row, names)
                why = "; ".join(f"{n}: {g or '∅'} (curated {w or '∅'})" for n, g, w in zip(names, got, wanted) if g != w)
            missed.append((row, why))
            continue
        free.discard(hit)
        matched.append((row, candidates[hit]))
    extra = [candidates[i] for i in sorted(free)]
    return matched, missed, extra


def evaluate(data_dir: Path, sources_dir: Path) -> list[Score]:
    sources = _read(data_dir / "sources.csv")
    observations = _read(data_dir / "observations.csv")
    awards = _read(data_dir / "awards.csv")
    full = load_catalogue(data_dir)
    scores = []
    for source in sources:
        document = sources_dir / (source.get("document") or "")
        if not source.get("document") or not document.is_file():
            continue
        label = source.get("period_label", "")
        year = re.search(r"(?:19|20)\d{2}", label)
        period_type = "academic_year" if "学年" in label else "calendar_year"
        options = options_for(source["institution_id"], source["source_id"], data_dir,
                              int(year.group(0)) if year else None, period_type)
        started = time.perf_counter()
        own_left_out = load_catalogue(data_dir, exclude_source=source["source_id"])
        extraction = extract_file(document, options, own_left_out)
        seconds = time.perf_counter() - started
        score = Score(source["source_id"], seconds=seconds)
        for table, rows in (("observations", observations), ("awards", awards)):
            mine = [row for row in rows if row.get("source_id") == source["source_id"]]
            score.curated[table] = mine
            score.matched[table], score.missed[table], score.extra[table] = match(extraction, mine, table)
            score.candidates[table] = len(extraction.observations if table == "observations" else extraction.awards)
        # The same candidates, suggested from the whole catalogue.
        with_own = extract_file(document, options, full)
        own = {c.anchor: c.suggestions for c in with_own.observations}
        for row, candidate in score.matched["observations"]:
            wanted = row["indicator_id"]
            score.top1 += candidate.suggestions[:1] == [wanted]
            score.top3 += wanted in candidate.suggestions[:3]
            theirs = own.get(candidate.anchor, [])
            score.top1_own += theirs[:1] == [wanted]
            score.top3_own += wanted in theirs[:3]
        scores.append(score)
    return scores


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def report(scores: list[Score]) -> str:
    lines = [
        "| report | curated obs | recall obs | curated awards | recall awards | recall all | candidates | precision | top-1 (new report) | top-3 (new report) | top-1 (own rows in catalogue) | top-3 (own rows in catalogue) | time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    totals = dict(co=0, mo=0, ca=0, ma=0, cand=0, top1=0, top3=0, top1o=0, top3o=0)
    for s in scores:
        co, ca = len(s.curated["observations"]), len(s.curated["awards"])
        mo, ma = len(s.matched["observations"]), len(s.matched["awards"])
        cand = s.candidates["observations"] + s.candidates["awards"]
        totals.update(co=totals["co"] + co, mo=totals["mo"] + mo, ca=totals["ca"] + ca, ma=totals["ma"] + ma,
                      cand=totals["cand"] + cand, top1=totals["top1"] + s.top1, top3=totals["top3"] + s.top3,
                      top1o=totals["top1o"] + s.top1_own, top3o=totals["top3o"] + s.top3_own)
        lines.append(
            f"| {s.source} | {co} | {_pct(mo, co)} | {ca} | {_pct(ma, ca)} | {_pct(mo + ma, co + ca)} | {cand} | "
            f"{_pct(mo + ma, cand)} | {_pct(s.top1, mo)} | {_pct(s.top3, mo)} | {_pct(s.top1_own, mo)} | {_pct(s.top3_own, mo)} | {s.seconds:.2f} s |")
    t = totals
    lines.append(
        f"| **all** | {t['co']} | {_pct(t['mo'], t['co'])} | {t['ca']} | {_pct(t['ma'], t['ca'])} | "
        f"{_pct(t['mo'] + t['ma'], t['co'] + t['ca'])} | {t['cand']} | {_pct(t['mo'] + t['ma'], t['cand'])} | "
        f"{_pct(t['top1'], t['mo'])} | {_pct(t['top3'], t['mo'])} | {_pct(t['top1o'], t['mo'])} | {_pct(t['top3o'], t['mo'])} | |")
    return "\n".join(lines)


def misses(scores: list[Score]) -> str:
    out = []
    for s in scores:
        for table in ("observations", "awards"):
            for row, why in s.missed[table]:
                what = row.get("indicator_id") or row.get("competition")
                value = row.get("value") or row.get("count")
                out.append(f"- {s.source} {table}: {what} = {value} ({row.get('qualifier')}, {row.get('kind', '')} {row.get('period')}) "
                           f"«{row.get('evidence', '')[:40]}»: {why}")
    return "\n".join(out) or "(none)"


def unmatched(scores: list[Score]) -> str:
    out = []
    for s in scores:
        for table in ("observations", "awards"):
            for c in s.extra[table]:
                value = c.row.get("value") or c.row.get("count")
                out.append(f"- {s.source}:{c.line} {table} {value} {c.row.get('qualifier')} {c.row.get('kind', c.row.get('grade'))} "
                           f"{c.row.get('period')} «{c.row.get('evidence', '')[:50]}»")
    return "\n".join(out) or "(none)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.extract.evaluate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path("data/curated"))
    parser.add_argument("--sources", type=Path, default=Path("../shared/sources"))
    parser.add_argument("--doc", type=Path, help="write the table and the misses into this file, between the markers")
    parser.add_argument("--unmatched", type=Path, help="write the candidates that match no curated row into this file")
    args = parser.parse_args(argv)
    if not args.sources.is_dir():
        print(f"error: {args.sources} not found: the reports are not beside the repository", file=sys.stderr)
        return 2
    scores = evaluate(args.data_dir, args.sources)
    table, missed = report(scores), misses(scores)
    print(table)
    print("\nCurated rows no candidate matched:\n" + missed)
    if args.unmatched:
        args.unmatched.parent.mkdir(parents=True, exist_ok=True)
        args.unmatched.write_text(unmatched(scores) + "\n", encoding="utf-8")
        print(f"\nCandidates that match no curated row: {args.unmatched}")
    if args.doc and args.doc.exists():
        text = args.doc.read_text(encoding="utf-8")
        if START in text and END in text:
            body = f"{START}\n{table}\n\nCurated rows that no candidate matched:\n\n{missed}\n{END}"
            text = text[:text.index(START)] + body + text[text.index(END) + len(END):]
            args.doc.write_text(text, encoding="utf-8")
            print(f"\nwritten into {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
