"""The extractor on a 40-page report, as .txt, .docx and .pdf (budget: 5 s each, the
whole `python -m etl.extract` run: start-up, reading, candidates, suggestions, CSVs).

The report is made from the shipped reports' text with every digit shifted, repeated
until it fills 40 pages; the PDF is printed by LibreOffice (skipped, and said so, where
LibreOffice is missing) and its page count read back. Results go to stdout and to
benchmarks/out/extract-speed.json.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"
BUDGET_S = 5.0
PAGES = 40
CHARS_PER_PAGE = 560  # what LibreOffice sets on an A4 page from these reports (measured: the PDF is read back)


def report_text() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))] if SOURCES.is_dir() else []
    if not texts:
        texts = [(ROOT / "tests" / "etl" / "extract" / "fixtures" / "report.txt").read_text(encoding="utf-8")]
    body, round_ = [], 0
    while sum(len(t) for t in body) < PAGES * CHARS_PER_PAGE:
        shift = str.maketrans("0123456789", "".join(str((d + round_) % 10) for d in range(10)))
        body += [text.translate(shift) for text in texts]
        round_ += 1
    return "\n".join(body)


def make(folder: Path) -> dict[str, Path]:
    import docx

    text = report_text()
    out = {"txt": folder / "report40.txt"}
    out["txt"].write_text(text, encoding="utf-8")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out["docx"] = folder / "report40.docx"
    document.save(out["docx"])
    soffice = shutil.which("soffice")
    if soffice:
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), str(out["docx"])], check=True, capture_output=True, timeout=300)
        out["pdf"] = folder / "report40.pdf"
    return out


def pages(path: Path) -> int | None:
    if path.suffix != ".pdf":
        return None
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def main() -> int:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        files = make(Path(folder))
        if "pdf" not in files:
            print("pdf: skipped, LibreOffice (soffice) is not installed")
        for kind, path in files.items():
            started = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "etl.extract", str(path), "--institution-id", "bench",
                                  "--source-id", "bench_2021", "--out", str(Path(folder) / kind)],
                                 cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            rows = sum(1 for _ in open(Path(folder) / kind / "observations.csv", encoding="utf-8-sig")) - 1 \
                if run.returncode == 0 else 0
            results.append({"kind": kind, "bytes": path.stat().st_size, "pages": pages(path), "seconds": round(seconds, 2),
                            "candidates": rows, "ok": run.returncode == 0 and seconds < BUDGET_S})
            print(f"{kind:5} {path.stat().st_size / 1024:8.0f} KiB  pages {pages(path) or '-':>3}  {seconds:5.2f} s  "
                  f"{rows} observation candidates  {'ok' if results[-1]['ok'] else 'OVER BUDGET or failed: ' + run.stderr[-300:]}")
    out = ROOT / "benchmarks" / "out" / "extract-speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
