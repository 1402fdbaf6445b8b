"""Status colours that stay readable on a light and on a dark palette.

The status colours are chosen for a light window: dark red text, pale red backgrounds. On a
dark palette (the platform's dark mode) the same text would vanish into the background and a
pale background would glare under light text, so both are adapted when they are used.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    return app.palette().color(QPalette.ColorRole.Base).lightness() < 128


def readable(colour: QColor) -> QColor:
    """A status colour for text: lightened on a dark palette."""
    if not is_dark():
        return colour
    return QColor.fromHsl(colour.hslHue(), colour.hslSaturation(), max(colour.lightness(), 170))


def tint(colour: QColor) -> QColor:
    """A pale background tint for a light palette; a deep shade of the same hue on a dark one."""
    if not is_dark():
        return colour
    return QColor.fromHsl(colour.hslHue(), min(colour.hslSaturation(), 160), 55)


def css(colour: QColor) -> str:
    """The readable form of a status colour as a CSS colour, for style sheets and rich text."""
    return readable(colour).name()
