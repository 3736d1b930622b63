"""A deterministic, realistic demo commune, so a new user can look around at once.

Names mix Kinh and ethnic-minority naming, members have plausible ages, CCCD numbers agree with
birth year and sex, every assessment agrees with the standard of its year, the DTTS flag agrees
with the ethnic group, and indicators about children are recorded only where there is a child of
the ages the decree names.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from sqlite_utils import Database

from gnbv_desktop.core.catalogs import ETHNIC_CODE_LIST, catalog, ethnic_groups
from gnbv_desktop.core.cccd import FEMALE, MALE, make_cccd
from gnbv_desktop.core.classifications import AVERAGE, POOR
from gnbv_desktop.core.standards import classify
from gnbv_desktop.core.target_groups import yearly_groups
from gnbv_desktop.core.text import clean, fold, name_sort_key
from gnbv_desktop.jobs.demo_plans import create_demo_plans
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.paths import resource_path
from gnbv_desktop.store.audit import record_job, suspend_row_audit
from gnbv_desktop.store.households import next_code
from gnbv_desktop.store.records import new_record_fields, next_rev
from gnbv_desktop.store.residents import set_residents
from gnbv_desktop.store.settings import CommuneSettings, load_settings, save_settings
from gnbv_desktop.store.standard_store import standards_in_force
from gnbv_desktop.store.villages import add_village, list_villages

DEMO_SETTINGS = CommuneSettings(
    commune_name="Xã Ia Grai",
    commune_code="23764",
    province_name="Gia Lai",
    province_code="52",
    upper_level="Sở Nông nghiệp và Môi trường tỉnh Gia Lai",
)
DEMO_VILLAGES = [
    ("Thôn 1", "rural"),
    ("Thôn 2", "rural"),
    ("Thôn Hợp Thắng", "rural"),
    ("Làng Dư", "rural"),
    ("Làng Ia Băng", "rural"),
    ("Làng Bồ", "rural"),
    ("Tổ dân phố 1", "urban"),
    ("Tổ dân phố 2", "urban"),
]
KINH_FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương".split()
# Ethnic-minority naming: (ethnic group name, family names, male middle, female middle)
DTTS_NAMING = [
    ("Gia-rai", ["Rơ Mah", "Siu", "Ksor", "Rah Lan", "Kpă", "Nay", "Puih", "Rơ Châm"], "", "H'"),
    ("Ba na", ["Đinh", "Y", "A"], "", "Thị"),
    ("Thái", ["Lò", "Lường", "Cầm", "Vi"], "Văn", "Thị"),
    ("HMông", ["Giàng", "Sùng", "Vàng", "Thào"], "A", "Thị"),
]
ONE_SYLLABLE_GIVEN = "Bia Blơng Hyơ Nhí Thuơ Krung Ngơm Dyơn Hlum Gơi Jek Phun Dơk Breo Hnưm Kơl".split()
RELATIONS_CHILD = ["Con", "Con", "Con", "Cháu"]
FARM_AVERAGE = "nong_lam_ngu_diem_trung_binh"  # recognised per year, only for an average-living household


@dataclass
class _Names:
    boys: list[str]
    girls: list[str]


def _load_names() -> _Names:
    def read(name: str) -> list[str]:
        return [clean(x) for x in resource_path("demo", name).read_text(encoding="utf-8").splitlines() if clean(x)]

    return _Names(read("boy.txt"), read("girl.txt"))


def ensure_demo_commune(db: Database) -> None:
    """Set up the demo commune when the database has no commune yet."""
    if load_settings(db).is_configured:
        if not list_villages(db):
            for name, area in DEMO_VILLAGES:
                add_village(db, name, area)
        return
    with db.atomic():
        save_settings(db, DEMO_SETTINGS)
        for name, area in DEMO_VILLAGES:
            add_village(db, name, area)


def _ethnic_code(name: str) -> tuple[str, str]:
    key = fold(name)
    for g in ethnic_groups():
        if fold(g.name) == key:
            return g.code, g.name
    return "", name


def create_demo(db: Database, households: int = 200, seed: int = 1, year: int = 2026) -> Job[int]:
    """Create ``households`` demo households with assessments for ``year`` and the year before.

    One transaction from the commune's settings to the last plan item: a demo cut short (killed,
    cancelled) leaves the database as it was, never a commune without households or households
    without their plans.
    """
    with db.atomic():
        suspend_row_audit(db)
        created = yield from _create_demo(db, households, seed, year)
        record_job(db, "Tạo dữ liệu mẫu", f"năm {year}, hạt giống {seed}", {"hộ mới": created})
        return created


def _create_demo(db: Database, households: int, seed: int, year: int) -> Job[int]:
    ensure_demo_commune(db)
    rng = random.Random(seed)
    fix = random.Random(seed + 104729)  # later additions draw from here, so older demos stay the same
    names = _load_names()
    villages = list_villages(db)
    cccd_prov = ["064", "052", "038", "040", "066", "001"]
    causes = [c.code for c in catalog("causes")]
    needs = [n.code for n in catalog("needs")]
    categories = [c.code for c in catalog("household_categories")]
    kinh_code, kinh_name = _ethnic_code("Kinh")
    years = [year - 1, year]
    in_force = standards_in_force(db)
    standards = {y: in_force.for_year(y) for y in years}
    serial = rng.randrange(100000)

    def person(sex: str, birth_year: int, dtts: tuple | None, family: str) -> tuple[str, str]:
        nonlocal serial
        serial += 7919
        if dtts:
            _eth, _fams, male_mid, female_mid = dtts
            given = rng.choice(ONE_SYLLABLE_GIVEN) if rng.random() < 0.6 else rng.choice(
                names.boys if sex == MALE else names.girls
            ).split()[-1]
            mid = male_mid if sex == MALE else female_mid
            if mid == "H'":
                full = f"{family} H'{given}"
            else:
                full = " ".join(p for p in (family, mid, given) if p)
        else:
            full = f"{family} {rng.choice(names.boys if sex == MALE else names.girls)}"
        cccd = make_cccd(rng.choice(cccd_prov), birth_year, sex, serial) if birth_year <= year - 14 else ""
        return clean(full), cccd

    hh_rows, mem_rows, ass_rows = [], [], []
    with db.atomic():
        rev = next_rev(db)
        start_code = int(next_code(db))
        next_id = (db.execute("SELECT COALESCE(MAX(id), 0) FROM households").fetchone()[0]) + 1
        for i in range(households):
            if i % WRITE_EVERY == 0:
                _write_rows(db, hh_rows, mem_rows, ass_rows)
                yield Progress(i, households, "Đang tạo hộ mẫu…")
            village = villages[i % len(villages)]
            dtts = rng.choice(DTTS_NAMING) if (village.name.startswith("Làng") or rng.random() < 0.15) else None
            family = rng.choice(dtts[1]) if dtts else rng.choice(KINH_FAMILY)
            head_sex = FEMALE if rng.random() < 0.3 else MALE
            head_year = rng.randint(1945, 1998)
            head_name, head_cccd = person(head_sex, head_year, dtts, family)
            eth_code, eth_name = _ethnic_code(dtts[0]) if dtts else (kinh_code, kinh_name)
            cats = []
            if dtts:
                cats.append("dtts")
            if head_sex == FEMALE:
                cats.append("phu_nu_chu_ho")
            cats += [c for c in categories[1:]
                     if c not in cats and c not in ("phu_nu_chu_ho", FARM_AVERAGE) and rng.random() < 0.07]
            hid = next_id + i
            hh_rows.append(
                {
                    "id": hid,
                    "code": f"{start_code + i:05d}",
                    "head_name": head_name,
                    "head_cccd": head_cccd,
                    "head_birth_year": head_year,
                    "head_birth_date": "",
                    "head_sex": head_sex,
                    "ethnicity_name": eth_name,
                    "ethnicity_code": eth_code,
                    "ethnicity_list": ETHNIC_CODE_LIST if eth_code else "",
                    "village_id": village.id,
                    "address": f"{village.name}, {load_settings(db).commune_name}" if i == 0 else "",
                    "phone": f"09{rng.randrange(10**8):08d}" if rng.random() < 0.6 else "",
                    "categories": json.dumps(cats, ensure_ascii=False),
                    "note": "",
                    "search_key": " ".join([fold(head_name), f"{start_code + i:05d}", head_cccd]),
                    "sort_key": name_sort_key(head_name),
                    **new_record_fields(db, rev),
                }
            )
            births = [head_year]
            needs_child: list[tuple[int, int, int]] = []  # (year, from age, below age) an indicator needs
            # spouse and children
            size = rng.choice([1, 2, 3, 3, 4, 4, 5, 6])
            order = 0
            if size > 1 and rng.random() < 0.8:
                sp_sex = FEMALE if head_sex == MALE else MALE
                sp_year = min(2000, max(1940, head_year + rng.randint(-5, 5)))
                sp_family = rng.choice(dtts[1]) if dtts else rng.choice(KINH_FAMILY)
                sp_name, sp_cccd = person(sp_sex, sp_year, dtts, sp_family)
                mem_rows.append(_member(hid, sp_name, "Vợ" if sp_sex == FEMALE else "Chồng", sp_year, sp_sex,
                                        sp_cccd, eth_code, eth_name, order, db, rev))
                births.append(sp_year)
                order += 1
            while order < size - 1:
                c_sex = rng.choice([MALE, FEMALE])
                c_year = min(year - 1, head_year + rng.randint(20, 38))
                c_name, c_cccd = person(c_sex, c_year, dtts, family)
                mem_rows.append(_member(hid, c_name, rng.choice(RELATIONS_CHILD), c_year, c_sex, c_cccd,
                                        eth_code, eth_name, order, db, rev))
                births.append(c_year)
                order += 1
            # assessments: previous year and this year, consistent with each year's standard
            target = rng.random()
            for y in years:
                std = standards[y]
                area = village.area
                t = std.thresholds[area]
                if y == year and target < 0.30 and rng.random() < 0.35:
                    target = 0.5  # escaped poverty this year
                if target < 0.30:
                    income = rng.randrange(int(t.poor_line * 0.45), t.poor_line + 1, 1000)
                    n_dep = rng.randint(std.min_deprived, min(6, len(std.indicators)))
                elif target < 0.60:
                    income = rng.randrange(int(t.poor_line * 0.6), t.poor_line + 1, 1000)
                    n_dep = rng.randint(0, std.min_deprived - 1)
                else:
                    top = t.average_line or t.near_poor_line or int(t.poor_line * 1.5)
                    income = rng.randrange(t.poor_line + 1000, top + 1, 1000)
                    n_dep = rng.randint(0, 2)
                if std.rule == "band" and target < 0.30:
                    income = rng.randrange(int(t.poor_line * 0.45), t.poor_line + 1, 1000)
                deprived = sorted(rng.sample(list(std.indicator_codes), n_dep))
                needs_child += [(y, *std.indicator(c).child_ages) for c in deprived if std.indicator(c).child_ages]
                cls = classify(std, area, income, deprived).classification
                farm = cls == AVERAGE and area == "rural" and fix.random() < 0.4
                year_cats = [*cats, FARM_AVERAGE] if farm else cats
                if y == year:  # the household's flags as they stand now
                    hh_rows[-1]["categories"] = json.dumps(year_cats, ensure_ascii=False)
                hh_causes = rng.sample(causes[:-1], rng.randint(1, 3)) if cls in (POOR, "near_poor") else []
                hh_needs = rng.sample(needs[:-1], rng.randint(1, 3)) if cls in (POOR, "near_poor") else []
                ass_rows.append(
                    {
                        "household_id": hid,
                        "year": y,
                        "standard_id": std.id,
                        "area": area,
                        "income": income,
                        "deprived": json.dumps(deprived),
                        "classification": cls,
                        "causes": json.dumps(hh_causes),
                        "needs": json.dumps(hh_needs),
                        "note": "",
                        "target_groups": json.dumps(yearly_groups(year_cats)),
                        **new_record_fields(db, rev),
                    }
                )
            for c_year in _missing_children(needs_child, births):
                c_sex = fix.choice([MALE, FEMALE])
                c_name = f"{family} {fix.choice(names.boys if c_sex == MALE else names.girls)}"
                mem_rows.append(_member(hid, clean(c_name), "Con", c_year, c_sex, "", eth_code, eth_name,
                                        len(births) - 1, db, rev))
                births.append(c_year)
        yield Progress(households, households, "Đang ghi vào cơ sở dữ liệu…")
        _write_rows(db, hh_rows, mem_rows, ass_rows)
        _demo_residents(db, villages, years, fix)
    yield from create_demo_plans(db, years, seed, report_total=households)
    return households


# Generated rows are written every this many households: the demo's memory stays the same
# whatever its size (the rows and their ids are the same as if written at the end).
WRITE_EVERY = 500


def _write_rows(db: Database, households: list[dict], members: list[dict], assessments: list[dict]) -> None:
    """Insert and forget the rows generated so far (the lists are emptied)."""
    for table, rows in (("households", households), ("members", members), ("assessments", assessments)):
        if rows:
            db[table].insert_all(rows, batch_size=WRITE_EVERY)
            rows.clear()


def _demo_residents(db: Database, villages, years: list[int], fix: random.Random) -> None:
    """Resident households and people of each village: about three times its households on the list."""
    on_list = dict(db.execute("SELECT village_id, COUNT(*) FROM households WHERE deleted = 0 GROUP BY 1").fetchall())
    for v in villages:
        base = on_list.get(v.id, 0) * 3 + fix.randint(2, 8)
        for y in years:
            if db.execute("SELECT 1 FROM resident_households WHERE village_id = ? AND year = ? AND deleted = 0",
                          [v.id, y]).fetchone() is None:
                n = base + (y - years[0]) * fix.randint(0, 6)
                set_residents(db, y, v.id, n, int(n * fix.uniform(3.6, 4.3)))


def _missing_children(needs: list[tuple[int, int, int]], births: list[int]) -> list[int]:
    """Birth years of the children to add so that every indicator about children drawn for the
    household (year, from age, below age) has a member of those ages; usually none or one."""
    added: list[int] = []
    for year, lo, hi in needs:
        if not any(lo <= year - b < hi for b in births + added):
            fits = [b for b in range(year - hi + 1, year - lo + 1)
                    if all(lo2 <= y2 - b < hi2 for y2, lo2, hi2 in needs)]
            added.append(fits[len(fits) // 2] if fits else year - lo - 1)
    return added


def _member(hid, name, relation, birth_year, sex, cccd, eth_code, eth_name, order, db, rev) -> dict:
    return {
        "household_id": hid,
        "full_name": name,
        "relation": relation,
        "birth_year": birth_year,
        "sex": sex,
        "cccd": cccd,
        "ethnicity_name": eth_name,
        "ethnicity_code": eth_code,
        "ethnicity_list": ETHNIC_CODE_LIST if eth_code else "",
        "sort_order": order,
        **new_record_fields(db, rev),
    }
