"""Appraisal benchmark: 10,000-line pastes of several kinds through parse_paste and appraise(), and the size refusal.

The catalog is built in memory from the bundled SDE fixture (no database): every published type with a market
group, as PgCatalogSource reads it. Pastes are generated from a fixed seed: a listing/inventory paste of real names
with quantities in mixed locales; a mixed paste (EFT fits, killmails, multibuy rows, ~5% junk lines); and the worst
case, 10,000 lines of junk no parser reads, so every line reaches the heuristic fallback and the suggestions.
Each is timed over RUNS runs (parse + pricing with synthetic quotes). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import random
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from adapters.sde import bundled_fixture_path
from adapters.sde.archive import SdeArchive
from adapters.sde.items import group_rows, type_rows
from benchmarks.profiling import top_functions
from core.appraisal.parse import DEFAULT_MAX_BYTES, PasteTooLarge, parse_paste
from core.appraisal.parsers import default_parsers
from core.appraisal.pricing import appraise
from core.catalog import Catalog, CatalogItem
from core.market.model import Quote

LINES = 10_000
RUNS = 5
TARGET_S = 0.5
REFUSAL_TARGET_S = 0.01
SEED = 20261126
SHIPS, MODULES, CHARGES, DRONES = 6, 7, 8, 18  # SDE category ids
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
SYLLABLES = ("ka", "lo", "mi", "rez", "tu", "van", "qo", "phe", "zix", "dru", "gal", "nor", "wem", "yst", "bap")


@dataclass(frozen=True)
class Fixture:
    """The catalog and its items by SDE category (to build fits and killmails of plausible parts)."""

    catalog: Catalog
    items: list[CatalogItem]
    by_category: dict[int, list[CatalogItem]]
    load_s: float


def load_fixture() -> Fixture:
    """Stream types.jsonl from the bundled SDE zip into a Catalog (published types with a market group)."""
    started = time.perf_counter()
    with SdeArchive(bundled_fixture_path()) as archive:
        groups = {group_id: name for group_id, _, name, _ in group_rows(archive)}
        items: list[CatalogItem] = []
        by_category: dict[int, list[CatalogItem]] = {}
        for type_id, name, group_id, category_id, market_group, volume, _, _, _, published in type_rows(archive):
            if not published or market_group is None:
                continue
            item = CatalogItem(type_id, name, groups.get(group_id, ""), volume or 0.0)
            items.append(item)
            by_category.setdefault(category_id or 0, []).append(item)
    catalog = Catalog(items)
    return Fixture(catalog, items, by_category, time.perf_counter() - started)


def quantity(rng: random.Random) -> str:
    """A quantity as some client locale prints it: 1,234 / 1.234 / 1 234 (NBSP) / 1'234 / 1234."""
    value = rng.choice((1, 2, 5, 10, 25, 100, rng.randint(1, 999), rng.randint(1_000, 9_999_999)))
    grouped = f"{value:,}"
    return rng.choice((grouped, grouped.replace(",", "."), grouped.replace(",", "\u00a0"), grouped.replace(",", "'")))


def junk(rng: random.Random) -> str:
    """A line of made-up words and numbers that names no item."""
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(3, 9))]
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), str(rng.randint(1, 99_999)))
    return " ".join(words).capitalize()


def listing_paste(fx: Fixture, rng: random.Random) -> str:
    """Inventory rows and hand-written list lines of real names, quantities in mixed locales."""
    lines: list[str] = []
    while len(lines) < LINES:
        item, count = rng.choice(fx.items), quantity(rng)
        kind = rng.randrange(7)
        if kind == 0:
            price = rng.random() * 1e6
            lines.append(f"{item.name}\t{count}\t{item.group}\t\t\t{item.volume:,.2f} m3\t{price:,.2f} ISK")
        elif kind == 1:
            lines.append(f"{item.name}\t{count}\t{item.group}")
        elif kind == 2:
            lines.append(f"{count} {item.name}")
        elif kind == 3:
            lines.append(f"{count}x {item.name}")
        elif kind == 4:
            lines.append(f"{item.name} x {count}")
        elif kind == 5:
            lines.append(f"{item.name}: {count}")
        else:
            lines.append(f"{item.name}\t{count}")
    return "\n".join(lines)


def _eft(fx: Fixture, rng: random.Random) -> list[str]:
    ship = rng.choice(fx.by_category[SHIPS])
    lines = [f"[{ship.name}, Bench fit {rng.randint(1, 999)}]"]
    for _ in range(rng.randint(8, 16)):
        module = rng.choice(fx.by_category[MODULES])
        charge = f", {rng.choice(fx.by_category[CHARGES]).name}" if rng.random() < 0.3 else ""
        lines.append(f"{module.name}{charge}")
    lines += ["", *(f"{rng.choice(fx.by_category[DRONES]).name} x{rng.randint(1, 5)}" for _ in range(2)), ""]
    return lines


def _killmail(fx: Fixture, rng: random.Random) -> list[str]:
    lines = [
        f"2026.11.{rng.randint(10, 28)} 18:{rng.randint(10, 59)}",
        "",
        "Victim: Some Pilot",
        "Corp: Some Corp",
        "Alliance: None",
        f"Destroyed: {rng.choice(fx.by_category[SHIPS]).name}",
        "System: Jita",
        "Security: 0.9",
        "Damage Taken: 12345",
        "",
        "Involved parties:",
        "",
        "Name: Attacker (laid the final blow)",
        f"Ship: {rng.choice(fx.by_category[SHIPS]).name}",
        "Damage Done: 12345",
        "",
    ]
    for block in ("Destroyed items:", "Dropped items:"):
        lines += [block, ""]
        for _ in range(rng.randint(3, 8)):
            item = rng.choice(fx.items)
            tag = rng.choice(("", "", " (Cargo)", " (Drone Bay)"))
            lines.append(f"{item.name}, Qty: {rng.randint(1, 500)}{tag}" if rng.random() < 0.5 else item.name + tag)
        lines.append("")
    return lines


def _multibuy(fx: Fixture, rng: random.Random) -> list[str]:
    rows = []
    for _ in range(rng.randint(5, 20)):
        item, price = rng.choice(fx.items), rng.random() * 1e6
        count = rng.randint(1, 5000)
        rows.append(f"{item.name}\t{count:,}\t{price:,.2f}\t{price * count:,.2f}")
    return [*rows, f"Total:\t{rng.random() * 1e9:,.2f}", ""]


def mixed_paste(fx: Fixture, rng: random.Random) -> str:
    """EFT fits, killmails and multibuy exports one after another, with ~5% junk lines sprinkled in."""
    lines: list[str] = []
    while len(lines) < LINES:
        block = rng.choice((_eft, _killmail, _multibuy))(fx, rng)
        for line in block:
            if rng.random() < 0.05:
                lines.append(junk(rng))
            lines.append(line)
    return "\n".join(lines[:LINES])


def junk_paste(fx: Fixture, rng: random.Random) -> str:
    """The worst case: lines no parser reads, each reaching the heuristic fallback and the suggestions."""
    return "\n".join(junk(rng) for _ in range(LINES))


def quotes_for(type_ids: list[int]) -> dict[int, Quote]:
    """A synthetic hub quote per type (a few thin markets, so the CCP average fallback runs too)."""
    quotes = {}
    for type_id in type_ids:
        sell_volume = 5 if type_id % 7 == 0 else 1_000
        price = float(type_id % 1000 + 1)
        quotes[type_id] = Quote(
            10000002, 60003760, type_id, price, price * 1.1, 100, sell_volume, 1, 1, 0, 0, None, None, None, None, NOW
        )
    return quotes


def measure(fx: Fixture, paste: str) -> dict[str, Any]:
    """parse_paste + appraise over RUNS runs: per-run seconds, median, max, lines/s, and what was read."""
    parsers, catalog = default_parsers(), fx.catalog
    parsed = parse_paste(paste, catalog, parsers, suggest=catalog.suggest)
    type_ids = sorted({item.item.type_id for item in parsed.items})
    quotes, averages = quotes_for(type_ids), {t: float(t) for t in type_ids[::3]}
    runs, parse_runs = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        parsed = parse_paste(paste, catalog, parsers, suggest=catalog.suggest)
        t1 = time.perf_counter()
        appraise(parsed, quotes, averages)
        t2 = time.perf_counter()
        runs.append(t2 - t0)
        parse_runs.append(t1 - t0)
    lines = paste.count("\n") + 1
    median = statistics.median(runs)
    return {
        "lines": lines,
        "bytes": len(paste.encode()),
        "runs_s": [round(s, 4) for s in runs],
        "median_s": round(median, 4),
        "max_s": round(max(runs), 4),
        "parse_median_s": round(statistics.median(parse_runs), 4),
        "lines_per_s": round(lines / median),
        "target_met": max(runs) < TARGET_S,
        "items": len(parsed.items),
        "types": len(type_ids),
        "unparsed": len(parsed.unparsed),
        "with_suggestions": sum(1 for u in parsed.unparsed if "did you mean" in u.reason),
        "formats": parsed.formats,
    }


def refusal(fx: Fixture) -> dict[str, Any]:
    """Time the refusal of a 2 MB paste (ASCII, then mostly non-ASCII) over RUNS runs each."""
    result: dict[str, Any] = {}
    for label, unit in (("ascii", "1,000 Tritanium\n"), ("utf8", "1 000 Tritanium é\n")):
        paste = unit * (2 * DEFAULT_MAX_BYTES // len(unit.encode()) + 1)
        runs, message = [], ""
        for _ in range(RUNS):
            t0 = time.perf_counter()
            try:
                parse_paste(paste, fx.catalog, default_parsers(), suggest=fx.catalog.suggest)
            except PasteTooLarge as exc:
                message = str(exc)
            else:
                raise RuntimeError("a 2 MB paste was not refused")
            runs.append(time.perf_counter() - t0)
        result[label] = {
            "bytes": len(paste.encode()),
            "median_ms": round(statistics.median(runs) * 1000, 3),
            "max_ms": round(max(runs) * 1000, 3),
            "target_met": max(runs) < REFUSAL_TARGET_S,
            "message": message,
        }
    return result


HIDDEN = (__file__,)


def profile(fx: Fixture, paste: str) -> list[dict[str, Any]]:
    """The top 12 functions by cumulative time over one parse_paste (cProfile)."""
    profiler = cProfile.Profile()
    profiler.enable()
    parse_paste(paste, fx.catalog, default_parsers(), suggest=fx.catalog.suggest)
    profiler.disable()
    return top_functions(profiler, hidden=HIDDEN, limit=12)


CASES: dict[str, Callable[[Fixture, random.Random], str]] = {
    "listing_inventory": listing_paste,
    "mixed_fits_killmails_multibuy": mixed_paste,
    "junk_worst_case": junk_paste,
}


def run(*, force_profile: bool = False, only: str | None = None) -> dict[str, Any]:
    """Build the catalog, generate the pastes, measure each and the refusal."""
    fx = load_fixture()
    cases: dict[str, Any] = {}
    for name, build in CASES.items():
        if only and only != name:
            continue
        paste = build(fx, random.Random(f"{SEED}-{name}"))
        cases[name] = measure(fx, paste)
        if force_profile or not cases[name]["target_met"]:
            cases[name]["profile_top"] = profile(fx, paste)
    return {
        "benchmark": "appraisal",
        "catalog": {"items": len(fx.catalog), "load_s": round(fx.load_s, 2)},
        "target_s": TARGET_S,
        "runs": RUNS,
        "cases": cases,
        "refusal_2mb": refusal(fx),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", action="store_true", help="profile every case, not only those over target")
    parser.add_argument("--case", choices=sorted(CASES), help="run one paste kind only")
    args = parser.parse_args()
    print(orjson.dumps(run(force_profile=args.profile, only=args.case), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
