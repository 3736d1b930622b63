"""The GUI cases of the hostile kit reuse the GUI tests' context fixtures."""

from tests.gui.conftest import ctx, empty_ctx  # noqa: F401
