"""Why a supporting document was refused or cannot be trusted, as errors an officer can act on.

Every refusal is an ``InputFileError`` (a ``WorkbenchError``): the CLI prints it on one line
and exits 2, the UI shows it in a message box. Subclasses let the UI tell the cases apart
(e.g. offer "choose another file" for a wrong type, "ask the issuer" for an encrypted PDF).
"""

from __future__ import annotations

from workbench.domain.errors import InputFileError, WorkbenchError


class DocumentRefusedError(InputFileError):
    """The file cannot be accepted as a supporting document; the message says why and what to do."""


class DocumentTooLargeError(DocumentRefusedError):
    """The file is larger than the configured size cap."""


class UnsupportedDocumentTypeError(DocumentRefusedError):
    """The content is not a PDF, PNG, JPEG or TIFF (whatever its extension says)."""


class EncryptedPdfError(DocumentRefusedError):
    """The PDF is encrypted; the store keeps only documents it can read and check for years."""


class BrokenDocumentError(DocumentRefusedError):
    """The file claims a supported type but its structure cannot be read."""


class DocumentStoreError(WorkbenchError):
    """The document store could not be written (disk full, permissions); nothing was stored."""


class DocumentIntegrityError(WorkbenchError):
    """A stored document is missing or no longer matches its recorded SHA-256."""
