#!/usr/bin/env python3
"""Sums up meson's testlog.json files into one line: 'N passed, N failed, N skipped'.

A log that is missing counts as one failure (its step never ran to the end). Exits non-zero when
anything failed or nothing passed.

An argument LABEL=PATH names the results of that log "LABEL: <test>" (the debian13 steps run the
same tests as the others, on another stack) and gets a line of its own before the total.
"""
import json
import sys

PASS = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}


def split_label(arg):
    label, sep, path = arg.partition("=")
    if sep and label and "/" not in label:
        return label, path
    return None, arg


def main(args):
    passed = failed = skipped = 0
    for arg in args:
        label, path = split_label(arg)
        prefix = label + ": " if label else ""
        counts = [0, 0, 0]
        try:
            with open(path, encoding="utf-8") as f:
                lines = [line for line in f if line.strip()]
        except OSError:
            print("missing test log: %s%s" % (prefix, path))
            lines = []
            counts[1] += 1
        for line in lines:
            entry = json.loads(line)
            result = entry.get("result")
            if result in PASS:
                counts[0] += 1
            elif result in SKIP:
                counts[2] += 1
            else:
                counts[1] += 1
                print("FAILED: %s%s (%s)" % (prefix, entry.get("name"), result))
        if label:
            print("%s: %d passed, %d failed, %d skipped" % (label, *counts))
        passed += counts[0]
        failed += counts[1]
        skipped += counts[2]
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
