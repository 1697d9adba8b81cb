from dashboard import sections, ui
from dashboard.shell import context

ctx = context()
ui.header(ctx, "page_training", "training_intro")
ui.theme_page(ctx, "training", sections.TRAINING, extra_themes=("other",))
