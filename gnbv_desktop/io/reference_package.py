"""The reference package (``.gnbvref``) the upper level sends down to communes.

It carries catalogues (causes, needs, household categories, support measures, funding
sources…), the poverty standards as their data documents, and each commune's targets for a
year — never household data. Same container as the sync package (manifest, checksums,
optional encryption). The contents are hostile until checked (issue 9): every part is validated
against its schema here, before a commune applies any of it, and a refusal names the part, the
entry and the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from gnbv_desktop.core.limits import MAX_CATALOG_ENTRIES, MAX_LABEL_CHARS, year_in_range
from gnbv_desktop.core.plans import target_errors
from gnbv_desktop.core.standard_set import shipped_standards
from gnbv_desktop.core.standards import StandardError
from gnbv_desktop.core.text import clean, has_control_chars
from gnbv_desktop.io.package_zip import DEFAULT_LIMITS, Limits, PackageError, read_package, write_package
from gnbv_desktop.store.reference import REFERENCE_CATALOGS

FORMAT = "gnbv-ref"
FORMAT_VERSION = 1
EXTENSION = ".gnbvref"
# The fields of a catalogue entry the app reads (see core.plans.measure_from_item), by kind.
_FIELD_KINDS = {"code": "text", "name": "text", "short": "text", "lead_agency": "text", "causes": "codes",
                "needs": "codes", "funding_sources": "codes", "indicators": "codes_by_standard"}
_COMMUNE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass
class ReferencePackage:
    issuer: str
    created_at: str
    year: int | None
    catalogs: dict[str, list[dict]] = field(default_factory=dict)
    standards: list[dict] = field(default_factory=list)
    targets: dict[str, dict[str, float]] = field(default_factory=dict)  # commune code → target field → value


def build_reference_package(ref: ReferencePackage, app_version: str, password: str | None = None) -> bytes:
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version,
        "issuer": ref.issuer,
        "created_at": ref.created_at,
        "year": ref.year,
    }

    def dump(v: object) -> bytes:
        return json.dumps(v, ensure_ascii=False, indent=1).encode("utf-8")

    entries = {"catalogs.json": dump(ref.catalogs), "standards.json": dump(ref.standards),
               "targets.json": dump(ref.targets)}
    return write_package(manifest, entries, password)


def read_reference_package(
    blob: bytes, password: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> ReferencePackage:
    manifest, entries = read_package(blob, format_name=FORMAT, format_version=FORMAT_VERSION, password=password,
                                     limits=limits)
    for name in ("catalogs.json", "standards.json", "targets.json"):
        if name not in entries:
            raise PackageError(f"Gói tham chiếu thiếu tệp {name}.")
    year = manifest.get("year")
    if year is not None and not year_in_range(year):
        raise PackageError("manifest.json có năm không hợp lệ.")
    return ReferencePackage(
        issuer=str(manifest.get("issuer") or ""),
        created_at=str(manifest.get("created_at") or ""),
        year=year,
        catalogs=validate_catalogs(_load(entries, "catalogs.json")),
        standards=validate_standards(_load(entries, "standards.json")),
        targets=validate_targets(_load(entries, "targets.json")),
    )


def _load(entries: dict[str, bytes], name: str) -> object:
    try:
        return json.loads(entries[name].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"Tệp {name} trong gói tham chiếu không đọc được: {exc}.") from exc


def validate_catalogs(data: object) -> dict[str, list[dict]]:
    """Catalogues as received: only the catalogues a reference package carries, each with
    1–:data:`MAX_CATALOG_ENTRIES` entries whose code, name and known extra fields have their
    types, are bounded, free of control characters, and whose codes are unique; the first
    problem raises :class:`PackageError` naming the catalogue and the entry."""
    if not isinstance(data, dict):
        raise PackageError("catalogs.json phải là một đối tượng: tên danh mục → các mục.")
    for name, items in data.items():
        if name not in REFERENCE_CATALOGS:
            raise PackageError(f"catalogs.json: danh mục {_shown(name)} không được gửi qua gói tham chiếu "
                               f"(chỉ: {', '.join(REFERENCE_CATALOGS)}).")
        if not isinstance(items, list) or not items:
            raise PackageError(f"Danh mục '{name}' phải có ít nhất một mục.")
        if len(items) > MAX_CATALOG_ENTRIES:
            raise PackageError(f"Danh mục '{name}' có {len(items)} mục, tối đa {MAX_CATALOG_ENTRIES}.")
        codes = set()
        for n, item in enumerate(items, start=1):
            where = f"Danh mục '{name}', mục {n}"
            if not isinstance(item, dict) or not _nonblank(item.get("code")) or not _nonblank(item.get("name")):
                raise PackageError(f"{where}: cần có mã (code) và tên (name).")
            for key, value in item.items():
                problem = _field_problem(key, value)
                if problem:
                    raise PackageError(f"{where}, trường {_shown(key)}: {problem}")
            if clean(item["code"]) in codes:
                raise PackageError(f"Danh mục '{name}': mã '{clean(item['code'])}' bị trùng.")
            codes.add(clean(item["code"]))
    return data


def _field_problem(key: object, value: object) -> str:
    """Why a catalogue entry's field cannot be stored (empty when it can): only the fields the
    app reads, each of its own type — a support measure's ``indicators`` given as a number would
    otherwise break every plan page — with bounded, control-free text."""
    kind = _FIELD_KINDS.get(key) if isinstance(key, str) else None
    if kind is None:
        return f"trường không dùng trong danh mục (chỉ: {', '.join(_FIELD_KINDS)})."
    if kind == "text":
        return _text_problem(value)
    if kind == "codes":
        return _codes_problem(value)
    if not isinstance(value, dict) or len(value) > 50:
        return "phải là bảng: mã chuẩn nghèo → danh sách mã chỉ số."
    for std_id, codes in value.items():
        problem = _text_problem(std_id) or _codes_problem(codes)
        if problem:
            return problem
    return ""


def _text_problem(value: object) -> str:
    if not isinstance(value, str):
        return "phải là chữ."
    if len(value) > MAX_LABEL_CHARS:
        return f"dài {len(value)} ký tự, tối đa {MAX_LABEL_CHARS}."
    return "có ký tự điều khiển không hợp lệ." if has_control_chars(value) else ""


def _codes_problem(value: object) -> str:
    if not isinstance(value, list) or len(value) > 200:
        return "phải là danh sách mã (tối đa 200)."
    for code in value:
        if not isinstance(code, str) or not code.strip() or len(code) > 60 or has_control_chars(code):
            return "mỗi mã phải là chữ ngắn, không trống, không có ký tự điều khiển."
    return ""


def validate_standards(data: object) -> list[dict]:
    """The standards as received, each checked by ``validate_document`` against the shipped
    ones (lines increasing, thresholds within the indicators, unique codes, years in range and
    not over another standard's years)."""
    if not isinstance(data, list):
        raise PackageError("standards.json phải là danh sách các chuẩn nghèo.")
    try:
        shipped_standards().with_received(data)
    except StandardError as exc:
        raise PackageError(f"standards.json: {exc}") from exc
    return data


def validate_targets(data: object) -> dict[str, dict[str, float]]:
    """Targets by commune code; codes plain and short, values finite and in range."""
    if not isinstance(data, dict):
        raise PackageError("targets.json phải là một đối tượng: mã xã → các chỉ tiêu.")
    if len(data) > MAX_CATALOG_ENTRIES:
        raise PackageError(f"targets.json có chỉ tiêu cho {len(data)} xã, tối đa {MAX_CATALOG_ENTRIES}.")
    for code, targets in data.items():
        if not _COMMUNE_CODE.match(code) or not isinstance(targets, dict):
            raise PackageError(f"targets.json: chỉ tiêu của xã {_shown(code)} không hợp lệ (mã xã gồm chữ số, tối đa 20 ký tự).")
        errors = target_errors(targets)
        if errors:
            raise PackageError(f"Chỉ tiêu của xã {code}: {' '.join(errors)}")
    return data


def _shown(value: object) -> str:
    """A received value quoted for a message: control characters made visible, length capped."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _nonblank(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip())
