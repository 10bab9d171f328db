"""Mapping helpers shared by loaders: organisations, accounts, payees, plans, URLs, code lists.

All functions are pure: they return IRIs and the *declaration* triples of shared entities (ministries'
units, payees, accounts, plans, laws).  Declarations go to the source's declaration graph and are merged
by ``graph.identity`` into one entities graph, so a fact about a shared entity is stated once however many
source files mention it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ontology import terms as t
from ontology.iri import Minter, cbkg, code, key_text, short_hash
from ontology.namespaces import DCTERMS, ELI, ORG, RDFS, SKOS
from ontology.registers import OrgEntry, org_register
from ontology.terms import IRI, Triple

from . import normalize as nz

SKOS_PREF = IRI(SKOS + "prefLabel")
SKOS_ALT = IRI(SKOS + "altLabel")
SKOS_NOTATION = IRI(SKOS + "notation")
SKOS_BROADER = IRI(SKOS + "broader")
RDFS_LABEL = IRI(RDFS + "label")
RDFS_SEEALSO = IRI(RDFS + "seeAlso")
ORG_SUB = IRI(ORG + "subOrganizationOf")
DCT_IDENTIFIER = IRI(DCTERMS + "identifier")
DCT_TITLE = IRI(DCTERMS + "title")
ELI_ID_LOCAL = IRI(ELI + "id_local")
ELI_IS_PART_OF = IRI(ELI + "is_part_of")
ELI_NUMBER = IRI(ELI + "number")

UNIT_LEVELS = ("bureau", "department", "division", "office", "section", "subsection")
"""Org levels below the ministry in RS sheets: 局・庁, 部, 課, 室, 班, 係."""
UNIT_CLASS = {
    "bureau": "Bureau",
    "department": "Department",
    "division": "Division",
    "office": "Office",
    "section": "Section",
    "subsection": "Subsection",
}


@dataclass(frozen=True)
class OrgRef:
    """An organisation resolved from names: its IRI and the declarations of the units on the way."""

    iri: IRI
    ministry: IRI | None
    known: bool
    declarations: tuple[Triple, ...]


def ministry_iri(minter: Minter, name: str | None) -> tuple[IRI | None, OrgEntry | None]:
    """The register IRI of a ministry/agency name (any known spelling), or (None, None)."""
    entry = org_register().resolve(name)
    if entry is None:
        return None, None
    return minter.org(entry.slug), entry


def resolve_org(minter: Minter, ministry: str | None, units: list[tuple[str, str | None]]) -> OrgRef | None:
    """Resolve a ministry name and a path of ``(level, name)`` units to the deepest org unit IRI.

    Unknown ministries get a hashed IRI (``id/org/x-…``) and a declaration with their name, and
    ``known=False`` so the caller can record a load issue.  A unit that is itself a registered agency
    under its parent (資源エネルギー庁 under 経済産業省) continues from that agency's IRI.
    """
    ministry = nz.clean(ministry)
    if ministry is None:
        return None
    decls: list[Triple] = []
    m_iri, entry = ministry_iri(minter, ministry)
    known = entry is not None
    if entry is None:
        slug = "x-" + short_hash(ministry, length=12)
        m_iri = minter.org(slug)
        decls += [
            (m_iri, t.RDF_TYPE, cbkg("Organization")),
            (m_iri, SKOS_PREF, t.ja(key_text(ministry))),
        ]
    else:
        slug = entry.slug
    assert m_iri is not None
    current, path = m_iri, list[str]()
    for level, name in units:
        name = nz.clean(name)
        if name is None or nz.is_none_marker(name):
            continue
        if not path:
            agency = org_register().child_named(slug, name)
            if agency is not None:
                slug, current = agency.slug, minter.org(agency.slug)
                continue
        path.append(name)
        unit = minter.org(slug, *path)
        decls += [
            (unit, t.RDF_TYPE, cbkg(UNIT_CLASS[level])),
            (unit, SKOS_PREF, t.ja(key_text(name))),
            (unit, ORG_SUB, current),
        ]
        if key_text(name) != name:
            decls.append((unit, SKOS_ALT, t.ja(name)))
        current = unit
    return OrgRef(current, m_iri, known, tuple(decls))


# accounts ------------------------------------------------------------------------------------------------
_SPECIAL = "特別会計"


def split_accounts(account: str | None, subaccount: str | None) -> list[tuple[str, str | None]]:
    """``(会計, 勘定)`` pairs named by the RS 会計/勘定 columns, in canonical spelling.

    Handles ``エネルギー対策`` + ``エネルギー需給勘定``, ``エネルギー対策特別会計エネルギー需給勘定`` (one
    string) and combinations ``一般会計、労働保険特別会計雇用勘定``.  Special accounts are named with
    their ``…特別会計`` suffix.
    """
    account = nz.clean(account)
    subaccount = nz.clean(subaccount)
    if account is None:
        return []
    pairs: list[tuple[str, str | None]] = []
    for part in re.split(r"[、,，]", key_text(account)):
        part = part.strip()
        if not part:
            continue
        if part == "一般会計":
            pairs.append(("一般会計", None))
            continue
        sub: str | None = None
        if _SPECIAL in part:
            name, _, rest = part.partition(_SPECIAL)
            sub = rest or None
        else:
            name = part
        pairs.append((name + _SPECIAL, sub))
    if subaccount and len(pairs) == 1 and pairs[0][1] is None and pairs[0][0] != "一般会計":
        pairs[0] = (pairs[0][0], key_text(subaccount))
    return pairs


def account_iri(minter: Minter, account: str | None, subaccount: str | None) -> tuple[IRI | None, list[Triple]]:
    """The IRI of an account (or combination of accounts) and its declarations."""
    pairs = split_accounts(account, subaccount)
    if not pairs:
        return None, []
    decls: list[Triple] = []
    iris: list[IRI] = []
    for name, sub in pairs:
        acc = minter.account(name)
        decls += [
            (acc, t.RDF_TYPE, cbkg("Account")),
            (acc, SKOS_PREF, t.ja(name)),
            (
                acc,
                cbkg("accountClass"),
                code("account-class", "general" if name == "一般会計" else "special"),
            ),
        ]
        if sub:
            subacc = minter.account(name, sub)
            decls += [
                (subacc, t.RDF_TYPE, cbkg("Account")),
                (subacc, SKOS_PREF, t.ja(f"{name}{sub}")),
                (subacc, SKOS_BROADER, acc),
                (subacc, cbkg("accountClass"), code("account-class", "special")),
            ]
            acc = subacc
        iris.append(acc)
    if len(iris) == 1:
        return iris[0], decls
    combo = minter.account("+".join(f"{n}{s or ''}" for n, s in pairs))
    decls += [
        (combo, t.RDF_TYPE, cbkg("Account")),
        (combo, SKOS_PREF, t.ja("、".join(f"{n}{s or ''}" for n, s in pairs))),
        (combo, cbkg("accountClass"), code("account-class", "combined")),
    ]
    decls += [(combo, cbkg("combinesAccount"), i) for i in iris]
    return combo, decls


# payees ----------------------------------------------------------------------------------------------------
_PLACEHOLDER = re.compile(
    r"^(?:(?:個人|職員|委員|研究者|企業|株式会社|事業者|団体|法人)?[A-ZＡ-Ｚａ-ｚa-z][社]?|その他.*|委託先.*|"
    r"補助事業者.*|民間(?:事業者|企業|団体)等?|個人|.*等\d*者?)$"
)


def is_placeholder_payee(name: str) -> bool:
    """True for anonymised or generic payee names (``個人Ａ``, ``A社``, ``委託先``, ``その他``, ``民間企業等``)."""
    return bool(_PLACEHOLDER.match(key_text(name)))


def payee_iri(
    minter: Minter, sheet: IRI, name: str | None, corporate_number: str | None
) -> tuple[IRI | None, list[Triple]]:
    """A payee IRI (``id/corporation/{法人番号}`` when the number is valid, else sheet-scoped) + declarations."""
    name = nz.clean(name)
    if corporate_number:
        iri = minter.corporation(corporate_number)
        decls: list[Triple] = [
            (iri, t.RDF_TYPE, cbkg("Payee")),
            (iri, t.RDF_TYPE, IRI(ORG + "FormalOrganization")),
            (iri, cbkg("corporateNumber"), t.text(corporate_number)),
        ]
        if name:
            decls.append((iri, SKOS_ALT, t.ja(name)))
        return iri, decls
    if name is None:
        return None, []
    iri = minter.local_payee(sheet, name)
    decls = [(iri, t.RDF_TYPE, cbkg("Payee")), (iri, SKOS_PREF, t.ja(name))]
    if is_placeholder_payee(name):
        decls.append((iri, cbkg("isPlaceholder"), t.boolean(True)))
    return iri, decls


# plans ------------------------------------------------------------------------------------------------------
_BRACKETED_DATE = re.compile(r"[（(]([^（()）]*?\d[^（()）]*?)[）)]\s*$")
_DECORATION = re.compile(r"^(?:[\s●○◎・\-－ー①-⑳]|\d{1,2}[.．、)）](?!\d))+|[「」『』\"“”]")
"""Bullets and list numbers before a title (``○``, ``①``, ``1.``; not ``2050年…``), and quotation marks."""


def plan_key(name: str) -> tuple[str, str, str | None]:
    """``(key, title, decision_date_iso)`` for a 計画・通知 name as cited.

    The title drops bullets, quotes, a trailing ``（令和３年９月28日閣議決定）`` / ``（平成27年9月）`` date
    parenthesis and a bare ``（閣議決定）`` note; the key is the NFKC, space-free title plus the decision
    date (or year-month when no day is given), so spelling variants of one edition merge and different
    editions (2015, 2021 and 2025 strategies) stay apart.  A name with no date keys the plan as a whole.
    """
    text = key_text(re.sub(r"^[\s●○◎・①-⑳]+", "", name))  # before NFKC turns ① into 1
    date_iso: str | None = None
    edition: str | None = None
    found = nz.find_dates(text)
    if found:
        date_iso = edition = found[0][0].isoformat()
    title = text
    m = _BRACKETED_DATE.search(title)
    if m:
        inner = m.group(1)
        if edition is None:
            ym = _YEAR_MONTH.search(inner)
            if ym:
                try:
                    y, mo = nz.parse_year_month(ym.group())
                    edition = f"{y:04d}-{mo:02d}"
                except nz.NormalizeError:
                    pass
        if nz.find_dates(inner) or (edition and edition[:4] in _years_in(inner)):
            title = title[: m.start()]
    title = _DECISION_NOTE.sub("", title)
    title = _DECORATION.sub("", title).strip()
    key = re.sub(r"\s+", "", title) + ("|" + edition if edition else "")
    return key, title or text, date_iso


XSD_GYEARMONTH = "http://www.w3.org/2001/XMLSchema#gYearMonth"
_YEAR_MONTH = re.compile(r"(?:明治|大正|昭和|平成|令和)\s*(?:元|\d{1,2})\s*年\s*\d{1,2}\s*月|\d{4}\s*年\s*\d{1,2}\s*月")
_DECISION_NOTE = re.compile(r"[（(]\s*(?:閣議決定|閣議了解|本部決定|決定)\s*[）)]\s*$")


def _years_in(text: str) -> set[str]:
    """Gregorian years of the year-months written in ``text`` (era years converted)."""
    out: set[str] = set()
    for m in _YEAR_MONTH.finditer(text):
        try:
            out.add(f"{nz.parse_year_month(m.group())[0]:04d}")
        except nz.NormalizeError:
            continue
    return out


def plan_iri(minter: Minter, name: str) -> tuple[IRI, list[Triple]]:
    """The IRI of the plan a citation names, and the plan's declarations."""
    key, title, date_iso = plan_key(name)
    iri = minter.plan(key)
    decls: list[Triple] = [
        (iri, t.RDF_TYPE, cbkg("Plan")),
        (iri, SKOS_ALT, t.ja(nz.clean(name) or name)),
        (iri, cbkg("planKey"), t.text(key)),
    ]
    if date_iso:
        decls.append((iri, cbkg("decisionDate"), t.Literal(date_iso, t.XSD_DATE)))
    elif re.search(r"\|\d{4}-\d{2}$", key):
        decls.append((iri, cbkg("decisionYearMonth"), t.Literal(key[-7:], XSD_GYEARMONTH)))
    decls.append((iri, cbkg("titleCandidate"), t.ja(title)))
    return iri, decls


# laws ---------------------------------------------------------------------------------------------------------
LAW_ID = re.compile(r"^\d{3}[A-Z][A-Z0-9][0-9A-Z]{10}$")
LAW_REVISION_ID = re.compile(r"^(\d{3}[A-Z][A-Z0-9][0-9A-Z]{10})_(\d{8})_([0-9A-Z]{15})$")
"""e-Gov 法令履歴ID: ``{法令ID}_{施行日 YYYYMMDD}_{改正法令ID or 0…0}`` (one version of a law's text)."""


def split_law_id(value: str) -> tuple[str, str | None, str | None] | None:
    """``(法令ID, version date ISO, amending law ID)`` of a 法令ID or 法令履歴ID; None if it is neither."""
    v = value.strip().upper()
    if LAW_ID.match(v):
        return v, None, None
    m = LAW_REVISION_ID.match(v)
    if m is None:
        return None
    d = m.group(2)
    amending = None if set(m.group(3)) == {"0"} else m.group(3)
    return m.group(1), f"{d[:4]}-{d[4:6]}-{d[6:]}", amending


def law_declarations(minter: Minter, law_id: str) -> list[Triple]:
    """Declarations of a law known only by its e-Gov 法令ID."""
    law = minter.law(law_id)
    return [
        (law, t.RDF_TYPE, IRI(ELI + "LegalResource")),
        (law, ELI_ID_LOCAL, t.text(law_id)),
    ]


def provision_declarations(
    minter: Minter, law_id: str, article: str, paragraph: str | None = None, item: str | None = None
) -> list[Triple]:
    """Declarations of the article / paragraph / item resources of a cited provision."""
    law = minter.law(law_id)
    art = minter.law_part(law_id, article)
    decls: list[Triple] = [
        (art, t.RDF_TYPE, IRI(ELI + "LegalResourceSubdivision")),
        (art, t.RDF_TYPE, cbkg("Article")),
        (art, ELI_IS_PART_OF, law),
        (art, ELI_NUMBER, t.text(article)),
    ]
    parent = art
    if paragraph is not None or item is not None:
        para_no = paragraph or "1"
        para = minter.law_part(law_id, article, para_no)
        decls += [
            (para, t.RDF_TYPE, IRI(ELI + "LegalResourceSubdivision")),
            (para, t.RDF_TYPE, cbkg("Paragraph")),
            (para, ELI_IS_PART_OF, art),
            (para, ELI_NUMBER, t.text(para_no)),
        ]
        parent = para
    if item is not None:
        it = minter.law_part(law_id, article, paragraph or "1", item)
        decls += [
            (it, t.RDF_TYPE, IRI(ELI + "LegalResourceSubdivision")),
            (it, t.RDF_TYPE, cbkg("Item")),
            (it, ELI_IS_PART_OF, parent),
            (it, ELI_NUMBER, t.text(item)),
        ]
    return decls


# urls -------------------------------------------------------------------------------------------------------
_SCHEME_AUTHORITY = re.compile(r"^(https?://)([^/?#]+)(.*)$", re.IGNORECASE | re.DOTALL)
_AUTHORITY = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|(?:[\w.~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+)(?::[0-9]*)?$")
"""A host (name, IPv6 literal) with an optional port; URLs with user information are not taken as IRIs."""
_IRI_EXCLUDED = frozenset(' "<>\\^`{|}[]')
_HEX = frozenset("0123456789abcdefABCDEF")
_UCSCHAR = (
    (0xA0, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFEF),
    *((plane << 16, (plane << 16) + 0xFFFD) for plane in range(1, 14)),
    (0xE1000, 0xEFFFD),
)
"""The non-ASCII code points an IRI may hold as they are (RFC 3987 ``ucschar``); others are percent-encoded."""


def _iri_char(c: str) -> bool:
    o = ord(c)
    if o < 0x80:
        return 0x20 < o < 0x7F and c not in _IRI_EXCLUDED
    return any(lo <= o <= hi for lo, hi in _UCSCHAR) and not c.isspace()


def url_iri(value: str) -> str | None:
    """The IRI of an http(s) URL as written in a source, or None if it is not one.

    Characters an IRI cannot hold outside its host (``[`` ``]`` ``|`` ``^`` spaces, controls …), a ``%`` that
    does not start a percent-escape, and every ``#`` after the first are percent-encoded (RFC 3987), so
    ``…pdf#page=[42]`` becomes ``…pdf#page=%5B42%5D``: a strict parser (an Oxigraph or Virtuoso server)
    accepts it and a browser opens the same page."""
    m = _SCHEME_AUTHORITY.match(value.strip())
    if m is None:
        return None
    scheme, authority, rest = m.groups()
    if not _AUTHORITY.match(authority):
        return None
    out: list[str] = []
    fragment = False
    for i, c in enumerate(rest):
        if c == "%" and not (len(rest) > i + 2 and rest[i + 1] in _HEX and rest[i + 2] in _HEX):
            out.append("%25")
        elif c == "#" and fragment:
            out.append("%23")
        elif not _iri_char(c):
            out.append("".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass")))
        else:
            fragment = fragment or c == "#"
            out.append(c)
    return scheme.lower() + authority + "".join(out)


def url_term(value: str) -> t.IRI | t.Literal:
    """An IRI for an http(s) URL (see :func:`url_iri`), else the text as a plain literal."""
    iri = url_iri(value)
    return IRI(iri) if iri is not None else t.text(value.strip())


def is_url(value: str) -> bool:
    """True if ``value`` is an http(s) URL usable as an IRI (after :func:`url_iri`'s escaping)."""
    return url_iri(value) is not None


def code_for(scheme: str, table: dict[str, str], value: str | None) -> IRI | None:
    """Map a source label to a code list concept (``None`` when unknown)."""
    if value is None:
        return None
    notation = table.get(key_text(value))
    return code(scheme, notation) if notation else None


def iter_decls(*groups: list[Triple] | tuple[Triple, ...]) -> Iterator[Triple]:
    """Chain declaration groups."""
    for g in groups:
        yield from g


# budget cubes -----------------------------------------------------------------------------------------------
QB_NS = "http://purl.org/linked-data/cube#"


def budget_dataset(minter: Minter, key: str, unit: str, title: str, structure: str = "budgetStructure") -> list[Triple]:
    """Declarations of a budget data cube ``id/dataset/{key}-budget`` whose source figures are in ``unit``
    (a code of the ``unit`` list: yen, thousand-yen, million-yen, hundred-million-yen); ``structure`` is
    ``budgetStructure`` (review sheets) or ``summaryBudgetStructure`` (summary and request documents)."""
    ds = minter.dataset(key + "-budget")
    return [
        (ds, t.RDF_TYPE, IRI(QB_NS + "DataSet")),
        (ds, IRI(QB_NS + "structure"), cbkg(structure)),
        (ds, cbkg("sourceUnit"), code("unit", unit)),
        (ds, DCT_TITLE, t.ja(title)),
    ]


def describe_ranges(numbers: Sequence[int], dash: str = "-") -> str:
    """``3-7, 9, 12-15`` for a sorted list of line or row numbers (``dash`` joins a range)."""
    out: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        out.append(str(numbers[i]) if i == j else f"{numbers[i]}{dash}{numbers[j]}")
        i = j + 1
    return ", ".join(out)
