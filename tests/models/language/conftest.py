"""A small randomly initialised Hugging Face BERT shared by the tests here."""
import pytest
import torch

# hidden 32, 4 heads, 6 layers: 4 for the text encoder, 2 for the multimodal
# encoder.
TINY_ARCH = dict(hidden_size=32, num_heads=4, intermediate_size=64,
                 vocab_size=100, max_position_embeddings=64)
NUM_TEXT_LAYERS, NUM_LAYERS = 4, 6


@pytest.fixture(scope='session')
def hf_bert():
    """A ``transformers.BertForPreTraining`` in eval mode, eager attention
    (an implementation independent of ours)."""
    import transformers
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=TINY_ARCH['vocab_size'],
        hidden_size=TINY_ARCH['hidden_size'],
        num_hidden_layers=NUM_LAYERS,
        num_attention_heads=TINY_ARCH['num_heads'],
        intermediate_size=TINY_ARCH['intermediate_size'],
        max_position_embeddings=TINY_ARCH['max_position_embeddings'],
        attn_implementation='eager')
    model = transformers.BertForPreTraining(config).eval()
    # Non-trivial LayerNorm and bias values, so that a swapped or skipped
    # parameter shows up in the outputs.
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith('bias') or 'LayerNorm' in name:
                param.add_(torch.randn_like(param) * 0.1)
    return model


@pytest.fixture(scope='session')
def hf_bert_dir(hf_bert, tmp_path_factory):
    """``hf_bert`` saved with ``save_pretrained`` (model.safetensors)."""
    folder = tmp_path_factory.mktemp('hf_bert')
    hf_bert.save_pretrained(folder)
    return folder


@pytest.fixture
def text_batch():
    """(input_ids, attention_mask) of 3 captions, two of them padded."""
    generator = torch.Generator().manual_seed(1)
    input_ids = torch.randint(5, TINY_ARCH['vocab_size'], (3, 11),
                              generator=generator)
    attention_mask = torch.ones_like(input_ids)
    attention_mask[0, 7:] = 0
    attention_mask[1, 3:] = 0
    input_ids[attention_mask == 0] = 0
    return input_ids, attention_mask
