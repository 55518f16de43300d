"""Make the README's window screenshot with the app's own rendering (QWidget.grab).

python resources/readme/make_screenshot.py resources/readme/window.png
"""

import sys

from PySide6.QtCore import QEventLoop, QTimer

from dropgui import Spec
from dropgui._qt.app import get_qapp
from dropgui._qt.window import MainWindow

app = get_qapp()
window = MainWindow()
window.resize(1500, 880)
window.show()
loop = QEventLoop()
window.sigGridsDrawn.connect(loop.quit)
loop.exec()
window.controls.compare.setCurrentIndex(window.controls.compare.findData("spatial"))
window.controls.set_spec(Spec(), compare="spatial")
loop.exec()
QTimer.singleShot(300, loop.quit)
loop.exec()
window.grab().save(sys.argv[1])
window.close()
