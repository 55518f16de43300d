"""Monte Carlo statistics: the law behind the masks, exact draws, and the stats CLI.

Real TensorFlow throughout. The seeds are fixed, so every figure is reproducible; the
bounds are the ones the law gives (4 standard errors), not tuned to these seeds.
"""

import json
import math
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import dropgui
from dropgui import cli
from dropgui.stats import (
    MAX_SAMPLE_CELLS,
    MAX_SAMPLES,
    METHOD_BATCHED,
    METHOD_NONE,
    METHOD_PER_DRAW,
    METHOD_REPLAY,
    StatsCancelled,
    compute_stats,
)
from dropgui.stats.plan import make_plan
from dropgui.stats.sampling import draw

N = 2000

# Token ids with repeats inside a slice and across slices: id 1 occurs 4 times.
WORD_TOKENS = ((1, 2, 3, 1), (4, 1, 5, 6), (2, 2, 7, 1))

MODES_THAT_DROP = {
    "dropout": dropgui.Spec(shape=(3, 4, 5), mode="dropout", rate=0.3, seed=11),
    "spatial": dropgui.Spec(shape=(3, 4, 5), mode="spatial", rate=0.5, seed=12),
    "token": dropgui.Spec(shape=(3, 4, 5), mode="token", rate=0.4, seed=13),
    "word": dropgui.Spec(
        shape=(3, 4, 5),
        mode="word",
        rate=0.5,
        seed=14,
        source="embedding",
        vocab=10,
        tokens=WORD_TOKENS,
    ),
    "alpha": dropgui.Spec(shape=(3, 4, 5), mode="alpha", rate=0.2, seed=15),
}
ALL_RANDOM_MODES = {
    **MODES_THAT_DROP,
    "gaussian": dropgui.Spec(shape=(3, 4, 5), mode="gaussian", rate=0.3, seed=16),
}


def _sample_draws(spec, samples, over):
    """Keep masks (N, B, S, D), outputs and Gaussian noise of N draws (or seeds), by
    the samplers `compute_stats` uses, and the name of the method."""
    plan = make_plan(spec, samples, over, (0, 0, 0))
    chunks = []
    method = draw(plan, samples, over, chunks.append)
    keep = np.concatenate([np.broadcast_to(c.grid_keep, (len(c), *plan.shape)) for c in chunks])
    outputs = np.concatenate([plan.outputs(c) for c in chunks])
    noise = np.concatenate([c.noise for c in chunks]) if chunks[0].noise is not None else None
    return method, keep, outputs, noise


def _law_mean_drop_frequency_se(spec, samples):
    """The standard error of the mean drop frequency, from the law alone.

    The mean over C cells is the sum over independent units u of (|u| / C) * dropped_u,
    so its variance is rate (1 - rate) / N * sum_u (|u| / C)^2; summed cell by cell
    that is sum_c |unit of c| / C^2, with the units as each mode defines them."""
    cells = math.prod(spec.shape)
    group_sizes = sum(int(_same_mask_cells(spec, cell).sum()) for cell in np.ndindex(*spec.shape))
    return math.sqrt(spec.rate * (1 - spec.rate) / samples * group_sizes / cells**2)


@pytest.mark.parametrize("over", ["draws", "seeds"])
@pytest.mark.parametrize("mode", list(MODES_THAT_DROP))
def test_mean_drop_frequency_is_within_4_standard_errors_of_the_rate(mode, over):
    spec = MODES_THAT_DROP[mode]
    stats = compute_stats(spec, N, over=over)
    assert stats.method == METHOD_BATCHED
    assert stats.drop_frequency.shape == spec.shape
    assert stats.expected_drop_frequency == spec.rate
    assert stats.mean_drop_frequency_se > 0
    # The standard error comes from the law, computed here without the code under test.
    law_se = _law_mean_drop_frequency_se(spec, N)
    assert stats.mean_drop_frequency_se == pytest.approx(law_se, rel=1e-9)
    assert abs(stats.mean_drop_frequency - spec.rate) < 4 * law_se
    # The law's standard error (grouped units count once) matches the one observed
    # over the N samples; a per-cell formula would be far too small for grouped modes.
    assert stats.mean_drop_frequency_se_observed == pytest.approx(
        stats.mean_drop_frequency_se, rel=0.15
    )
    # Every cell's frequency is within 4 of its own standard errors of the rate.
    cell_se = math.sqrt(spec.rate * (1 - spec.rate) / N)
    assert stats.cell_drop_frequency_se == pytest.approx(cell_se, rel=1e-12)
    assert np.all(np.abs(stats.drop_frequency - spec.rate) < 4 * cell_se)


def _same_mask_cells(spec, cell):
    """Which cells share the keep decision of `cell`, by the definition of each mode."""
    b, s, d = cell
    same = np.zeros(spec.shape, dtype=bool)
    if spec.mode == "spatial":
        same[b, :, d] = True  # the channel of this sample, at every timestep
    elif spec.mode == "token":
        same[b, s, :] = True  # the token of this sample, every channel
    elif spec.mode == "word":
        ids = np.asarray(spec.tokens)
        same[ids == ids[b, s]] = True  # the word id wherever it occurs, every slice
    else:
        same[cell] = True
    return same


@pytest.mark.parametrize("over", ["draws", "seeds"])
@pytest.mark.parametrize("mode", list(MODES_THAT_DROP))
def test_correlation_is_exactly_1_where_the_mask_is_shared_and_near_0_elsewhere(mode, over):
    spec = MODES_THAT_DROP[mode]
    cell = (2, 3, 1)  # in word mode: id 1, which also occurs in slices 0 and 1
    stats = compute_stats(spec, N, over=over, cell=cell)
    same = _same_mask_cells(spec, cell)
    assert same.sum() >= (4 if mode in ("spatial", "token", "word") else 1)
    assert np.all(stats.correlation[same] == 1.0)
    assert np.all(np.abs(stats.correlation[~same]) < 5 / math.sqrt(N))
    assert np.isfinite(stats.correlation).all()


def test_gaussian_correlates_noise_factors_one_cell_at_a_time():
    spec = ALL_RANDOM_MODES["gaussian"]
    stats = compute_stats(spec, N, cell=(1, 2, 3))
    assert stats.correlation_of == "noise factor"
    assert stats.correlation[1, 2, 3] == 1.0
    # Every cell's correlation is the Pearson correlation of the sampled noise factors,
    # computed here with numpy from the N factors themselves (not the running sums).
    _, _, _, noise = _sample_draws(spec, N, "draws")
    factors = noise.reshape(N, -1).astype(np.float64)
    expected = np.corrcoef(factors, rowvar=False)[np.ravel_multi_index((1, 2, 3), spec.shape)]
    np.testing.assert_allclose(stats.correlation.ravel(), expected, rtol=0, atol=1e-9)
    others = np.ones(stats.shape, dtype=bool)
    others[1, 2, 3] = False
    assert np.all(np.abs(stats.correlation[others]) < 5 / math.sqrt(N))
    assert np.all(stats.drop_frequency == 0) and stats.mean_drop_frequency_se == 0


@pytest.mark.parametrize("mode", list(ALL_RANDOM_MODES))
def test_mean_output_is_within_4_standard_errors_of_its_expectation(mode):
    spec = ALL_RANDOM_MODES[mode]
    stats = compute_stats(spec, N)
    x = stats.input.astype(np.float64)
    if mode == "alpha":
        # AlphaDropout keeps mean and variance of SELU-normalised inputs, not of each
        # cell: per cell E = a (1 - rate) x.
        a = dropgui.compute(spec).scale
        np.testing.assert_allclose(stats.expected_output, a * (1 - spec.rate) * x)
    else:
        np.testing.assert_array_equal(stats.expected_output, x)  # inverted dropout
    # 1e-6 |x| allows for the float32 scale 1 / (1 - rate); far below the standard error.
    gap = np.abs(stats.mean_output - stats.expected_output)
    assert np.all(gap <= 4 * stats.mean_output_se + 1e-6 * np.abs(x))
    assert np.all(stats.mean_output_se > 0)
    # The variance dropout adds: x^2 rate / (1 - rate) for inverted dropout and Gaussian.
    if mode != "alpha":
        np.testing.assert_allclose(stats.output_variance_theory, x**2 * spec.rate / (1 - spec.rate))
    np.testing.assert_allclose(stats.output_variance, stats.output_variance_theory, rtol=0.15)


@pytest.mark.parametrize("mode", list(MODES_THAT_DROP))
def test_kept_fraction_histogram_follows_its_law(mode):
    spec = MODES_THAT_DROP[mode]
    stats = compute_stats(spec, N)
    units = {"dropout": 4 * 5, "spatial": 5, "token": 4, "word": 4, "alpha": 4 * 5}[mode]
    assert stats.units_per_slice == units
    assert stats.kept_fraction_counts.sum() == N * spec.shape[0]
    np.testing.assert_allclose(
        stats.kept_fraction_grid * units, np.round(stats.kept_fraction_grid * units)
    )
    theory = stats.kept_fraction_theory
    assert theory is not None and theory.sum() == pytest.approx(1.0, abs=1e-9)
    observed = stats.kept_fraction_counts / stats.kept_fraction_counts.sum()
    # Slices of one sample are not independent, so allow for it with the sample count.
    se = np.sqrt(theory * (1 - theory) / N)
    assert np.all(np.abs(observed - theory) < 4 * se + 1e-3)


def test_word_law_counts_repeated_ids_once():
    # Slice 2 is ids (2, 2, 7, 1): id 2 keeps or drops two positions at once, so with
    # rate 0.5 the kept fraction 1/4 has probability 1/8 + ... exactly as convolved.
    stats = compute_stats(MODES_THAT_DROP["word"], 10)
    pmf = {}
    for counts in ([2, 1, 1], [1, 1, 1, 1], [2, 1, 1]):  # per slice: repeats of each id
        law = np.zeros(5)
        law[0] = 1.0
        for c in counts:
            law = 0.5 * law + 0.5 * np.concatenate([np.zeros(c), law[: 5 - c]])
        for k in range(5):
            pmf[k] = pmf.get(k, 0.0) + law[k] / 3
    expected = np.array([pmf[round(f * 4)] for f in stats.kept_fraction_grid])
    np.testing.assert_allclose(stats.kept_fraction_theory, expected)
    assert "repeated" in stats.kept_fraction_law


@pytest.mark.parametrize("over", ["draws", "seeds"])
@pytest.mark.parametrize(
    "spec",
    [
        dropgui.Spec(shape=(3, 4, 5), seed=7, draw=3),
        dropgui.Spec(shape=(3, 4, 5), mode="spatial", seed=7, draw=2),
        dropgui.Spec(shape=(3, 4, 5), mode="token", rate=0.3, seed=7),
        dropgui.Spec(shape=(3, 4, 5), noise_shape=(1, 4, 1), seed=7),
        MODES_THAT_DROP["word"],
        dropgui.Spec(shape=(3, 4, 5), mode="gaussian", rate=0.4, seed=7),
        dropgui.Spec(shape=(3, 4, 5), mode="alpha", rate=0.2, seed=7, source="embedding"),
    ],
    ids=["dropout", "spatial", "token", "noise_shape", "word", "gaussian", "alpha"],
)
@pytest.mark.parametrize("engine", ["keras3", "tf-keras"])
def test_sampled_draws_equal_compute_draw_by_draw(spec, over, engine):
    spec = spec.replace(engine=engine)
    method, keep_masks, outputs, noises = _sample_draws(spec, 6, over)
    expected_method = {
        ("keras3", "draws"): METHOD_BATCHED,
        ("keras3", "seeds"): METHOD_BATCHED,
        ("tf-keras", "draws"): METHOD_REPLAY,
        ("tf-keras", "seeds"): METHOD_PER_DRAW,
    }[engine, over]
    assert method == expected_method
    for i in range(6):
        step = {"draw": spec.draw + i} if over == "draws" else {"seed": spec.seed + i}
        result = dropgui.compute(spec.replace(**step))
        np.testing.assert_array_equal(keep_masks[i], result.keep_mask)
        # The outputs come from the engine's identities in float32: bit for bit.
        np.testing.assert_array_equal(outputs[i], result.output)
        if spec.mode == "gaussian":
            np.testing.assert_array_equal(noises[i], result.noise)
    assert keep_masks.shape == (6, *spec.shape)


@pytest.mark.parametrize("over", ["draws", "seeds"])
def test_tf_keras_statistics_agree_with_the_law(over):
    spec = MODES_THAT_DROP["spatial"].replace(engine="tf-keras")
    stats = compute_stats(spec, 300, over=over, cell=(0, 1, 2))
    assert stats.method == (METHOD_REPLAY if over == "draws" else METHOD_PER_DRAW)
    assert abs(stats.mean_drop_frequency - spec.rate) < 4 * stats.mean_drop_frequency_se
    assert np.all(stats.correlation[0, :, 2] == 1.0)
    assert stats.method in stats.note


@pytest.mark.parametrize(
    "spec",
    [dropgui.Spec(mode="spatial", training=False), dropgui.Spec(rate=0.0)],
    ids=["inference", "rate0"],
)
def test_nothing_random_keeps_everything_and_says_so(spec):
    stats = compute_stats(spec, 500)
    assert not stats.stochastic and stats.method == METHOD_NONE
    assert "every cell is kept" in stats.note
    assert np.all(stats.drop_frequency == 0) and np.all(stats.correlation == 0)
    np.testing.assert_array_equal(stats.mean_output, stats.input)
    np.testing.assert_array_equal(stats.kept_fraction_grid, [1.0])
    assert stats.kept_fraction_counts.tolist() == [500 * spec.shape[0]]


def test_cancel_after_the_first_progress_report_stops_the_run():
    reports = []
    spec = dropgui.Spec(shape=(32, 20, 16))
    with pytest.raises(StatsCancelled):
        compute_stats(
            spec,
            5000,
            progress=lambda done, total: reports.append((done, total)),
            cancel=lambda: bool(reports),
        )
    assert len(reports) == 1 and 0 < reports[0][0] < 5000 and reports[0][1] == 5000
    # The lock was let go: the next computation runs.
    assert dropgui.compute(spec).keep_mask.shape == (32, 20, 16)


def test_tf_keras_replay_lets_go_of_the_lock_when_cancelled():
    spec = dropgui.Spec(shape=(2, 3, 4), engine="tf-keras")
    reports = []
    with pytest.raises(StatsCancelled):
        compute_stats(
            spec, 1000, progress=lambda d, t: reports.append(d), cancel=lambda: bool(reports)
        )
    assert len(reports) == 1
    assert dropgui.compute(spec).keep_mask.shape == (2, 3, 4)


def test_progress_reaches_the_total():
    reports = []
    compute_stats(
        dropgui.Spec(shape=(32, 20, 16)),
        1000,
        progress=lambda done, total: reports.append((done, total)),
    )
    assert reports[-1] == (1000, 1000)
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)


@pytest.mark.parametrize(
    ("samples", "words"),
    [
        (0, "from 1 to"),
        (-1, "from 1 to"),
        (MAX_SAMPLES + 1, "from 1 to"),
        (1.5, "integer"),
        (True, "integer"),
    ],
)
def test_bad_sample_counts_are_refused(samples, words):
    with pytest.raises(dropgui.DropguiError, match=words):
        compute_stats(dropgui.Spec(), samples)


def test_too_many_cell_draws_are_refused():
    spec = dropgui.Spec(shape=(8, 512, 768))
    cells = 8 * 512 * 768
    with pytest.raises(dropgui.DropguiError, match="cell draws"):
        compute_stats(spec, MAX_SAMPLE_CELLS // cells + 1)


def test_bad_cell_and_seed_range_are_refused():
    with pytest.raises(dropgui.DropguiError, match="outside the tensor"):
        compute_stats(dropgui.Spec(), 10, cell=(0, 3, 0))
    with pytest.raises(dropgui.DropguiError, match="largest seed"):
        compute_stats(dropgui.Spec(seed=dropgui.spec.MAX_SEED), 2, over="seeds")
    with pytest.raises(dropgui.DropguiError, match="over must be"):
        compute_stats(dropgui.Spec(), 10, over="epochs")


def test_bad_requests_fail_before_tensorflow_and_without_qt():
    """A refused request imports no TensorFlow; the statistics import no Qt."""
    script = textwrap.dedent(
        """
        import sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"):
                    raise ImportError(f"Qt is blocked in this test: {name}")
                return None

        sys.meta_path.insert(0, BlockQt())
        import dropgui
        from dropgui.stats import MAX_SAMPLES, compute_stats

        for samples in (0, -1, MAX_SAMPLES + 1):
            try:
                compute_stats(dropgui.Spec(), samples)
            except dropgui.DropguiError:
                pass
            else:
                raise AssertionError(samples)
        assert "tensorflow" not in sys.modules, "TensorFlow was imported"
        print("refused early")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "refused early" in done.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--samples", "0"],
        ["stats", "--samples", "-1"],
        ["stats", "--samples", str(MAX_SAMPLES + 1)],
        ["stats", "--cell", "1,2"],
        ["stats", "--cell", "a,b,c"],
        ["stats", "--cell", "0,3,0"],
    ],
)
def test_cli_refuses_bad_input_with_one_line_and_status_2(argv, capsys):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dropgui: error: ")


def test_cli_json_has_the_figures(capsys):
    argv = [
        "stats",
        "--json",
        "--mode",
        "token",
        "--shape",
        "2,3,4",
        "--samples",
        "400",
        "--cell",
        "1,2,3",
        "--over",
        "seeds",
        "--seed",
        "5",
    ]
    assert cli.main(argv) == 0
    figures = json.loads(capsys.readouterr().out)
    for key in (
        "drop_frequency",
        "mean_drop_frequency",
        "kept_fraction_histogram",
        "correlation",
        "mean_output",
        "method",
        "samples",
        "over",
    ):
        assert key in figures, key
    assert np.asarray(figures["drop_frequency"]).shape == (2, 3, 4)
    assert np.asarray(figures["mean_output"]).shape == (2, 3, 4)
    correlation = np.asarray(figures["correlation"])
    assert np.all(correlation[1, 2, :] == 1.0)  # token mode: the cell's row
    histogram = figures["kept_fraction_histogram"]
    assert set(histogram) >= {"bins", "counts", "theory"}
    assert sum(histogram["counts"]) == 400 * 2
    assert figures["method"] == METHOD_BATCHED
    assert (figures["samples"], figures["over"], figures["cell"]) == (400, "seeds", [1, 2, 3])


def test_cli_text_summary(capsys):
    assert cli.main(["stats", "--mode", "spatial", "--samples", "300"]) == 0
    text = capsys.readouterr().out
    assert "draws 1..300 of seed 0" in text
    assert "Binomial(4, 1 - rate)" in text
    assert "drop_frequency (3, 3, 4)" in text


# ------------------------------------------------------------------ issue 10


def test_runs_over_the_memory_budget_are_refused_before_any_work(tmp_path):
    """Issue 10, defect 6: `stats --shape 4096,4096,1 --samples 1` took 114 s and 20 GB,
    100,000 tf-keras draws of (32, 20, 16) 4.5 GB. Refused at once, with the numbers,
    before TensorFlow is imported and before a .npy file's data is read."""
    header_only = tmp_path / "header_only.npy"  # (4096, 4096, 1) float32, no data
    with header_only.open("wb") as f:
        np.lib.format.write_array_header_1_0(
            f, {"descr": "<f4", "fortran_order": False, "shape": (4096, 4096, 1)}
        )
    script = textwrap.dedent(
        f"""
        import sys, time
        import dropgui
        from dropgui.stats import compute_stats
        from dropgui.stats.plan import check_memory_budget

        for spec, samples in (
            (dropgui.Spec(shape=(4096, 4096, 1)), 1),
            (dropgui.Spec(source={str(header_only)!r}), 1),
            (dropgui.Spec(shape=(32, 20, 16), engine="tf-keras"), 100_000),
        ):
            start = time.perf_counter()
            try:
                compute_stats(spec, samples)
            except dropgui.DropguiError as error:
                message = str(error)
                print(round(time.perf_counter() - start, 3), message)
        most = int(message.split("take at most ")[1].split()[0].replace(",", ""))
        spec = dropgui.Spec(shape=(32, 20, 16), engine="tf-keras")
        check_memory_budget(spec, spec.shape, most, "draws")
        check_memory_budget(spec, spec.shape, 100_000, "seeds")  # no op seeds pile up
        try:
            check_memory_budget(spec, spec.shape, most + 1, "draws")
        except dropgui.DropguiError:
            print("the estimate bounds the samples exactly")
        print("tensorflow" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    *refusals, bound, tensorflow_imported = done.stdout.splitlines()
    assert tensorflow_imported == "False"
    assert bound == "the estimate bounds the samples exactly"
    assert len(refusals) == 3
    for line in refusals:
        seconds, message = line.split(" ", 1)
        assert float(seconds) < 1.0
        assert "GB of memory, more than dropgui's budget of 2 GB" in message
    assert "at most about" in refusals[0] and "cells" in refusals[0]
    assert "100,000 samples of (32, 20, 16) (tf-keras, over draws)" in refusals[2]


@pytest.mark.parametrize("engine", ["keras3", "tf-keras"])
def test_a_later_draw_that_overflows_is_refused_not_tallied(tmp_path, engine):
    """Gaussian factors are random: the spec's own draw may be finite and a later one
    not. The run is refused instead of reporting inf (which is not JSON)."""
    ones, big = tmp_path / "ones.npy", tmp_path / "big.npy"
    np.save(ones, np.ones((1, 1, 1), np.float32))
    np.save(big, np.full((1, 1, 1), 3e38, np.float32))
    base = dropgui.Spec(source=str(ones), mode="gaussian", engine=engine)
    seed = next(s for s in range(50) if abs(dropgui.compute(base.replace(seed=s)).noise) < 1)
    spec = dropgui.Spec(source=str(big), mode="gaussian", engine=engine, seed=seed)
    assert np.isfinite(dropgui.compute(spec).output).all()
    with pytest.raises(dropgui.DropguiError, match=r"overflow float32 .* noise factors"):
        compute_stats(spec, 200)


def test_tf_keras_statistics_leave_the_callers_random_stream_alone():
    """The tf-keras replay runs `tf.random.set_seed` too; the caller's stream is kept."""
    from dropgui.engine import load_tensorflow

    tf = load_tensorflow().tf
    tf.random.set_seed(321)
    expected = [float(tf.random.uniform(())) for _ in range(2)]
    tf.random.set_seed(321)
    first = float(tf.random.uniform(()))
    compute_stats(dropgui.Spec(engine="tf-keras", seed=3, draw=2), 300, over="draws")
    assert [first, float(tf.random.uniform(()))] == expected
