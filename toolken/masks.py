"""Attention masks for batches whose rows have padding inside them. Decoding left-pads each row's
cached prefix and its new tokens separately, so padding may sit between them; a sliding-window layer
(Gemma 3) that measured its window in columns would then lose tokens that lie within the window.
Here the window is measured in token positions instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:
    from transformers import PreTrainedModel
    from transformers.cache_utils import Cache


def sliding_window(lm: PreTrainedModel) -> int | None:
    """The window of the model's sliding-window attention layers, or None if it has none."""
    config = lm.config.get_text_config()
    window = getattr(config, "sliding_window", None)
    return window if window and "sliding_attention" in (getattr(config, "layer_types", None) or ()) else None


def attention_masks(
    lm: PreTrainedModel, mask: torch.Tensor, position: torch.Tensor, past: Cache, n_new: int
) -> torch.Tensor | dict[str, torch.Tensor]:
    """The attention mask for `n_new` new columns after what `past` holds: `mask` (batch x columns,
    1 for a real token) as it is for a model without sliding-window layers, else the model's masks per
    layer type, the window counted over `position` (batch x columns, each token's position)."""
    window = sliding_window(lm)
    if window is None:
        return mask

    def in_window(b: torch.Tensor, _h: torch.Tensor, q: torch.Tensor, kv: torch.Tensor) -> torch.Tensor:
        return position[b, q] - position[b, kv] < window

    from transformers.masking_utils import create_causal_mask  # imports dynamo: only for a windowed model

    config = lm.config.get_text_config()
    # the mask reads only the shape, dtype and device of the embeddings
    shape_only = torch.empty((mask.shape[0], n_new, 0), dtype=lm.dtype, device=mask.device)
    kwargs = {"config": config, "inputs_embeds": shape_only, "attention_mask": mask, "cache": past}
    return {
        "full_attention": create_causal_mask(**kwargs),
        "sliding_attention": create_causal_mask(**kwargs, and_mask_function=in_window),
    }
