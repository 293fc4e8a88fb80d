"""Scenario files: TOML read with :mod:`tomllib`, checked with pydantic, every problem at once.

A scenario is a base network, a list of edits, the freight demand and its growth, the
parameters of the cost, and what to report (the pairs whose routes to give, with their
reliability, and the seeds). A file looks like this::

    [scenario]
    name = "bolashak_dwell_halved"
    title = "Bolashak dwell halved"
    sources = ["https://en.trend.az/business/3999649.html (2025)"]
    assumption = "'halved' is a what-if, not a published target"

    [base]
    network = "default"          # or a GMNS folder / TNTP file, relative to this file
    extends = "other.toml"       # optional: start from another scenario's edits

    [[edits]]
    op = "scale"
    table = "border_sides"
    where = { country = "KAZ", mode_group = "rail", side = "exit" }
    factors = { dwell_time_h = 0.5 }

    [demand]
    growth = 1.0
    growth_by_pair = { "KAZ-IRN" = 1.5 }

    [report]
    pairs = [["Almaty", "Tehran"]]
    depart = 2026-12-01T08:00:00
    seeds = [1]

Edits (``op``): ``open`` a planned link, segment or place; ``close`` a link, segment, place,
service, border crossing (``"A|B"``) or a country's borders, for the whole year or for
``days``; ``reopen`` what an earlier edit closed; ``set`` or ``scale`` columns of the rows of a
table (``links``, ``places`` or any parameter table) that match ``where``; ``add`` rows to a
table; ``remove`` rows from a table. :func:`load_scenario` checks the file's form here and
its meaning against the network in :mod:`corridor.scenarios.edits`; either way every
problem is listed with its line in a :class:`~corridor.errors.ScenarioError`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corridor.errors import ScenarioError, ScenarioProblem

__all__ = [
    "EDIT_OPS",
    "TARGETS",
    "AddEdit",
    "CloseEdit",
    "DemandRow",
    "DemandSpec",
    "Edit",
    "OpenEdit",
    "ParametersSpec",
    "RemoveEdit",
    "ReopenEdit",
    "ReportSpec",
    "ScaleEdit",
    "Scenario",
    "ScenarioFile",
    "SetEdit",
    "load_scenario",
    "parse_scenario",
]

#: What ``open``, ``close`` and ``reopen`` act on.
TARGETS: tuple[str, ...] = ("link", "segment", "place", "service", "border", "country")
#: The edit operations.
EDIT_OPS: tuple[str, ...] = ("open", "close", "reopen", "set", "scale", "add", "remove")
#: Most files an ``extends`` chain may hold.
MAX_EXTENDS = 8

Scalar = str | bool | int | float
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,79}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ScenarioInfo(_Model):
    """The ``[scenario]`` table: name, title and the published sources it rests on."""

    name: str = ""
    title: str = ""
    description: str = ""
    sources: tuple[str, ...] = ()
    assumption: str = ""

    @field_validator("name")
    @classmethod
    def _slug(cls, v: str) -> str:
        if v and not _NAME.match(v):
            raise ValueError(
                "a name is letters, digits and _ . + - (at most 80), e.g. 'trade_plus_50'"
            )
        return v


class BaseSpec(_Model):
    """The ``[base]`` table: the network edited (``default`` or a path) and a parent file."""

    network: str = "default"
    extends: str | None = None


class _Edit(_Model):
    source: str = ""
    assumption: str = ""
    note: str = ""


class _Targeted(_Edit):
    link: str | None = None
    segment: str | None = None
    place: str | None = None
    service: str | None = None
    border: str | None = None
    country: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> _Targeted:
        given = [t for t in TARGETS if getattr(self, t) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of {', '.join(TARGETS)} (got {', '.join(given) or 'none'})"
            )
        return self

    @property
    def target(self) -> tuple[str, str]:
        """The ``(kind, id)`` the edit acts on."""
        for t in TARGETS:
            value = getattr(self, t)
            if value is not None:
                return t, str(value)
        raise AssertionError("unreachable: validated")  # pragma: no cover


class OpenEdit(_Targeted):
    """Open planned links or places (their planned figures, e.g. capacity, stay)."""

    op: Literal["open"]

    @model_validator(mode="after")
    def _openable(self) -> OpenEdit:
        kind = self.target[0]
        if kind not in ("link", "segment", "place"):
            raise ValueError("open acts on a link, segment or place (a planned one)")
        return self


class CloseEdit(_Targeted):
    """Close links, a place, a service, a border crossing or a country's borders."""

    op: Literal["close"]
    days: int | None = Field(default=None, ge=1, le=365)


class ReopenEdit(_Targeted):
    """Reopen what an earlier edit (here or in a parent file) closed."""

    op: Literal["reopen"]


class _TableEdit(_Edit):
    table: str
    where: dict[str, Scalar] = Field(default_factory=dict)


class SetEdit(_TableEdit):
    """Set columns of the rows of ``table`` that match ``where`` (all rows if empty)."""

    op: Literal["set"]
    values: dict[str, Scalar] = Field(min_length=1)


class ScaleEdit(_TableEdit):
    """Multiply numeric columns of the matching rows by factors."""

    op: Literal["scale"]
    factors: dict[str, float] = Field(min_length=1)

    @field_validator("factors")
    @classmethod
    def _finite(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k, f in v.items() if not (math.isfinite(f) and f >= 0)]
        if bad:
            raise ValueError(f"factors must be finite and >= 0 ({', '.join(bad)})")
        return v


class AddEdit(_Edit):
    """Add rows to a table (links, places or a parameter table)."""

    op: Literal["add"]
    table: str
    rows: tuple[dict[str, Scalar], ...] = Field(min_length=1)


class RemoveEdit(_TableEdit):
    """Remove the rows of ``table`` that match ``where``."""

    op: Literal["remove"]

    @field_validator("where")
    @classmethod
    def _nonempty(cls, v: dict[str, Scalar]) -> dict[str, Scalar]:
        if not v:
            raise ValueError("remove needs a non-empty where")
        return v


Edit = Annotated[
    OpenEdit | CloseEdit | ReopenEdit | SetEdit | ScaleEdit | AddEdit | RemoveEdit,
    Field(discriminator="op"),
]


class DemandRow(_Model):
    """One flow: tonnes a year from ``origin`` to ``destination`` (place ids or names)."""

    origin: str
    destination: str
    tonnes_per_yr: float = Field(ge=0, allow_inf_nan=False)
    cargo: str = ""
    source: str = ""


class DemandSpec(_Model):
    """The ``[demand]`` table: flows (a file, rows, or the baseline) and growth factors.

    With neither ``file`` nor ``pairs`` the baseline demand is used
    (:func:`corridor.scenarios.steps.baseline_demand`). ``growth`` multiplies every flow;
    ``growth_by_pair`` multiplies the flows between two countries (``"KAZ-IRN"``: from
    Kazakhstan to Iran; ``"KAZ<>IRN"``: both ways), on top of ``growth``.
    """

    file: str | None = None
    pairs: tuple[DemandRow, ...] = ()
    growth: float = Field(default=1.0, ge=0, allow_inf_nan=False)
    growth_by_pair: dict[str, float] = Field(default_factory=dict)
    cargo: str = "bulk"

    @field_validator("growth_by_pair")
    @classmethod
    def _pairs(cls, v: dict[str, float]) -> dict[str, float]:
        for key, f in v.items():
            if not re.match(r"^[A-Z]{3}(-|<>)[A-Z]{3}$", key):
                raise ValueError(f"{key!r}: a key is 'AAA-BBB' or 'AAA<>BBB' (ISO 3166 alpha-3)")
            if not (math.isfinite(f) and f >= 0):
                raise ValueError(f"{key!r}: the factor must be finite and >= 0")
        return v


class ParametersSpec(_Model):
    """The ``[parameters]`` table: the cost and the freight assignment's options.

    ``carbon_price_usd_per_t`` enters the generalized cost of both the assignment and the
    route answers; ``value_of_time_usd_per_h`` (per unit of the report's cargo) the route
    answers only: the assignment reads each class's value from the ``value_of_time``
    table (change it with a ``set`` edit). ``method``, ``gap`` and ``max_iter`` are
    :func:`corridor.flows.assign_flows`'s.
    """

    value_of_time_usd_per_h: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    carbon_price_usd_per_t: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    method: Literal["aon", "msa", "fw", "cfw", "bfw", "logit"] = "bfw"
    gap: float = Field(default=1e-6, gt=0, allow_inf_nan=False)
    max_iter: int = Field(default=5000, ge=1, le=100_000)


class ReportSpec(_Model):
    """The ``[report]`` table: the pairs whose routes to give, simulated from ``depart``."""

    pairs: tuple[tuple[str, str], ...] = ()
    cargo: str = "container_40ft"
    objective: str = "generalized"
    k: int = Field(default=1, ge=1, le=5)
    depart: datetime | str = "2026-12-01T08:00"
    samples: int = Field(default=2000, ge=100, le=200_000)
    seeds: tuple[int, ...] = Field(default=(0,), min_length=1)

    @field_validator("depart")
    @classmethod
    def _depart(cls, v: datetime | str) -> datetime | str:
        if isinstance(v, str):
            try:
                datetime.fromisoformat(v)
            except ValueError as err:
                raise ValueError(f"not an ISO date and time: {v!r}") from err
        return v

    @property
    def depart_at(self) -> datetime:
        """The departure as a datetime."""
        return (
            self.depart
            if isinstance(self.depart, datetime)
            else datetime.fromisoformat(self.depart)
        )


class ScenarioFile(_Model):
    """One scenario file's tables, as written (before ``extends`` is resolved)."""

    scenario: ScenarioInfo = Field(default_factory=ScenarioInfo)
    base: BaseSpec = Field(default_factory=BaseSpec)
    edits: tuple[Edit, ...] = ()
    demand: DemandSpec = Field(default_factory=DemandSpec)
    parameters: ParametersSpec = Field(default_factory=ParametersSpec)
    report: ReportSpec = Field(default_factory=ReportSpec)


# ----------------------------------------------------------------------------- lines
class _Locator:
    """Map a value's place in a TOML file (a tuple of keys and indices) to its line.

    A light scan, not a parser: table headers, ``[[array]]`` items, ``key = value`` lines,
    the keys of one-line inline tables and the items of multi-line arrays. Places it does
    not know resolve to their longest known prefix.
    """

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        counters: dict[tuple[str, ...], int] = {}
        prefix: tuple[str | int, ...] = ()
        array_key: tuple[str | int, ...] | None = None
        array_item = -1
        depth = 0
        for no, raw in enumerate(text.splitlines(), start=1):
            line = _strip_comment(raw).strip()
            if not line:
                continue
            if array_key is not None:
                if line.startswith(("{", "[")) and depth == 1:
                    array_item += 1
                    self._put((*array_key, array_item), no)
                    for k in _inline_keys(line):
                        self._put((*array_key, array_item, k), no)
                depth += _depth(line)
                if depth <= 0:
                    array_key = None
                continue
            m = re.match(r"^\[\[\s*([^\]]+?)\s*\]\]$", line)
            if m:
                head = tuple(_split_key(m.group(1)))
                i = counters.get(head, -1) + 1
                counters[head] = i
                prefix = (*head, i)
                self._put(prefix, no)
                continue
            m = re.match(r"^\[\s*([^\]]+?)\s*\]$", line)
            if m:
                prefix = tuple(_split_key(m.group(1)))
                self._put(prefix, no)
                continue
            key_text, eq, value = line.partition("=")
            if not eq:
                continue
            key: tuple[str | int, ...] = (*prefix, *_split_key(key_text.strip()))
            self._put(key, no)
            value = value.strip()
            if value.startswith("{"):
                for k in _inline_keys(value):
                    self._put((*key, k), no)
            elif value.startswith("["):
                d = _depth(value)
                if d > 0:
                    array_key, array_item, depth = key, -1, d
                    inner = value[1:].strip()
                    if inner.startswith(("{", "[")):
                        array_item = 0
                        self._put((*key, 0), no)
                        for k in _inline_keys(inner):
                            self._put((*key, 0, k), no)
                else:
                    items = _top_items(value)
                    for i, item in enumerate(items):
                        self._put((*key, i), no)
                        for k in _inline_keys(item):
                            self._put((*key, i, k), no)

    def _put(self, key: tuple[str | int, ...], line: int) -> None:
        self.lines.setdefault(key, line)

    def line(self, loc: Sequence[str | int]) -> int:
        """Return the line of ``loc`` or of its longest known prefix (0 if none)."""
        key = tuple(loc)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 0


def _strip_comment(line: str) -> str:
    out, quote = [], ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        out.append(ch)
    return "".join(out)


def _unquoted(text: str) -> str:
    return re.sub(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'", '""', text)


def _depth(text: str) -> int:
    t = _unquoted(text)
    return t.count("[") + t.count("{") - t.count("]") - t.count("}")


def _split_key(text: str) -> list[str]:
    parts = re.findall(r"\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([^.\s]+)", text)
    return [a or b or c for a, b, c in parts]


def _inline_keys(text: str) -> list[str]:
    t = _unquoted(text)
    keys = re.findall(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=", t)
    quoted = re.findall(r"[{,]\s*\"([^\"]+)\"\s*=", text)
    return keys + quoted


def _top_items(text: str) -> list[str]:
    """Return the items of a one-line array ``[a, {b = 1}, [c, d]]``, as text."""
    inner = text.strip()[1:-1]
    items: list[str] = []
    cur: list[str] = []
    depth, quote = 0, ""
    for ch in inner:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        items.append("".join(cur).strip())
    return items


# ----------------------------------------------------------------------------- loading
@dataclass(frozen=True)
class Origin:
    """Where a part of a resolved scenario was written: the file and its line locator."""

    path: str
    locator: _Locator
    index: int = -1  # an edit's index in its own file


@dataclass(frozen=True, eq=False)
class Scenario:
    """A scenario with ``extends`` resolved and paths made absolute.

    Attributes
    ----------
    spec : ScenarioFile
        The merged tables: the parents' edits first, then this file's; every other table
        key from the nearest file that sets it.
    path : str
        The file (``""`` for a scenario made in code).
    name : str
        ``scenario.name``, else the file's stem.
    network_path : str or None
        The base network's path, or None for the default network.
    demand_path : str or None
        The demand file, or None.
    files : tuple of str
        Every file read (this one, then its parents).
    """

    spec: ScenarioFile
    path: str = ""
    name: str = "scenario"
    network_path: str | None = None
    demand_path: str | None = None
    files: tuple[str, ...] = ()
    _origins: Mapping[tuple[str | int, ...], Origin] = field(default_factory=dict, repr=False)

    def problem(self, loc: Sequence[str | int], message: str) -> ScenarioProblem:
        """Return a :class:`ScenarioProblem` placed at the file and line of ``loc``."""
        loc = tuple(loc)
        origin = None
        if len(loc) >= 2 and loc[0] == "edits":
            origin = self._origins.get(("edits", loc[1]))
            local: tuple[str | int, ...] = ("edits", origin.index, *loc[2:]) if origin else loc
        else:
            origin = self._origins.get(loc[:2]) or self._origins.get(loc[:1])
            local = loc
        if origin is None:
            origin = self._origins.get(())
        path = origin.path if origin else self.path
        line = origin.locator.line(local) if origin else 0
        return ScenarioProblem(path=path, line=line, where=_where(loc), message=message)

    def content_hash(self) -> str:
        """Return the SHA-256 of the scenario's meaning: its merged tables and input files.

        The paths of the base network and the demand file enter as the hashes of their
        contents, so moving the files does not change the hash and editing them does.
        """
        data = self.spec.model_dump(mode="json")
        data["scenario"].pop("description", None)
        data["base"] = {
            "network": "default" if self.network_path is None else _hash_path(self.network_path)
        }
        if self.demand_path is not None:
            data["demand"]["file"] = _hash_path(self.demand_path)
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _where(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _hash_path(path: str) -> str:
    p = Path(path)
    h = hashlib.sha256()
    files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
    for q in files:
        h.update(str(q.relative_to(p) if p.is_dir() else q.name).encode())
        try:
            h.update(q.read_bytes())
        except OSError:
            h.update(b"<unreadable>")
    return "sha256:" + h.hexdigest()


def _pydantic_problems(err: ValidationError, path: str, locator: _Locator) -> list[ScenarioProblem]:
    out = []
    for e in err.errors():
        loc = [p for p in e["loc"] if not (isinstance(p, str) and p in EDIT_OPS and _is_tag(e))]
        loc = [p for p in loc if not (isinstance(p, str) and "[" in p)]  # union branch names
        msg = str(e["msg"])
        if e["type"] == "extra_forbidden":
            msg = f"unknown key {str(loc[-1])!r}" if loc else "unknown key"
        elif e["type"] == "missing" and loc and isinstance(loc[-1], int):
            msg = f"missing item {loc[-1] + 1} (a pair is [origin, destination])"
        elif e["type"] == "missing":
            msg = f"missing key {str(loc[-1])!r}" if loc else msg
        elif e["type"] == "union_tag_invalid":
            loc = [*loc, "op"]
            msg = (
                f"unknown op {_short(e.get('input', {}).get('op'))}; allowed: {', '.join(EDIT_OPS)}"
            )
        elif e["type"] == "union_tag_not_found":
            msg = f"an edit needs an op ({', '.join(EDIT_OPS)})"
        elif e["type"].endswith("_type") and "input" in e:
            msg = f"{msg}, got {_typename(e['input'])} {_short(e['input'])}"
        msg = msg.removeprefix("Value error, ")
        out.append(ScenarioProblem(path, locator.line(loc), _where(loc), msg))
    return out


def _is_tag(e: Any) -> bool:
    return len(e["loc"]) >= 3 and e["loc"][0] == "edits"


def _typename(value: object) -> str:
    return {str: "text", bool: "a boolean", int: "an integer", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _read(path: Path) -> tuple[dict[str, Any], _Locator]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ScenarioError(
            f"{path}: cannot read the scenario file ({err.strerror or err})",
            problems=[ScenarioProblem(str(path), 0, "", f"cannot read ({err.strerror or err})")],
        ) from err
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte {err.start})",
            problems=[ScenarioProblem(str(path), 0, "", f"not UTF-8 text (byte {err.start})")],
        ) from err
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = getattr(err, "lineno", 0) or _line_of(str(err))
        raise ScenarioError(
            f"{path}: not valid TOML",
            problems=[ScenarioProblem(str(path), line, "", str(err).split(" (at line")[0])],
        ) from err
    return raw, _Locator(text)


def _line_of(message: str) -> int:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 0


def _iso(value: object) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise TypeError(type(value).__name__)  # pragma: no cover - tomllib gives no other types


def parse_scenario(text: str, *, path: str = "<scenario>") -> ScenarioFile:
    r"""Check the form of one scenario file's text (no ``extends``, no network).

    Parameters
    ----------
    text : str
        TOML text.
    path : str, optional
        Shown in messages.

    Returns
    -------
    ScenarioFile

    Raises
    ------
    ScenarioError
        Listing every problem with its line.

    Examples
    --------
    >>> spec = parse_scenario('[[edits]]\nop = "close"\nplace = "KZ_KURYK"\ndays = 30\n')
    >>> spec.edits[0].target, spec.edits[0].days
    (('place', 'KZ_KURYK'), 30)
    >>> parse_scenario('[[edits]]\nop = "close"\ndays = "thirty"\n')
    Traceback (most recent call last):
    ...
    corridor.errors.ScenarioError: <scenario>: 1 problem(s) in the scenario file
      <scenario>:3: edits[0].days: Input should be a valid integer, got text 'thirty'

    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(
            f"{path}: not valid TOML",
            problems=[ScenarioProblem(path, _line_of(str(err)), "", str(err).split(" (at")[0])],
        ) from err
    return _validate(raw, path, _Locator(text))


def _validate(raw: dict[str, Any], path: str, locator: _Locator) -> ScenarioFile:
    # through JSON: strict types as TOML wrote them, arrays accepted for tuples
    text = json.dumps(raw, default=_iso)
    try:
        return ScenarioFile.model_validate_json(text)
    except ValidationError as err:
        problems = sorted(_pydantic_problems(err, path, locator), key=lambda p: p.line)
        raise ScenarioError(
            f"{path}: {len(problems)} problem(s) in the scenario file", problems=problems
        ) from None


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario file, resolve its ``extends`` chain and make its paths absolute.

    The form of every file is checked here (types, unknown keys, one target per edit);
    what it means for the network (unknown places, rows, columns, duplicate edits,
    closing what does not exist) is checked when the edits are applied
    (:func:`corridor.scenarios.edits.apply_edits`). Both report every problem at once.

    Parameters
    ----------
    path : path-like
        The TOML file.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Every problem of the file (and of its parents) with its line.

    """
    chain: list[tuple[Path, ScenarioFile, _Locator]] = []
    current = Path(path).resolve()
    problems: list[ScenarioProblem] = []
    while True:
        if any(current == c[0] for c in chain):
            raise ScenarioError(
                f"{chain[-1][0]}: extends makes a cycle through {current}",
                problems=[
                    ScenarioProblem(
                        str(chain[-1][0]),
                        chain[-1][2].line(("base", "extends")),
                        "base.extends",
                        f"{current.name} is already in the chain",
                    )
                ],
            )
        if len(chain) >= MAX_EXTENDS:
            raise ScenarioError(f"{current}: more than {MAX_EXTENDS} files in the extends chain")
        raw, locator = _read(current)
        try:
            spec = _validate(raw, str(current), locator)
        except ScenarioError as err:
            problems.extend(err.problems)
            break
        chain.append((current, spec, locator))
        if spec.base.extends is None:
            break
        parent = (current.parent / spec.base.extends).resolve()
        if not parent.is_file():
            problems.append(
                ScenarioProblem(
                    str(current),
                    locator.line(("base", "extends")),
                    "base.extends",
                    f"no scenario file {str(parent)!r}",
                )
            )
            break
        current = parent
    if problems:
        raise ScenarioError(
            f"{Path(path)}: {len(problems)} problem(s) in the scenario file", problems=problems
        )
    return _merge(chain)


def _merge(chain: list[tuple[Path, ScenarioFile, _Locator]]) -> Scenario:
    """Merge a chain (child first) into one scenario."""
    origins: dict[tuple[str | int, ...], Origin] = {}
    edits: list[Any] = []
    for path, spec, loc in reversed(chain):
        for i, e in enumerate(spec.edits):
            origins[("edits", len(edits))] = Origin(str(path), loc, i)
            edits.append(e)
    merged: dict[str, Any] = {}
    sections = ("demand", "parameters", "report")
    for key in sections:
        values: dict[str, Any] = {}
        for path, spec, loc in reversed(chain):
            part = getattr(spec, key)
            for name in part.model_fields_set:
                values[name] = getattr(part, name)
                origins[(key, name)] = Origin(str(path), loc)
        merged[key] = type(getattr(chain[0][1], key))(**values)
    child_path, child, child_loc = chain[0]
    origins[()] = Origin(str(child_path), child_loc)
    origins[("scenario",)] = Origin(str(child_path), child_loc)
    # the base network: the nearest file that names one, relative to that file
    network_path: str | None = None
    base_network = "default"
    for path, spec, loc in chain:
        if "network" in spec.base.model_fields_set:
            base_network = spec.base.network
            origins[("base", "network")] = Origin(str(path), loc)
            if spec.base.network != "default":
                network_path = str((path.parent / spec.base.network).resolve())
            break
    demand_path = None
    if merged["demand"].file is not None:
        o = origins[("demand", "file")]
        demand_path = str((Path(o.path).parent / merged["demand"].file).resolve())
    spec = ScenarioFile(
        scenario=child.scenario,
        base=BaseSpec(network=base_network),
        edits=tuple(edits),
        demand=merged["demand"],
        parameters=merged["parameters"],
        report=merged["report"],
    )
    return Scenario(
        spec=spec,
        path=str(child_path),
        name=child.scenario.name or child_path.stem,
        network_path=network_path,
        demand_path=demand_path,
        files=tuple(str(p) for p, _, _ in chain),
        _origins=origins,
    )


def scenario_from_spec(spec: ScenarioFile, *, name: str = "") -> Scenario:
    """Wrap a :class:`ScenarioFile` made in code as a :class:`Scenario` (no files).

    Examples
    --------
    >>> s = scenario_from_spec(ScenarioFile(), name="base")
    >>> s.name, s.network_path
    ('base', None)

    """
    network_path = (
        None if spec.base.network == "default" else str(Path(spec.base.network).resolve())
    )
    demand_path = None if spec.demand.file is None else str(Path(spec.demand.file).resolve())
    return Scenario(
        spec=spec,
        name=name or spec.scenario.name or "scenario",
        network_path=network_path,
        demand_path=demand_path,
    )
