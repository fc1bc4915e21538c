#!/usr/bin/env python3
"""Every relative link in README.md, CHANGELOG.md and docs/*.md resolves: the file exists and,
with a #fragment, the Markdown file has a heading of that anchor (GitHub's rule: lower case,
punctuation dropped, spaces to hyphens). Also: README stays a front page (at most 300 lines).
  links.py SOURCE_DIR"""
import pathlib
import re
import sys

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.*?) *#*$")


def anchors(path):
    out, fence = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fence = not fence
        m = None if fence else HEADING.match(line)
        if m:
            text = re.sub(r"[^\w\- ]", "", m.group(1).replace("`", "").lower())
            out.add(text.replace(" ", "-"))
    return out


def links(path):
    fence = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            fence = not fence
        if not fence:
            for target in LINK.findall(line):
                yield number, target


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    pages = [root / "README.md", root / "CHANGELOG.md", *sorted((root / "docs").glob("*.md"))]
    broken, checked = [], 0
    for page in pages:
        for number, target in links(page):
            if re.match(r"^[a-z]+:", target):  # https:, mailto:: not ours to check
                continue
            checked += 1
            file, _, fragment = target.partition("#")
            dest = (page.parent / file).resolve() if file else page
            where = f"{page.relative_to(root)}:{number}: {target}"
            if not dest.exists():
                broken.append(f"{where}: no such file")
            elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
                broken.append(f"{where}: no heading #{fragment} in {dest.relative_to(root)}")
    length = len((root / "README.md").read_text(encoding="utf-8").splitlines())
    if length > 300:
        broken.append(f"README.md: {length} lines; the reference belongs in docs/ (300 at most)")
    for line in broken:
        print(line)
    if broken:
        return 1
    print(f"{checked} relative links in {len(pages)} pages resolve; README.md has {length} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
