"""The curation workbench's extractor: a report (.txt, .docx, .pdf) in, candidate rows for
observations.csv and awards.csv out (`python -m etl.extract`)."""
from .core import EXTRA_COLUMNS, Candidate, Extraction, Options, extract_bytes, extract_file, extract_lines
from .readers import ExtractError, read_lines
from .suggest import Catalogue, load_catalogue

__all__ = [
    "EXTRA_COLUMNS", "Candidate", "Catalogue", "ExtractError", "Extraction", "Options", "extract_bytes", "extract_file",
    "extract_lines", "load_catalogue", "read_lines",
]
