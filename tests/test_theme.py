"""Dark mode (issue 12): the palette is applied, and the grids keep their contrast.

Real Qt offscreen, real TensorFlow results, real rendered pixels. Contrast is WCAG 2's
ratio: at least 7 (AAA) for text and axes against the background they sit on, at least
3 (WCAG's floor for graphical objects) for the outlines that carry meaning."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from dropgui import Spec, compute
from dropgui._qt import theme as themes
from dropgui._qt.theme import DARK, LIGHT, contrast

TEXT_CONTRAST = 7.0
MARK_CONTRAST = 3.0


def settle() -> None:
    for _ in range(3):
        QCoreApplication.processEvents()


@pytest.fixture
def scheme(qapp):
    """Switch the application's appearance; light again afterwards."""

    def choose(name: str) -> themes.Theme:
        chosen = themes.set_scheme(QApplication.instance(), name)
        settle()
        return chosen

    yield choose
    choose("light")


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_each_theme_keeps_text_and_marks_readable(theme):
    assert contrast(theme.foreground, theme.background) >= TEXT_CONTRAST
    for mark in (theme.hover, theme.band):
        assert contrast(mark, theme.background) >= MARK_CONTRAST
    assert contrast(theme.chance, theme.background) >= 2.5  # faint on purpose: "by chance"


def test_dark_sets_the_palette_and_light_puts_the_original_back(scheme):
    original = QPalette(QApplication.palette())
    assert scheme("dark") is DARK and themes.current() is DARK
    palette = QApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    assert window.lightnessF() < 0.25 and text.lightnessF() > 0.8
    base = palette.color(QPalette.ColorRole.Base).getRgb()[:3]
    assert contrast(palette.color(QPalette.ColorRole.Text).getRgb()[:3], base) >= TEXT_CONTRAST
    assert scheme("light") is LIGHT
    assert QApplication.palette() == original


def test_system_follows_the_style_hints(scheme):
    """The offscreen platform reports no scheme (Unknown), which reads as light; a change
    signalled by the platform is followed while the choice is "system", not otherwise."""
    assert not themes.system_is_dark()
    assert scheme("system") is LIGHT
    scheme("dark")
    hints = QApplication.styleHints()
    hints.colorSchemeChanged.emit(hints.colorScheme())
    assert themes.current() is DARK  # the user's choice wins over the system
    with pytest.raises(ValueError, match="unknown appearance"):
        themes.set_scheme(QApplication.instance(), "sepia")


def figure_colours(figure) -> dict[str, set]:
    """The colours the figure's chrome is drawn with, read back from its items."""
    axes = [panel.left_axis for panel in figure.panels] + [p.bottom_axis for p in figure.panels]
    axes += [bar.getAxis("bottom") for bar in figure.color_bars]
    return {
        "background": {figure.backgroundBrush().color().getRgb()[:3]},
        "text": {axis.textPen().color().getRgb()[:3] for axis in axes}
        | {axis.pen().color().getRgb()[:3] for axis in axes},
        "bands": {panel.bands.pen().color().getRgb()[:3] for panel in figure.panels},
        "hover": {panel.hover.pen().color().getRgb()[:3] for panel in figure.panels},
    }


def test_the_grids_switch_live_and_keep_their_contrast(qtbot, scheme):
    from dropgui._qt.grids import GridFigure

    figure = GridFigure()
    qtbot.addWidget(figure)
    figure.resize(900, 600)
    figure.show()
    qtbot.waitExposed(figure)
    result, compare = compute(Spec(shape=(2, 6, 8), mode="spatial")), compute(Spec(shape=(2, 6, 8)))
    figure.show_results(result, compare)
    settle()
    view = figure.view_state
    for theme in (DARK, LIGHT):
        scheme(theme.name)
        colours = figure_colours(figure)
        assert colours["background"] == {theme.background}
        assert colours["text"] == {theme.foreground}
        assert colours["bands"] == {theme.band} and colours["hover"] == {theme.hover}
        assert figure.theme is theme and figure.result is result and figure.compare is compare
        assert figure.view_state == pytest.approx(view)  # the same cells on screen
        assert figure.title.opts["color"] == figure.legend.opts["color"] == theme.foreground
        # rendered: the background fills the corners, and the tick labels stand out
        image = figure.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
        pixels = _array(image)
        assert tuple(pixels[2, 2]) == theme.background
        axis = figure.panels[0].left_axis.sceneBoundingRect()
        labels = pixels[int(axis.top()) : int(axis.bottom()), int(axis.left()) : int(axis.right())]
        best = max(contrast(tuple(int(c) for c in p), theme.background) for p in _few(labels))
        assert best >= TEXT_CONTRAST - 1  # anti-aliased glyphs reach the pen's colour


def test_exports_stay_light_while_the_window_is_dark(tmp_path, scheme):
    from dropgui.notebook import figure

    scheme("dark")
    path = tmp_path / "grids.png"
    figure(Spec(), path, scale=1)
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    assert tuple(_array(image)[2, 2]) == LIGHT.background


def test_the_window_switches_every_part(qtbot, window, scheme):
    scheme("dark")
    assert window.figure.theme is DARK and window.stats.view.theme is DARK
    assert window.stats.view.figure.backgroundBrush().color().getRgb()[:3] == DARK.background
    window.grid_area.mark_stale("rate must be below 1")
    assert DARK.stale in window.grid_area.stale.styleSheet()
    scheme("light")
    assert window.figure.theme is LIGHT and window.stats.view.theme is LIGHT
    assert LIGHT.stale in window.grid_area.stale.styleSheet()


def _array(image: QImage) -> np.ndarray:
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(height, image.bytesPerLine())[:, : 3 * width].reshape(height, width, 3)


def _few(block: np.ndarray) -> np.ndarray:
    colours = block.reshape(-1, 3)
    return np.unique(colours, axis=0)


def test_view_appearance_switches_and_is_remembered(qtbot, window, scheme):
    from dropgui._qt.window import MainWindow

    assert window.appearance_actions["system"].isChecked()
    window.appearance_actions["dark"].trigger()
    settle()
    assert themes.current() is DARK and window.figure.theme is DARK
    assert window.appearance_actions["dark"].isChecked()
    # a refusal next to its control stays legible on the dark panel
    window.controls.show_error("rate must be below 1", "rate")
    style = window.controls.dropout_error.styleSheet()
    assert DARK.error in style
    red = tuple(int(DARK.error[i : i + 2], 16) for i in (1, 3, 5))
    panel = QApplication.palette().color(QPalette.ColorRole.Window).getRgb()[:3]
    assert contrast(red, panel) >= 4.5
    window.close()
    second = MainWindow()  # the next launch opens dark
    qtbot.addWidget(second)
    assert themes.current() is DARK and second.appearance_actions["dark"].isChecked()
    second.appearance_actions["light"].trigger()
    settle()
    assert themes.current() is LIGHT and LIGHT.error in second.controls.dropout_error.styleSheet()
    second.close()
