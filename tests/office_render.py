"""Files as a real office suite shows them: LibreOffice renders a deck or workbook to PDF,
poppler turns the pages into PNGs under test-artifacts/renders/, and pdfplumber gives
every character's box, so tests can check that text stays on its page and labels do not
collide. scripts/ensure-office.sh installs LibreOffice's Impress and Calc and poppler."""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT

RENDERS = ROOT / "test-artifacts" / "renders"
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def need_office() -> None:
    missing = [tool for tool in ("soffice", "pdftoppm") if not shutil.which(tool)]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: run scripts/ensure-office.sh (make test does)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def to_pdf(path: Path, name: str) -> Path:
    """PDF of an office file, in RENDERS/<name>/ with a LibreOffice profile of this process's
    own (two soffice processes sharing one profile block each other)."""
    need_office()
    out = RENDERS / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    profile = Path(f"/tmp/lo-vocdash-{os.getpid()}")
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=240,
    )
    pdf = out / (path.stem + ".pdf")
    assert done.returncode == 0 and pdf.exists(), f"soffice failed: {done.stdout} {done.stderr}"
    return pdf


def to_pngs(pdf: Path, dpi: int = 60, first: int | None = None, last: int | None = None) -> list[Path]:
    """Pages as PNGs beside the PDF (page-1.png, ...), to look at."""
    args = ["pdftoppm", "-png", "-r", str(dpi)]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(pdf.parent / "page")], check=True, timeout=240)
    return sorted(pdf.parent.glob("page-*.png"))


@dataclass
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[Char]
    words: list[dict]

    @property
    def text(self) -> str:
        return "".join(char.text for char in self.chars)


def pages(pdf: Path) -> list[Page]:
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            chars = [Char(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], c["size"]) for c in page.chars]
            words = page.extract_words(keep_blank_chars=True, x_tolerance=1.5, use_text_flow=True)
            out.append(Page(number, float(page.width), float(page.height), chars, words))
    return out


def outside(page: Page, tolerance: float = 0.5) -> list[Char]:
    """Characters not wholly inside the page box."""
    return [c for c in page.chars if c.text.strip() and (
        c.x0 < -tolerance or c.top < -tolerance or c.x1 > page.width + tolerance or c.bottom > page.height + tolerance)]


def overlapping(boxes: list[tuple[str, float, float, float, float]], slack: float = 0.5) -> list[tuple]:
    """Pairs of (label, x0, top, x1, bottom) boxes that overlap by more than `slack` points."""
    hits = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a[3], b[3]) - max(a[1], b[1]) > slack and min(a[4], b[4]) - max(a[2], b[2]) > slack:
                hits.append((a, b))
    return hits


def colliding_chars(page: Page, slack: float = 1.0) -> list[tuple[Char, Char]]:
    """Pairs of characters drawn over one another: labels piled up ("14次14次14次"), a
    wrapped line run into the next, a caption over a chart. Neighbours in one run that
    kerning tucks together (the r under a T) are not collisions."""
    chars = [c for c in page.chars if c.text.strip()]
    hits = []
    for i, a in enumerate(chars):
        for j in range(i + 1, len(chars)):
            b = chars[j]
            across = min(a.x1, b.x1) - max(a.x0, b.x0)
            down = min(a.bottom, b.bottom) - max(a.top, b.top)
            if across <= slack or down <= slack:
                continue
            kerned = j == i + 1 and abs(a.top - b.top) < 0.5 and across < 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)
            if not kerned:
                hits.append((a, b))
    return hits
