# Paragraph-to-video retrieval fine-tuning on ActivityNet Captions (paper
# Table 1, 13): a video's captions joined into one paragraph, 10 epochs,
# lr 1e-5, batch 32, 32 test frames, tested on the val split.
_base_ = [
    './_base_/models/smaug_retrieval_vit-b16_bert-base.py',
    './_base_/datasets/anet_ret.py',
    './_base_/schedules/finetune_ret_10e.py',
    './_base_/retrieval_runtime.py',
]
load_from = 'work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth'
model = dict(data_preprocessor=dict(max_text_len=64))  # paragraphs

# The paper's row for this config and its evaluation protocol (a test run
# prints them beside its own; smaug/evaluation/paper_protocols.py).
paper_reference = dict(
    benchmark='anet_ret',
    table='Table 1',
    row='SMAUG, 17M corpus, 1 frame, fine-tuned',
    metrics={
        'retrieval/t2v/R@1': 49.2,
        'retrieval/t2v/R@5': 76.9,
        'retrieval/t2v/R@10': 86.8})
