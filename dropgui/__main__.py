"""`python -m dropgui` is the `dropgui` command."""

EXIT_INTERRUPTED = 130
"""128 + SIGINT, what a shell expects of a program ended by Ctrl+C."""

try:
    from .cli import main

    status = main()
except KeyboardInterrupt:  # Ctrl+C before the window's own handler is in place: no traceback
    status = EXIT_INTERRUPTED
raise SystemExit(status)
