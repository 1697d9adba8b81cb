"""VocDash: the entrypoint. The shell sets up language, filters and navigation; each page
lives in pages/ and stays thin."""
from dashboard import shell

shell.main()
