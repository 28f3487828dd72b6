"""patchify / unpatchify layout and round trip."""
import pytest
import torch

from smaug.models.heads import patchify, unpatchify


def test_layout_and_round_trip():
    images = torch.randn(2, 3, 32, 48)
    patches = patchify(images, 16)
    assert patches.shape == (2, 6, 16 * 16 * 3)
    # Patch 4 is row 1, column 1; its vector is pixels row by row, RGB.
    block = images[1, :, 16:32, 16:32].permute(1, 2, 0).reshape(-1)
    torch.testing.assert_close(patches[1, 4], block)
    torch.testing.assert_close(unpatchify(patches, 16, (2, 3)), images)


def test_bad_size():
    with pytest.raises(ValueError, match='patch_size'):
        patchify(torch.randn(1, 3, 30, 32), 16)
