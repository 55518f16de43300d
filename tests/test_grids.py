"""The grid figure at real shapes, offscreen, on results computed by real TensorFlow.

What is drawn is read back from the scene (items, paths, overlay images, the text the
value items paint) and compared with the keep mask and the law, never with what the
drawing code computed itself.
"""

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QWheelEvent

from dropgui import Spec, compute
from dropgui._qt.grid_text import hover_text
from dropgui._qt.grids import GridFigure
from dropgui._qt.style import DROPPED, NOISE_MAP

# The views the issue names, each with the mode it is compared with.
VIEWS = {
    "classic": (Spec(), "spatial"),
    "embedding": (Spec(shape=(4, 20, 16), source="embedding", vocab=1000, rate=0.2), "spatial"),
    "8x64x64": (Spec(shape=(8, 64, 64)), "spatial"),
    "word": (
        Spec(shape=(2, 128, 300), source="embedding", vocab=1000, rate=0.3, mode="word"),
        "dropout",
    ),
    "1x512x768": (Spec(shape=(1, 512, 768)), "spatial"),
    "gaussian": (Spec(mode="gaussian"), None),
    "alpha": (Spec(mode="alpha"), "dropout"),
}
# The grids' share of a 1280x720 and of a 1920x1080 window.
SIZES = {"800x600": (420, 360), "1280x720": (850, 470), "1920x1080": (1490, 830)}


def results(spec: Spec, compare_mode: str | None):
    compare = None if compare_mode is None else compute(spec.replace(mode=compare_mode))
    return compute(spec), compare


@pytest.fixture
def figure(qtbot):
    fig = GridFigure()
    qtbot.addWidget(fig)
    fig.resize(*SIZES["1280x720"])
    fig.show()
    qtbot.waitExposed(fig)
    yield fig
    fig.close()


def draw(qtbot, fig, spec, compare_mode=None, size=None):
    if size is not None:
        fig.resize(*size)
    fig.show_results(*results(spec, compare_mode))
    qtbot.wait(30)  # layout and paint, as on screen


def tick_rects(fig) -> list[QRectF]:
    """Scene rectangles of every tick label the visible axes draw."""
    rects = []
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    for panel in fig.panels:
        for axis in (panel.left_axis, panel.bottom_axis):
            if not axis.isVisible():
                continue
            painter = QPainter(image)
            try:
                specs = axis.generateDrawSpecs(painter)
            finally:
                painter.end()
            if specs is not None:
                rects += [axis.mapRectToScene(rect) for rect, _, _ in specs[2]]
    return rects


def overlapping(rects: list[QRectF]) -> list[tuple[QRectF, QRectF]]:
    return [
        (a, b)
        for a, b in itertools.combinations(rects, 2)
        if a.intersected(b).width() > 0.5 and a.intersected(b).height() > 0.5
    ]


def value_rects(fig) -> list[QRectF]:
    return [rect for panel in fig.panels for rect in panel.values.label_rects()]


def path_rects(item) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) of each rectangle of a path item, in data units."""
    return sorted(
        tuple(round(v, 3) for v in polygon.boundingRect().getRect())
        for polygon in item.path().toSubpathPolygons()
    )


def marked(panel) -> np.ndarray:
    """The cells a panel marks as dropped, read back from what it draws."""
    shape = panel.image.image.shape[:2]
    if any(item.isVisible() for item in panel._cell_items) or (
        panel._cell_items and panel.marks.image is None
    ):
        return np.array([item.isVisible() for item in panel._cell_items]).reshape(shape)
    if panel.marks.image is None:
        return np.zeros(shape, dtype=bool)
    alpha = panel.marks.image[..., 3]
    pixels = alpha.shape[0] // shape[0]
    return alpha.reshape(shape[0], pixels, shape[1], pixels).max(axis=(1, 3)) > 0


def panels_of(fig, kind):
    return [panel for _, role, panel in fig.rows if role.kind == kind]


# ------------------------------------------------------------------ legible at every size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", VIEWS)
def test_labels_never_overlap_and_cells_are_square(qtbot, figure, view, size):
    draw(qtbot, figure, *VIEWS[view], size=SIZES[size])
    ticks = tick_rects(figure)
    assert len(ticks) >= 4
    assert overlapping(ticks) == []
    assert overlapping(value_rects(figure)) == []
    sizes = set()
    for panel in figure.panels:
        vb = panel.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        across, down = vb.width() / (x1 - x0), vb.height() / (y1 - y0)
        assert across == pytest.approx(down, rel=1e-3)  # square cells
        sizes.add(round(across, 3))
    assert len(sizes) == 1  # and the same size in every panel
    # nothing is cut off: every panel lies inside the view
    view_rect = QRectF(figure.viewport().rect())
    for panel in figure.panels:
        assert view_rect.contains(panel.plot.sceneBoundingRect().adjusted(1, 1, -1, -1))
        if panel.row_bars is not None:  # count bars: never larger than the grid they count
            grid = panel.plot.vb.sceneBoundingRect()
            assert panel.row_bars.vb.width() <= grid.width()
            assert panel.col_bars.vb.height() <= grid.height()


@pytest.mark.parametrize("view", ["classic", "embedding", "alpha", "gaussian"])
def test_a_panel_prints_values_whenever_its_neighbours_do(qtbot, figure, view):
    draw(qtbot, figure, *VIEWS[view])
    printed = []
    for zoom in (1, 0.6, 0.6, 0.6):  # fitted, then zoomed in three times
        vb = figure.panels[0].plot.vb
        vb.scaleBy((zoom, zoom))
        figure._on_user_view(vb)
        qtbot.wait(10)
        for start in range(0, len(figure.rows), len(figure.color_bars)):
            row = figure.rows[start : start + len(figure.color_bars)]
            shown = {bool(panel.values.label_rects()) for _, _, panel in row}
            assert len(shown) == 1, f"zoom {zoom}: some panels print values, some do not"
            printed.append(shown.pop())
        assert overlapping(value_rects(figure)) == []
    assert any(printed)  # at one of these zooms every view prints its values


def test_values_are_plain_numbers_in_every_panel(qtbot, figure):
    spec = Spec(shape=(1, 2, 3), mode="gaussian")
    figure.resize(1400, 600)
    draw(qtbot, figure, spec)
    texts = [text for panel in figure.panels for _, text, _ in panel.values.layout()[1]]
    assert len(texts) == 3 * 6  # before, factors and after all print their six values
    assert not any("e" in text for text in texts)  # never 1.4e+02
    result = figure.result
    before = [text for _, text, _ in figure.panels[0].values.layout()[1]]
    assert before == [f"{v:.0f}" for v in result.input.ravel()]


# ------------------------------------------------------------------ fixed colours


@pytest.mark.parametrize(
    "spec",
    [
        Spec(rate=0.9),
        Spec(mode="alpha"),
        Spec(mode="gaussian"),
        Spec(shape=(12, 20, 16), source="embedding", vocab=1000, rate=0.2, mode="spatial"),
    ],
    ids=["dropout-0.9", "alpha", "gaussian", "embedding-12"],
)
def test_colour_levels_stay_put_over_20_seed_steps(qtbot, figure, spec):
    seen = set()
    for seed in range(20):
        draw(qtbot, figure, spec.replace(seed=seed))
        levels = tuple(tuple(panel.image.levels) for panel in figure.panels)
        bars = tuple(tuple(bar.levels()) for bar in figure.color_bars)
        seen.add((levels, bars))
    assert len(seen) == 1
    # the before grid spans the input, whatever the rate: never a flat dark map
    result = figure.result
    low, high = figure.panels[0].image.levels
    assert (low, high) == pytest.approx((result.input.min(), result.input.max()))


def test_a_kept_cell_keeps_its_colour(qtbot, figure):
    """The after levels are the before levels through the law: kept x2 at rate 0.5."""
    draw(qtbot, figure, Spec())
    before, after = figure.panels[0].image.levels, figure.panels[1].image.levels
    assert tuple(after) == pytest.approx(tuple(2 * np.asarray(before)))


def test_the_noise_map_is_centred_on_one_and_has_no_dropped_red(qtbot, figure):
    draw(qtbot, figure, Spec(mode="gaussian", rate=0.3))
    (noise,) = panels_of(figure, "noise")
    low, high = noise.image.levels
    assert (low + high) / 2 == pytest.approx(1.0)
    colours = NOISE_MAP.getLookupTable(nPts=256, mode="byte")[:, :3].astype(float)
    assert np.min(np.linalg.norm(colours - np.array(DROPPED), axis=1)) > 80


# ------------------------------------------------------------------ what is drawn


@pytest.mark.parametrize(
    "spec",
    [
        Spec(seed=3),
        Spec(mode="alpha", seed=2),
        Spec(shape=(1, 3, 4), source="embedding", vocab=5, seed=1),
        Spec(shape=(2, 40, 40), seed=4),  # above the small-slice limit: one overlay image
        Spec(shape=(1, 100, 100), seed=5),  # above the outline limit: a tint
    ],
    ids=["classic", "alpha", "embedding", "40x40", "100x100"],
)
def test_the_drawn_marks_are_the_keep_mask(qtbot, figure, spec):
    draw(qtbot, figure, spec)
    result = figure.result
    for batch, role, panel in figure.rows:
        if role.kind == "noise":
            continue
        np.testing.assert_array_equal(marked(panel), ~result.keep_mask[batch])


def test_zero_inputs_are_marked_by_the_keep_mask_not_by_zeros(qtbot, figure, tmp_path):
    path = tmp_path / "zeros.npy"
    np.save(path, np.zeros((1, 4, 6), dtype=np.float32))
    spec = Spec(source=str(path), shape=(1, 4, 6), seed=2)
    draw(qtbot, figure, spec)
    result = figure.result
    assert not result.output.any()  # every output is 0, kept or not
    assert result.keep_mask.any() and not result.keep_mask.all()
    for panel in figure.panels:
        np.testing.assert_array_equal(marked(panel), ~result.keep_mask[0])
    row, column = np.argwhere(result.keep_mask[0])[0]
    assert hover_text(result, 0, row, column).endswith(", kept")


def test_after_grids_fill_dropped_cells_and_before_grids_outline_them(qtbot, figure):
    draw(qtbot, figure, Spec(seed=1))
    before, after = figure.panels[0], figure.panels[1]
    dropped_after = [item for item in after._cell_items if item.isVisible()]
    dropped_before = [item for item in before._cell_items if item.isVisible()]
    assert dropped_after and len(dropped_after) == len(dropped_before)
    assert all(item.brush().color().getRgb()[:3] == DROPPED for item in dropped_after)
    assert all(item.brush().style() == Qt.BrushStyle.NoBrush for item in dropped_before)
    # a large slice: after cells opaque, before cells a ring of sub-pixels
    draw(qtbot, figure, Spec(shape=(1, 30, 30), seed=1))
    before, after = figure.panels
    assert set(np.unique(after.marks.image[..., 3])) == {0, 255}
    ring = before.marks.image[..., 3].reshape(30, 6, 30, 6)
    dropped = ~figure.result.keep_mask[0]
    r, c = np.argwhere(dropped)[0]
    cell = ring[r, :, c, :] > 0
    assert cell[0].all() and not cell[2, 2]  # outlined, not filled


def ringed(panel) -> set[tuple[int, int]]:
    """(token, channel) of every ring the panel's DroppedRings paints, read back from the
    scene rectangles it draws."""
    _, rects = panel.rings.rings()
    cells = set()
    for rect in rects:
        centre = panel.plot.vb.mapSceneToView(rect.center())
        cells.add((round(centre.y()), round(centre.x())))
    assert len(cells) == len(rects)  # one ring a cell
    return cells


def visible_cells(panel, shape) -> tuple[slice, slice]:
    (x0, x1), (y0, y1) = panel.plot.vb.viewRange()
    rows = slice(max(0, int(np.floor(y0 + 0.5))), min(shape[0], int(np.ceil(y1 + 0.5))))
    columns = slice(max(0, int(np.floor(x0 + 0.5))), min(shape[1], int(np.ceil(x1 + 0.5))))
    return rows, columns


@pytest.mark.parametrize(
    "spec",
    [Spec(seed=1), Spec(mode="spatial", seed=4), Spec(shape=(1, 30, 30), seed=3)],
    ids=["cell items", "spatial", "overlay image"],
)
def test_after_grids_ring_every_dropped_cell_and_nothing_else(qtbot, figure, spec):
    """Not by colour alone: each dropped cell of an after grid has a light ring, whether
    its fill is an item of its own (small slices) or a pixel of the overlay image; kept
    cells and before grids have none."""
    draw(qtbot, figure, spec)
    result = figure.result
    ringed_cells = 0
    for batch, role, panel in figure.rows:
        dropped = {tuple(cell) for cell in np.argwhere(~result.keep_mask[batch])}
        if role.kind == "after":
            assert ringed(panel) == dropped
            ringed_cells += len(dropped)
            assert panel.rings.isVisible()
        else:
            assert ringed(panel) == set()
    assert ringed_cells > 0
    image = figure.grab().toImage()  # painted, not only laid out
    assert not image.isNull()


def test_rings_follow_the_zoom_on_large_slices(qtbot, figure):
    """At (1, 512, 768) the fitted cells are about a pixel: no rings. Zoomed in, the
    cells in view are ringed, exactly the dropped ones among them."""
    draw(qtbot, figure, Spec(shape=(1, 512, 768), seed=7))
    (after,) = panels_of(figure, "after")
    assert ringed(after) == set()
    figure.set_view(300.0, 200.0, 24.0)  # 24 pixels a cell, around token 200
    qtbot.wait(10)
    rows, columns = visible_cells(after, (512, 768))
    keep = figure.result.keep_mask[0]
    expected = {
        (row + rows.start, column + columns.start)
        for row, column in np.argwhere(~keep[rows, columns])
    }
    assert 20 < len(expected) < 2000
    assert ringed(after) == expected


STRUCTURAL = [
    (Spec(mode="spatial", shape=(2, 5, 6)), (False, True)),
    (Spec(mode="token", shape=(2, 5, 6)), (True, False)),
    (Spec(noise_shape=(None, 1, None), shape=(2, 5, 6)), (False, True)),
    (Spec(noise_shape=(None, None, 1), shape=(2, 5, 6)), (True, False)),
    (Spec(shape=(2, 6, 5), source="embedding", vocab=4, rate=0.5, mode="word"), (True, False)),
    (Spec(rate=0.9, shape=(2, 5, 6)), (False, False)),
]


@pytest.mark.parametrize(("spec", "structure"), STRUCTURAL, ids=lambda v: str(v))
def test_bands_only_where_the_drop_is_structural(qtbot, figure, spec, structure):
    draw(qtbot, figure, spec)
    result = figure.result
    rows_structural, columns_structural = structure
    found_band = found_chance = False
    for batch, _role, panel in figure.rows:
        keep = result.keep_mask[batch]
        dim, seq_len = keep.shape[1], keep.shape[0]
        rows = [(-0.5, r - 0.5, dim, 1) for r in np.flatnonzero(~keep.any(axis=1))]
        columns = [(c - 0.5, -0.5, 1, seq_len) for c in np.flatnonzero(~keep.any(axis=0))]
        expected_band = sorted(
            (rows if rows_structural else []) + (columns if columns_structural else [])
        )
        # chance lines only where nothing is structural: an empty token under
        # SpatialDropout1D is the consequence of its dropped channels
        expected_chance = [] if any(structure) else sorted(rows + columns)
        assert path_rects(panel.bands) == [tuple(round(v, 3) for v in r) for r in expected_band]
        assert path_rects(panel.chance) == [tuple(round(v, 3) for v in r) for r in expected_chance]
        found_band |= bool(expected_band)
        found_chance |= bool(expected_chance)
    assert found_band == any(structure)  # the seeds give a case to look at
    if not any(structure):
        assert found_chance  # rate 0.9 empties whole rows and columns by chance


def test_count_bars_count_dropped_cells_per_token_and_per_channel(qtbot, figure):
    draw(qtbot, figure, Spec(shape=(1, 3, 7), seed=4))
    (after,) = panels_of(figure, "after")
    dropped = ~figure.result.keep_mask[0]
    np.testing.assert_array_equal(after.row_bars.bars.opts["width"], dropped.sum(axis=1))
    np.testing.assert_array_equal(after.col_bars.bars.opts["height"], dropped.sum(axis=0))
    assert dropped.sum(axis=1).tolist() != dropped.sum(axis=0)[:3].tolist()  # not symmetric
    # in a neutral colour, not the dropped red, on axes that say what they count
    for bars in (after.row_bars, after.col_bars):
        assert bars.bars.opts["brush"].color().getRgb()[:3] != DROPPED
    assert after.row_bars.getAxis("bottom").labelText == "dropped<br>of 7"
    assert after.col_bars.getAxis("right").labelText == "of 3"


def test_each_after_panel_says_what_happened_to_it(qtbot, figure):
    figure.resize(1490, 830)
    draw(qtbot, figure, Spec(), "alpha")
    result = figure.result
    titles = {
        (b, role.compared): panel.title for b, role, panel in figure.rows if role.kind == "after"
    }
    for batch in range(3):
        keep = result.keep_mask[batch]
        assert f"{(~keep).sum()} of {keep.size} dropped · kept ×2" in titles[(batch, False)]
        assert "dropped → -0.78 · kept → 0.886x + 0.78" in titles[(batch, True)]
    draw(qtbot, figure, Spec(mode="gaussian"))
    assert "×N(1, 1)" in panels_of(figure, "after")[0].title


def test_the_legend_names_only_what_is_drawn(qtbot, figure):
    draw(qtbot, figure, Spec(mode="gaussian"))
    assert [entry.split(":")[0] for entry in figure.legend_entries] == ["factors"]
    draw(qtbot, figure, Spec(), "spatial")
    assert any("one decision" in entry for entry in figure.legend_entries)
    assert any("bars" in entry for entry in figure.legend_entries)
    draw(qtbot, figure, Spec(seed=0))  # no whole row or column dropped
    result = figure.result
    assert not any(~result.keep_mask[b].any(axis=a).any() for b in range(3) for a in (0, 1))
    assert not any("one decision" in e or "chance" in e for e in figure.legend_entries)


# ------------------------------------------------------------------ word ids


def test_word_rows_are_labelled_and_hovering_an_id_marks_its_occurrences(qtbot, figure):
    tokens = ((5, 2, 5, 7), (2, 5, 1, 1))
    spec = Spec(shape=(2, 4, 40), source="embedding", vocab=9, tokens=tokens, mode="word")
    draw(qtbot, figure, spec, "dropout")
    assert figure.slices == (0,)  # focused: 40 channels do not fit twice
    panel = figure.panels[0]
    assert panel.left_axis.tickStrings([0, 2], 1, 1) == ["t0 · id 5", "t2 · id 5"]
    point = panel.plot.vb.mapViewToScene(QPointF(3, 0))  # token 0 holds id 5
    figure._on_mouse_moved(point)
    for other in figure.panels:  # every panel marks both rows of id 5 in slice 0
        assert [r[1] for r in path_rects(other.occurrences)] == [-0.5, 1.5]
    rows = [tuple(p) for p in np.argwhere(np.array(tokens) == 5)]
    overview_rows = path_rects(figure.overview.occurrences)
    assert len(overview_rows) == len(rows) == 3  # and the overview, in slice 1 too


# ------------------------------------------------------------------ hover, zoom, focus


def test_the_hover_line_follows_each_redraw_and_clears_on_leaving(qtbot, figure):
    lines = []
    figure.sigHover.connect(lines.append)
    draw(qtbot, figure, Spec())
    after = figure.panels[1]
    figure._on_mouse_moved(after.plot.vb.mapViewToScene(QPointF(2, 1)))
    assert lines[-1] == hover_text(figure.result, 0, 1, 2)
    assert after.hover.isVisible() and figure.panels[0].hover.isVisible()
    for seed in range(1, 4):
        draw(qtbot, figure, Spec(seed=seed))
        assert lines[-1] == hover_text(compute(Spec(seed=seed)), 0, 1, 2)
    figure.leaveEvent(QEvent(QEvent.Type.Leave))
    assert lines[-1] == ""
    assert not any(panel.hover.isVisible() for panel in figure.panels)


def test_wheel_zoom_and_drag_pan_move_every_panel_alike(qtbot, figure):
    draw(qtbot, figure, *VIEWS["embedding"])
    fitted = figure.view_state
    target = figure.panels[2].plot.vb
    centre = figure.mapFromScene(target.sceneBoundingRect().center())
    wheel = QWheelEvent(
        QPointF(centre),
        QPointF(figure.mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    figure.viewport().setMouseTracking(True)
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(figure.viewport(), wheel)
    zoomed = figure.view_state
    assert zoomed[2] > 1.3 * fitted[2]
    qtbot.mousePress(figure.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    for step in range(1, 6):
        qtbot.mouseMove(figure.viewport(), centre + QPoint(12 * step, 8 * step))
    qtbot.mouseRelease(figure.viewport(), Qt.MouseButton.LeftButton, pos=centre + QPoint(60, 40))
    panned = figure.view_state
    assert panned[:2] != pytest.approx(zoomed[:2])
    for panel in figure.panels:
        (x0, x1), (y0, y1) = panel.plot.vb.viewRange()
        assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx(panned[:2], abs=1e-6)
        assert panel.plot.vb.width() / (x1 - x0) == pytest.approx(panned[2])
    figure.fit()
    assert figure.view_state == pytest.approx(fitted)


def test_focus_and_overview_when_slices_do_not_all_fit(qtbot, figure):
    focus = []
    figure.sigFocusChanged.connect(focus.append)
    draw(qtbot, figure, *VIEWS["embedding"])
    assert figure.slices == (0,) and figure.overview is not None
    tile = figure.overview.vb.mapViewToScene(QPointF(8, figure.overview._top(2) + 10))
    assert figure.overview.slice_at(tile) == 2
    figure.set_focus(2)
    assert focus == [2] and figure.slices == (2,)
    assert figure.overview.focus_box.rect().top() == figure.overview._top(2) - 0.5
    np.testing.assert_array_equal(marked(figure.panels[1]), ~figure.result.keep_mask[2])
    # small batches of small slices: everything at once, no overview
    draw(qtbot, figure, Spec(), size=SIZES["1920x1080"])
    assert figure.slices == (0, 1, 2) and figure.overview is None


def test_large_slices_are_images_with_the_mask_overlaid(qtbot, figure):
    draw(qtbot, figure, Spec(shape=(1, 512, 768), seed=7))
    for panel in figure.panels:
        assert panel._cell_items == []
        assert panel.image.image.shape == (512, 768)
        np.testing.assert_array_equal(marked(panel), ~figure.result.keep_mask[0])


def test_a_fraction_is_never_printed_as_a_whole_number(qtbot, figure, tmp_path):
    values = np.arange(60 * 60, dtype=np.float32).reshape(1, 60, 60)
    values[0, 30, 31] = 2.5  # one fraction among 3,600 whole numbers
    path = tmp_path / "almost_whole.npy"
    np.save(path, values)
    draw(qtbot, figure, Spec(source=str(path), shape=(1, 60, 60), training=False))
    figure.set_view(31.0, 30.0, 60.0)  # zoomed in on it, 60 px a cell
    qtbot.wait(10)
    texts = {text for panel in figure.panels for _, text, _ in panel.values.layout()[1]}
    assert "2.5" in texts
    assert "1832" in texts  # its neighbour (30, 32), whole


@pytest.mark.parametrize("mode", ["alpha", "gaussian", "dropout"])
def test_values_near_float32s_limit_draw_without_overflow(qtbot, figure, tmp_path, mode):
    """Accepted by the core (x2 stays finite), so the grids must draw them: warnings are
    errors here, and one raised while painting would end the process."""
    path = tmp_path / "huge.npy"
    np.save(path, np.full((1, 2, 2), 1.5e38, dtype=np.float32))
    figure.resize(900, 500)
    draw(qtbot, figure, Spec(source=str(path), shape=(1, 2, 2), mode=mode))
    figure.set_view(0.5, 0.5, 400.0)  # zoomed in as far as it goes: values are laid out
    figure.grab()  # paint now, every panel and value
    for panel in figure.panels:
        assert panel.image.image is not None
        panel.values.layout()


def test_very_wide_slices_draw_binned_bars_and_no_line_per_cell(qtbot, figure):
    """A (1, 1, 200,000) slice: each channel is one cell, so no 'emptied by chance'
    outline per dropped cell (the window once took 10 GB drawing 8 million of them at
    16 million channels), and the channel counts come in at most MAX_BARS bins."""
    from dropgui._qt.grid_panel import MAX_BARS

    draw(qtbot, figure, Spec(shape=(1, 1, 200_000), seed=3))
    result = figure.result
    for panel in figure.panels:
        assert panel.chance.path().isEmpty() and panel.bands.path().isEmpty()
    (after,) = panels_of(figure, "after")
    heights = after.col_bars.bars.opts["height"]
    assert len(heights) <= MAX_BARS
    dropped_per_channel = (~result.keep_mask[0]).sum(axis=0)
    assert np.mean(heights) == pytest.approx(dropped_per_channel.mean(), rel=0.01)
    np.testing.assert_array_equal(marked(after), ~result.keep_mask[0])


def test_a_title_wider_than_its_panel_is_cut_at_its_edge_and_told_in_full(qtbot):
    """A long caption (a model layer's name) never draws over the next panel's title:
    its start stays in view, what passes the panel's edge is clipped, and the tooltip
    holds the whole title."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QGraphicsItem

    from dropgui._qt.grid_panel import FreeLabel

    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    label = FreeLabel("", size="9pt")
    view.ci.addItem(label)
    view.resize(120, 60)
    view.show()
    qtbot.waitExposed(view)
    title = "after · SpatialDropout1D 'a_very_long_layer_name'(0.2)"
    label.setText(f"{title}<br>3 of 12 dropped")
    qtbot.wait(10)
    assert label.item.boundingRect().width() > label.geometry().width()  # it does not fit
    assert label.item.pos().x() == 0
    assert label.flags() & QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape
    assert label.toolTip() == f"{title}\n3 of 12 dropped"
