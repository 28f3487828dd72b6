"""Draw the paper's Fig. 3 for one clip: its frames, the text-guided frame
selector's score of each for a caption, and the kappa frames it keeps.

The clip is a video file (``--video``, read by the config's test pipeline)
or item ``--index`` of the config's training set (see
:mod:`smaug.cli.figure_tools`); the caption is ``--caption``
or the training item's. The model runs in eval mode (no mask, no Gumbel
noise), so the kept frames are the selector's test-time top-kappa; kappa is
``--num-selected``, else the model's ``num_test_selected_frames``, else its
``num_selected_frames``.

Example::

    python tools/analysis/visualize_frame_selection.py \\
        configs/demo/smaug_tiny_synthetic.py work_dirs/demo/epoch_40.pth \\
        --video data/synthetic/videos/vid_00000.mp4 \\
        --caption "a red square goes left" --out frame_selection.png
"""
import sys

from smaug.cli.command_help import command_parser
from smaug.cli.figure_tools import (add_figure_arguments,
                                    load_figure_inputs, save_png)
from smaug.visualization import frame_selection, frame_selection_figure


def main(argv=None):
    """Score the frames of the clip the options name against the caption
    and draw which the selector keeps.

    Args:
        argv (list[str], optional): The command line without the program
            name (default: ``sys.argv[1:]``).

    Returns:
        int: Exit status 0; a model without a frame selector, a missing
        caption or an impossible ``--num-selected`` ends the tool with a
        message.
    """
    parser = command_parser(__doc__)
    add_figure_arguments(parser)
    parser.add_argument('--num-selected', type=int,
                        help='kappa, the frames kept (default: the model\'s '
                        'num_test_selected_frames, else num_selected_frames)')
    args = parser.parse_args(argv)
    model, clip, caption = load_figure_inputs(args)
    if getattr(model, 'frame_selector', None) is None:
        sys.exit(f'visualize_frame_selection.py: the model of {args.config} '
                 'has no frame_selector.')
    if not caption:
        sys.exit('visualize_frame_selection.py: give --caption (the frames '
                 'are scored against it).')
    if args.num_selected is not None and \
            not 1 <= args.num_selected <= clip.shape[0]:
        sys.exit(f'visualize_frame_selection.py: --num-selected must be in '
                 f'[1, {clip.shape[0]}] for {clip.shape[0]} frames.')
    result = frame_selection(model, [clip], [caption], args.num_selected)
    save_png(frame_selection_figure(result['frames'][0], result['scores'][0],
                                    result['selected'][0], caption), args.out)
    kept = result['selected'][0].nonzero()[0].tolist()
    print(f'saved {args.out} (kept frames {kept})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
