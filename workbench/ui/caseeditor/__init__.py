"""The case editor: general facts, parties and items of one case, with undo and drafts."""

from workbench.ui.caseeditor.editor import CaseEditor

__all__ = ["CaseEditor"]
