"""tools/model_converters/smaug_to_clip_bert.py: the Table 7 study's stage-0
weights, exported in the formats of real CLIP and BERT weights, load through
the code that loads ``ViT-B-16.pt`` and ``bert-base-uncased``; both study
arms start from identical weights."""
from pathlib import Path

import pytest
import torch
from mmengine.registry import init_default_scope
from open_clip.transformer import QuickGELU, VisionTransformer
from transformers import BertForMaskedLM, BertTokenizerFast

from smaug.models.backbones import SparseMAEViT
from smaug.registry import MODELS

from tiny_smaug import write_vocab
from tool_scripts import load_tool

STAGE0 = 'configs/analysis/table7_mini/stage0_dual_encoder.py'
ARMS = ('configs/analysis/table7_mini/dense_pretrain.py',
        'configs/analysis/table7_mini/smaug_pretrain.py')


@pytest.fixture(scope='module')
def study(tmp_path_factory):
    """A table7_study ``Study`` whose stage-0 export holds a randomly
    initialised stage-0 model's weights, and that model."""
    tool = load_tool('analysis/table7_study.py')
    work_dir = tmp_path_factory.mktemp('study')
    data_root = work_dir / 'corpus'
    data_root.mkdir()
    write_vocab(data_root / 'vocab.txt')
    study = tool.Study(str(work_dir), str(data_root), tool.FULL)
    cfg = study.config(STAGE0, 10, 0, str(work_dir / 'stage0'))
    init_default_scope('smaug')
    torch.manual_seed(0)
    stage0 = MODELS.build(cfg.model)
    stage0.init_weights()
    load_tool('model_converters/smaug_to_clip_bert.py').export(
        stage0, study.export_dir)
    return study, stage0.eval()


def build_arm(study, config, seed=0):
    """Build and initialise an arm's model as its training would.

    Args:
        study: The ``Study`` of the fixture.
        config (str): The arm's pre-training config.
        seed (int): The run's seed.
    """
    cfg = study.config(config, 10, seed, study.work_dir)
    init_default_scope('smaug')
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model.eval()


def test_visual_export_has_openai_clip_keys_and_shapes(study):
    study, stage0 = study
    exported = torch.load(Path(study.export_dir) / 'clip_visual.pth',
                          weights_only=True)
    assert all(key.startswith('visual.') for key in exported)
    visual = VisionTransformer(image_size=96, patch_size=16, width=128,
                               layers=6, heads=4, mlp_ratio=4.0,
                               output_dim=32, act_layer=QuickGELU)
    result = visual.load_state_dict(
        {key[len('visual.'):]: value for key, value in exported.items()},
        strict=False)
    assert result.missing_keys == ['proj'] and not result.unexpected_keys
    torch.testing.assert_close(visual.transformer.resblocks[5].mlp.c_fc.weight,
                               stage0.backbone.layers[5].mlp.c_fc.weight)


def test_bert_export_is_a_hugging_face_bert_of_the_same_function(study):
    study, stage0 = study
    bert_dir = Path(study.export_dir) / 'bert'
    bert, info = BertForMaskedLM.from_pretrained(bert_dir,
                                                 output_loading_info=True)
    assert not any(info[kind] for kind in ('missing_keys', 'unexpected_keys',
                                           'mismatched_keys'))
    captions = ['a red circle moves left', 'the blue square appears then']
    tokenizer = BertTokenizerFast.from_pretrained(bert_dir)
    text = tokenizer(captions, padding=True, return_tensors='pt')
    assert torch.equal(text['input_ids'], stage0.data_preprocessor.tokenize(
        captions)['input_ids'])
    with torch.no_grad():
        ours = stage0.text_encoder(text['input_ids'], text['attention_mask'])
        theirs = bert.eval().bert(**text).last_hidden_state
        torch.testing.assert_close(ours, theirs, rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(stage0.mlm_head(ours), bert.cls(theirs),
                                   rtol=1e-4, atol=1e-4)


def test_the_paper_configs_init_cfg_loads_the_export(study):
    study, stage0 = study
    model = build_arm(study, ARMS[1])
    for name, value in stage0.backbone.state_dict().items():
        assert torch.equal(model.backbone.state_dict()[name], value), name
    source = stage0.text_encoder.state_dict()
    for name, value in model.text_encoder.state_dict().items():
        assert torch.equal(value, source[name]), name
    for name, value in model.multimodal_encoder.layers[0].state_dict(
    ).items():
        if not name.startswith('cross_attn'):
            assert torch.equal(value, source[f'layers.2.{name}']), name
    for name, value in stage0.mlm_head.state_dict().items():
        assert torch.equal(model.mlm_head.state_dict()[name], value), name
    assert model.data_preprocessor.tokenizer.vocab == \
        stage0.data_preprocessor.tokenizer.vocab


def test_both_arms_start_from_identical_weights(study):
    study, _ = study
    dense, smaug = (build_arm(study, config, seed=3) for config in ARMS)
    smaug_weights = smaug.state_dict()
    shared = dense.state_dict()
    assert {name.split('.')[0] for name in set(smaug_weights) - set(shared)
            } == {'frame_selector', 'mvm_head'}
    for name, value in shared.items():
        assert torch.equal(value, smaug_weights[name]), name
    # the parts no export holds are random, drawn alike in both arms
    other_seed = build_arm(study, ARMS[0], seed=4)
    assert not torch.equal(other_seed.vtm_head.classifier.weight,
                           dense.vtm_head.classifier.weight)


def test_export_names_what_a_model_lacks(tmp_path):
    tool = load_tool('model_converters/smaug_to_clip_bert.py')
    backbone = SparseMAEViT(arch=dict(embed_dims=32, num_layers=1,
                                      num_heads=2, feedforward_channels=64),
                            img_size=32, sparse_layers=())
    model = torch.nn.Module()
    model.backbone, model.text_encoder, model.mlm_head = backbone, None, None
    with pytest.raises(ValueError, match='has no text_encoder, mlm_head'):
        tool.export(model, str(tmp_path))
