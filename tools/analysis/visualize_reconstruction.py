"""Draw the paper's Fig. 4 for one clip: frames, masked frames, MAE
reconstruction, from a pre-training checkpoint.

The clip is a video file (``--video``, read by the config's test pipeline)
or item ``--index`` of the config's training set (see
:mod:`smaug.cli.figure_tools`). The backbone draws a tube mask
at its configured ``mask_ratio`` (change it with ``--cfg-options
model.backbone.mask_ratio=0.75``); ``--seed`` fixes the mask. The decoder's
prediction is pasted into the masked patches; with ``norm_pix_loss`` it is
shown at each original patch's mean and standard deviation (see
:mod:`smaug.visualization.reconstruction_figure`).

Example::

    python tools/analysis/visualize_reconstruction.py \\
        configs/demo/smaug_tiny_synthetic.py work_dirs/demo/epoch_40.pth \\
        --video data/synthetic/videos/vid_00000.mp4 --out reconstruction.png
"""
import sys

from smaug.cli.command_help import command_parser
from smaug.cli.figure_tools import (add_figure_arguments,
                                    load_figure_inputs, save_png)
from smaug.visualization import mae_reconstruction, reconstruction_figure


def main(argv=None):
    """Draw the reconstruction figure of the clip the options name.

    Args:
        argv (list[str], optional): The command line without the program
            name (default: ``sys.argv[1:]``).

    Returns:
        int: Exit status 0; a model without an MVM head ends the tool with
        a message.
    """
    parser = command_parser(__doc__)
    add_figure_arguments(parser)
    args = parser.parse_args(argv)
    model, clip, caption = load_figure_inputs(args)
    if getattr(model, 'mvm_head', None) is None:
        sys.exit(f'visualize_reconstruction.py: the model of {args.config} '
                 'has no mvm_head (MAE decoder) to reconstruct with.')
    result = mae_reconstruction(model, [clip])
    save_png(reconstruction_figure(result['frames'][0], result['masked'][0],
                                   result['reconstruction'][0], caption),
             args.out)
    print(f'saved {args.out} ({int(result["mask"][0].sum())} of '
          f'{result["mask"].shape[1]} patches masked)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
