from dashboard import sections, ui
from dashboard.shell import context

ctx = context()
ui.header(ctx, "page_party_building", "party_intro")
ui.theme_page(ctx, "party_building", sections.PARTY_BUILDING)
