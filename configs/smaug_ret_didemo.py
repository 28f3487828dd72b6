# Paragraph-to-video retrieval fine-tuning on DiDeMo (paper Table 1, 13): a
# video's descriptions joined into one paragraph, 10 epochs, lr 1e-5,
# batch 32, 12 test frames.
_base_ = [
    './_base_/models/smaug_retrieval_vit-b16_bert-base.py',
    './_base_/datasets/didemo_ret.py',
    './_base_/schedules/finetune_ret_10e.py',
    './_base_/retrieval_runtime.py',
]
load_from = 'work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth'
train_dataloader = dict(total_batch_size=32)
model = dict(data_preprocessor=dict(max_text_len=64))  # paragraphs
