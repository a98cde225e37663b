#!/usr/bin/env python3
"""Sums up meson's testlog.json files into one line: 'N passed, N failed, N skipped'.

A log that is missing counts as one failure (its step never ran to the end). Exits non-zero when
anything failed or nothing passed.
"""
import json
import sys

PASS = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                lines = [line for line in f if line.strip()]
        except OSError:
            print("missing test log: %s" % path)
            failed += 1
            continue
        for line in lines:
            entry = json.loads(line)
            result = entry.get("result")
            if result in PASS:
                passed += 1
            elif result in SKIP:
                skipped += 1
            else:
                failed += 1
                print("FAILED: %s (%s)" % (entry.get("name"), result))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
