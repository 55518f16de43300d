"""The one exception type that dropgui raises for bad input."""

from __future__ import annotations


class DropguiError(ValueError):
    """A request dropgui refuses: the message names the problem in one line.

    The CLI prints the message on stderr and exits with status 2; the window shows it
    next to the control named by `field` (a Spec field such as "rate", "noise_shape" or
    "source", or "" when the problem is not one field's), without reading the text.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
