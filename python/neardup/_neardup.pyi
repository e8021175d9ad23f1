"""Type stubs of the extension module (the Rust side of the package).

The public API is in ``neardup/__init__.py``; these are its building blocks.
"""

from typing import Optional

__version__: str

class NeardupError(Exception):
    """An error of the neardup library, with its message; ``kind`` is one of
    Io, Binary, Parse, Config, CorruptIndex, Version, Scheme."""

    kind: str

IdPair = tuple[str, bool]
UnitKey = tuple[int, Optional[int]]
Region = tuple[int, int]
KeyColumns = tuple[bytes, bytes, bytes, bytes, bytes, bytes]
# An Arrow string/binary array as its buffers: offsets, data, validity,
# offset, length, large (64-bit offsets).
ArrowVarArray = tuple[Region, Region, Optional[Region], int, int, bool]

def compare(
    source: str, derived: str, source_id: str, derived_id: str, config: list[tuple[str, str]]
) -> str: ...
def compare_many(pairs: list[tuple[str, str, str, str]], config: list[tuple[str, str]]) -> list[str]: ...
def dedup_documents(
    ids: list[IdPair],
    texts: list[str],
    threshold: float,
    granularity: str,
    num_perm: int,
    banding: Optional[tuple[int, int]],
    fn_weight: Optional[float],
) -> DedupResult: ...
def dedup_files(
    paths: list[str],
    threshold: float,
    granularity: str,
    num_perm: int,
    banding: Optional[tuple[int, int]],
    fn_weight: Optional[float],
) -> DedupResult: ...
def without_paragraphs(text: str, removed: list[int]) -> str: ...
def paragraph_bytes(text: str, paragraph: int) -> int: ...
def candidate_pairs(
    blocks: ArrowVarArray,
    across_documents: bool,
    cap: int,
    collapse: bool,
) -> tuple[bytes, bytes, bytes, bytes, bytes, int]: ...

class DedupResult:
    candidates: int
    def pairs(self) -> list[tuple[int, Optional[int], int, Optional[int], float]]: ...
    def clusters(self) -> list[list[UnitKey]]: ...
    def removals(self, keep: str) -> list[tuple[UnitKey, UnitKey]]: ...
    def ids(self) -> list[IdPair]: ...
    def empty(self) -> list[int]: ...

class Index:
    @staticmethod
    def build(
        path: str, ids: list[IdPair], texts: list[str], threshold: float, paragraph_threshold: float
    ) -> Index: ...
    @staticmethod
    def build_files(path: str, inputs: list[str], threshold: float, paragraph_threshold: float) -> Index: ...
    @staticmethod
    def open(path: str) -> Index: ...
    def add(self, ids: list[IdPair], texts: list[str]) -> int: ...
    def remove(self, ids: list[str]) -> tuple[int, list[str]]: ...
    def check(
        self, ids: list[IdPair], texts: list[str], fail_on: float, include_self: bool
    ) -> list[list[str]]: ...
    def stats(self) -> str: ...
    def __len__(self) -> int: ...

class Sketcher:
    banding: tuple[int, int]
    def __init__(
        self,
        threshold: float,
        granularity: str,
        num_perm: int,
        banding: Optional[tuple[int, int]],
        fn_weight: Optional[float],
    ) -> None: ...
    def band_keys_list(self, texts: list[str]) -> KeyColumns: ...
    def band_keys_arrow(self, texts: ArrowVarArray) -> KeyColumns: ...
    def band_key_blocks(
        self, texts: ArrowVarArray, documents: Region, documents_offset: int, parts: int
    ) -> list[tuple[int, bytes]]: ...
    def verify(
        self, a_texts: list[str], a_units: list[int], b_texts: list[str], b_units: list[int]
    ) -> list[float]: ...
