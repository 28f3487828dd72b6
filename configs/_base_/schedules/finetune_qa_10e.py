# Video QA fine-tuning schedule (paper Table 12): the optimizer of
# finetune_ret_5e.py (AdamW (0.9, 0.999), lr 1e-5, weight decay 0.02), with
# a linear warm-up over the first half epoch, then cosine decay to 1e-6, 10
# epochs, batch 32 in total (the data files give
# train_dataloader.total_batch_size: datasets/msrvtt_ret.py). Validation
# every epoch.
_base_ = ['./finetune_ret_5e.py']

max_epochs = 10
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0,
         end=0.5, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=True, begin=0.5,
         convert_to_iter_based=True),
]
