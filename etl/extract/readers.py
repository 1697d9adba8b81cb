"""Reading a report into lines of text: .txt, .docx and .pdf with a text layer.

Each reader returns the document's lines in reading order. Whatever cannot be read gets
an ExtractError whose message says what the file is and what to do, never a traceback:
a scanned PDF (no text layer), an encrypted file, an old Word .doc, an unknown type.

PDF text comes from PDFium (pypdfium2). Measured on Chinese PDFs that LibreOffice made
from the shipped reports (docs/curation.md): PDFium and pdfplumber/pdfminer returned the
same characters, and PDFium took 31-53 ms where pdfplumber took 0.8-1.6 s.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, and encrypted Office files
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
SUFFIXES = (".txt", ".docx", ".pdf")
MAX_BYTES = 50 * 1024 * 1024


class ExtractError(ValueError):
    """The report cannot be read; the message says why and what to do."""


def read_lines(raw: bytes, name: str) -> list[str]:
    """The document's text as lines, by its content first and its name second."""
    suffix = Path(name).suffix.lower()
    if not raw:
        raise ExtractError(f"{name}: the file is empty")
    if len(raw) > MAX_BYTES:
        raise ExtractError(f"{name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if raw.startswith(OLE_MAGIC):
        if suffix in (".docx", ".xlsx", ".pptx"):
            raise ExtractError(f"{name}: the file is password-protected (encrypted); remove the password in Word and save it again")
        raise ExtractError(f"{name}: this is an old Word document (.doc); open it in Word or WPS and save it as .docx")
    if raw.startswith(PDF_MAGIC):
        return _pdf_lines(raw, name)
    if raw.startswith(ZIP_MAGIC):
        return _docx_lines(raw, name)
    if suffix == ".txt" or suffix == "":
        return _text_lines(raw, name)
    if suffix in (".doc", ".wps", ".rtf"):
        raise ExtractError(f"{name}: {suffix} files cannot be read; save the report as .docx, .pdf or .txt")
    if suffix == ".pdf":
        raise ExtractError(f"{name}: the file is not a PDF (it does not start with %PDF-); is it damaged?")
    raise ExtractError(f"{name}: unknown file type {suffix or '(none)'}; the extractor reads .txt, .docx and .pdf")


def _text_lines(raw: bytes, name: str) -> list[str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")  # Notepad's "Unicode": the BOM says which
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                raise ExtractError(f"{name}: the text is neither UTF-8 nor GB18030 (GBK); save it as UTF-8") from None
    if "\x00" in text:
        raise ExtractError(f"{name}: this is not a text file; the extractor reads .txt, .docx and .pdf")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _docx_lines(raw: bytes, name: str) -> list[str]:
    """Paragraphs and table rows in document order; a row's cells joined by tabs."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise ExtractError(f"{name}: the file is a ZIP archive but not a Word document (.docx)")
        document = docx.Document(io.BytesIO(raw))
    except ExtractError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        raise ExtractError(f"{name}: the Word document cannot be opened ({type(error).__name__}); is it damaged?") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.replace("\n", " ").strip()
                    if not cells or cells[-1] != text:  # a merged cell repeats itself
                        cells.append(text)
                lines.append("\t".join(cells))
    return lines


def _pdf_lines(raw: bytes, name: str) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ExtractError(f"{name}: the PDF is password-protected (encrypted); save a copy without the password") from None
        raise ExtractError(f"{name}: the PDF cannot be opened ({error}); is it damaged?") from None
    try:
        lines: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage().get_text_bounded()
            lines.extend(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            lines.append("")  # a page ends a line
    finally:
        pdf.close()
    if not any(line.strip() for line in lines):
        raise ExtractError(
            f"{name}: the PDF has no text layer (a scan?); run OCR on it first, or use the .docx/.txt of the report")
    return lines
