"""clang-tidy over the sources of lib/ and tools/, every finding an error (see scripts/tidy).

Most of clang-tidy's time goes into walking the standard library's and the dependencies'
declarations, which every translation unit includes again. So the whole check reads each area
of lib/om as one unit: a file in the build folder that includes the area's sources. When that
unit does not compile (two files' internal names collide) it is split in halves until each part
compiles; when it has findings, the files they are in are checked one by one and their findings
are the verdict, so a finding is always reported as clang-tidy sees the file alone. Named files
(`scripts/tidy FILE...`, `--changed`) are checked one by one.

A unit found clean is remembered by the hash of what clang-tidy would see: its preprocessed
text, its compile command, .clang-tidy and clang-tidy's version. A rerun checks only the units
whose hash changed, so the check costs a full run once per machine and seconds after that.
"""
import concurrent.futures
import hashlib
import json
import os
import pathlib
import re
import shlex
import subprocess
import sys

TIDY = "clang-tidy-16"
# libstdc++ 12 declares std::expected only for compilers that report C++20 concepts in full;
# clang 16 implements what <expected> needs but still reports the older value.
EXTRA = ["-std=c++2b", "-Wno-unknown-warning-option", "-U__cpp_concepts",
         "-D__cpp_concepts=202002L", "-Wno-builtin-macro-redefined"]
DIAGNOSTIC = re.compile(r"^(?P<path>[^:\s][^:]*):\d+:\d+: (?:warning|error): .*\[(?P<checks>[^\]]+)\]$")


def command(entry):
    """The entry's compiler and its flags: the command without a launcher (ccache), -c, -o and
    the source."""
    args = shlex.split(entry["command"])
    if args[0].endswith("ccache"):
        args = args[1:]
    flags, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a == "-o":
            skip = True
        elif a not in ("-c", entry["file"]):
            flags.append(a)
    return args[0], flags


def sources_of(entry):
    """The entry as entries of one source file each: a unity build's unit (OM_UNITY_BUILD: a
    generated file in the build folder that includes several sources) becomes an entry for each
    source it includes, compiled with the unit's command."""
    unit = entry["file"]
    if "/Unity/unity_" not in unit:
        return [entry]
    included = re.findall(r'^#include "([^"]+)"', pathlib.Path(unit).read_text(), re.M)
    return [{**entry, "file": f, "command": entry["command"].replace(unit, f)} for f in included]


def compiler_args(entry):
    return command(entry)[1]


def preprocessed(entry, source):
    compiler, flags = command(entry)
    return subprocess.run([compiler, "-E", "-P", *flags, source],
                          cwd=entry["directory"], capture_output=True).stdout


class Checker:
    def __init__(self, root, build_dir, salt, cache_dir):
        self.root, self.build_dir, self.salt, self.cache_dir = root, build_dir, salt, cache_dir
        self.unity_dir = build_dir / "tidy-units"
        self.unity_dir.mkdir(parents=True, exist_ok=True)

    def cached(self, entry, source):
        # The checkout's own path is left out, so a fresh clone (CI) finds what another clone
        # of the same sources on this machine already checked.
        here = str(self.root).encode()
        unit = " ".join(compiler_args(entry)).encode() + preprocessed(entry, source)
        key = hashlib.sha256(self.salt + unit.replace(here, b"<root>")).hexdigest()
        return self.cache_dir / key

    def tidy(self, entry, source):
        run = subprocess.run([TIDY, "--quiet", source, "--", *compiler_args(entry), *EXTRA],
                             cwd=entry["directory"], capture_output=True, text=True)
        return run.returncode, run.stdout, run.stderr

    def check_file(self, entry):
        """(clean, report) of one file, as clang-tidy sees it alone."""
        marker = self.cached(entry, entry["file"])
        if marker.exists():
            return True, ""
        code, text, _ = self.tidy(entry, entry["file"])
        clean = code == 0 and "warning:" not in text and "error:" not in text
        if clean:
            marker.touch()
        return clean, text

    def check_unit(self, name, entries):
        """(clean files, reports) of a group of files read as one unit, split when needed."""
        if len(entries) == 1:
            clean, text = self.check_file(entries[0])
            return (1 if clean else 0), ([] if clean else [text])
        source = self.unity_dir / f"{name}.cpp"
        source.write_text("".join(f'#include "{e["file"]}"\n' for e in entries))
        marker = self.cached(entries[0], str(source))
        if marker.exists():
            return len(entries), []
        code, text, errors = self.tidy(entries[0], str(source))
        diagnostics = [m for m in map(DIAGNOSTIC.match, text.splitlines()) if m]
        # The unit's own lines include .cpp files, which is what bugprone-suspicious-include
        # is about: those findings are the method's, not the code's.
        findings = [m for m in diagnostics if not (
            m["path"] == str(source) and m["checks"].startswith("bugprone-suspicious-include"))]
        everything_read = code == 0 or (diagnostics and "Error while processing" not in errors)
        if not findings and everything_read:
            marker.touch()
            return len(entries), []
        if any("clang-diagnostic-error" in m["checks"] for m in findings):
            half = len(entries) // 2  # two files' internal names collide: read each half alone
            a = self.check_unit(f"{name}.a", entries[:half])
            b = self.check_unit(f"{name}.b", entries[half:])
            return a[0] + b[0], a[1] + b[1]
        # Findings: the verdict is each file's own, for the files they are in (for all the
        # unit's files when one is in a header).
        named = {m["path"] for m in findings}
        suspects = [e for e in entries if e["file"] in named]
        if len(suspects) != len(named):
            suspects = entries
        clean, reports = len(entries) - len(suspects), []
        for e in suspects:
            ok, report = self.check_file(e)
            clean += ok
            if not ok:
                reports.append(report)
        return clean, reports


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    build_dir = pathlib.Path(sys.argv[2]).resolve()
    only = [str((root / f).resolve()) for f in sys.argv[3:]]
    wanted = lambda f: (f.startswith(str(root / "lib")) or f.startswith(str(root / "tools"))) \
        and not f.startswith(str(build_dir)) and (not only or f in only)
    listed = json.load(open(build_dir / "compile_commands.json"))
    entries = [e for unit in listed for e in sources_of(unit) if wanted(e["file"])]
    version = subprocess.run([TIDY, "--version"], capture_output=True, check=True).stdout
    salt = version + (root / ".clang-tidy").read_bytes() + " ".join(EXTRA).encode()
    cache_dir = pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache"))
    cache_dir = cache_dir / "om-backup" / "tidy"
    cache_dir.mkdir(parents=True, exist_ok=True)
    checker = Checker(root, build_dir, salt, cache_dir)

    # Units: each area of lib/om whole; each tool (a main each) and each named file alone.
    units = {}
    for e in entries:
        relative = pathlib.Path(e["file"]).relative_to(root)
        area = relative.parts[2] if relative.parts[:2] == ("lib", "om") and not only else None
        units.setdefault(area or str(relative).replace("/", "_"), []).append(e)
    for group in units.values():
        group.sort(key=lambda e: e["file"])
    order = sorted(units, key=lambda n: -len(units[n]))  # the largest first: even at the end
    clean, reports = 0, []
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for ok, found in pool.map(lambda n: checker.check_unit(n, units[n]), order):
            clean += ok
            reports += found
    for text in reports:
        sys.stdout.write(text)
    if reports:
        print(f"tidy: findings in {len(entries) - clean} of {len(entries)} files (see above)",
              file=sys.stderr)
        return 1
    print(f"tidy: {len(entries)} files clean as .clang-tidy says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
