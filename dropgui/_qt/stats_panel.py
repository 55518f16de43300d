"""The Statistics tab: what dropout does on average, drawn from a `Stats`, and the
controller that asks the worker for it.

`StatsPanel` owns the tab: N, draws or seeds, progress, Cancel, and the `StatsView`. It
asks the worker (`ComputeWorker.submit_stats`) for the spec on screen while the tab is
visible, and drops replies that are no longer the latest.

`StatsView` draws three plots in one pyqtgraph layout and a line of text:

* the drop frequency of every cell of one batch slice (heatmap, as pyqtgraph's
  MatrixDisplayExample: row-major ImageItem, y inverted so token 0 is on top, cells
  centred on integer coordinates, a ColorBarItem);
* the kept fraction per slice over all samples (bars) against the law (line);
* the correlation of the chosen cell's keep mask with every cell of the slice
  (diverging colours from -1 to 1), the chosen cell outlined.

Clicking a cell of either heatmap emits `sigCellChosen((b, s, d))`; the panel computes
new statistics for that cell (the correlation needs the samples again). The view only
shows and asks: all figures come from dropgui.stats.
"""

from __future__ import annotations

import logging

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr, translated
from ..modes import MODES
from ..result import Result
from ..stats import Stats
from . import theme as themes
from .i18n import Retranslated
from .number_box import IntBox
from .style import (
    COLOR_MAP,
    DROPPED,
    NEUTRAL,
    NOISE_MAP,
    cell_at,
    heatmap_image,
    heatmap_plot,
)
from .worker import ComputeWorker, StatsReply, StatsRequest

FREQUENCY_MAP = COLOR_MAP
CORRELATION_MAP = NOISE_MAP  # diverging: blue -1, grey 0, red 1
OBSERVED_BRUSH = NEUTRAL
THEORY_PEN = DROPPED

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


class StatsView(Retranslated, QWidget):
    """Drop-frequency heatmap, kept-fraction histogram, correlation map, expectation check."""

    sigCellChosen = Signal(object)
    """A (b, s, d) tuple: the cell whose correlations the user wants to see."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats: Stats | None = None
        self.result: Result | None = None

        self.slice_box = QSpinBox()
        self.slice_box.setRange(0, 0)
        # its own width whatever the summary beside it needs (a Chinese prefix included)
        self.slice_box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.slice_box.valueChanged.connect(self._draw_slice)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.check = QLabel("")
        self.check.setWordWrap(True)

        self.theme = themes.current()
        self.figure = pg.GraphicsLayoutWidget(show=False)
        self.frequency_plot = heatmap_plot()
        self.frequency_image = heatmap_image(self.frequency_plot)
        self.correlation_plot = heatmap_plot()
        self.correlation_image = heatmap_image(self.correlation_plot)
        self.frequency_bar = pg.ColorBarItem(
            values=(0, 1), colorMap=FREQUENCY_MAP, interactive=False, width=14
        )
        self.frequency_bar.setImageItem(self.frequency_image)
        self.correlation_bar = pg.ColorBarItem(
            values=(-1, 1), colorMap=CORRELATION_MAP, interactive=False, width=14
        )
        self.correlation_bar.setImageItem(self.correlation_image)
        self.chosen_mark = pg.ScatterPlotItem(symbol="s", size=14, brush=None, pxMode=True)
        self.correlation_plot.addItem(self.chosen_mark)

        self.histogram_plot = pg.PlotItem()
        self.histogram_plot.setMenuEnabled(False)
        self.histogram_plot.hideButtons()
        self.histogram_plot.getAxis("left").enableAutoSIPrefix(False)
        self.observed_bars = pg.BarGraphItem(
            x=[0.0], height=[0.0], width=0.01, brush=pg.mkBrush(*OBSERVED_BRUSH), pen=None
        )
        self.theory_curve = pg.PlotDataItem(
            pen=pg.mkPen(THEORY_PEN, width=2),
            symbol="o",
            symbolSize=5,
            symbolBrush=THEORY_PEN,
            symbolPen=None,
        )
        self.histogram_plot.addItem(self.observed_bars)
        self.histogram_plot.addItem(self.theory_curve)

        self.figure.addItem(self.frequency_plot, row=0, col=0)
        self.figure.addItem(self.frequency_bar, row=0, col=1)
        self.figure.addItem(self.correlation_plot, row=0, col=2)
        self.figure.addItem(self.correlation_bar, row=0, col=3)
        self.figure.addItem(self.histogram_plot, row=1, col=0, colspan=4)
        self.figure.scene().sigMouseClicked.connect(self._on_mouse_clicked)

        top = QHBoxLayout()
        top.addWidget(self.slice_box)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.figure, 1)
        layout.addWidget(self.check)
        self.apply_theme(self.theme)

    def restyle(self) -> None:
        if getattr(self, "theme", None) not in (None, themes.current()):
            self.apply_theme(themes.current())

    def apply_theme(self, theme: themes.Theme) -> None:
        """Background, axes, titles and the chosen cell's frame in `theme`."""
        self.theme = theme
        self.figure.setBackground(theme.background)
        self.chosen_mark.setPen(pg.mkPen(theme.foreground, width=2))
        for plot in (self.frequency_plot, self.correlation_plot, self.histogram_plot):
            for side in ("left", "bottom"):
                plot.getAxis(side).setPen(theme.foreground)
                plot.getAxis(side).setTextPen(theme.foreground)
        for bar in (self.frequency_bar, self.correlation_bar):
            for side in ("left", "right", "bottom"):
                bar.getAxis(side).setPen(theme.foreground)
                bar.getAxis(side).setTextPen(theme.foreground)
        self.retranslate()

    def retranslate(self) -> None:
        """Labels, titles and the statistics shown, in the language now set."""
        self.slice_box.setPrefix(translate("StatsView", "slice "))
        for plot in (self.frequency_plot, self.correlation_plot):
            plot.setLabel("left", translate("StatsView", "token"))
            plot.setLabel("bottom", translate("StatsView", "channel"))
        self.histogram_plot.setLabel("bottom", translate("StatsView", "kept fraction of a slice"))
        self.histogram_plot.setLabel(
            "left", translate("StatsView", "share of (sample, slice) pairs")
        )
        self.histogram_plot.setTitle(
            translate("StatsView", "kept fraction per slice · bars: observed · line: the law"),
            color=self.theme.foreground,
            size="10pt",
        )
        if self.stats is not None:
            self._say(self.stats)
            self._draw_slice(self.slice_box.value())

    def _say(self, stats: Stats) -> None:
        """The summary and the expectation check of `stats`, in the language now set."""
        summary = translate("StatsView", "{note}.\nKept fraction law: {law}.")
        law = translated(stats.kept_fraction_law)
        self.summary.setText(summary.format(note=translated(stats.note), law=law))
        self.check.setText(expectation_check(stats))

    # ------------------------------------------------------------------ drawing
    def show_stats(self, stats: Stats, result: Result | None = None) -> None:
        """Draw `stats`. `result`, the spec's own draw if at hand, is kept as
        `self.result` for the owner (export, labels); every figure comes from `stats`."""
        self.stats, self.result = stats, result
        batch = stats.shape[0]
        self.slice_box.blockSignals(True)
        self.slice_box.setRange(0, batch - 1)
        self.slice_box.setValue(min(stats.cell[0], batch - 1))
        self.slice_box.blockSignals(False)
        self._say(stats)
        self._draw_histogram(stats)
        if stats.stochastic and stats.cell_drop_frequency_se > 0:
            # Centre the colours on the rate, 4 chance spreads either way: a cell that
            # is off shows, and equal cells are not painted as differences.
            spread = 4 * stats.cell_drop_frequency_se
            rate = stats.expected_drop_frequency
            levels = (max(0.0, rate - spread), min(1.0, rate + spread))
        else:
            levels = (0.0, 1.0)
        self.frequency_bar.setLevels(levels)
        self._draw_slice(self.slice_box.value())

    def _draw_slice(self, batch: int) -> None:
        stats = self.stats
        if stats is None:
            return
        self.frequency_image.setImage(stats.drop_frequency[batch], autoLevels=False)
        self.frequency_image.setLevels(self.frequency_bar.levels())
        self.correlation_image.setImage(stats.correlation[batch], autoLevels=False)
        self.correlation_image.setLevels((-1.0, 1.0))
        b, s, d = stats.cell
        shown = [(d, s)] if b == batch else []
        self.chosen_mark.setData(pos=shown)
        frequency = translate("StatsView", "drop frequency · slice {batch} (rate {rate:g})")
        self.frequency_plot.setTitle(
            frequency.format(batch=batch, rate=stats.spec.rate),
            color=self.theme.foreground,
            size="10pt",
        )
        correlation = translate(
            "StatsView", "correlation of cell ({b}, {s}, {d})'s {what} · slice {batch}"
        ).format(b=b, s=s, d=d, what=translated(stats.correlation_of), batch=batch)
        self.correlation_plot.setTitle(correlation, color=self.theme.foreground, size="10pt")
        _, seq_len, dim = stats.shape
        for plot in (self.frequency_plot, self.correlation_plot):
            plot.setRange(xRange=(-0.5, dim - 0.5), yRange=(-0.5, seq_len - 0.5), padding=0)
            # cells sit on whole numbers: tick each token and channel while they fit
            for side, size in (("left", seq_len), ("bottom", dim)):
                ticks = [[(i, str(i)) for i in range(size)], []] if size <= 32 else None
                plot.getAxis(side).setTicks(ticks)

    def _draw_histogram(self, stats: Stats) -> None:
        grid = stats.kept_fraction_grid
        share = stats.kept_fraction_counts / stats.kept_fraction_counts.sum()
        width = 0.8 / stats.units_per_slice if len(grid) > 1 else 0.05
        self.observed_bars.setOpts(x=grid, height=share, width=width)
        theory = stats.kept_fraction_theory
        if theory is None:
            self.theory_curve.setData([], [])
        else:
            self.theory_curve.setData(grid, theory)

    # ------------------------------------------------------------------ asking
    def cell_at(self, scene_pos: QPointF) -> tuple[int, int, int] | None:
        """The (b, s, d) cell of the shown slice under a scene position, or None."""
        if self.stats is None:
            return None
        _, seq_len, dim = self.stats.shape
        for plot in (self.frequency_plot, self.correlation_plot):
            cell = cell_at(plot, scene_pos, seq_len, dim)
            if cell is not None:
                return (self.slice_box.value(), *cell)
        return None

    def _on_mouse_clicked(self, event) -> None:
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.sigCellChosen.emit(cell)


def expectation_check(stats: Stats) -> str:
    """One line: drop frequency against the rate, E[output] against theory, variance."""
    if not stats.stochastic:
        text = translate("StatsView", "{note}; E[output] equals the input exactly.")
        return text.format(note=translated(stats.note))
    z = np.abs(stats.output_z)
    theory = stats.output_variance_theory
    varies = theory > 0
    ratio = stats.output_variance[varies] / theory[varies] if varies.any() else np.ones(1)
    return translate(
        "StatsView",
        "Mean drop frequency {mean:.4f} vs rate {rate:g} ({z:+.1f} se). E[output] within "
        "{z_max:.1f} standard errors of {law}'s expectation in every cell; variance added, "
        "observed / theory: {ratio:.3f}.",
    ).format(
        mean=stats.mean_drop_frequency,
        rate=stats.expected_drop_frequency,
        z=stats.drop_frequency_z,
        z_max=z.max(),
        law=tr(MODES[stats.spec.mode].law_name),
        ratio=ratio.mean(),
    )


class StatsPanel(Retranslated, QWidget):
    """The Statistics tab: N, draws or seeds, progress and Cancel above a `StatsView`.

    `show_for(result)` says what the grids show; the panel asks the worker for its
    statistics whenever it is visible and something it depends on changes (the result,
    N, draws/seeds, the chosen cell). `sigCellChosen` from the view, or `choose_cell`
    (a cell clicked in the grids), picks the cell whose correlations are shown.
    """

    def __init__(self, worker: ComputeWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self.result: Result | None = None
        self.request_id = 0
        self.cell = (0, 0, 0)
        self.view = StatsView()
        # any whole number reaches the statistics' own check, which names a bad N
        self.samples = IntBox("N", "samples")
        self.samples.setValue(1000)
        self.samples.setPrefix("N = ")
        self.samples.sigRefused.connect(self._show_error)
        self.over = QComboBox()
        self.over.addItem("", "draws")
        self.over.addItem("", "seeds")
        self.progress = QProgressBar()
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.message = QLabel("")
        self._message_text = lambda: ""
        """What the message line says, asked again after a language change."""
        self.samples.valueChanged.connect(self.request)
        self.over.currentIndexChanged.connect(self.request)
        self.view.sigCellChosen.connect(self.choose_cell)
        worker.sigStats.connect(self._on_stats)
        worker.sigStatsProgress.connect(self._on_progress)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.samples, self.over, self.progress, self.cancel_button):
            bar.addWidget(widget)
        bar.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.retranslate()

    def restyle(self) -> None:
        """A refusal on the message line stays legible in the theme now set."""
        if getattr(self, "_message_error", False):
            self.message.setStyleSheet(themes.error_style())

    def retranslate(self) -> None:
        """Controls and the message line in the language now set (the view does its own)."""
        self.over.setItemText(0, translate("StatsPanel", "over draws of this seed"))
        self.over.setItemText(1, translate("StatsPanel", "over successive seeds"))
        self.cancel_button.setText(translate("StatsPanel", "Cancel"))
        self.message.setText(self._message_text())

    def show_for(self, result: Result) -> None:
        """The grids now show `result`: recompute if the tab is on screen."""
        self.result = result
        self.request()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.request()

    @Slot()
    def request(self, *_) -> None:
        """Ask the worker for the statistics of the shown spec, if this tab is visible."""
        if self.result is None or not self.isVisible():
            return
        batch, seq_len, dim = self.result.shape
        b, s, d = self.cell
        self.cell = (min(b, batch - 1), min(s, seq_len - 1), min(d, dim - 1))
        self.request_id += 1
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self._show_message(lambda: translate("StatsPanel", "computing…"))
        self._worker.submit_stats(
            StatsRequest(
                self.request_id,
                self.result.spec,
                self.samples.value(),
                self.over.currentData(),
                self.cell,
            )
        )

    @Slot()
    def cancel(self) -> None:
        self._worker.cancel_stats()

    @Slot(object)
    def choose_cell(self, cell) -> None:
        self.cell = tuple(cell)
        self.request()

    @Slot(object)
    def _on_progress(self, update) -> None:
        request_id, done, total = update
        if request_id == self.request_id:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    @Slot(object)
    def _on_stats(self, reply: StatsReply) -> None:
        if reply.request_id != self.request_id:
            return
        self.cancel_button.setEnabled(False)
        if reply.stats is None:
            if reply.error == "cancelled":  # the worker's word for it, not shown as such
                self._show_message(lambda: translate("StatsPanel", "cancelled"))
            elif reply.error:
                self._show_error(reply.error)
            else:
                self._show_message(lambda: translate("StatsPanel", "no statistics"), error=True)
            return
        last_good = (self.view.stats, self.view.result)
        try:
            self.view.show_stats(reply.stats, self.result)
        except Exception as error:  # never wedge the tab: name it, draw the last good again
            log.exception("statistics not drawn")
            problem = f"{type(error).__name__}: {error}"
            self._show_message(
                lambda: translate("StatsPanel", "not drawn: {problem}").format(problem=problem),
                error=True,
            )
            self._redraw(*last_good)
            return
        stats = reply.stats
        self._show_message(
            lambda: translate("StatsPanel", "{method}, {ms:.0f} ms").format(
                method=tr(stats.method), ms=stats.seconds * 1000
            )
        )
        self.progress.setValue(self.progress.maximum())

    def _redraw(self, stats: Stats | None, result: Result | None) -> None:
        """The statistics drawn before a failed draw, or an empty view."""
        self.view.stats = None
        if stats is None:
            return
        try:
            self.view.show_stats(stats, result)
        except Exception:
            log.exception("the last good statistics could not be drawn again")
            self.view.stats = None

    def _show_message(self, text, error: bool = False) -> None:
        """Show `text()` (a callable, asked again after a language change) beside N."""
        self._message_text, self._message_error = text, error
        self.message.setStyleSheet(themes.error_style() if error else "")
        self.message.setText(text())

    @Slot(str)
    def _show_error(self, text: str) -> None:
        """A refused N or failed run, in red beside N; the last statistics stay drawn.
        (Refusals and errors come from the core in English: not translated yet.)"""
        self._show_message(lambda: text, error=True)
