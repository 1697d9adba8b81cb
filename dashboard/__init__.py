"""VocDash app code shared by the pages: data access, transforms, charts, labels."""
