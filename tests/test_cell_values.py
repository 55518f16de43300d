"""Printed cell values: plain numbers with a sensible number of digits."""

import numpy as np
import pytest

from dropgui._qt.cell_values import format_value, format_values, is_integral


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (140.23, "140"),
        (1831.0, "1831"),
        (123456.7, "123457"),
        (2.5, "2.5"),
        (12.345, "12.3"),
        (-1.5, "-1.5"),
        (0.031234, "0.0312"),
        (-0.000312, "-0.000312"),
        (0.0, "0"),
        (1.0, "1"),
    ],
)
def test_values_print_in_plain_notation(value, text):
    assert format_value(value) == text


def test_no_exponent_at_any_magnitude():
    values = np.float32(10.0) ** np.arange(-6, 7, dtype=np.float32)
    texts = format_values(np.concatenate([values, -values]), integral=False)
    assert not any("e" in text for text in texts)


def test_whole_numbers_print_whole_only_when_all_are():
    assert is_integral(np.array([1.0, 2.0, 36.0]))
    assert not is_integral(np.array([1.0, 2.5]))
    assert not is_integral(np.array([1e7]))  # too long to print whole in a cell
    assert format_values(np.array([1.0, 72.0]), integral=True) == ["1", "72"]
