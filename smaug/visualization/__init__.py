"""Re-exports."""
from .frame_selection_figure import (default_num_selected, frame_selection,
                                     frame_selection_figure,
                                     frame_selection_grid)
from .probe_mode import probe_mode
from .reconstruction_figure import (GREY, ROW_LABELS, mae_reconstruction,
                                    reconstruction_figure,
                                    reconstruction_grid)
from .tile_grid import TileGrid, zoom_for

__all__ = [
    'GREY', 'ROW_LABELS', 'TileGrid', 'default_num_selected',
    'frame_selection', 'frame_selection_figure', 'frame_selection_grid',
    'mae_reconstruction', 'probe_mode', 'reconstruction_figure',
    'reconstruction_grid', 'zoom_for'
]
