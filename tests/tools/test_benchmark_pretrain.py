"""tools/analysis/benchmark_pretrain.py on the tiny config: one step each."""
from pathlib import Path

import pytest
import torch

from tool_scripts import load_tool

REPO = Path(__file__).resolve().parents[2]

TINY = str(REPO / 'configs' / 'demo' / 'smaug_tiny_synthetic.py')
COLUMNS = ['config', 'step', 's', 'optim', 's', 'samples/s', 'peak', 'GiB',
           'GFLOP', 'FLOP', 'x', 'time', 'x', 'time/FLOP', 'TFLOP/s', 'MFU']


@pytest.fixture(scope='module')
def tool():
    """The script as a module."""
    return load_tool('analysis/benchmark_pretrain.py')


@pytest.fixture
def one_thread():
    """One torch thread (steady on a busy CPU), restored afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_core_functions_measure_two_configs(tool, tmp_path, one_thread):
    args = tool.parse_args([
        TINY, TINY, '--warmup', '0', '--steps', '1', '--threads', '1',
        '--cfg-options', 'model.mvm_head.depth=2'])
    benches = [tool.build_bench(path, args, str(tmp_path))
               for path in args.configs]
    # Frames and size from the config's frame settings, caption length
    # from the preprocessor; the vocabulary has BERT's special ids.
    assert tuple(benches[0].clips.shape) == (2, 4, 3, 64, 64)
    assert tuple(benches[0].text['input_ids'].shape) == (2, 24)
    tokenizer = benches[0].model.data_preprocessor.tokenizer
    assert len(tokenizer) == 256 and tokenizer.mask_token_id == 4
    assert len(benches[0].model.mvm_head.layers) == 2
    tool.run_benchmark(benches, args)
    for bench in benches:
        assert bench.flops > 0 and len(bench.times) == 1
        assert 0 < bench.optimizer_times[0] < bench.times[0]
        assert bench.state_bytes > 0 and bench.step_peak_bytes >= 0
    assert benches[0].flops == pytest.approx(benches[1].flops, rel=0.05)
    table = tool.format_table(benches, peak=1.0).splitlines()
    assert table[0].split() == COLUMNS
    assert [line.split()[0] for line in table[1:]] == [
        'smaug_tiny_synthetic'] * 2
    reference = table[1].split()
    assert reference[6:9] == ['1.000', '1.000', '1.000']
    assert reference[-1].endswith('%')


def test_checkpoint_inits_are_dropped(tool):
    model = dict(
        backbone=dict(init_cfg=dict(type='Pretrained', checkpoint='x.pt')),
        text_encoder=dict(init_cfg=[
            dict(type='Normal', std=0.1),
            dict(type='PretrainedBERT', checkpoint='bert-base-uncased')]),
        vtm_head=dict(init_cfg=dict(type='TruncNormal', std=0.02)))
    tool.drop_checkpoint_inits(model)
    assert model['backbone']['init_cfg'] is None
    assert model['text_encoder']['init_cfg'] == [dict(type='Normal',
                                                      std=0.1)]
    assert model['vtm_head']['init_cfg'] == dict(type='TruncNormal',
                                                 std=0.02)


def test_main_prints_the_table(tool, capsys, one_thread):
    """The command line, with the switches, on the tiny model."""
    tool.main([TINY, TINY, '--warmup', '0', '--steps', '1', '--batch-size',
               '1', '--num-frames', '2', '--with-cp', '--threads', '1',
               '--adamw', 'for-loop', '--clock', 'cpu', '--cfg-options',
               'model.backbone.mask_ratio=0.0'])
    lines = capsys.readouterr().out.splitlines()
    device = next(line for line in lines if line.startswith('device: '))
    assert device.startswith('device: cpu') and 'with_cp True' in device
    assert 'AdamW for-loop; clock cpu' in device
    assert any('(2, 3, 64, 64)' in line for line in lines)
    header = next(i for i, line in enumerate(lines)
                  if line.split()[:1] == ['config'])
    assert lines[header].split() == COLUMNS
    assert len(lines[header + 1:]) == 2


def test_a_config_out_of_memory_is_set_aside(tool):
    def bench(name):
        model = torch.nn.Linear(2, 2)
        return tool.Bench(name, model, torch.optim.AdamW(model.parameters()),
                          torch.zeros(1, 1, 3, 8, 8, dtype=torch.uint8), {},
                          [])

    def work(bench):
        if bench.name == 'big':
            raise torch.cuda.OutOfMemoryError('CUDA out of memory.')
        bench.flops = 10
        bench.times.append(1.)
        bench.optimizer_times.append(.1)

    benches = [bench('small'), bench('big')]
    for _ in range(2):
        tool.for_each_running(benches, work)
    assert benches[1].failure == 'out of memory' and not benches[1].times
    assert len(benches[0].times) == 2
    table = tool.format_table(benches).splitlines()
    assert table[2].split() == ['big', 'out', 'of', 'memory']
    assert table[1].split()[6:9] == ['1.000', '1.000', '1.000']


def test_a_config_without_the_pretraining_interface_is_refused(
        tool, tmp_path):
    config = tmp_path / 'classifier.py'
    config.write_text(
        "model = dict(type='ImageClassifier', backbone=dict())\n")
    args = tool.parse_args([str(config)])
    with pytest.raises(ValueError, match='classifier.py.*text_encoder'):
        tool.load_model_config(str(config), args, str(tmp_path))
