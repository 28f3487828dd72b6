"""Re-exports."""
from .retrieval_loops import RetrievalTestLoop, RetrievalValLoop, gather_rows

__all__ = ['RetrievalTestLoop', 'RetrievalValLoop', 'gather_rows']
