# SMAUG pre-training on the 5M corpus (CC3M + WebVid), single frame
# (paper Tables 1-5): 10 epochs, batch 128 in total, AdamW 1e-4.
#   tools/dist_train.sh configs/smaug_pretrain_5m.py 4
_base_ = [
    './_base_/models/smaug_vit-b16_bert-base.py',
    './_base_/datasets/pretrain_5m.py',
    './_base_/schedules/pretrain_10e.py',
    './_base_/pretrain_runtime.py',
]

# The paper's rows for this pre-training, the default single-frame setting
# that five ablation tables repeat (measured after fine-tuning on MSRVTT
# with configs/smaug_ret_msrvtt.py), and its evaluation protocol; a test of
# this config itself is zero-shot. Its Table 2 rows are those of
# smaug_ret_*_zeroshot.py. A config inheriting this one states its own
# paper_reference with _delete_=True (or it would inherit these rows).
paper_reference = dict(
    benchmark='msrvtt_ret',
    table='Table 6',
    row='1 frame, after MSRVTT fine-tuning',
    # rows of other tables that report this run (with its metrics)
    same_run_rows=[
        dict(table='Table 4',
             row='masking ratio 50%, after MSRVTT fine-tuning'),
        dict(table='Table 5', row='keep rate 0.8, after MSRVTT fine-tuning'),
        dict(table='Table 11',
             row='decoder depth 3, after MSRVTT fine-tuning'),
        dict(table='Table 10', row='224x224 frames, 5M corpus, 1 frame'),
    ],
    metrics={
        'retrieval/t2v/R@1': 39.3,
        'retrieval/t2v/R@5': 65.4,
        'retrieval/t2v/R@10': 75.6})
