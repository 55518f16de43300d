"""`dropgui print`: numpy-formatted text, `--json`, help, and one-line errors.

Most checks call `dropgui.cli.main` in-process (TensorFlow is imported once); a few run
the real command in a subprocess, as a user would, to see exit status and stderr whole.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from dropgui import Spec, cli, compute
from dropgui.spec import parse_tokens

JSON_KEYS = {
    "input",
    "output",
    "keep_mask",
    "scale",
    "mode",
    "engine",
    "seed",
    "draw",
    "rate",
    "shape",
    "dropped_rows",
    "dropped_columns",
}
SPEC_OPTIONS = (
    "--mode",
    "--rate",
    "--shape",
    "--input",
    "--vocab",
    "--tokens",
    "--data-seed",
    "--noise-shape",
    "--seed",
    "--draw",
    "--engine",
    "--inference",
)


def run_dropgui(*args: str) -> subprocess.CompletedProcess:
    """The real `python -m dropgui` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "dropgui", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def restore_printoptions():
    """`dropgui print` sets numpy's print options; leave other tests unaffected."""
    saved = np.get_printoptions()
    yield
    np.set_printoptions(**saved)


def assert_json_matches(payload: dict, spec: Spec) -> None:
    """The JSON arrays and facts equal `compute(spec)` exactly."""
    expected = compute(spec)
    assert payload.keys() >= JSON_KEYS
    for name in ("input", "output"):
        array = np.array(payload[name], dtype=np.float32)
        np.testing.assert_array_equal(
            array.view(np.uint32), getattr(expected, name).view(np.uint32)
        )
    keep_mask = np.array(payload["keep_mask"])
    assert keep_mask.dtype == np.bool_
    np.testing.assert_array_equal(keep_mask, expected.keep_mask)
    assert payload["scale"] == expected.scale
    assert (payload["mode"], payload["engine"]) == (spec.mode, spec.engine)
    assert (payload["seed"], payload["draw"], payload["rate"]) == (spec.seed, spec.draw, spec.rate)
    assert payload["shape"] == list(expected.shape)
    assert payload["dropped_rows"] == [rows.tolist() for rows in expected.dropped_rows]
    assert payload["dropped_columns"] == [cols.tolist() for cols in expected.dropped_columns]


# ------------------------------------------------------------------------------ print

JSON_CASES = {
    "default": ([], Spec()),
    "spatial tf-keras draw 3": (
        ["--mode", "spatial", "--engine", "tf-keras", "--seed", "5", "--draw", "3"],
        Spec(mode="spatial", engine="tf-keras", seed=5, draw=3),
    ),
    "token shape rate": (
        ["--mode", "token", "--shape", "2,5,3", "--rate", "0.3", "--seed", "11"],
        Spec(mode="token", shape=(2, 5, 3), rate=0.3, seed=11),
    ),
    "noise shape": (
        ["--noise-shape", "None,1,4", "--seed", "2"],
        Spec(noise_shape=(None, 1, 4), seed=2),
    ),
    "word tokens": (
        # No --shape: B and S follow the ids, D is the default 4.
        [
            "--mode",
            "word",
            "--input",
            "embedding",
            "--vocab",
            "6",
            "--data-seed",
            "3",
            "--seed",
            "4",
            "--tokens",
            "1 2 3 1; 5 0 1 1",
        ],
        Spec(
            mode="word",
            source="embedding",
            vocab=6,
            data_seed=3,
            seed=4,
            tokens=((1, 2, 3, 1), (5, 0, 1, 1)),
            shape=(2, 4, 4),
        ),
    ),
    "gaussian": (["--mode", "gaussian", "--rate", "0.2"], Spec(mode="gaussian", rate=0.2)),
    "alpha inference": (
        ["--mode", "alpha", "--inference", "--seed", "9"],
        Spec(mode="alpha", training=False, seed=9),
    ),
}


@pytest.mark.parametrize(("argv", "spec"), JSON_CASES.values(), ids=JSON_CASES.keys())
def test_print_json_equals_compute(capsys, argv, spec):
    assert cli.main(["print", "--json", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.count("\n") == 1, "one JSON object on one line"
    payload = json.loads(out)
    assert_json_matches(payload, spec)
    if spec.mode == "word":
        assert payload["token_ids"] == [list(row) for row in spec.tokens]
    if spec.mode == "gaussian":
        np.testing.assert_array_equal(np.array(payload["noise"], np.float32), compute(spec).noise)


def test_print_json_with_npy_input(capsys, tmp_path):
    path = tmp_path / "x.npy"
    values = np.linspace(-1, 1, 24, dtype=np.float32).reshape(2, 3, 4)
    values[0, 0, 0] = 0.0
    np.save(path, values)
    assert cli.main(["print", "--json", "--input", str(path), "--seed", "3"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert_json_matches(payload, Spec(source=str(path), seed=3))
    assert payload["shape"] == [2, 3, 4]


def test_print_text_shows_numpy_arrays_and_explanation(capsys, restore_printoptions):
    argv = ["print", "--mode", "spatial", "--shape", "2,3,5", "--seed", "7"]
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    result = compute(Spec(mode="spatial", shape=(2, 3, 5), seed=7))
    with np.printoptions(linewidth=100):
        for array in (result.input, result.output, result.keep_mask):
            assert str(array) in out  # numpy's own formatting, e.g. "[[[ 1.  2. ..."
    assert "[[[False" in out or "[[[ True" in out
    assert out.index(str(result.input)) < out.index("keep_mask") < out.index(result.explanation)
    assert result.explanation in out
    assert "channels (counted per sample) dropped whole" in out


def test_print_text_gaussian_shows_noise(capsys, restore_printoptions):
    assert cli.main(["print", "--mode", "gaussian", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    result = compute(Spec(mode="gaussian", seed=1))
    with np.printoptions(linewidth=100):
        assert str(result.noise) in out
    assert "no cell is zero" in out


def test_print_json_subprocess_equals_compute():
    argv = ["--mode", "token", "--shape", "2,3,5", "--seed", "6", "--draw", "2"]
    done = run_dropgui("print", "--json", *argv, "--engine", "tf-keras")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", "TensorFlow start-up noise must not reach the user"
    spec = Spec(mode="token", shape=(2, 3, 5), seed=6, draw=2, engine="tf-keras")
    assert_json_matches(json.loads(done.stdout), spec)


def test_print_text_subprocess():
    done = run_dropgui("print", "--shape", "2,2,3", "--seed", "1")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    result = compute(Spec(shape=(2, 2, 3), seed=1))
    with np.printoptions(linewidth=100):
        assert str(result.output) in done.stdout
        assert str(result.keep_mask) in done.stdout
    assert result.explanation in done.stdout


# ------------------------------------------------------------------------------- help


def test_help_subprocess():
    top = run_dropgui("--help")
    assert top.returncode == 0, top.stderr
    assert "print" in top.stdout and "usage: dropgui" in top.stdout
    sub = run_dropgui("print", "--help")
    assert sub.returncode == 0, sub.stderr
    for option in (*SPEC_OPTIONS, "--json"):
        assert option in sub.stdout, option
    assert "16,777,216" in sub.stdout, "the size cap is documented"


def test_print_help_in_process_documents_choices(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["print", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for name in ("dropout", "spatial", "token", "word", "gaussian", "alpha", "keras3", "tf-keras"):
        assert name in out
    assert "arange|embedding|PATH.npy" in out


# ------------------------------------------------------------------------- bad input


def _bad_files(folder):
    np.save(folder / "rank1.npy", np.zeros(5, dtype=np.float32))
    np.save(folder / "strings.npy", np.array([["a", "b"], ["c", "d"]]))
    np.save(folder / "pickled.npy", np.array([[1, None]], dtype=object), allow_pickle=True)
    (folder / "garbage.npy").write_bytes(b"\x00\x01 not numpy \n\n\xff" * 30)
    return folder


BAD_ARGV = {
    "rate negative": (["--rate", "-0.5"], "rate must be at least 0 and below 1"),
    "rate one": (["--rate", "1"], "rate must be at least 0 and below 1"),
    "rate 1.5": (["--rate", "1.5"], "rate must be at least 0 and below 1"),
    "rate nan": (["--rate", "nan"], "rate must be at least 0 and below 1"),
    "shape 1,2": (["--shape", "1,2"], "three positive integers"),
    "shape 0,2,2": (["--shape", "0,2,2"], "three positive integers"),
    "shape a,b,c": (["--shape", "a,b,c"], "three positive integers"),
    "shape too large": (["--shape", "100000,100000,100000"], "more than the cap"),
    "noise shape rank": (["--noise-shape", "3,1"], "3 entries"),
    "noise shape entry": (["--noise-shape", "3,2,4"], "entry 1 is 2"),
    "noise shape text": (["--noise-shape", "3,x,4"], "integers or None"),
    "token out of vocab": (
        ["--input", "embedding", "--vocab", "5", "--tokens", "1 2 5"],
        r"token id 5 is outside \[0, 5\)",
    ),
    "token negative": (
        ["--input", "embedding", "--vocab", "5", "--tokens", "1 -1 2"],
        r"token id -1 is outside",
    ),
    "ragged tokens": (["--input", "embedding", "--tokens", "1 2 3; 4 5"], "rows of 3 ids"),
    "word without embedding": (["--mode", "word"], "needs embedding input"),
    "npy missing": (["--input", "{dir}/missing.npy"], "not found"),
    "npy garbage": (["--input", "{dir}/garbage.npy"], "cannot read"),
    "npy rank": (["--input", "{dir}/rank1.npy"], r"shape \(5\)"),
    "npy strings": (["--input", "{dir}/strings.npy"], "needs numbers"),
    "npy pickled": (["--input", "{dir}/pickled.npy"], "pickle"),
    "seed negative": (["--seed", "-3"], "seed must be"),
    "draw zero": (["--draw", "0"], "draw must be"),
}


@pytest.mark.parametrize(("argv", "problem"), BAD_ARGV.values(), ids=BAD_ARGV.keys())
def test_bad_input_is_one_line_and_status_2(capsys, tmp_path, argv, problem):
    folder = _bad_files(tmp_path)
    argv = [arg.format(dir=folder) for arg in argv]
    for extra in ([], ["--json"]):
        assert cli.main(["print", *argv, *extra]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert err.startswith("dropgui: error: ")
        assert re.search(problem, err), err


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--rate", "abc"], "invalid float value: 'abc'"),
        (["--mode", "dropconnect"], "invalid choice: 'dropconnect'"),
        (["--engine", "torch"], "invalid choice: 'torch'"),
        (["--seed", "1.5"], "invalid int value"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_are_one_line_and_status_2(capsys, argv, problem):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["print", *argv])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and problem in err, err


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--shape", "1,2"], "shape must be three positive integers"),
        (["--input", "{dir}/garbage.npy"], "cannot read"),
        (["--rate", "nan"], "rate must be at least 0 and below 1"),
    ],
)
def test_bad_input_subprocess_has_no_traceback(tmp_path, argv, problem):
    folder = _bad_files(tmp_path)
    done = run_dropgui("print", *(arg.format(dir=folder) for arg in argv))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and done.stderr.endswith("\n"), done.stderr
    assert lines[0].startswith("dropgui: error: ") and problem in lines[0]


def test_bad_input_is_refused_before_tensorflow_is_imported():
    script = (
        "import sys\n"
        "from dropgui import cli\n"
        "codes = [cli.main(['print', *a]) for a in (['--rate', '2'], ['--shape', '0,1,1'],"
        " ['--input', 'no/such/file.npy'], ['--mode', 'word'])]\n"
        "print(codes, 'tensorflow' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[2, 2, 2, 2] False"
    assert len(done.stderr.splitlines()) == 4


# ------------------------------------------------------------------ hostile input (issue 10)


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["print", "--rate", "-inf"], r"rate must be at least 0 and below 1 .*got -inf"),
        (["print", "--shape", "-1,3,4"], r"three positive integers .*got \(-1, 3, 4\)"),
        (["print", "--noise-shape", "-1,1,1"], "noise_shape entry 0 is -1"),
        (["export", "-o", "never.gif", "--seeds", "-5:3"], "--seeds -5:3 goes outside"),
        (["stats", "--cell", "-1,0,0"], r"cell \(-1, 0, 0\) is outside"),
        (["print", "--rate", "-.5"], "got -0.5"),
    ],
)
def test_negative_values_reach_their_check(capsys, argv, problem):
    """argparse took `-1,3,4` for an option and said "expected one argument"."""
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert re.search(problem, err) and "expected one argument" not in err, err


def test_json_is_refused_above_its_cap_before_any_work():
    """Issue 10, defect 6: `print --shape 4096,4096,1 --json` took 7.8 GB."""
    script = (
        "import sys, time\n"
        "from dropgui import cli\n"
        "for command in ('print', 'stats'):\n"
        "    start = time.perf_counter()\n"
        "    code = cli.main([command, '--json', '--shape', '4096,4096,1'])\n"
        "    print(code, time.perf_counter() - start)\n"
        "print('tensorflow' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    *runs, tensorflow_imported = done.stdout.splitlines()
    assert tensorflow_imported == "False"
    for run in runs:
        code, seconds = run.split()
        assert code == "2" and float(seconds) < 1.0
    errors = done.stderr.splitlines()
    assert len(errors) == 2, done.stderr
    assert all(f"at most {cli.MAX_JSON_CELLS:,} cells" in line for line in errors)
    assert all("16,777,216" in line and "export -o FILE.npz" in line for line in errors)


@pytest.fixture
def hostile_inputs(tmp_path):
    """Files that once hung, tracebacked or printed warnings, with what must be said."""
    np.save(tmp_path / "big.npy", np.full((1, 2, 2), 3e38, np.float32))
    np.save(tmp_path / "huge64.npy", np.full((1, 2, 2), 1e300))
    os.mkfifo(tmp_path / "fifo.npy")
    (tmp_path / "loop_a.npy").symlink_to(tmp_path / "loop_b.npy")
    (tmp_path / "loop_b.npy").symlink_to(tmp_path / "loop_a.npy")
    return {
        "big.npy": r"overflow float32 under Dropout\(0\.5\): kept cells are scaled by 2 .*3e\+38",
        "huge64.npy": r"beyond float32's range \(largest \|x\| is 1e\+300\)",
        "fifo.npy": "is a FIFO",
        "loop_a.npy": "is a symlink loop",
    }


@pytest.mark.parametrize("command", [["print"], ["print", "--json"], ["stats", "--json"]])
def test_hostile_files_get_one_line_and_status_2_as_a_user_sees_it(
    tmp_path, hostile_inputs, command
):
    """Issue 10, defects 4 and 5, and the float64 warnings and symlink loop of item 11: a
    FIFO blocked for ever, the overflowing file ended in tracebacks or in `Infinity`
    (not JSON) with exit 0, 1e300 printed RuntimeWarning lines, a loop was "not found"."""
    for name, problem in hostile_inputs.items():
        done = run_dropgui(*command, "--input", str(tmp_path / name))  # a hang times out
        assert done.returncode == 2, (name, done.stdout[:200], done.stderr)
        assert done.stdout == ""
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("dropgui: error: "), done.stderr
        assert re.search(problem, lines[0]), lines[0]


# ------------------------------------------------------------- issue 11: --model


@pytest.fixture(scope="module")
def cli_models(tmp_path_factory):
    """Tiny models a user would bring, and hostile files, saved once."""
    from dropgui.tf_loader import load_tensorflow

    keras = load_tensorflow().keras
    import tf_keras

    folder = tmp_path_factory.mktemp("cli_models")
    vectorizer = keras.layers.TextVectorization(max_tokens=16, name="vectorizer")
    vectorizer.adapt(["the cat sat on the mat", "a dog ran in the park"])
    text = keras.Input((1,), dtype="string")
    x = keras.layers.Embedding(16, 4, name="emb")(vectorizer(text))
    x = keras.layers.SpatialDropout1D(0.2, name="spatial")(x)
    keras.Model(text, keras.layers.GRU(3, dropout=0.3, name="gru")(x)).save(folder / "text.keras")
    ids = tf_keras.Input((4,), dtype="int32")
    y = tf_keras.layers.Embedding(10, 3, name="emb")(ids)
    with pytest.warns(UserWarning, match="legacy"):
        tf_keras.Model(ids, tf_keras.layers.Dropout(0.3, name="drop")(y)).save(folder / "legacy.h5")
    marker = folder / "lambda-ran"
    touch = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    hostile = keras.Sequential(
        [
            keras.Input((4,), dtype="int32"),
            keras.layers.Embedding(10, 3),
            keras.layers.Lambda(eval(f"lambda t: t + 0.0 * float({touch} is None)")),
            keras.layers.Dropout(0.3),
        ]
    )
    hostile.save(folder / "lambda.keras")
    marker.unlink()
    dense = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2), keras.layers.Dropout(0.2)])
    dense.save(folder / "dense.keras")
    plain = keras.Sequential([keras.Input((4,), dtype="int32"), keras.layers.Embedding(10, 3)])
    plain.save(folder / "plain.keras")
    whole = (folder / "text.keras").read_bytes()
    (folder / "truncated.keras").write_bytes(whole[: len(whole) // 3])
    (folder / "notes.keras").write_text("not a model\n")
    with open(folder / "big.keras", "wb") as file:
        file.truncate(300 * 2**20)  # sparse
    return folder


def model_argv_spec(folder, *argv: str) -> tuple[list[str], Spec]:
    """argv for a model and the spec it must give, built through the core API."""
    from dropgui.inputs import input_shape
    from dropgui.model_input import spec_for_layer

    args = cli.build_parser().parse_args(["print", *argv])
    spec = spec_for_layer(
        Spec(
            source="model",
            model=args.model,
            tokens=parse_tokens(args.tokens) if args.tokens else None,
            text=tuple(args.text) if args.text else None,
            seed=args.seed or 0,
            draw=args.draw,
        ),
        args.layer,
        keep_seed=args.seed is not None,
    )
    return list(argv), spec.replace(shape=input_shape(spec))


def test_print_json_of_a_model_layer_equals_compute(capsys, cli_models):
    text = str(cli_models / "text.keras")
    cases = [
        ("--model", text, "--text", "the cat sat", "--text", "a dog ran far", "--layer", "gru"),
        ("--model", text, "--text", "the mat", "--seed", "3", "--draw", "2"),
        ("--model", str(cli_models / "legacy.h5"), "--tokens", "1 2 3 4; 9 0 0 5", "--draw", "3"),
    ]
    for case in cases:
        argv, spec = model_argv_spec(cli_models, *case)
        assert cli.main(["print", "--json", *argv]) == 0
        payload = json.loads(capsys.readouterr().out)
        assert_json_matches(payload, spec)
        assert Spec.from_dict(payload["spec"]) == spec
    assert payload["layer"] == "drop: Dropout(rate=0.3)" and payload["engine"] == "tf-keras"
    argv, spec = model_argv_spec(cli_models, *cases[0])
    assert cli.main(["print", "--json", *argv]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["words"] == [["the", "cat", "sat", "[PAD]"], ["a", "dog", "ran", "[UNK]"]]


def test_print_text_of_a_model_lists_its_layers_words_and_names_the_layer(capsys, cli_models):
    path = str(cli_models / "text.keras")
    assert cli.main(["print", "--model", path, "--text", "the dog sat", "--layer", "gru"]) == 0
    out = capsys.readouterr().out
    assert f"model {path} (keras3)" in out and "Embedding 'emb': 16 ids x 4 channels" in out
    assert "spatial: SpatialDropout1D(rate=0.2)" in out and "gru: GRU(dropout=0.3)" in out
    assert "words:\nthe dog sat\n" in out
    assert "The model's layer GRU 'gru' input dropout(0.3)" in out


def test_stats_and_export_take_a_model(capsys, cli_models, tmp_path):
    path = str(cli_models / "text.keras")
    argv = ["--model", path, "--text", "the cat sat on the mat", "--layer", "spatial"]
    assert cli.main(["stats", "--json", "--samples", "50", *argv]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["spec"]["layer"] == "spatial" and payload["shape"] == [1, 6, 4]
    target = tmp_path / "view.npz"
    assert cli.main(["export", "-o", str(target), *argv, "--seed", "4"]) == 0
    _, spec = model_argv_spec(cli_models, *argv, "--seed", "4")
    with np.load(target) as saved:
        np.testing.assert_array_equal(saved["output"], compute(spec).output)


MODEL_REFUSALS = {
    "lambda": (["--model", "{dir}/lambda.keras"], "holds a Lambda layer"),
    "missing": (["--model", "{dir}/missing.keras"], "model file not found"),
    "folder": (["--model", "{dir}"], "is a folder"),
    "truncated": (["--model", "{dir}/truncated.keras"], "damaged or truncated"),
    "not a model": (["--model", "{dir}/notes.keras"], "is not a Keras model file"),
    "no embedding": (["--model", "{dir}/dense.keras"], "has no Embedding layer"),
    "no dropout": (["--model", "{dir}/plain.keras"], "has no dropout after its Embedding"),
    "size cap": (["--model", "{dir}/big.keras"], "300 MiB, more than dropgui's model cap"),
    "unknown layer": (
        ["--model", "{dir}/text.keras", "--layer", "nope"],
        "no dropout layer 'nope'",
    ),
    "ids outside": (
        ["--model", "{dir}/legacy.h5", "--tokens", "1 2 3 10"],
        r"token id 10 is outside the vocabulary \[0, 10\)",
    ),
    "text without vectorizer": (
        ["--model", "{dir}/legacy.h5", "--text", "a cat"],
        "no TextVectorization layer",
    ),
    "engine": (["--model", "{dir}/legacy.h5", "--engine", "keras3"], "tf-keras model; use engine"),
    "rate with model": (["--model", "{dir}/legacy.h5", "--rate", "0.2"], "--rate does not apply"),
    "layer without model": (["--layer", "drop"], "--layer applies to a --model only"),
    "text without model": (["--text", "a cat"], "--text applies to a --model only"),
}


@pytest.mark.parametrize(("argv", "problem"), MODEL_REFUSALS.values(), ids=MODEL_REFUSALS.keys())
def test_model_refusals_are_one_line_and_status_2(capsys, cli_models, argv, problem):
    argv = [arg.format(dir=cli_models) for arg in argv]
    for command in (["print"], ["print", "--json"], ["stats"], ["export", "-o", "x.npz"]):
        assert cli.main([*command, *argv]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and err.startswith("dropgui: error: "), err
        assert re.search(problem, err), err
    assert not (cli_models / "lambda-ran").exists()


def test_hostile_models_are_refused_before_tensorflow_and_run_no_code(cli_models):
    script = (
        "import sys\n"
        "from dropgui import cli\n"
        f"folder = {str(cli_models)!r}\n"
        "codes = [cli.main(['print', '--model', f'{folder}/{name}']) for name in "
        "('lambda.keras', 'truncated.keras', 'notes.keras', 'big.keras', 'dense.keras')]\n"
        "print(codes, 'tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[2, 2, 2, 2, 2] False False"
    assert len(done.stderr.splitlines()) == 5 and "Traceback" not in done.stderr
    assert not (cli_models / "lambda-ran").exists()


def test_help_documents_the_model_options_and_cap(capsys):
    with pytest.raises(SystemExit):
        cli.main(["print", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for option in ("--model PATH", "--layer NAME", "--text TEXT"):
        assert option in out
    assert "Lambda and custom layers, and files above 256 MiB" in out
