"""Light and dark: the colours of the window and of the grids' chrome, switched live.

The window follows the system's colour scheme (Qt's style hints, `colorScheme()`,
including changes while it runs) unless View -> Appearance chooses Light or Dark.
`set_scheme` sets the application palette and the current `Theme`; Qt then sends
`PaletteChange` to every widget, and the figures redraw their chrome (background, text,
axes, outlines) in the new theme, keeping the result they show.

The data colours do not change with the theme: the value maps, the dropped red and its
white ring, and the count bars read the same on both backgrounds (tests/test_theme.py
measures the contrasts). Exports are always drawn in the light theme: they go on white
paper and slides.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

RGB = tuple[int, int, int]
SCHEMES = ("system", "light", "dark")
"""What View -> Appearance offers; "system" follows the desktop."""


@dataclass(frozen=True)
class Theme:
    """The chrome of the grids and the window's own coloured text, for one background."""

    name: str
    background: RGB
    """Behind the grids, colour bars and legends."""
    foreground: RGB
    """Titles, axes, tick labels, legend text, the overview's frame."""
    hover: RGB
    """The hovered cell's outline, in every panel."""
    band: RGB
    """The outline of a token or channel dropped in full."""
    chance: RGB
    """The faint dashed outline of a line element dropout emptied by chance."""
    hint: str
    """CSS colour of secondary text (the hover line, the loading note)."""
    error: str
    """CSS colour of a refusal next to its control."""
    stale: str
    """CSS of the banner over a view that is no longer what the controls say."""


LIGHT = Theme(
    name="light",
    background=(255, 255, 255),
    foreground=(40, 40, 40),
    hover=(0, 0, 0),
    band=(110, 0, 0),
    chance=(150, 150, 150),
    hint="#333333",
    error="#b00020",
    stale="background: #fff3cd; color: #5c4400; border: 1px solid #d9b84a; padding: 4px 6px;",
)
DARK = Theme(
    name="dark",
    background=(30, 30, 30),
    foreground=(225, 225, 225),
    hover=(255, 255, 255),
    band=(255, 140, 140),
    chance=(130, 130, 130),
    hint="#d0d0d0",
    error="#ff7a7a",
    stale="background: #4a3b00; color: #ffe08a; border: 1px solid #8a6d00; padding: 4px 6px;",
)
THEMES = {theme.name: theme for theme in (LIGHT, DARK)}

_state = {"scheme": "system", "theme": LIGHT}
_light_palette: list[QPalette] = []
"""The palette the application started with: Light puts it back."""


def current() -> Theme:
    """The theme the window draws in now."""
    return _state["theme"]


def error_style() -> str:
    """The style sheet of a refusal shown next to its control, in the current theme."""
    return f"color: {current().error};"


def scheme() -> str:
    """The user's choice: "system", "light" or "dark"."""
    return _state["scheme"]


def system_is_dark() -> bool:
    """Whether the desktop asks for a dark scheme (Qt's style hints; Unknown is light)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def set_scheme(app: QGuiApplication, choice: str) -> Theme:
    """Draw the window in `choice` ("system", "light" or "dark") from now on: the
    application palette and the grids' theme. Returns the theme in use."""
    if choice not in SCHEMES:
        raise ValueError(f"unknown appearance {choice!r}; choose one of {', '.join(SCHEMES)}")
    if not _light_palette:
        _light_palette.append(QPalette(app.palette()))
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _follow_system(app))
    _state["scheme"] = choice
    dark = choice == "dark" or (choice == "system" and system_is_dark())
    theme = DARK if dark else LIGHT
    changed = theme is not _state["theme"]
    _state["theme"] = theme
    palette = dark_palette() if dark else _light_palette[0]
    if changed or app.palette() != palette:
        app.setPalette(palette)  # Qt sends PaletteChange to every widget
    return theme


def _follow_system(app: QGuiApplication) -> None:
    if _state["scheme"] == "system":
        set_scheme(app, "system")


def dark_palette() -> QPalette:
    """A dark palette for every widget (Fusion's roles), readable text and a blue accent."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: QColor(43, 43, 43),
        QPalette.ColorRole.WindowText: QColor(230, 230, 230),
        QPalette.ColorRole.Base: QColor(30, 30, 30),
        QPalette.ColorRole.AlternateBase: QColor(45, 45, 45),
        QPalette.ColorRole.ToolTipBase: QColor(50, 50, 50),
        QPalette.ColorRole.ToolTipText: QColor(230, 230, 230),
        QPalette.ColorRole.PlaceholderText: QColor(150, 150, 150),
        QPalette.ColorRole.Text: QColor(230, 230, 230),
        QPalette.ColorRole.Button: QColor(53, 53, 53),
        QPalette.ColorRole.ButtonText: QColor(230, 230, 230),
        QPalette.ColorRole.BrightText: QColor(255, 90, 90),
        QPalette.ColorRole.Light: QColor(80, 80, 80),
        QPalette.ColorRole.Midlight: QColor(65, 65, 65),
        QPalette.ColorRole.Mid: QColor(45, 45, 45),
        QPalette.ColorRole.Dark: QColor(25, 25, 25),
        QPalette.ColorRole.Shadow: QColor(0, 0, 0),
        QPalette.ColorRole.Highlight: QColor(42, 130, 218),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Link: QColor(110, 170, 255),
        QPalette.ColorRole.LinkVisited: QColor(170, 140, 255),
    }
    for role, colour in colours.items():
        palette.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, QColor(125, 125, 125))
    palette.setColor(disabled, QPalette.ColorRole.Base, QColor(38, 38, 38))
    palette.setColor(disabled, QPalette.ColorRole.Button, QColor(45, 45, 45))
    return palette


def contrast(first: RGB, second: RGB) -> float:
    """WCAG 2 contrast ratio of two sRGB colours, 1 (none) to 21 (black on white)."""

    def luminance(rgb: RGB) -> float:
        def linear(channel: int) -> float:
            c = channel / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
