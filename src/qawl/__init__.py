"""qawl — who said what, to whom, when, and according to whom, in Arabic news."""

from qawl.model import Attribution, Document
from qawl.pipeline import EXTRACTOR_VERSION, extract

__version__ = "0.1.0"
__all__ = ["extract", "Document", "Attribution", "EXTRACTOR_VERSION", "__version__"]
