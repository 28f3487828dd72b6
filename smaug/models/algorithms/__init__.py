"""Re-exports."""
from .dual_encoder_pretrain import DualEncoderPretrain
from .smaug_base import SMAUGBase
from .smaug_multiple_choice import SMAUGMultipleChoice
from .smaug_pretrain import SMAUGPretrain
from .smaug_qa import SMAUGQA, pretrain_to_qa_state_dict
from .smaug_retrieval import SMAUGRetrieval
from .smaug_retrieval_base import SMAUGRetrievalBase

__all__ = [
    'DualEncoderPretrain', 'SMAUGBase', 'SMAUGMultipleChoice',
    'SMAUGPretrain', 'SMAUGQA', 'SMAUGRetrieval', 'SMAUGRetrievalBase',
    'pretrain_to_qa_state_dict'
]
