"""Vietnamese for Qt's own texts: the default locale and the shipped translation of Qt's strings.

Qt ships no Vietnamese translation of its standard dialogs, buttons and context menus, so the app
carries ``resources/translations/qt_vi.ts`` (edited by hand or in Qt Linguist) compiled to
``qt_vi.qm``. The locale makes calendars, day and month names and decimal commas Vietnamese.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from gnbv_desktop.paths import resource_path

VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def translation_file() -> Path:
    return resource_path("translations", "qt_vi.qm")


def install_vietnamese(app: QCoreApplication) -> QTranslator:
    """Make Vietnamese the default locale and install Qt's Vietnamese strings; returns the translator.

    Call before any widget is built: widgets read the default locale when they are created.
    """
    QLocale.setDefault(VIETNAMESE)
    translator = QTranslator(app)
    if translator.load(str(translation_file())):
        app.installTranslator(translator)
    else:  # the app still works, with Qt's English button texts; say so where support looks
        logging.getLogger(__name__).warning("Không nạp được bản dịch %s", translation_file())
    return translator
