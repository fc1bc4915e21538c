"""clang-tidy over the sources of lib/ and tools/, every finding an error (see scripts/tidy).

A translation unit found clean is remembered by the hash of what clang-tidy would see: its
preprocessed text, its compile command, .clang-tidy and clang-tidy's version. A rerun checks
only the units whose hash changed, so the check costs a full run once per machine and seconds
after that.
"""
import concurrent.futures
import hashlib
import json
import os
import pathlib
import shlex
import subprocess
import sys

TIDY = "clang-tidy-16"
# libstdc++ 12 declares std::expected only for compilers that report C++20 concepts in full;
# clang 16 implements what <expected> needs but still reports the older value.
EXTRA = ["--extra-arg=-std=c++2b", "--extra-arg=-Wno-unknown-warning-option",
         "--extra-arg=-U__cpp_concepts", "--extra-arg=-D__cpp_concepts=202002L",
         "--extra-arg=-Wno-builtin-macro-redefined"]


def preprocessed(entry):
    args = shlex.split(entry["command"])
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c":
            continue
        out.append(a)
    out[1:1] = ["-E", "-P"]
    return subprocess.run(out, cwd=entry["directory"], capture_output=True, check=True).stdout


def check(entry, root, build_dir, salt, cache_dir):
    # The checkout's own path is left out, so a fresh clone (CI) finds what another clone of
    # the same sources on this machine already checked.
    here = str(root).encode()
    unit = (entry["command"].encode() + preprocessed(entry)).replace(here, b"<root>")
    key = hashlib.sha256(salt + unit).hexdigest()
    marker = cache_dir / key
    if marker.exists():
        return entry["file"], True, ""
    run = subprocess.run([TIDY, "-p", str(build_dir), "--quiet", *EXTRA, entry["file"]],
                         capture_output=True, text=True)
    clean = run.returncode == 0 and "warning:" not in run.stdout
    if clean:
        marker.touch()
    return entry["file"], clean, run.stdout


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    build_dir = pathlib.Path(sys.argv[2]).resolve()
    only = [str((root / f).resolve()) for f in sys.argv[3:]]
    wanted = lambda f: (f.startswith(str(root / "lib")) or f.startswith(str(root / "tools"))) \
        and not f.startswith(str(build_dir)) and (not only or f in only)
    entries = [e for e in json.load(open(build_dir / "compile_commands.json")) if wanted(e["file"])]
    version = subprocess.run([TIDY, "--version"], capture_output=True, check=True).stdout
    salt = version + (root / ".clang-tidy").read_bytes()
    cache_dir = pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache"))
    cache_dir = cache_dir / "om-backup" / "tidy"
    cache_dir.mkdir(parents=True, exist_ok=True)
    failed = []
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for f, clean, text in pool.map(lambda e: check(e, root, build_dir, salt, cache_dir), entries):
            if not clean:
                failed.append(f)
                sys.stdout.write(text)
    if failed:
        print(f"tidy: findings in {len(failed)} of {len(entries)} files (see above)", file=sys.stderr)
        return 1
    print(f"tidy: {len(entries)} files clean as .clang-tidy says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
