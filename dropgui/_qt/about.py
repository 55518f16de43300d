"""Help -> About: dropgui's icon and version, and the versions of what it runs on.

Versions come from the installed distributions' metadata (`importlib.metadata`), not
from the modules: importing TensorFlow on the GUI thread to ask it would freeze the
window for about 2 s. Qt's is the library actually loaded (`qVersion`). The box says
itself again when the language changes; the components' names are names, never translated.
"""

from __future__ import annotations

import html
import importlib.metadata
import platform

from PySide6.QtCore import QCoreApplication, QSize, Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from ..desktop import app_version
from .app import app_icon
from .i18n import Retranslated

DISTRIBUTIONS = (
    ("TensorFlow", ("tensorflow", "tensorflow-cpu", "tensorflow-intel", "tensorflow-macos")),
    ("Keras 3", ("keras",)),
    ("tf-keras", ("tf-keras",)),
    ("PySide6", ("PySide6-Essentials", "PySide6")),
    ("pyqtgraph", ("pyqtgraph",)),
    ("NumPy", ("numpy",)),
)
"""What the About box names, each with the distributions that can provide it, in the
order asked (TensorFlow has CPU-only and vendor builds; PySide6-Essentials is the part
of PySide6 we use, and the full PySide6 depends on it)."""
ICON_SIZE = 64

translate = QCoreApplication.translate


def distribution_version(names: tuple[str, ...]) -> str | None:
    """The version of the first of `names` that is installed, or None."""
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def component_versions() -> list[tuple[str, str | None]]:
    """(component, version) for every component the About box names; None when a
    component is not installed. Qt is the loaded library, Python this interpreter."""
    versions = [(label, distribution_version(names)) for label, names in DISTRIBUTIONS]
    versions.insert(3, ("Qt", qVersion()))
    versions.append(("Python", platform.python_version()))
    return versions


def about_title() -> str:
    return translate("About", "About dropgui")


def about_text(version: str, components: list[tuple[str, str | None]]) -> str:
    """The About box's rich text in the language now set; names and numbers are filled
    in after."""
    heading = f"dropgui {html.escape(version)}"
    summary = translate(
        "About",
        "dropgui shows exactly what dropout does to the output of an embedding layer, "
        "computed by real TensorFlow/Keras layers.",
    )
    runs_on = translate("About", "Running on:")
    missing = translate("About", "not installed")
    rows = "".join(
        f"<tr><td>{html.escape(label)}</td><td>&nbsp;&nbsp;"
        f"{html.escape(number) if number is not None else missing}</td></tr>"
        for label, number in components
    )
    return f"<h3>{heading}</h3><p>{summary}</p><p>{runs_on}</p><table>{rows}</table>"


def show_about(parent: QWidget) -> QMessageBox:
    """Open the About box over `parent` (window-modal, without blocking) and return it;
    it deletes itself when closed."""
    box = AboutBox(parent)
    box.setIconPixmap(app_icon().pixmap(QSize(ICON_SIZE, ICON_SIZE), box.devicePixelRatioF()))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class AboutBox(Retranslated, QMessageBox):
    """The About box, said again in the new language when it changes while open."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(about_title())
        self.setText(about_text(app_version(), component_versions()))
