"""Every hostile sync package case of issue 9 ends in a clean refusal through ``gnbv sync-import``.

The oracle is the same for every case: exit status 1, one ``Lỗi:`` message in Vietnamese naming
the file (and the entry, line and field where there is one), no traceback, no raw control
characters, and the aggregate's canonical dump unchanged. Cases that try to exhaust memory or
time run in a child process limited to 1 GB of address space and 60 s.
"""

from __future__ import annotations

import json
import os
import uuid as _uuid
import zipfile
from collections.abc import Callable

import pytest

from gnbv_desktop.core.signing import new_private_key
from gnbv_desktop.io.package_crypto import MAGIC, MAGIC_V1
from tests.hostile.package_kit import (
    GIB,
    RawEntry,
    World,
    bzip2_zeros,
    canonical_dump,
    copy_tables,
    craft,
    deflate_zeros,
    fresh_aggregate,
    manifest,
    raw_zip,
    run_cli,
    run_limited,
)

Builder = Callable[[World], bytes]
CASES: dict[str, tuple[Builder, str]] = {}
BOMBS: dict[str, tuple[Builder, str]] = {}


def case(name: str, expect: str, registry: dict = CASES):
    def register(fn: Builder) -> Builder:
        registry[name] = (fn, expect)
        return fn
    return register


def mutate(table: str, index: int, **fields) -> Builder:
    """The commune's package with one record's fields changed (``None`` values delete the field
    when given as the string ``"<del>"``)."""
    def build(w: World) -> bytes:
        tables = copy_tables(w)
        rec = tables[table][index]
        for k, v in fields.items():
            if v == "<del>":
                rec.pop(k, None)
            else:
                rec[k] = v
        return craft(w, tables=tables)
    return build


def with_manifest(**changes) -> Builder:
    return lambda w: craft(w, manifest_changes=changes)


def raw_line(table: str, index: int, old: str, new: str) -> Builder:
    """Replace text inside one record's JSON line (for values ``json`` cannot write: NaN, 2^64…)."""
    def build(w: World) -> bytes:
        tables = copy_tables(w)
        entries = {f"{t}.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
                   for t, rows in tables.items()}
        text = entries[f"{table}.jsonl"].decode().split("\n")
        assert old in text[index], (old, text[index])
        text[index] = text[index].replace(old, new, 1)
        entries[f"{table}.jsonl"] = "\n".join(text).encode()
        return craft(w, tables=tables, entries=entries)
    return build


# ---- 1. file names and printed text built from data -------------------------------------------------
for label, code in [("dotdot", "../../../x"), ("absolute", "/abs/x"), ("backslash", "..\\..\\x"),
                    ("long", "7" * 100_000), ("control", "23764\x1b[2J"), ("empty", "")]:
    case(f"manifest-code-{label}", "trường commune.code")(
        lambda w, c=code: craft(w, manifest_changes={"commune": {"code": c, "name": "Xã Ia Grai"}}))
for label, name in [("control", "Xã \x1b[31mIa Grai"), ("rtl-override", "Xã Ia\u202e iarG"),
                    ("long", "X" * 100_000), ("null", None), ("blank", "   ")]:
    case(f"manifest-name-{label}", "trường commune.name")(
        lambda w, n=name: craft(w, manifest_changes={"commune": {"code": "23764", "name": n}}))
case("record-name-control", "households.jsonl, dòng 1, trường head_name")(
    mutate("households", 0, head_name="Nguyễn\x00Văn A"))
case("record-name-rtl", "households.jsonl, dòng 1, trường head_name")(
    mutate("households", 0, head_name="Nguyễn \u202eVăn A"))
case("record-note-100k", "households.jsonl, dòng 2, trường note")(mutate("households", 1, note="x" * 100_000))
for attachment in ["households.jsonl", "x.jsonl", "phu-luc.pdf", "tong-hop-9999.xlsx", "../tong-hop-2026.xlsx",
                   "CON", "a" * 200]:
    case(f"attachment-{attachment[:20]}", "trường attachments|đường dẫn không hợp lệ")(
        lambda w, a=attachment: craft(w, manifest_changes={"attachments": [a]}, extra={a: b"PK\x03\x04"}))
case("attachment-not-xlsx", "không phải bảng tính XLSX")(
    lambda w: craft(w, manifest_changes={"attachments": ["tong-hop-2026.xlsx"]},
                    extra={"tong-hop-2026.xlsx": b"MZ\x90\x00 not a workbook"}))
for label, entry in [("dotdot", "../households.jsonl"), ("absolute", "/etc/cron.d/gnbv"), ("dir", "sub/x.jsonl"),
                     ("backslash", "..\\evil.jsonl"), ("control", "a\x07.jsonl")]:
    case(f"entry-name-{label}", "đường dẫn không hợp lệ")(lambda w, e=entry: craft(w, extra={e: b"{}\n"}))

# ---- 3. bounded resources -----------------------------------------------------------------------------
case("sequence-2^62", "trường sequence")(with_manifest(sequence=2**62, base_sequence=2**62 - 1))
case("sequence-2^63+5", "trường sequence")(with_manifest(sequence=2**63 + 5, base_sequence=1))
case("sequence-float", "trường sequence")(with_manifest(sequence=2.0))
case("base-not-below-sequence", "trường base_sequence")(with_manifest(sequence=3, base_sequence=3))
case("too-many-entries", "quá nhiều tệp")(lambda w: craft(w, extra={f"e{i}.bin": b"" for i in range(5000)}))
case("zip64-marker", "zip64")(lambda w: raw_zip([RawEntry("manifest.json", b"{}", method=0)], zip64_marker=True))
case("lzma-method", "cách nén")(lambda w: raw_zip([RawEntry("manifest.json", b"\x00" * 10, method=14)]))
case("zip-encrypted-entry", "cách nén hoặc mã hóa zip")(
    lambda w: raw_zip([RawEntry("manifest.json", b"\x00" * 30, method=0, flags=1)]))
case("manifest-over-1MiB", "quá lớn khi giải nén")(with_manifest(app_version="v" * (2 * 1024**2)))
case("manifest-deep-nesting", "manifest.json không đọc được")(
    lambda w: raw_zip([RawEntry("manifest.json", b"[" * 500_000, method=0)]))
case("manifest-not-object", "không phải loại gói")(
    lambda w: raw_zip([RawEntry("manifest.json", b'["gnbv-sync"]', method=0)]))
case("scrypt-downgrade-v1-magic", "Tham số mã hóa")(
    lambda w: MAGIC_V1 + json.dumps({"kdf": "scrypt", "n": 2**17, "r": 8, "p": 1, "salt": "00" * 16,
                                     "cipher": "AES-256-GCM", "nonce": "00" * 12}).encode() + b"\n" + b"x" * 64)

# ---- 4. identity and forgery --------------------------------------------------------------------------
OTHER_KEY = new_private_key()
OTHER_INSTALLATION = str(_uuid.uuid4())
case("other-installation-same-code", "đã gắn với máy")(
    lambda w: craft(w, manifest_changes={"installation": OTHER_INSTALLATION}, key=OTHER_KEY))
case("same-installation-other-name", "đã đăng ký với tên")(
    lambda w: craft(w, manifest_changes={"commune": {"code": "23764", "name": "Xã Ia Grai Mới"}}))
case("unsigned-after-pinning", "không có chữ ký")(lambda w: craft(w, key=None))
case("signed-by-another-key", "ký bằng khóa")(lambda w: craft(w, key=OTHER_KEY))
case("signature-bytes-flipped", "Chữ ký của gói không khớp")(
    lambda w: (lambda b: b[:50] + bytes([b[50] ^ 1]) + b[51:])(craft(w)))
case("legacy-v1-package-after-binding", "một phiên bản cũ không ghi mã máy")(
    lambda w: craft(w, manifest_override={k: v for k, v in manifest(w, w.tables, format_version=1).items()
                                          if k != "installation"}, key=None))
case("uppercase-uuid", "households.jsonl, dòng 1, trường uuid")(
    lambda w: mutate("households", 0, uuid=w.tables["households"][0]["uuid"].upper())(w))
case("uuid-braces", "members.jsonl, dòng 1, trường uuid")(
    lambda w: mutate("members", 0, uuid="{" + w.tables["members"][0]["uuid"] + "}")(w))
case("duplicate-uuid", "xuất hiện hai lần")(
    lambda w: mutate("members", 1, uuid=w.tables["members"][0]["uuid"])(w))
case("change-counter-2^63-1", "members.jsonl, dòng 1, trường change_counter")(
    mutate("members", 0, change_counter=2**63 - 1))
case("change-counter-2^63", "trường change_counter")(raw_line("members", 0, '"change_counter": 1',
                                                              f'"change_counter": {2**63}'))
case("change-counter-2^64-1", "trường change_counter")(raw_line("members", 0, '"change_counter": 1',
                                                                f'"change_counter": {2**64 - 1}'))
case("change-counter-2^64", "trường change_counter")(raw_line("members", 0, '"change_counter": 1',
                                                              f'"change_counter": {2**64}'))
case("change-counter-zero", "trường change_counter")(mutate("members", 0, change_counter=0))
case("null-head-name", "households.jsonl, dòng 1, trường head_name")(mutate("households", 0, head_name=None))
case("null-member-name", "members.jsonl, dòng 3, trường full_name")(mutate("members", 2, full_name=None))
case("year-as-text", "assessments.jsonl, dòng 1, trường year")(mutate("assessments", 0, year="2026"))
case("year-9999", "assessments.jsonl, dòng 1, trường year")(mutate("assessments", 0, year=9999))
case("birth-year-99999", "trường head_birth_year")(mutate("households", 0, head_birth_year=99999))
case("dangling-reference", "members.jsonl, dòng 1, trường household_uuid")(
    mutate("members", 0, household_uuid=str(_uuid.uuid4())))
case("reference-not-uuid", "trường household_uuid")(mutate("assessments", 0, household_uuid="không-phải-uuid"))
case("unknown-column", "trường evil")(mutate("households", 0, evil="x"))
case("missing-required-column", "trường classification")(mutate("assessments", 0, classification="<del>"))
case("enum-area", "villages.jsonl, dòng 1, trường area")(mutate("villages", 0, area="moon"))
case("enum-classification", "trường classification")(mutate("assessments", 1, classification="rich"))
case("enum-plan-status", "trường status")(mutate("plan_items", 0, status="hacked"))
case("json-list-column", "trường categories")(mutate("households", 0, categories="not json"))
case("deleted-true", "trường deleted")(mutate("members", 0, deleted=True))
case("deleted-2", "trường deleted")(mutate("members", 0, deleted=2))
case("timestamp-garbage", "trường updated_at")(mutate("members", 0, updated_at="hôm qua"))
case("timestamp-year-9999", "trường created_at")(mutate("members", 0, created_at="9999-01-01T00:00:00"))
case("record-not-object", "members.jsonl, dòng 1: bản ghi phải là một đối tượng JSON")(
    lambda w: craft(w, entries={**{f"{t}.jsonl": "".join(json.dumps(r) + "\n" for r in rows).encode()
                                   for t, rows in w.tables.items()},
                                "members.jsonl": "".join(json.dumps([r]) + "\n" for r in w.tables["members"]).encode()}))

# ---- 5. values that used to raise tracebacks ----------------------------------------------------------
case("income-10^20", "assessments.jsonl, dòng 1, trường income")(mutate("assessments", 0, income=10**20))
case("income-negative", "trường income")(mutate("assessments", 0, income=-1))
case("income-float", "trường income")(mutate("assessments", 0, income=1.5))
case("target-1e300", "commune_plans.jsonl, dòng 1, trường target_poverty_reduction")(
    mutate("commune_plans", 0, target_poverty_reduction=1e300))
case("target-NaN", "không phải JSON hợp lệ")(
    raw_line("commune_plans", 0, '"target_poverty_reduction": 3.0', '"target_poverty_reduction": NaN'))
case("target-Infinity", "không phải JSON hợp lệ")(
    raw_line("commune_plans", 0, '"target_poverty_reduction": 3.0', '"target_poverty_reduction": Infinity'))
case("target-1e400", "không phải JSON hợp lệ")(
    raw_line("commune_plans", 0, '"target_poverty_reduction": 3.0', '"target_poverty_reduction": 1e400'))
case("not-utf8", "members.jsonl, dòng 1: không phải JSON hợp lệ")(lambda w: craft(w, entries={
    **{f"{t}.jsonl": "".join(json.dumps(r) + "\n" for r in rows).encode() for t, rows in w.tables.items()},
    "members.jsonl": b'{"uuid": "\xff\xfe"}\n'}))
case("count-mismatch", "manifest ghi")(
    lambda w: craft(w, manifest_changes={"counts": {**{t: len(r) for t, r in w.tables.items()}, "members": 99}}))
case("counts-unknown-table", "trường counts.secrets")(
    lambda w: craft(w, manifest_changes={"counts": {"secrets": 0}}, entries={"secrets.jsonl": b""}))
case("counts-negative", "trường counts.members")(
    lambda w: craft(w, manifest_changes={"counts": {**{t: len(r) for t, r in w.tables.items()}, "members": -1}}))
case("manifest-unknown-key", "trường script")(with_manifest(script="rm -rf /"))
case("format-version-99", "Hãy cập nhật GNBV Desktop")(with_manifest(format_version=99))
case("format-reference", "không phải loại gói")(with_manifest(format="gnbv-ref"))
case("installation-not-uuid", "trường installation")(with_manifest(installation="../../x"))
case("created-at-garbage", "trường created_at")(with_manifest(created_at="\x1b[2J"))
case("checksum-mismatch", "SHA-256")(
    lambda w: craft(w, manifest_override={**manifest(w, w.tables), "files": {f"{t}.jsonl": "0" * 64 for t in w.tables}}))
case("empty-file", "bị hỏng hoặc không đầy đủ")(lambda w: b"")
case("html-file", "bị hỏng hoặc không đầy đủ")(lambda w: b"<html><body>404</body></html>" * 10)
case("truncated-signed", "không đầy đủ")(lambda w: (lambda b: b[: len(b) // 2])(craft(w)))
case("truncated-unsigned", "bị hỏng hoặc không đầy đủ")(lambda w: (lambda b: b[: len(b) // 2])(craft(w, key=None)))


# ---- bombs: children limited to 1 GB and 60 s ----------------------------------------------------------
case("bzip2-manifest-declared-100-bytes", "cách nén", BOMBS)(
    lambda w: raw_zip([RawEntry("manifest.json", bzip2_zeros(64 * 1024**2), method=zipfile.ZIP_BZIP2,
                                declared_size=100)]))
case("deflate-manifest-declared-100-bytes", "bị hỏng", BOMBS)(
    lambda w: raw_zip([RawEntry("manifest.json", deflate_zeros(GIB // 4), declared_size=100)]))
case("deflate-entry-declared-200MB-is-1GiB", "zip bomb", BOMBS)(
    lambda w: _bomb_entry(w, declared=200 * 1024**2, actual=GIB))
case("deflate-entry-declared-honestly-4GiB", "quá lớn khi giải nén", BOMBS)(
    lambda w: _bomb_entry(w, declared=4 * GIB - 1, actual=16 * 1024**2))
case("scrypt-n2^20-r32-p16", "Tham số mã hóa", BOMBS)(
    lambda w: MAGIC + json.dumps({"kdf": "scrypt", "n": 2**20, "r": 32, "p": 16, "salt": "00" * 16,
                                  "cipher": "AES-256-GCM", "nonce": "00" * 12}).encode() + b"\n" + b"x" * 64)


def _bomb_entry(w: World, *, declared: int, actual: int) -> bytes:
    """A valid manifest listing a jsonl entry that expands far beyond what it declares."""
    m = manifest(w, {"members": []})
    m["files"] = {"members.jsonl": "0" * 64}
    body = json.dumps(m).encode()
    return raw_zip([RawEntry("manifest.json", body, method=0),
                    RawEntry("members.jsonl", deflate_zeros(actual), declared_size=declared)])


def _records_at_the_cap(w: World) -> bytes:
    """About 250 MB of valid member records (random names, so it compresses like real data, not like
    a bomb), the very last one invalid: everything is parsed before the refusal, which must still
    come within the memory limit."""
    template = dict(w.tables["members"][0], relation="Con", full_name="")
    head = json.dumps({k: v for k, v in template.items() if k not in ("uuid", "full_name")}, ensure_ascii=False)
    head = head[:-1]
    line_count = 250 * 1024**2 // (len(head.encode()) + 130)
    noise = os.urandom(16 * line_count).hex()
    body = "".join(f'{head}, "full_name": "Nguyễn {noise[32 * i:32 * i + 32]}", '
                   f'"uuid": "00000000-0000-4000-8000-{i:012x}"}}\n' for i in range(line_count))
    body += '{"uuid": "cuối"}\n'
    m = manifest(w, {"members": []})
    m["counts"] = {"members": line_count + 1}
    return craft(w, manifest_override=m, entries={"members.jsonl": body.encode()})


BOMBS["records-at-the-size-cap"] = (_records_at_the_cap, "trường change_counter: thiếu trường bắt buộc")


def _assert_clean_message(err: str, file_name: str, expect: str) -> None:
    assert err.startswith("Lỗi: ") and err.count("\n") == 1, err[:2000]
    assert file_name in err and any(e in err for e in expect.split("|")), err[:2000]
    assert "Traceback" not in err and len(err) < 3000, err[:3000]
    assert not any(ord(ch) < 32 and ch != "\n" or "\x7f" <= ch <= "\x9f" or ch == "\u202e" for ch in err), repr(err)


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_cleanly(name, world, tmp_path, capsys):
    build, expect = CASES[name]
    agg = fresh_aggregate(world, tmp_path)
    path = tmp_path / "goi-doc-hai.gnbv"
    path.write_bytes(build(world))
    before = canonical_dump(agg)
    code, out, err = run_cli(capsys, agg, "sync-import", str(path))
    assert code == 1, out
    _assert_clean_message(err, path.name, expect)
    assert canonical_dump(agg) == before


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_refused_within_1gb_and_60s(name, world, tmp_path):
    build, expect = BOMBS[name]
    agg = fresh_aggregate(world, tmp_path)
    path = tmp_path / "bom.gnbv"
    path.write_bytes(build(world))
    assert path.stat().st_size < 64 * 1024**2  # a file far smaller than what it tries to make us hold…
    before = canonical_dump(agg)
    done = run_limited(agg, "sync-import", str(path))
    assert done.returncode == 1, (done.returncode, done.stderr[-3000:])  # …killed nothing, refused
    _assert_clean_message(done.stderr, path.name, expect)
    assert canonical_dump(agg) == before


def test_the_unmodified_craft_is_accepted(world, tmp_path, capsys):
    """The control: the crafting itself is sound, so each refusal above comes from its mutation."""
    agg = fresh_aggregate(world, tmp_path)
    path = tmp_path / "goi-2.gnbv"
    path.write_bytes(craft(world))
    code, out, err = run_cli(capsys, agg, "sync-import", str(path))
    assert code == 0, err
    assert "gói số 2" in out

