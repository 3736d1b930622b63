"""The reference package (``.gnbvref``) the upper level sends down to communes.

It carries catalogues (causes, needs, household categories, support measures, funding
sources…), the poverty standards as their data documents, and each commune's targets for a
year — never household data. Same container as the sync package (manifest, checksums,
optional encryption); every part is validated before a commune applies any of it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from gnbv_desktop.core.plans import target_errors
from gnbv_desktop.core.standards import StandardError, parse_document
from gnbv_desktop.io.package_zip import DEFAULT_LIMITS, Limits, PackageError, read_package, write_package

FORMAT = "gnbv-ref"
FORMAT_VERSION = 1
EXTENSION = ".gnbvref"
_CATALOG_NAME = re.compile(r"^[a-z][a-z0-9_]{0,60}$")
_STANDARD_KEYS = ("id", "legal_text", "short_name", "title", "years", "rule", "min_deprived", "thresholds",
                  "dimensions")


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
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
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
    if not isinstance(data, dict):
        raise PackageError("catalogs.json phải là một đối tượng: tên danh mục → các mục.")
    for name, items in data.items():
        if not isinstance(name, str) or not _CATALOG_NAME.match(name):
            raise PackageError(f"Tên danh mục không hợp lệ: {name!r}.")
        if not isinstance(items, list) or not items:
            raise PackageError(f"Danh mục '{name}' phải có ít nhất một mục.")
        codes = set()
        for n, item in enumerate(items, start=1):
            if not isinstance(item, dict) or not _nonblank(item.get("code")) or not _nonblank(item.get("name")):
                raise PackageError(f"Danh mục '{name}', mục {n}: cần có mã (code) và tên (name).")
            if item["code"] in codes:
                raise PackageError(f"Danh mục '{name}': mã '{item['code']}' bị trùng.")
            codes.add(item["code"])
    return data


def validate_standards(data: object) -> list[dict]:
    if not isinstance(data, list):
        raise PackageError("standards.json phải là danh sách các chuẩn nghèo.")
    ids = set()
    for n, doc in enumerate(data, start=1):
        if not isinstance(doc, dict):
            raise PackageError(f"Chuẩn nghèo thứ {n} không hợp lệ.")
        missing = [k for k in _STANDARD_KEYS if k not in doc]
        if missing:
            raise PackageError(f"Chuẩn nghèo thứ {n} thiếu trường: {', '.join(missing)}.")
        sid = doc["id"]
        years = doc["years"]
        if not _nonblank(sid) or sid in ids:
            raise PackageError(f"Chuẩn nghèo thứ {n}: mã chuẩn trống hoặc trùng.")
        ids.add(sid)
        if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)
                and years[0] <= years[1]):
            raise PackageError(f"Chuẩn {sid}: khoảng năm áp dụng không hợp lệ.")
        if doc["rule"] not in ("band", "line"):
            raise PackageError(f"Chuẩn {sid}: quy tắc phân loại '{doc['rule']}' không hỗ trợ.")
        thresholds = doc["thresholds"]
        if not isinstance(thresholds, dict) or set(thresholds) != {"rural", "urban"}:
            raise PackageError(f"Chuẩn {sid}: cần chuẩn thu nhập cho cả nông thôn và thành thị.")
        for area, t in thresholds.items():
            if not isinstance(t, dict) or not isinstance(t.get("poor_line"), int) or t["poor_line"] <= 0:
                raise PackageError(f"Chuẩn {sid}, khu vực {area}: chuẩn nghèo (poor_line) phải là số dương.")
        dims = doc["dimensions"]
        if not isinstance(dims, list) or not dims:
            raise PackageError(f"Chuẩn {sid}: thiếu các chiều thiếu hụt.")
        for dim in dims:
            indicators = dim.get("indicators") if isinstance(dim, dict) else None
            if not isinstance(indicators, list) or not all(
                isinstance(i, dict) and _nonblank(i.get("code")) and _nonblank(i.get("name")) for i in indicators
            ):
                raise PackageError(f"Chuẩn {sid}: chỉ số thiếu mã hoặc tên.")
        try:
            parse_document(doc)
        except StandardError as exc:
            raise PackageError(str(exc)) from exc
    return data


def validate_targets(data: object) -> dict[str, dict[str, float]]:
    if not isinstance(data, dict):
        raise PackageError("targets.json phải là một đối tượng: mã xã → các chỉ tiêu.")
    for code, targets in data.items():
        if not _nonblank(code) or not isinstance(targets, dict):
            raise PackageError(f"Chỉ tiêu của xã {code!r} không hợp lệ.")
        errors = target_errors(targets)
        if errors:
            raise PackageError(f"Chỉ tiêu của xã {code}: {' '.join(errors)}")
    return data


def _nonblank(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip())
