"""Where a kiosk tap's or a clerk's cycle's instructions go, function by function (Valgrind).

    python -m bench.instruction_parts tap --count 20 kiosk.api:take_ticket kiosk.api:hand_out
    python -m bench.instruction_parts cycle --count 10 "sqlalchemy.orm|Session:commit"

``bench.instructions`` counts a whole request; this cuts one into parts. Each named function
(``module:function``, ``module|Class:method``; ``…@module:TUPLE`` also swaps it inside a tuple
that holds it, such as ``shared.queue.publishing:FINALIZERS``) is wrapped so that it calls
``os.getppid()`` on entry and on return, which callgrind counts as the boundary of a part (as
``bench.instructions`` cuts its phases). The parts are then named by the marks around them and
summed over ``--count`` requests: ``>take_ticket -> <take_ticket`` is the function with what it
calls, ``<current_kiosk -> >protect`` the code between two of them. A name wrapped twice in one
stretch adds up its stretches. Each mark costs a few thousand instructions of its own, so read
the large parts. The functions are wrapped where they are looked up: ``kiosk.api:take_ticket``
is the name the view calls, not ``shared.queue.taking:take_ticket``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.instructions import count_parts  # noqa: E402

WARM_UP = {"taps": 40, "cycles": 4}
marks: list[str] = []  # the marks made so far, in order, while marking is on
_on = [False]


def _mark(label: str) -> None:
    marks.append(label)
    os.getppid()  # callgrind's boundary: bench.instructions.MARK


def mark(target: str) -> None:
    """Wrap the function ``target`` names so that it marks its entry (">name") and return."""
    path, _, holder = target.partition("@")
    module, _, name = path.rpartition(":")
    module, *classes = module.split("|")
    owner = importlib.import_module(module)
    for cls in classes:
        owner = getattr(owner, cls)
    original = getattr(owner, name)

    @functools.wraps(original)
    def marked(*args, **kwargs):
        if not _on[0]:
            return original(*args, **kwargs)
        _mark(">" + name)
        try:
            return original(*args, **kwargs)
        finally:
            _mark("<" + name)

    setattr(owner, name, marked)
    if holder:
        held_in, _, tuple_name = holder.rpartition(":")
        held = importlib.import_module(held_in)
        swapped = tuple(marked if f is original else f for f in getattr(held, tuple_name))
        setattr(held, tuple_name, swapped)


def parts_by_mark(labels: list[str], parts: list[int]) -> dict[str, int]:
    """The instructions between each two marks, summed by the marks' names. ``parts`` as
    ``count_parts`` gives them: before the first mark, then after each."""
    found: dict[str, int] = defaultdict(int)
    for index in range(len(labels) - 1):
        found[f"{labels[index]} -> {labels[index + 1]}"] += parts[index + 1]
    return dict(found)


def run_marked(what: str, count: int, targets: list[str], out: Path) -> None:
    """The child under Valgrind: the app of ``bench.in_process``, warmed up, then ``count``
    taps or cycles with marking on; the marks are written to ``out``."""
    from bench.in_process import CLERK_SERVICES, Clerk, Kiosk, make_app

    for target in targets:
        mark(target)  # before the app is made: some functions are kept in its hooks
    folder = Path(tempfile.mkdtemp(prefix="antre-bench-"))
    try:
        app = make_app(folder)
        kiosk, clerk = Kiosk(app), Clerk(app)
        queued = [s["id"] for s in kiosk.services if s.get("code") in CLERK_SERVICES]
        ignored: dict[str, list[float]] = {"call": [], "start": [], "finish": []}
        taps = WARM_UP["taps"] + (count + WARM_UP["cycles"] if what == "cycle" else 0)
        for index in range(taps):
            kiosk.take(queued[index % len(queued)])
        for _ in range(WARM_UP["cycles"]):
            clerk.cycle(ignored)
        _on[0] = True
        for index in range(count):
            _mark("request")
            if what == "tap":
                kiosk.take(queued[index % len(queued)])
            else:
                clerk.cycle(ignored)
        _mark("end")
        _on[0] = False
        out.write_text(json.dumps(marks))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("tap", "cycle"))
    parser.add_argument("targets", nargs="+", help="module:function or module|Class:method")
    parser.add_argument("--count", type=int, default=20, help="taps or cycles marked")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_marked(args.what, args.count, args.targets, Path(args.child))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("needs Valgrind (apt-get install valgrind)")
    folder = Path(tempfile.mkdtemp(prefix="antre-callgrind-"))
    try:
        out = folder / "marks.json"
        child = [sys.executable, "-m", "bench.instruction_parts", args.what, *args.targets]
        child += ["--count", str(args.count), "--child", str(out)]
        parts = count_parts(child, folder)
        labels = json.loads(out.read_text())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if len(parts) != len(labels) + 1:  # something else called os.getppid(): parts misnamed
        raise SystemExit(f"{len(labels)} marks but {len(parts)} parts")
    # The first mark ("request") is the child's first os.getppid(): parts[0] is all before it.
    found = parts_by_mark(labels[: labels.index("end") + 1], parts)
    total = sum(found.values())
    print(f"instructions per {args.what}, over {args.count}:")
    for name, instructions in sorted(found.items(), key=lambda item: -item[1]):
        print(f"{instructions / args.count:>12,.0f}  {name}")
    print(f"{total / args.count:>12,.0f}  in all")


if __name__ == "__main__":
    main()
