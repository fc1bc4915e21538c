#!/usr/bin/env python3
"""Validates manifests against docs/manifest.schema.json with the jsonschema package.

Usage: validate_manifest.py SCHEMA MANIFEST...; prints each problem and exits 1 on any."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for error in validator.iter_errors(json.load(open(path))):
        bad += 1
        print(f"{path}: {'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}")
sys.exit(1 if bad else 0)
