"""BERT's feed-forward block with its residual and post-LayerNorm."""
from torch import nn
from torch.nn import functional as F


class BertFFN(nn.Module):
    """``LayerNorm(x + Dropout(fc2(GELU(fc1(x)))))`` (exact, erf GELU).

    Args:
        hidden_size (int): Input and output width.
        intermediate_size (int): Hidden width.
        layer_norm_eps (float): LayerNorm epsilon.
        dropout (float): Dropout on the output.
    """

    def __init__(self, hidden_size, intermediate_size, layer_norm_eps,
                 dropout):
        super().__init__()
        self.fc1 = nn.Linear(hidden_size, intermediate_size)
        self.fc2 = nn.Linear(intermediate_size, hidden_size)
        self.norm = nn.LayerNorm(hidden_size, eps=layer_norm_eps)
        self.dropout = nn.Dropout(dropout)

    def forward(self, hidden):
        """(B, P, D) -> (B, P, D)."""
        return self.norm(
            hidden + self.dropout(self.fc2(F.gelu(self.fc1(hidden)))))
