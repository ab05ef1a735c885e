"""The README shows the screenshots that ``tests/browser/take_screenshots.py`` takes: each
one it links is there, a PNG, and each one the script takes is linked."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "docs" / "screenshots"
SCRIPT = REPO / "tests" / "browser" / "take_screenshots.py"


def test_the_readme_links_every_screenshot_the_script_takes():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", readme)
    taken = set(re.findall(r'save\(\w+, "([\w-]+\.png)"', SCRIPT.read_text("utf-8")))

    assert linked and taken
    assert {Path(link).name for link in linked} == taken
    for link in linked:
        data = (REPO / link).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), link
    assert {path.name for path in SCREENSHOTS.glob("*.png")} == taken
    assert "tests/browser/take_screenshots.py" in readme
