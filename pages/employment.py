from dashboard import sections, ui
from dashboard.shell import context

ctx = context()
ui.header(ctx, "page_employment", "employment_intro")
ui.theme_page(ctx, "employment", sections.EMPLOYMENT, extra_themes=("other",))
