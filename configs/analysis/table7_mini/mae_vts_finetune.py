# Table 7 study: retrieval fine-tuning of the "MAE + VTS" row
# (smaug_finetune.py's recipe on mae_vts_pretrain.py's architecture: token
# sparsification, no frame selection).
_base_ = ['./smaug_finetune.py']

model = dict(frame_selector=None, num_selected_frames=None)
