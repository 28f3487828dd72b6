# Pre-training adds to the retrieval evaluation: zero-shot validation every
# epoch on MSRVTT 1K-A (the datasets' val_dataloader) and on DiDeMo
# (paragraph-to-video, test split); the best checkpoint is kept by MSRVTT
# mean recall.
_base_ = ['./retrieval_runtime.py']

# An extra gallery is an override of the val dataloader (same pipeline).
didemo_zero_shot = dict(
    dataset=dict(
        data_root='data/didemo',
        ann_file='annotations/ret_test.json',
        paragraph=True))
val_cfg = dict(extra_galleries=dict(didemo=didemo_zero_shot))
default_hooks = dict(checkpoint=dict(max_keep_ckpts=3))

# Fig. 4 / Fig. 3 style images (reconstructions, frame selection) in
# TensorBoard every 1000 iterations.
custom_hooks = [dict(type='PretrainVisualizationHook', interval=1000)]
