"""The Grids tab alone, offscreen: a draw that fails never leaves it unable to draw."""

import dataclasses

import numpy as np
import pytest

from dropgui import Spec, compute
from dropgui._qt.grid_area import HOVER_HINT, STALE_PREFIX, GridArea


@pytest.fixture
def area(qtbot):
    widget = GridArea()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def broken(result):
    """A result whose keep mask has one slice for three: drawing fails half-way."""
    return dataclasses.replace(result, keep_mask=result.keep_mask[:1])


def after_values(area) -> np.ndarray:
    return next(p for _, role, p in area.figure.rows if role.kind == "after").image.image


def test_a_failed_draw_puts_the_last_good_view_back(area):
    good = compute(Spec(seed=2))
    area.show_results(good, None, None)
    with pytest.raises(IndexError):
        area.show_results(broken(compute(Spec(seed=3))), None, (good, None))
    assert area.figure.result is good and area.result is good
    np.testing.assert_array_equal(after_values(area), good.output[0])
    area.show_results(compute(Spec(seed=4)), None, (good, None))
    np.testing.assert_array_equal(after_values(area), compute(Spec(seed=4)).output[0])


def test_a_failed_first_draw_leaves_a_fresh_figure_that_draws(area):
    first = area.figure
    with pytest.raises(IndexError):
        area.show_results(broken(compute(Spec())), None, None)
    assert area.figure is not first and area.figure.result is None
    assert not area.slice_bar.isVisible()
    good = compute(Spec(shape=(8, 3, 4)))
    area.show_results(good, None, None)
    np.testing.assert_array_equal(after_values(area), good.output[area.figure.focus])


def test_a_stale_view_is_marked_until_cleared(area):
    good = compute(Spec())
    area.mark_stale("nothing shown yet")
    assert not area.stale.isVisible()  # nothing drawn, nothing stale
    area.show_results(good, None, None)
    area.mark_stale("rate must be at least 0 and below 1")
    assert area.stale.isVisible() and "seed 0" in area.stale.text()
    assert area.hover.text() == STALE_PREFIX + HOVER_HINT
    area.clear_stale()
    assert not area.stale.isVisible() and area.hover.text() == HOVER_HINT
