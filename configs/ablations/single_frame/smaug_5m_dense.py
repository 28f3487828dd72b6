# The single-frame dense baseline of SMAUG's efficiency comparison: the full
# ViT on one frame (no tube masking, keep rate 1.0) and no MVM, since nothing
# is masked; VTC + VTM + MLM on the 5M corpus. Its SMAUG counterpart is
# configs/smaug_pretrain_5m.py.
_base_ = ['../../smaug_pretrain_5m.py']
model = dict(
    backbone=dict(mask_ratio=0., keep_rate=1.0),
    mvm_head=None)

# No paper row (the paper reports no single-frame dense baseline); a test
# of this config is zero-shot on MSRVTT 1K-A.
paper_reference = dict(
    _delete_=True, benchmark='msrvtt_ret', table=None, row=None, metrics={})
