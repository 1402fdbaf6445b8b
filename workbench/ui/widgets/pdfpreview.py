"""A page-by-page preview of a verified PDF held in memory, rendered with QtPdf.

QtPdf comes with PySide6-Addons. Where it cannot be imported (a trimmed install), ``available``
is false and the Documents panel falls back to the first page's text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument


def _pdf_document_class() -> type[QPdfDocument] | None:
    try:
        from PySide6.QtPdf import QPdfDocument as document_class
    except ImportError:  # PySide6-Addons missing or its libraries unloadable
        logger.warning("QtPdf is not available; PDFs preview as text")
        return None
    return document_class


PDF_DOCUMENT = _pdf_document_class()


def available() -> bool:
    return PDF_DOCUMENT is not None


class PdfPreview(QWidget):
    """The rendered page fitted to the widget, with previous/next page buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current = 0
        self._buffer: QBuffer | None = None
        self._document: QPdfDocument | None = None
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.page.setMinimumSize(120, 160)
        self.previous_button = QPushButton("◀ Previous page")
        self.next_button = QPushButton("Next page ▶")
        self.position = QLabel()
        self.previous_button.clicked.connect(lambda: self.show_page(self.current - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.current + 1))
        row = QHBoxLayout()
        row.addWidget(self.previous_button)
        row.addStretch(1)
        row.addWidget(self.position)
        row.addStretch(1)
        row.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page, 1)
        layout.addLayout(row)

    @property
    def page_count(self) -> int:
        return self._document.pageCount() if self._document is not None else 0

    def load(self, data: bytes) -> bool:
        """Show the first page of ``data``; False when QtPdf is missing or cannot read it."""
        self.clear()
        if PDF_DOCUMENT is None:
            return False
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = PDF_DOCUMENT(self)
        document.load(buffer)
        if document.status() != PDF_DOCUMENT.Status.Ready or document.pageCount() < 1:
            logger.info("QtPdf could not open the document: %s", document.error())
            document.deleteLater()
            buffer.deleteLater()
            return False
        self._buffer, self._document = buffer, document  # the document reads from the buffer while shown
        self.show_page(0)
        return True

    def clear(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document.deleteLater()
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._document = self._buffer = None
        self.current = 0
        self.page.clear()
        self.position.clear()
        self.previous_button.setEnabled(False)
        self.next_button.setEnabled(False)

    def show_page(self, index: int) -> None:
        if self._document is None:
            return
        self.current = max(0, min(index, self._document.pageCount() - 1))
        self.position.setText(f"Page {self.current + 1} of {self._document.pageCount()}")
        self.previous_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(self.current < self._document.pageCount() - 1)
        self._render()

    def rendered(self) -> QPixmap:
        pixmap = self.page.pixmap()
        return pixmap if pixmap is not None else QPixmap()

    def _render(self) -> None:
        if self._document is None:
            return
        points = self._document.pagePointSize(self.current)
        box = self.page.size()
        if points.isEmpty() or box.isEmpty():
            return
        ratio = self.devicePixelRatioF()
        scale = min(box.width() / points.width(), box.height() / points.height())
        size = QSize(max(1, int(points.width() * scale * ratio)), max(1, int(points.height() * scale * ratio)))
        image = self._document.render(self.current, size)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.page.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._render()
