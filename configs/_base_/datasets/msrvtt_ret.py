# MSRVTT text-to-video retrieval (paper Sec. 4.1): fine-tune on the 7K
# training videos (one item per video-caption pair), test on the 1K-A split
# (JSFusion; one caption per video). Layout and preparation: data/README.md.
# The other dataset files of the paper's data start from this one.
#
# num_frames, num_test_frames, img_size and data_root are config variables:
# the config loader writes them into every pipeline, dataset and model part
# that leaves them unset (docs/design.md). A config inheriting this file
# changes one with one line (img_size = 288), a command with one override
# (--cfg-options num_frames=4).
_base_ = ['./paper_loaders.py']

num_frames = 1  # training frames per clip, as in pre-training
num_test_frames = 12  # Table 13
img_size = 224
data_root = 'data/msrvtt'

# The fine-tuning batch: 32 clips per step in total (paper Table 13);
# SMAUGRunner sets each process's batch_size to its share.
train_dataloader = dict(
    batch_size=32,
    total_batch_size=32,
    dataset=dict(
        type='VideoRetrievalDataset',
        data_prefix=dict(video='videos'),
        ann_file='annotations/ret_train_7k.json',
        pipeline=[dict(type='VideoTrainPipeline')]))
# The training set's dataset on the test split; test frames are resized to
# img_size x img_size, as the paper says (no crop).
val_dataloader = dict(
    batch_size=16,
    dataset=dict(
        train_dataloader['dataset'],
        ann_file='annotations/ret_test_1ka.json',
        pipeline=[dict(type='VideoTestPipeline')],
        test_mode=True))
test_dataloader = val_dataloader
