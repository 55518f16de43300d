"""English and Simplified Chinese (issue 12): the core's catalog, Qt's catalog, and the
figure, statistics view and export dialog switching language live, offscreen.

`english_words(text)` finds English left untranslated in a text the window shows;
`visible_texts(widget)` lists what a widget tree (and any graphics scene in it) shows.
The whole-window walk of phase 2 reuses both: `from test_i18n import english_words,
visible_texts` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import ast
import dataclasses
import html
import json
import re
import runpy
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGraphicsTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QTabWidget,
    QTextEdit,
    QWidget,
)

import dropgui
from dropgui import DropguiError, Spec, compute, i18n
from dropgui.model import DropoutLayer
from dropgui.modes import MODES
from dropgui.stats import compute_stats

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"

# ------------------------------------------------------------------ finding English

KEPT_WORDS = frozenset(
    {
        # Keras and TensorFlow names, kept in every language (the list)
        "Dropout",
        "SpatialDropout1D",
        "GaussianDropout",
        "AlphaDropout",
        "Embedding",
        "LSTM",
        "GRU",
        "SimpleRNN",
        "TextVectorization",
        "noise_shape",
        "rate",
        "seed",
        "draw",
        "training",
        "Lambda",
        "Keras",
        "TensorFlow",
        "tf-keras",
        "keras3",
        # Python values a Keras call takes (noise_shape=(None, 1, None), training=False)
        "None",
        "True",
        "False",
        # file formats and numpy, as the issue keeps .npy, PNG/SVG/GIF
        "npy",
        "PNG",
        "SVG",
        "GIF",
        "NPZ",
        "CSV",
        "png",
        "svg",
        "gif",
        "npz",
        "csv",
        "keras",  # a model file's suffix: .keras
        "numpy",
        "float32",  # the dtype dropgui and Keras compute in
        # notation and units: not a number, gigabytes, kilobytes, mebibytes
        "NaN",
        "GB",
        "KB",
        "MiB",
        # notation: a token's id (词元 id), variance, SELU, the keys PgUp / PgDown
        "id",
        "Var",
        "SELU",
        "PgUp",
        "PgDown",
        # key caps as printed on keyboards (Ctrl+E), the app's name, a model's name
        "Ctrl",
        "Shift",
        "dropgui",
        "AWD-LSTM",
    }
)
"""ASCII words that may appear in any language: API names, values and notation."""

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*")
_TAG = re.compile(r"<[^>]*>")


def english_words(text: str, allowed=()) -> list[str]:
    """The English words left in `text`, in order; [] when it is all translated.

    HTML tags are removed and entities decoded first (titles and legends are HTML). A
    word is a run of ASCII letters, digits and underscores that starts with a letter,
    hyphenated runs joined (so `tf-keras`, `noise_shape`, `SpatialDropout1D`, `keras3`
    are one word each). Not reported:

    - `KEPT_WORDS` (API names, Python values, file formats, notation), and `allowed`
      (user data shown as it is: a model layer's name, a file name);
    - words with a single letter (`t3` and `b` in cell labels, `x` in `0.886x + 0.78`,
      `N` in `N(1, 0.5)`, `E` in `E = x`, the `F` key): symbols, not English;
    - keyword arguments, a word directly followed by `=` (`training=False`,
      `dropout=0.3`), and command-line options, a word directly after `--`
      (`--seeds 0:10`): what the user types into Keras or the CLI.
    """
    plain = html.unescape(_TAG.sub(" ", text))
    found = []
    for match in _WORD.finditer(plain):
        word = match.group()
        if word in KEPT_WORDS or word in allowed:
            continue
        if sum(char.isalpha() for char in word) <= 1:
            continue
        if plain[match.end() : match.end() + 1] == "=":
            continue
        if plain[max(0, match.start() - 2) : match.start()] == "--":
            continue
        found.append(word)
    return found


def test_english_words_finds_english_and_nothing_else():
    assert english_words("Dropout(0.5) noise_shape=(None, 1, None) · seed 3 · keras3") == []
    assert english_words("t3 · id 905 · 0.886x + 0.78 · N(1, 0.5) · tf-keras") == []
    assert english_words("training=False · dropout=0.3 · --seeds 0:10") == []
    assert english_words("<b>保留比例</b> 0.5 &nbsp; 丢弃 5/12") == []
    assert english_words("5 of 12 dropped · kept ×2") == ["of", "dropped", "kept"]
    assert english_words("之后 · <i>after</i>") == ["after"]
    assert english_words("E[output] 0.3 se") == ["output", "se"]
    assert english_words("LSTM 'my_rnn' 的输入", allowed={"my_rnn"}) == []


def visible_texts(widget: QWidget, hidden: bool = False) -> list[str]:
    """Every text `widget` and its visible descendants show: labels, buttons, group
    titles, tab titles, combo box items, spin box prefixes and suffixes, tooltips, text
    views, and the text items of any graphics scene (pyqtgraph titles, axis labels,
    legends). Line edits are left out: they hold what the user typed. With `hidden`,
    the descendants hidden now (another tab, rows shown for a model) too."""
    texts: list[str] = []
    widgets = [widget, *widget.findChildren(QWidget)]
    for item in widgets:
        if not hidden and not item.isVisibleTo(widget) and item is not widget:
            continue
        texts += [item.toolTip(), item.windowTitle() if item.isWindow() else ""]
        if isinstance(item, (QLabel, QAbstractButton)):
            texts.append(item.text())
        if isinstance(item, QGroupBox):
            texts.append(item.title())
        if isinstance(item, QTabWidget):
            texts += [item.tabText(i) for i in range(item.count())]
        if isinstance(item, QComboBox):
            texts += [item.itemText(i) for i in range(item.count())]
        if isinstance(item, QAbstractSpinBox):
            texts += [item.prefix(), item.suffix()]
        if isinstance(item, QTextEdit):
            texts.append(item.toPlainText())
        if isinstance(item, QGraphicsView) and item.scene() is not None:
            texts += scene_texts(item)
    return [text for text in texts if text]


def scene_texts(view: QGraphicsView) -> list[str]:
    """The visible text items of a graphics view's scene (pyqtgraph labels and titles)."""
    return [
        item.toPlainText()
        for item in view.scene().items()
        if isinstance(item, QGraphicsTextItem) and item.isVisible() and item.toPlainText()
    ]


def switch(code: str) -> None:
    """Set the window's language and let Qt deliver LanguageChange to every widget."""
    from dropgui._qt.i18n import set_language

    set_language(QApplication.instance(), code)
    for _ in range(3):  # QApplication posts the event to each top-level widget
        QCoreApplication.processEvents()


@pytest.fixture
def chinese(qapp):
    """The window and the core in Simplified Chinese; English again afterwards."""
    switch("zh_CN")
    yield
    switch("en")


# ------------------------------------------------------------------ the core's catalog


def core_templates() -> list[tuple[str, str, ast.Call]]:
    """(module, template, call) for every `tr("...")` and `N_("...")` with a literal
    template in the core (dropgui/ but the Qt side and the CLI, which stays English)."""
    found = []
    for path in sorted((ROOT / "dropgui").rglob("*.py")):
        if "_qt" in path.parts or path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            first = node.args[0]
            if name in ("tr", "N_") and isinstance(first, ast.Constant):
                found.append((path.name, first.value, node))
    return found


def test_every_core_template_has_a_chinese_entry_with_the_same_fields():
    catalog = json.loads((I18N / "core_zh_CN.json").read_text(encoding="utf-8"))
    templates = core_templates()
    assert len(templates) > 40  # the AST walk found the core's sentences
    used = {template for _, template, _ in templates}
    missing = sorted(used - catalog.keys())
    assert not missing, f"templates with no zh_CN entry: {missing}"
    assert not sorted(catalog.keys() - used), "entries no template uses any more"
    for template in used:
        assert i18n.fields(catalog[template]) == i18n.fields(template), template
        assert catalog[template].strip(), template


def test_every_tr_call_fills_exactly_its_templates_fields():
    for module, template, call in core_templates():
        name = getattr(call.func, "id", getattr(call.func, "attr", None))
        if name != "tr":
            continue
        given = {keyword.arg for keyword in call.keywords}
        assert given == set(i18n.fields(template)), f"{module}: {template}"


def all_kinds_of_results():
    """A result of every mode, shared axes, inference, rate 0, and model layers."""
    results = [compute(Spec(mode=mode)) for mode in MODES if mode != "word"]
    results.append(compute(Spec(shape=(2, 6, 4), source="embedding", vocab=5, mode="word")))
    results += [
        compute(Spec(noise_shape=shape))
        for shape in ((None, 1, None), (None, None, 1), (None, 1, 1))
    ]
    results += [compute(Spec(training=False)), compute(Spec(rate=0.0))]
    spatial, plain = compute(Spec(mode="spatial", rate=0.3)), compute(Spec(rate=0.3))
    layer = dict(rate=0.3, seed=None, embedding="emb", noise_shape=None)
    for fused in (False, True):
        site = DropoutLayer("my_rnn", "LSTM", mode="spatial", recurrent=True, fused=fused, **layer)
        results.append(dataclasses.replace(spatial, model_layer=site))
    site = DropoutLayer(
        "my_drop", "Dropout", mode="dropout", **{**layer, "noise_shape": (None, 1, None)}
    )
    results.append(dataclasses.replace(plain, model_layer=site))
    return results


LAYER_NAMES = {"my_rnn", "my_drop", "emb"}


def test_explanations_and_captions_in_chinese_have_no_english():
    results = all_kinds_of_results()
    english = [(r.explanation, r.caption) for r in results]
    i18n.set_language("zh_CN")
    try:
        for result, (english_text, _) in zip(results, english, strict=True):
            texts = [
                i18n.translated(result.explanation),
                result.caption,
                *(result.after_caption(b) for b in range(result.shape[0])),
            ]
            for text in texts:
                assert english_words(text, LAYER_NAMES) == [], text
            assert result.explanation == english_text  # made in English, says it again
    finally:
        i18n.set_language("en")
    # and back in English, the same text as before
    assert [(r.explanation, r.caption) for r in results] == english
    assert english_words(results[0].explanation)  # the check can fail


def test_statistics_notes_in_chinese_have_no_english():
    specs = [Spec(), Spec(mode="spatial"), Spec(mode="gaussian"), Spec(training=False)]
    specs.append(Spec(shape=(2, 6, 4), source="embedding", vocab=5, mode="word"))
    runs = [compute_stats(spec, 20) for spec in specs]
    runs.append(compute_stats(Spec(engine="tf-keras"), 3, over="seeds"))
    i18n.set_language("zh_CN")
    try:
        for stats in runs:
            for text in (
                stats.note,
                stats.kept_fraction_law,
                stats.output_theory,
                stats.correlation_of,
            ):
                assert english_words(i18n.translated(text)) == [], text
            assert english_words(i18n.tr(stats.method)) == []
    finally:
        i18n.set_language("en")


def test_the_core_speaks_english_by_default_and_refuses_unknown_languages():
    assert i18n.language() == "en"
    assert "cells were dropped" in compute(Spec()).explanation
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")


# ------------------------------------------------------------------ Qt's catalog

update = runpy.run_path(str(I18N / "update.py"))


def ts_messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {
        (context.findtext("name"), message.findtext("source")): message.find("translation")
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_lupdate_finds_no_string_without_a_translation(tmp_path):
    committed = ts_messages(I18N / "dropgui_zh_CN.ts")
    fresh = tmp_path / "dropgui_zh_CN.ts"
    shutil.copy(I18N / "dropgui_zh_CN.ts", fresh)
    update["lupdate"](fresh)
    messages = ts_messages(fresh)
    assert len(messages) > 80  # lupdate did read our modules
    unfinished = [key for key, t in messages.items() if t.get("type") or not t.text]
    assert not unfinished, f"marked strings without a translation: {unfinished}"
    assert messages.keys() == committed.keys()


def test_every_qt_translation_keeps_its_sources_fields():
    for (context, source), translation in ts_messages(I18N / "dropgui_zh_CN.ts").items():
        assert i18n.fields(translation.text) == i18n.fields(source), (context, source)


def test_the_committed_qm_is_what_the_committed_ts_compiles_to(tmp_path):
    compiled = tmp_path / "dropgui_zh_CN.qm"
    update["lrelease"](I18N / "dropgui_zh_CN.ts", compiled)
    assert compiled.read_bytes() == (I18N / "dropgui_zh_CN.qm").read_bytes()


def test_the_language_follows_the_system_locale(qapp):
    from PySide6.QtCore import QLocale

    from dropgui._qt.i18n import system_language

    before = QLocale.system().name()
    expected = "zh_CN" if before.lower().startswith("zh") else "en"
    assert system_language() == expected


def test_a_missing_chinese_font_is_noticed(qapp):
    import subprocess

    from dropgui._qt.i18n import font_missing

    assert font_missing("en") is False
    if shutil.which("fc-list") is None:
        pytest.skip("no fontconfig to ask")
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert font_missing("zh_CN") is (not listed.strip())  # what fontconfig says


# ------------------------------------------------------------------ the window's parts


def grid_results():
    return [
        (compute(Spec()), compute(Spec(mode="spatial"))),
        (compute(Spec(mode="gaussian")), None),
        (compute(Spec(mode="alpha")), compute(Spec(mode="dropout"))),
        (compute(Spec(shape=(8, 20, 16), mode="token")), None),  # one slice and the overview
        (compute(Spec(shape=(2, 6, 4), source="embedding", vocab=5, mode="word")), None),
        (compute(Spec(training=False, noise_shape=(None, 1, None))), None),
    ]


@pytest.fixture
def figure(qtbot):
    from dropgui._qt.grids import GridFigure

    fig = GridFigure()
    qtbot.addWidget(fig)
    fig.resize(900, 600)
    fig.show()
    qtbot.waitExposed(fig)
    yield fig
    fig.close()


def figure_texts(fig) -> list[str]:
    return [*scene_texts(fig), *fig.legend_entries]


def test_the_figure_redraws_its_words_in_chinese_and_back(qtbot, figure):
    for result, compare in grid_results():
        figure.show_results(result, compare)
        qtbot.wait(10)
        english = sorted(figure_texts(figure))
        assert any(english_words(text) for text in english)
        switch("zh_CN")
        try:
            chinese = figure_texts(figure)
            assert figure.result is result and figure.compare is compare  # the same view
            left = [w for text in chinese for w in english_words(text)]
            assert left == [], chinese
        finally:
            switch("en")
        assert sorted(figure_texts(figure)) == english


def test_the_figure_has_no_english_at_all_in_chinese(qtbot, figure, chinese):
    figure.show_results(compute(Spec()), compute(Spec(mode="spatial")))
    qtbot.wait(10)
    assert [w for text in figure_texts(figure) for w in english_words(text)] == []


def test_the_figure_switched_live_has_no_english_at_all(qtbot, figure):
    figure.show_results(compute(Spec()), compute(Spec(mode="spatial")))
    qtbot.wait(10)
    switch("zh_CN")
    try:
        assert [w for text in figure_texts(figure) for w in english_words(text)] == []
    finally:
        switch("en")


def test_a_figure_drawn_in_chinese_is_chinese(qtbot, figure, chinese):
    result = compute(Spec())
    figure.show_results(result, compute(Spec(mode="spatial")))
    assert "之后" in " ".join(scene_texts(figure))
    assert result.after_caption(0) in " ".join(scene_texts(figure))


@pytest.fixture(scope="module")
def stats_and_result():
    spec = Spec(shape=(3, 4, 5), mode="spatial", rate=0.5, seed=3)
    return compute_stats(spec, 200, cell=(1, 2, 3)), compute(spec)


def test_the_statistics_view_in_chinese_and_back(qtbot, stats_and_result):
    from dropgui._qt.stats_panel import StatsView

    view = StatsView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    view.show_stats(*stats_and_result)
    english = sorted(visible_texts(view))
    switch("zh_CN")
    try:
        chinese = visible_texts(view)
        assert [w for text in chinese for w in english_words(text)] == [], chinese
        assert "保留比例" in view.summary.text()
    finally:
        switch("en")
    assert sorted(visible_texts(view)) == english


def test_the_statistics_panel_controls_in_chinese(qtbot, chinese):
    from dropgui._qt.stats_panel import StatsPanel
    from dropgui._qt.worker import ComputeWorker

    panel = StatsPanel(ComputeWorker())  # never started: only its controls are read
    qtbot.addWidget(panel)
    panel.show()
    texts = visible_texts(panel)
    assert [w for text in texts for w in english_words(text)] == [], texts


def test_the_export_dialog_in_chinese_and_back(qtbot):
    from dropgui._qt.export_dialog import ExportDialog

    result = compute(Spec(shape=(4, 3, 4)))
    dialog = ExportDialog(result, compute(Spec(shape=(4, 3, 4), mode="spatial")), (0, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    english = sorted(visible_texts(dialog))
    switch("zh_CN")
    try:
        chinese = visible_texts(dialog)
        assert [w for text in chinese for w in english_words(text)] == [], chinese
        assert dialog.windowTitle() == "导出"
        dialog.path.setText("")
        dialog.start_export()  # a refusal of the dialog's own, in Chinese
        assert english_words(dialog.message.text()) == [] and dialog.message.text()
    finally:
        switch("en")
    dialog.message.clear()
    dialog._message_text = lambda: ""
    assert sorted(visible_texts(dialog)) == english


def test_the_text_panel_and_grid_area_in_chinese(qtbot):
    from dropgui._qt.grid_area import GridArea
    from dropgui._qt.text_panel import TextPanel

    panel, area = TextPanel(), GridArea()
    for widget in (panel, area):
        qtbot.addWidget(widget)
        widget.resize(900, 600)
        widget.show()
    result, compare = (
        compute(Spec(shape=(8, 20, 16))),
        compute(Spec(shape=(8, 20, 16), mode="token")),
    )
    panel.show_results(result, compare)
    area.show_results(result, compare, None)
    area.mark_stale("rate must be below 1")
    english = sorted(visible_texts(panel) + visible_texts(area))
    switch("zh_CN")
    try:
        texts = visible_texts(panel) + visible_texts(area)
        left = [w for t in texts for w in english_words(t, {"must", "be", "below"})]
        assert left == [], texts  # the refusal itself comes from the core, in English
        assert "保留比例" in panel.explanation.toPlainText()
    finally:
        switch("en")
    assert sorted(visible_texts(panel) + visible_texts(area)) == english


def test_number_box_refusals_in_chinese(qtbot, chinese):
    from dropgui._qt.number_box import refusal

    for args in (("N", "", 1, 9), ("N", "abc", 1, 9), ("N", "1.5", 1, 9), ("N", "99", 1, 9)):
        assert english_words(refusal(*args), allowed={"abc"}) == [], args  # abc: typed
    assert english_words(refusal("rate", "x", 0, 1, 3)) == []


def test_dropgui_speaks_english_without_qt_changing_it():
    assert dropgui.i18n.language() == "en"


# ------------------------------------------------------------------ the whole window


def menu_texts(menu) -> list[str]:
    """Every title, action text and tooltip of a menu bar or menu and of its submenus,
    the mnemonic '&' removed. Actions that carry data are left out: a recent file's
    name is the user's, a language's name is its own (never translated)."""
    texts = []
    for action in menu.actions():
        if action.isSeparator() or action.data() is not None:
            continue
        texts += [action.text().replace("&", ""), action.toolTip().replace("&", "")]
        if action.menu() is not None:
            texts += menu_texts(action.menu())
    return [text for text in texts if text]


def window_texts(window) -> list[str]:
    """What the window shows or can show without a dialog: every widget's texts (hidden
    ones too: the other tab, the model rows), every menu, and the status bar."""
    return [
        *visible_texts(window, hidden=True),
        *menu_texts(window.menuBar()),
        window.statusBar().currentMessage(),
    ]


def comparable(texts) -> list[str]:
    """`texts` sorted, each with its white space as single spaces: where the grids'
    legend breaks its line depends on the figure's width at the time, not on language."""
    return sorted(" ".join(text.split()) for text in texts)


def left_in_english(texts, allowed=frozenset()) -> list[str]:
    return [word for text in texts for word in english_words(text, allowed)]


def run_window_script(script: str, tmp_path, **env) -> dict:
    """Run `script` in a fresh Python with the window offscreen in a zh_CN locale and
    fresh settings; it prints one JSON line last, returned as a dict."""
    import os
    import subprocess
    import sys

    chinese = {"LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN", "LC_ALL": "zh_CN.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "PYTHONPATH": str(ROOT / "tests"),
            **chinese,
            **env,
        },
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["stderr"] = done.stderr
    return report


WINDOW_SCRIPT = """
import json
from PySide6.QtCore import QEventLoop, QTimer
from dropgui._qt.app import get_qapp
app = get_qapp()
from dropgui._qt.about import show_about
from dropgui._qt.i18n import current_language
from dropgui._qt.menus import show_shortcuts
from dropgui._qt.window import MainWindow
from test_i18n import visible_texts, window_texts

def wait_until(done, ms=120_000):
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: done() and loop.quit())
    timer.start(50)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

window = MainWindow()
window.resize(1280, 720)
window.show()
wait_until(lambda: window.result is not None)
status = window.statusBar().currentMessage()
window.views.setCurrentIndex(1)  # the Statistics tab, computed and drawn
wait_until(lambda: window.stats.view.stats is not None)
texts = window_texts(window)
window.views.setCurrentIndex(0)
texts += window_texts(window)
dialogs = [visible_texts(show_shortcuts(window)), visible_texts(show_about(window))]
app.processEvents()
print(json.dumps({
    "language": current_language(),
    "title": window.windowTitle(),
    "status": status,
    "texts": texts,
    "dialogs": dialogs,
}))
window.close()
"""


def test_with_a_chinese_locale_the_window_opens_in_chinese(tmp_path):
    from dropgui._qt.i18n import FONT_PACKAGE

    report = run_window_script(WINDOW_SCRIPT, tmp_path)
    assert report["language"] == "zh_CN"
    assert report["title"].startswith("dropgui：")
    texts = report["texts"]
    assert len(texts) > 100  # the walk did reach the panels, the grids and the menus
    for expected in ("输入张量", "随机性", "网格", "统计", "文件", "语言", "保留比例"):
        assert any(expected in text for text in texts), expected
    assert left_in_english(texts) == [], texts
    shortcuts, about = report["dialogs"]
    assert any("键盘快捷键" in text for text in shortcuts)
    assert left_in_english(shortcuts) == [], shortcuts
    products = {"NumPy", "Python", "PySide6", "pyqtgraph", "Qt"}  # names, never translated
    assert any("运行环境" in text for text in about)
    assert left_in_english(about, products) == [], about
    # fonts-noto-cjk is installed here: nothing to warn about
    assert FONT_PACKAGE not in report["status"] and FONT_PACKAGE not in report["stderr"]


@pytest.fixture
def no_fonts(tmp_path):
    """A fontconfig configuration that lists no font at all."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'font-cache'}</cachedir></fontconfig>"
    )
    return config


FONT_SCRIPT = """
import json
import logging
from PySide6.QtCore import QEventLoop
from dropgui._qt.app import get_qapp

# the records themselves: what reaches stderr depends on whether TensorFlow (absl) has
# installed its logging handler yet, which races with the worker thread's import
logged = []
handler = logging.Handler()
handler.emit = lambda record: logged.append(record.getMessage())
logging.getLogger("dropgui").addHandler(handler)
app = get_qapp()
from dropgui._qt.i18n import font_missing
from dropgui._qt.window import MainWindow

window = MainWindow()
status = window.statusBar().currentMessage()
again = window.warn_if_font_missing()
window.language_actions["en"].trigger()
window.language_actions["zh_CN"].trigger()  # chosen again: said once only
loop = QEventLoop()
window.sigGridsDrawn.connect(loop.quit)
window.show()
loop.exec()
print(json.dumps({
    "missing": font_missing("zh_CN"), "status": status, "again": again, "logged": logged
}))
window.close()
"""


def test_a_missing_chinese_font_is_named_once(tmp_path, no_fonts):
    from dropgui._qt.i18n import FONT_PACKAGE

    report = run_window_script(FONT_SCRIPT, tmp_path, FONTCONFIG_FILE=str(no_fonts))
    assert report["missing"] is True  # fontconfig lists no font here
    assert FONT_PACKAGE in report["status"] and "boxes" in report["status"]
    assert sum("No installed font" in line for line in report["logged"]) == 1  # once, chosen twice
    assert report["again"] is False


def test_with_a_chinese_font_nothing_is_said(qapp):
    from dropgui._qt.i18n import font_missing

    if shutil.which("fc-list") is None:
        pytest.skip("no fontconfig to ask")
    import subprocess

    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not listed.strip():
        pytest.skip("no Chinese font installed here (fonts-noto-cjk)")
    assert font_missing("zh_CN") is False  # so the window says nothing: see the test above


@pytest.fixture
def english_afterwards(qapp):
    """Whatever a test switches to, English again afterwards."""
    yield
    switch("en")


def choose(window, code: str) -> None:
    """View -> Language -> `code`, as a user would, and let Qt deliver the change."""
    window.language_actions[code].trigger()
    for _ in range(3):
        QCoreApplication.processEvents()


def test_view_language_switches_the_window_live_and_back(qtbot, window, english_afterwards):
    from PySide6.QtCore import QSettings

    window.views.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.stats.view.stats is not None, timeout=60_000)
    window.views.setCurrentIndex(0)
    window.controls.play.setChecked(True)  # a state-dependent text: Pause
    window.controls.play.setChecked(False)
    english = comparable(visible_texts(window, hidden=True) + menu_texts(window.menuBar()))
    assert "Input tensor" in english and "Grids" in english and "File" in english
    names = [action.text() for action in window.language_group.actions()]
    assert names == ["English", "简体中文"]  # in their own words, in every language
    assert window.language_actions["en"].isChecked()

    choose(window, "zh_CN")
    chinese = window_texts(window)
    assert left_in_english(chinese) == [], chinese
    assert window.windowTitle().startswith("dropgui：")
    assert window.views.tabText(0) == "网格"
    assert window.language_actions["zh_CN"].isChecked()
    assert [action.text() for action in window.language_group.actions()] == names
    assert QSettings().value("language") == "zh_CN"  # remembered for the next launch
    assert window.result is not None  # the same view, nothing recomputed to say it

    choose(window, "en")
    assert comparable(visible_texts(window, hidden=True) + menu_texts(window.menuBar())) == english
    assert window.language_actions["en"].isChecked()
    assert QSettings().value("language") == "en"


def test_the_window_opens_in_the_language_chosen_before(qtbot, english_afterwards):
    from PySide6.QtCore import QSettings

    from dropgui._qt import settings as saved_settings
    from dropgui._qt.i18n import system_language
    from dropgui._qt.window import MainWindow, startup_language

    settings = QSettings()
    assert startup_language(settings) == system_language()  # nothing chosen yet
    settings.setValue("language", "klingon")
    assert startup_language(settings) == system_language()  # not a language dropgui speaks
    saved_settings.save_language(settings, "zh_CN")
    assert startup_language(settings) == "zh_CN"

    window = MainWindow()
    qtbot.addWidget(window)
    try:
        assert window.windowTitle().startswith("dropgui：")
        assert window.controls.play.text() == "播放 seed"
        assert window.language_actions["zh_CN"].isChecked()
    finally:
        window.close()


def test_status_and_refusals_are_said_again_in_the_new_language(qtbot, window, english_afterwards):
    controls, status = window.controls, window.statusBar()
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        controls.compare.setCurrentIndex(controls.compare.findData("word"))  # needs ids
    assert status.currentMessage() == "No comparison: word mode does not apply to this input"
    choose(window, "zh_CN")
    assert status.currentMessage() == "无对比：“整词”模式不适用于此输入"
    controls.source.setCurrentIndex(controls.source.findData("file"))  # no file chosen yet
    assert controls.input_error.text() == "请用“打开 .npy…”选择一个 .npy 文件"
    assert status.currentMessage() == "未应用：请用“打开 .npy…”选择一个 .npy 文件"
    choose(window, "en")  # the panel's own refusal, said again
    assert controls.input_error.text() == "choose a .npy file with Open .npy…"
    assert status.currentMessage() == "Not applied: choose a .npy file with Open .npy…"
    assert window.grid_area.stale.text().endswith("choose a .npy file with Open .npy…")
    window.open_path("/nowhere/notes.txt")
    choose(window, "zh_CN")
    said = "notes.txt 既不是 .npy 数组，也不是 Keras 模型（.keras, .h5, .hdf5）"
    assert controls.input_error.text() == said
    assert status.currentMessage() == f"未打开：{said}"
    assert controls.open_button.text() == "打开 .npy…"
    choose(window, "en")
    assert controls.input_error.text().startswith("notes.txt is neither a .npy array")


def test_the_control_panel_keeps_its_width_in_chinese(qtbot, english_afterwards):
    from dropgui._qt.controls import ControlPanel

    panel = ControlPanel()
    qtbot.addWidget(panel)
    panel.show()
    english = panel.minimumSizeHint().width()
    switch("zh_CN")
    chinese = panel.minimumSizeHint().width()
    assert chinese <= english * 1.05, (english, chinese)


CORPUS = ["the movie was great", "what a boring film", "great music but a weak ending"]


@pytest.fixture(scope="module")
def text_model(tmp_path_factory):
    """TextVectorization -> Embedding -> SpatialDropout1D -> GRU(dropout), saved."""
    from dropgui.tf_loader import load_tensorflow

    load_tensorflow()
    import keras
    from keras import layers

    vectorizer = layers.TextVectorization(max_tokens=50, output_sequence_length=6, name="vec")
    vectorizer.adapt(CORPUS)
    text = keras.Input((1,), dtype="string")
    hidden = layers.Embedding(50, 8, name="emb")(vectorizer(text))
    hidden = layers.SpatialDropout1D(0.25, name="spatial")(hidden)
    path = tmp_path_factory.mktemp("zh-model") / "text.keras"
    keras.Model(text, layers.GRU(3, dropout=0.4, name="gru")(hidden)).save(path)
    return path


def open_text_model(qtbot, window, path) -> None:
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        assert window.controls.open_model(str(path))
    with qtbot.waitSignal(window.sigGridsDrawn, timeout=60_000):
        window.controls.text.setText("the movie was great; what a boring film")
        window.controls.text.editingFinished.emit()


def model_allowed(path) -> set[str]:
    """User data a model view shows as it is: its path, layer names and words."""
    words = {word for line in CORPUS for word in line.split()}
    return words | set(_WORD.findall(str(path))) | {"vec", "emb", "spatial", "gru"}


def test_a_model_view_in_chinese(qtbot, window, text_model, english_afterwards):
    open_text_model(qtbot, window, text_model)
    assert window.result.words[0][:2] == ("the", "movie")
    english = comparable(visible_texts(window, hidden=True))
    choose(window, "zh_CN")
    texts = window_texts(window)
    allowed = model_allowed(text_model)
    assert left_in_english(texts, allowed) == [], texts
    assert "Embedding 'emb' 50 个 id × 8，接在 'vec' 之后" in window.controls.model_label.text()
    assert window.controls.layer.itemText(2) == "下方任一模式，作用于 Embedding 输出"
    choose(window, "en")
    assert comparable(visible_texts(window, hidden=True)) == english


def test_the_layer_box_has_no_english_at_all_in_chinese(qtbot, window, text_model):
    open_text_model(qtbot, window, text_model)
    english = [window.controls.layer.itemText(i) for i in range(window.controls.layer.count())]
    assert (
        "gru: GRU(dropout=0.4), input dropout, one mask per sample, reused at every timestep"
        in english
    )
    choose(window, "zh_CN")
    try:
        items = [window.controls.layer.itemText(i) for i in range(window.controls.layer.count())]
        assert left_in_english(items, model_allowed(text_model)) == [], items
        assert "gru: GRU(dropout=0.4)，输入 Dropout，每个样本一个掩码，所有时间步共用" in items
    finally:
        switch("en")
    assert [window.controls.layer.itemText(i) for i in range(len(english))] == english


# ------------------------------------------------------------------ the core's refusals

_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def lambda_model(tmp_path_factory):
    """Embedding -> Lambda -> Dropout, saved by Keras 3: a file whose code would run."""
    from dropgui.tf_loader import load_tensorflow

    keras = load_tensorflow().keras
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Embedding(30, 8),
            keras.layers.Lambda(lambda t: t * 2.0),
            keras.layers.Dropout(0.3),
        ]
    )
    path = tmp_path_factory.mktemp("zh-lambda") / "lambda.keras"
    model.save(path)
    return str(path)


def core_refusals(tmp_path, text_model, lambda_model):
    """(what the user asked, the refusal's English as the CLI prints it, the user data it
    shows as it is): real refusals of the core, each raised by calling it."""
    from dropgui.export import check_target
    from dropgui.inputs import prepare
    from dropgui.model import describe
    from dropgui.spec import parse_noise_shape

    garbage = tmp_path / "zeros.npy"
    garbage.write_bytes(b"\0" * 64)  # no .npy header at all
    gone = tmp_path / "gone.keras"
    target = tmp_path / "no-such-folder" / "grids.png"
    model_ids = Spec(source="model", model=str(text_model), tokens=((1, 99),))
    paths = {
        w for p in (garbage, gone, target, text_model, lambda_model) for w in _WORD.findall(str(p))
    }
    return [
        (
            lambda: Spec(rate=1.5).validate(),
            "rate must be at least 0 and below 1 for dropout (got 1.5)",
            set(),
        ),
        (
            lambda: Spec(noise_shape=(2, 1, 4)).validate(),
            "noise_shape entry 0 is 2; it must be 1, 3 (the full size) or None",
            set(),
        ),
        (
            lambda: parse_noise_shape("1,x,2"),
            "noise_shape entries must be integers or None (got 'x')",
            set(),
        ),
        (
            lambda: Spec(mode="spatial", noise_shape=(None, 1, None)).validate(),
            "spatial mode sets its own noise_shape; noise_shape applies to dropout and alpha",
            set(),
        ),
        (
            lambda: prepare(Spec(source=str(garbage))),
            f"cannot read {garbage} as a .npy file: the magic string is not correct; "
            "expected b'\\x93NUMPY', got b'\\x00\\x00\\x00\\x00\\x00\\x00'",
            paths | {"x93NUMPY"},  # the file's first bytes and the format's, as they are
        ),
        (lambda: describe(str(gone)), f"model file not found: {gone}", paths),
        (
            lambda: describe(lambda_model),
            f"{lambda_model} holds a Lambda layer, whose Python code would run on loading; "
            "dropgui never runs code from a model file",
            paths,
        ),
        (
            lambda: describe(str(text_model)).layer("nope"),
            f"{text_model} has no dropout layer 'nope' after its Embedding; it has spatial: "
            "SpatialDropout1D(rate=0.25); gru: GRU(dropout=0.4), input dropout, one mask per "
            "sample, reused at every timestep",
            paths | {"nope", "spatial", "gru"},
        ),
        (
            lambda: prepare(model_ids),
            "token id 99 is outside the vocabulary [0, 50) of Embedding 'emb'",
            {"emb"},
        ),
        (
            lambda: check_target(target),
            f"cannot write {target}: folder {target.parent} does not exist",
            paths,
        ),
        (
            lambda: compute_stats(Spec(shape=(100, 100, 2)), 100_000),
            "100,000 samples of (100, 100, 2) are 2,000,000,000 cell draws, more than the "
            "cap of 1,073,741,824; take at most 53,687 samples of this shape",
            set(),
        ),
        (
            lambda: compute_stats(Spec(engine="tf-keras"), 100_000),
            "100,000 samples of (3, 3, 4) (tf-keras, over draws) would take about 4.7 GB of "
            "memory, more than dropgui's budget of 2 GB; take at most 40,159 samples, sample "
            "over seeds, or use the keras3 engine (TensorFlow keeps about 40 KB per tf-keras "
            "draw until the run ends)",
            set(),
        ),
    ]


def refusal(ask) -> DropguiError:
    with pytest.raises(DropguiError) as caught:
        ask()
    return caught.value


def test_the_core_refuses_in_chinese_and_in_the_same_english_as_before(
    tmp_path, text_model, lambda_model
):
    cases = core_refusals(tmp_path, text_model, lambda_model)
    english = [refusal(ask) for ask, _, _ in cases]
    # the CLI's English, byte for byte what these refusals said before they were marked
    assert [str(error) for error in english] == [said for _, said, _ in cases]
    i18n.set_language("zh_CN")
    try:
        chinese = [refusal(ask) for ask, _, _ in cases]
    finally:
        i18n.set_language("en")
    for (_, said, allowed), before, error in zip(cases, english, chinese, strict=True):
        text = str(error)
        assert _CJK.search(text) and "\n" not in text, text
        assert english_words(text, allowed) == [], text
        assert error.field == before.field  # the window puts it next to the same control
        assert error.args[0].translated("en") == said  # and says it again in English
        assert before.args[0].translated("zh_CN") == text
    assert english_words(str(english[0]))  # the check can fail


def test_a_layer_problem_and_a_recurrent_layer_are_said_in_chinese():
    from dropgui.model import _recurrent_mask

    _, problem = _recurrent_mask("GRU", {"implementation": 1}, "keras3")
    site = DropoutLayer(
        "my_rnn", "GRU", 0.4, None, None, "emb", "spatial", recurrent=True, problem=problem
    )
    english = site.describe()
    assert english == (
        "my_rnn: GRU(dropout=0.4), input dropout, one mask per sample, reused at every "
        "timestep [not shown: it applies 3 input masks, one per gate (implementation 1, or "
        "recurrent_dropout > 0)]"
    )
    said = i18n.translated  # as the window says a layer it listed before a switch
    i18n.set_language("zh_CN")
    try:
        chinese = said(english)
        fused = dataclasses.replace(site, fused=True, mode="dropout", problem="").describe()
    finally:
        i18n.set_language("en")
    assert "[无法显示：它对输入施加 3 个掩码" in chinese
    assert english_words(chinese, {"my_rnn", "recurrent_dropout"}) == [], chinese
    assert english_words(fused, {"my_rnn"}) == [], fused


def test_a_refusal_typed_in_chinese_is_said_again_in_english(qtbot, window, english_afterwards):
    controls, status = window.controls, window.statusBar()
    choose(window, "zh_CN")
    controls.noise_shape.setText("1,x,2")  # a number box takes any text here: the core refuses
    controls.noise_shape.editingFinished.emit()
    said = "noise_shape 的各项必须是整数或 None（当前为 'x'）"
    assert controls.dropout_error.text() == said
    assert status.currentMessage() == f"未应用：{said}"
    choose(window, "en")
    said = "noise_shape entries must be integers or None (got 'x')"
    assert controls.dropout_error.text() == said
    assert status.currentMessage() == f"Not applied: {said}"


def test_a_refusal_computed_on_the_worker_comes_back_in_chinese(
    qtbot, window, tmp_path, english_afterwards
):
    from dropgui._qt.worker import Reply

    bad = tmp_path / "zeros.npy"
    bad.write_bytes(b"\0" * 64)
    replies: list[Reply] = []
    window._worker.sigReply.connect(replies.append)
    choose(window, "zh_CN")
    window.controls.open_npy(str(bad))  # read by the worker, in the language the GUI set
    qtbot.waitUntil(lambda: any(reply.error for reply in replies), timeout=60_000)
    error = next(reply.error for reply in replies if reply.error)
    said = f"无法将 {bad} 作为 .npy 文件读取：文件开头不是 .npy 的标识 b'\\x93NUMPY'，而是 "
    assert error.startswith(said) and isinstance(error, i18n.Message)
    assert window.controls.input_error.text() == error
    choose(window, "en")  # the worker's refusal, said again in the window
    english = f"cannot read {bad} as a .npy file: the magic string is not correct"
    assert window.controls.input_error.text().startswith(english)
    assert window.statusBar().currentMessage().startswith(f"Not applied: {english}")


def test_the_core_names_a_mode_as_the_mode_box_does():
    from dropgui.spec import MODE_NAMES

    catalog = i18n.catalog("zh_CN")
    qt = ts_messages(I18N / "dropgui_zh_CN.ts")
    for mode, template in MODE_NAMES.items():
        assert catalog[template] == f"“{qt[('ControlPanel', template)].text}”", mode
    assert set(MODE_NAMES) == set(MODES)


def test_a_core_refusal_in_the_export_dialog_is_said_again_in_chinese(qtbot, tmp_path):
    """The export dialog keeps the core's Message, so a refusal on screen follows a live
    language switch (a missing folder, refused by the core's export plan)."""
    from dropgui._qt.export_dialog import ExportDialog

    dialog = ExportDialog(compute(Spec()), None, (0,))
    qtbot.addWidget(dialog)
    dialog.show()
    missing = tmp_path / "no-such-folder" / "grids.png"
    dialog.path.setText(str(missing))
    dialog.start_export()
    english = dialog.message.text()
    assert "no-such-folder" in english
    assert [w for w in english_words(english) if w not in str(missing)]  # English words
    switch("zh_CN")
    try:
        chinese = dialog.message.text()
        assert chinese != english and "no-such-folder" in chinese
        # nothing English left but the user's path, as it is
        assert [w for w in english_words(chinese) if w not in str(missing)] == [], chinese
    finally:
        switch("en")
    assert dialog.message.text() == english
