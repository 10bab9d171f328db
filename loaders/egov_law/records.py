"""The records of a law file: the law and the version of its text it gives, then one record per structural node."""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_EGOV_JSON = "egov-json"
FORMAT_XML = "egov-xml"
FORMAT_PROVISIONS = "provisions-json"


@dataclass(frozen=True, slots=True)
class LawText:
    """The first record of a file: which law, which version of its text, and what is known about both.

    ``version`` is the version key (IRI segment); ``version_date`` the ISO date the text is valid from, when
    the source gives it.  ``law_type`` is a ``code/law-type`` notation.
    """

    law_id: str
    version: str
    source_format: str
    title: str | None = None
    version_date: str | None = None
    version_note: str | None = None
    abbrevs: tuple[str, ...] = ()
    titles_en: tuple[str, ...] = ()
    law_number: str | None = None
    promulgation_date: str | None = None
    law_type: str | None = None


@dataclass(frozen=True, slots=True)
class LawNode:
    """One structural node of a law version.

    ``steps`` is its path below the version (``(("chapter", "4"), ("article", "30-2"))``), the last step being
    this node's own kind and canonical number; ``sources`` the source fragments (percent-encoded, without
    ``#``) it was read from.
    """

    law_id: str
    version: str
    kind: str
    steps: tuple[tuple[str, str], ...]
    sources: tuple[str, ...]
    heading: str | None = None
    title: str | None = None
    caption: str | None = None
    text: str | None = None
    order: int | None = None

    @property
    def number(self) -> str:
        """The node's canonical number (that of its last step)."""
        return self.steps[-1][1]


Record = LawText | LawNode
"""What :func:`loaders.egov_law.parse` yields besides load issues."""
