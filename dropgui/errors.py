"""The one exception type that dropgui raises for bad input."""


class DropguiError(ValueError):
    """A request dropgui refuses: the message names the problem in one line.

    The CLI prints the message on stderr and exits with status 2; the window shows it
    next to the control. Every check on user input raises this type and no other.
    """
