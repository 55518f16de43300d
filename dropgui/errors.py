"""The one exception type that dropgui raises for bad input."""

from __future__ import annotations

from .i18n import N_, tr


class DropguiError(ValueError):
    """A request dropgui refuses: the message names the problem in one line.

    The CLI prints the message on stderr and exits with status 2; the window shows it
    next to the control named by `field` (a Spec field such as "rate", "noise_shape" or
    "source", or "" when the problem is not one field's), without reading the text.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


_OS_REASONS = frozenset(
    {
        N_("Permission denied"),
        N_("No such file or directory"),
        N_("Not a directory"),
        N_("Is a directory"),
        N_("No space left on device"),
        N_("Disk quota exceeded"),
        N_("Read-only file system"),
        N_("File name too long"),
    }
)
"""The operating system's reasons (`strerror`, as glibc and macOS word them) that a
refusal says in the current language; any other reason is shown as the system gave it."""


def os_reason(error: OSError) -> str:
    """Why the operating system refused: its own words, said in the current language when
    the catalog knows them (so the English is exactly what the system said)."""
    reason = error.strerror or str(error)
    return tr(reason) if reason in _OS_REASONS else reason
