"""A model folder's tokenizer read straight from its `tokenizer.json` with the `tokenizers` library,
for folders whose tokenizer transformers would load as that file and nothing more (`plain_tokenizer`).

Why it exists: transformers' own tokenizer class costs the import of the transformers package, half a
second of `toolken run`'s start-up. This gives the calls toolken makes (`tokenizer(text)`, `decode`,
the special tokens and their ids, `get_vocab`, `len`) the same results (the tests compare the two);
the rest (`apply_chat_template`, `save_pretrained`, xgrammar's tokenizer info) goes to transformers'
tokenizer of the same folder, loaded on first use."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# tokenizer_config.json keys this class reads or that change nothing it computes; any other key (an
# added_tokens_decoder, add_bos_token, add_prefix_space ...) leaves the folder to transformers
_PLAIN_KEYS = {
    "backend", "tokenizer_class", "bos_token", "eos_token", "unk_token", "pad_token", "model_max_length",
    "is_local", "local_files_only", "chat_template", "clean_up_tokenization_spaces", "padding_side",
    "truncation_side", "model_input_names", "extra_special_tokens",
}  # fmt: skip
_CLASSES = {"TokenizersBackend", "PreTrainedTokenizerFast"}
_SPECIAL = ("bos_token", "eos_token", "unk_token", "pad_token")


def _content(token: Any) -> str | None:
    """A special token as tokenizer_config.json writes it: a string, or an added token's dict."""
    return token.get("content") if isinstance(token, dict) else token


def plain_tokenizer(folder: Path) -> FastTokenizer | None:
    """`folder`'s tokenizer as a `FastTokenizer`, or None where transformers would do more than read
    `tokenizer.json` (another class, keys `_PLAIN_KEYS` lacks, special tokens it would add, truncation
    or padding set in the file, a clean-up of spaces, extra special tokens)."""
    try:
        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(config, dict)
        or config.get("tokenizer_class") not in _CLASSES
        or set(config) - _PLAIN_KEYS
        or config.get("clean_up_tokenization_spaces")
        or config.get("extra_special_tokens")
        or not isinstance(config.get("chat_template", ""), str)  # named templates: transformers picks
        or not (folder / "tokenizer.json").is_file()
    ):
        return None
    from tokenizers import Tokenizer

    try:
        backend = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except Exception:  # noqa: BLE001 - a file tokenizers cannot read: transformers says what is wrong
        return None
    specials = {t.content for t in backend.get_added_tokens_decoder().values() if t.special}
    named = {k: _content(config.get(k)) for k in _SPECIAL}
    if backend.truncation or backend.padding or any(s is not None and s not in specials for s in named.values()):
        return None
    return FastTokenizer(folder, backend, named, config)


class Encoded(dict):
    """What calling the tokenizer returns: `input_ids` and `attention_mask`, as keys and attributes."""

    @property
    def input_ids(self) -> Any:
        return self["input_ids"]

    @property
    def attention_mask(self) -> Any:
        return self["attention_mask"]


class FastTokenizer:
    """The tokenizer of a `plain_tokenizer` folder (build it with that function)."""

    clean_up_tokenization_spaces = False

    def __init__(self, folder: Path, backend: Any, named: dict[str, str | None], config: dict) -> None:
        self.name_or_path = str(folder)
        self.backend_tokenizer = backend
        self.padding_side = config.get("padding_side", "right")
        self.bos_token, self.eos_token = named["bos_token"], named["eos_token"]
        self.unk_token, self.pad_token = named["unk_token"], named["pad_token"]
        template = folder / "chat_template.jinja"
        self.chat_template = template.read_text(encoding="utf-8") if template.is_file() else config.get("chat_template")
        self._transformers: Any = None
        self._added: list[tuple[Any, bool]] = []  # tokens added since loading, for the lent tokenizer too

    def _id(self, token: str | None) -> int | None:
        return None if token is None else self.backend_tokenizer.token_to_id(token)

    # each special token's id, read from the vocabulary as transformers reads it
    bos_token_id = property(lambda self: self._id(self.bos_token))
    eos_token_id = property(lambda self: self._id(self.eos_token))
    unk_token_id = property(lambda self: self._id(self.unk_token))
    pad_token_id = property(lambda self: self._id(self.pad_token))

    def __len__(self) -> int:
        return self.backend_tokenizer.get_vocab_size(with_added_tokens=True)

    def get_vocab(self) -> dict[str, int]:
        """Every token's id, added tokens included."""
        return self.backend_tokenizer.get_vocab(with_added_tokens=True)

    def add_tokens(self, tokens: str | Sequence[str], special_tokens: bool = False) -> int:
        """Add tokens to the vocabulary (as transformers' `add_tokens`); how many were new."""
        tokens = [tokens] if isinstance(tokens, str) else list(tokens)
        self._added.append((tokens, special_tokens))
        if self._transformers is not None:
            self._transformers.add_tokens(tokens, special_tokens=special_tokens)
        backend = self.backend_tokenizer
        return backend.add_special_tokens(tokens) if special_tokens else backend.add_tokens(tokens)

    def __call__(
        self,
        text: str | Sequence[str],
        add_special_tokens: bool = True,
        split_special_tokens: bool = False,
        padding: bool = False,
        padding_side: str | None = None,
        return_tensors: str | None = None,
    ) -> Encoded:
        """The ids of `text` (a list of texts gives a list of rows: with `padding`, padded to the longest
        on `padding_side`); `split_special_tokens` reads a special token's text as plain text."""
        texts = [text] if isinstance(text, str) else list(text)
        backend = self.backend_tokenizer
        backend.encode_special_tokens = split_special_tokens  # as transformers sets it, for this call
        try:
            if len(texts) == 1:  # without encode_batch's thread pool
                rows = [backend.encode(texts[0], add_special_tokens=add_special_tokens).ids]
            else:
                rows = [e.ids for e in backend.encode_batch(texts, add_special_tokens=add_special_tokens)]
        finally:
            backend.encode_special_tokens = False
        masks = [[1] * len(r) for r in rows]
        if padding and rows:
            width, pad = max(map(len, rows)), self.pad_token_id or 0
            left = (padding_side or self.padding_side) == "left"
            fill = [[pad] * (width - len(r)) for r in rows]
            zeros = [[0] * (width - len(r)) for r in rows]
            rows = [f + r if left else r + f for f, r in zip(fill, rows)]
            masks = [z + m if left else m + z for z, m in zip(zeros, masks)]
        if return_tensors == "pt":
            import torch

            return Encoded(input_ids=torch.tensor(rows), attention_mask=torch.tensor(masks))
        if return_tensors is not None:
            raise ValueError(f"return_tensors={return_tensors!r}: only 'pt' is supported")
        single = isinstance(text, str)
        return Encoded(input_ids=rows[0] if single else rows, attention_mask=masks[0] if single else masks)

    def decode(self, ids: int | Sequence[int], skip_special_tokens: bool = False) -> str:
        """The text of `ids`."""
        ids = [ids] if isinstance(ids, int) else [int(i) for i in ids]
        return self.backend_tokenizer.decode(ids, skip_special_tokens=skip_special_tokens)

    def batch_decode(self, rows: Sequence[Sequence[int]], skip_special_tokens: bool = False) -> list[str]:
        """The text of each row of ids."""
        rows = [[int(i) for i in r] for r in rows]
        return self.backend_tokenizer.decode_batch(rows, skip_special_tokens=skip_special_tokens)

    def transformers_tokenizer(self) -> Any:
        """transformers' tokenizer of the same folder (imports transformers), with this one's pad token."""
        if self._transformers is None:
            from transformers.tokenization_utils_tokenizers import TokenizersBackend

            self._transformers = TokenizersBackend.from_pretrained(self.name_or_path, trust_remote_code=False)
            for tokens, special in self._added:
                self._transformers.add_tokens(tokens, special_tokens=special)
        if self._transformers.pad_token != self.pad_token:
            self._transformers.pad_token = self.pad_token
        return self._transformers

    def apply_chat_template(self, conversation: Any, **kwargs: Any) -> Any:
        """transformers' `apply_chat_template` (its jinja sandbox and helpers), with this tokenizer's
        `chat_template` unless another is given."""
        kwargs.setdefault("chat_template", self.chat_template)
        return self.transformers_tokenizer().apply_chat_template(conversation, **kwargs)

    def save_pretrained(self, *args: Any, **kwargs: Any) -> Any:
        """transformers' `save_pretrained`."""
        return self.transformers_tokenizer().save_pretrained(*args, **kwargs)
