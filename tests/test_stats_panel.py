"""The Statistics view, offscreen: it draws exactly the arrays of a real `Stats`."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

import dropgui
from dropgui._qt.stats_panel import StatsView
from dropgui.stats import compute_stats


@pytest.fixture(scope="module")
def spatial_stats():
    spec = dropgui.Spec(shape=(3, 4, 5), mode="spatial", rate=0.5, seed=3)
    return compute_stats(spec, 400, cell=(1, 2, 3)), dropgui.compute(spec)


@pytest.fixture
def view(qtbot, spatial_stats):
    widget = StatsView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    stats, result = spatial_stats
    widget.show_stats(stats, result)
    return widget


def test_draws_the_arrays_of_the_stats(view, spatial_stats):
    stats, _ = spatial_stats
    assert view.slice_box.value() == 1  # the chosen cell's slice
    np.testing.assert_array_equal(view.frequency_image.image, stats.drop_frequency[1])
    np.testing.assert_array_equal(view.correlation_image.image, stats.correlation[1])
    # Spatial: the chosen cell's channel, at every timestep, correlates exactly 1.
    assert np.all(view.correlation_image.image[:, 3] == 1.0)
    bars = view.observed_bars.opts
    np.testing.assert_array_equal(bars["x"], stats.kept_fraction_grid)
    np.testing.assert_allclose(
        bars["height"], stats.kept_fraction_counts / stats.kept_fraction_counts.sum()
    )
    x, y = view.theory_curve.getData()
    np.testing.assert_array_equal(x, stats.kept_fraction_grid)
    np.testing.assert_array_equal(y, stats.kept_fraction_theory)
    assert "standard errors" in view.check.text()
    view.slice_box.setValue(2)
    np.testing.assert_array_equal(view.frequency_image.image, stats.drop_frequency[2])
    np.testing.assert_array_equal(view.correlation_image.image, stats.correlation[2])


def test_clicking_a_cell_asks_for_it(qtbot, view):
    view.slice_box.setValue(2)
    qtbot.wait(50)  # let the layout settle so scene coordinates are final
    scene_point = view.frequency_plot.vb.mapViewToScene(QPointF(4, 1))  # channel 4, token 1
    widget_point = view.figure.mapFromScene(scene_point)
    with qtbot.waitSignal(view.sigCellChosen, timeout=2000) as chosen:
        qtbot.mouseClick(
            view.figure.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(widget_point)
        )
    assert chosen.args == [(2, 1, 4)]


def test_nothing_random_shows_everything_kept(qtbot):
    widget = StatsView()
    qtbot.addWidget(widget)
    stats = compute_stats(dropgui.Spec(training=False), 50)
    widget.show_stats(stats)
    np.testing.assert_array_equal(widget.frequency_image.image, np.zeros((3, 4)))
    assert "identity" in widget.check.text()


@pytest.fixture
def panel(qtbot):
    from dropgui._qt.stats_panel import StatsPanel
    from dropgui._qt.worker import ComputeWorker

    worker = ComputeWorker()
    worker.start()
    widget = StatsPanel(worker)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    worker.stop()


def test_a_refused_n_is_named_in_red(qtbot, panel):
    from dropgui._qt.theme import error_style

    panel.show_for(dropgui.compute(dropgui.Spec()))
    qtbot.waitUntil(lambda: panel.view.stats is not None, timeout=60_000)
    drawn = panel.view.stats
    panel.samples.setValue(0)  # the box takes any whole number: the statistics check it
    qtbot.waitUntil(lambda: "number of samples" in panel.message.text(), timeout=60_000)
    assert panel.message.styleSheet() == error_style()
    assert panel.view.stats is drawn
    panel.samples.setFocus()
    panel.samples.selectAll()
    qtbot.keyClicks(panel.samples, "x")
    assert "N takes a whole number; 'x' is not one" in panel.message.text()
    panel.samples.setValue(50)
    qtbot.waitUntil(lambda: panel.view.stats is not drawn, timeout=60_000)
    assert panel.message.styleSheet() == "" and "ms" in panel.message.text()


def test_statistics_that_fail_to_draw_keep_the_last_good_ones(qtbot, panel, spatial_stats):
    import dataclasses

    from dropgui._qt.worker import StatsReply

    stats, result = spatial_stats
    panel.view.show_stats(stats, result)
    broken = dataclasses.replace(stats, drop_frequency=stats.drop_frequency[:1])  # 1 slice of 3
    panel.request_id += 1
    panel._worker.sigStats.emit(StatsReply(panel.request_id, broken, None))
    assert "not drawn" in panel.message.text()
    assert panel.view.stats is stats
    np.testing.assert_array_equal(panel.view.frequency_image.image, stats.drop_frequency[1])
    panel.view.slice_box.setValue(2)  # still draws
    np.testing.assert_array_equal(panel.view.frequency_image.image, stats.drop_frequency[2])
