#!/usr/bin/env python3
"""Reads a digest mail as a mail client would (Python's email package) and prints what the
test checks: the recipient, the MIME structure, each image's format and size, whether every
cid: the HTML refers to is a part, and the totals of the text part and of the HTML part.
Usage: check_digest_mail.py MAILFILE"""
import re
import sys
from email import policy
from email.parser import BytesParser
from io import BytesIO

from PIL import Image


def structure(part):
    if part.is_multipart():
        return part.get_content_type() + "[" + ",".join(structure(p) for p in part.iter_parts()) + "]"
    return part.get_content_type()


def main(path):
    with open(path, "rb") as f:
        msg = BytesParser(policy=policy.default).parse(f)
    print("to", msg["To"])
    print("structure", structure(msg))
    text = html = None
    cids = set()
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            text = part.get_content()
        elif kind == "text/html":
            html = part.get_content()
        elif kind == "image/png":
            data = part.get_payload(decode=True)
            assert data.startswith(b"\x89PNG\r\n\x1a\n"), "an image part is not a PNG"
            image = Image.open(BytesIO(data))
            image.verify()
            print("png %dx%d" % image.size)
            cids.add(part["Content-ID"].strip("<>"))
    wanted = set(re.findall(r'src="cid:([^"]+)"', html))
    print("cids resolved" if wanted and wanted == cids else "cids missing %s" % (wanted ^ cids))
    m = re.search(r"total: (\d+) runs, \d+ success, (\d+) with warnings, (\d+) failed", text)
    print("text: %s runs, %s failed, %s with warnings" % (m.group(1), m.group(3), m.group(2)))
    m = re.search(r'data-runs="(\d+)" data-failed="(\d+)" data-warnings="(\d+)"', html)
    print("html: %s runs, %s failed, %s with warnings" % m.groups())


if __name__ == "__main__":
    main(sys.argv[1])
