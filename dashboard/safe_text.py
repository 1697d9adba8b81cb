"""Text from the data, made inert where it is shown through a markup language.

Names, titles and evidence are curators' text: they may hold '<', '*' or '$' and must be
shown as typed, never interpreted. Two places interpret text:

- Plotly draws titles, tick labels, legend entries, bar text and hover labels through a
  subset of HTML (<b>, <i>, <a href>, <span style>, <br>, entities). Its whitelist stops
  scripts, but not markup: '<b>粗体</b>' would come out bold, '<a href=…>' as a link.
- Streamlit renders st.header / st.subheader / st.caption / st.markdown as Markdown with
  LaTeX ($…$), coloured text (:red[…]) and icons (:material/…:). Raw HTML is not rendered
  there (no unsafe_allow_html anywhere), but Markdown links and emphasis would be.

Tables (st.dataframe) and widget options draw plain text and need neither.
"""
from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark, and then stands
# for itself; escaping all of them covers Markdown, GFM, LaTeX and Streamlit's directives.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def for_plotly(value):
    """Text shown as itself in a Plotly figure: & and < become entities, which Plotly turns
    back into the characters. Plotly's tags all start with '<', so a lone '>' (the mark of
    '>1,400人') stays as it is. Anything that is not text is returned unchanged."""
    if isinstance(value, str):
        return value.replace("&", "&amp;").replace("<", "&lt;")
    return value


def for_plotly_all(values) -> list:
    return [for_plotly(value) for value in values]


def for_markdown(value) -> str:
    """Text shown as itself in Streamlit Markdown: punctuation backslash-escaped, line
    breaks folded to spaces (a line break could start a heading, list or code block)."""
    text = _LINE_BREAKS.sub(" ", str(value))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
