#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Install checks of the 'data' suite.

test-install.py install --build-root B --app-id ID --base-id BASE
    `meson install --destdir` of the build B into a temporary directory, then checks that every
    file lands where a desktop, the icon theme, GSettings and gettext look for it.
test-install.py development-profile --source-root S --base-id BASE
    Configures S with -Dprofile=development (the options of the .Devel Flatpak manifest) in a
    temporary directory, builds all of it, and checks that the visible identity carries .Devel
    while the schema stays on the base id.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK_DATA = os.path.join(HERE, "..", "data", "check-data.py")
SOURCE_ROOT = os.path.normpath(os.path.join(HERE, ".."))
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: %s" % message)


def check(condition, message):
    if not condition:
        fail(message)
    return condition


def run(argv, **kwargs):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          **kwargs)
    return proc.returncode, proc.stdout


def build_option(build_root, name):
    status, output = run(["meson", "introspect", "--buildoptions", build_root])
    if status != 0:
        raise SystemExit("meson introspect failed:\n" + output)
    for option in json.loads(output):
        if option["name"] == name:
            return option["value"]
    raise SystemExit("no build option " + name)


def installed_files(root):
    found = []
    for top, _dirs, files in os.walk(root):
        for name in files:
            found.append(os.path.relpath(os.path.join(top, name), root))
    return sorted(found)


def cmd_install(args):
    prefix = build_option(args.build_root, "prefix")
    datadir = build_option(args.build_root, "datadir")
    bindir = build_option(args.build_root, "bindir")
    localedir = build_option(args.build_root, "localedir")
    mandir = build_option(args.build_root, "mandir")
    with tempfile.TemporaryDirectory(prefix="ga-install-") as destdir:
        # meson test builds only what the tests need; meson install builds the rest (the
        # executable, the translations) before installing, so this checks a complete build.
        status, output = run(["meson", "install", "-C", args.build_root, "--destdir", destdir])
        if not check(status == 0, "meson install failed (%d):\n%s" % (status, output)):
            return 1
        root = os.path.join(destdir, prefix.lstrip("/"))
        files = installed_files(destdir)
        print("# installed under %s:" % destdir)
        for name in files:
            print("#   " + name)

        def at(directory):
            # Directory options are relative to the prefix unless given as absolute paths.
            if os.path.isabs(directory):
                return os.path.join(destdir, directory.lstrip("/"))
            return os.path.join(root, directory)

        share = at(datadir)
        expected = {
            "executable": os.path.join(at(bindir), "green-avatar"),
            "desktop file": os.path.join(share, "applications", args.app_id + ".desktop"),
            "metainfo": os.path.join(share, "metainfo", args.app_id + ".metainfo.xml"),
            "app icon": os.path.join(share, "icons", "hicolor", "scalable", "apps",
                                     args.app_id + ".svg"),
            "symbolic icon": os.path.join(share, "icons", "hicolor", "symbolic", "apps",
                                          args.app_id + "-symbolic.svg"),
            "schema": os.path.join(share, "glib-2.0", "schemas", args.base_id + ".gschema.xml"),
            "D-Bus service": os.path.join(share, "dbus-1", "services", args.app_id + ".service"),
            "search provider": os.path.join(share, "gnome-shell", "search-providers",
                                            args.app_id + ".search-provider.ini"),
            "Russian translation": os.path.join(at(localedir), "ru", "LC_MESSAGES",
                                                "green-avatar.mo"),
            "manual page": os.path.join(at(mandir), "man1", "green-avatar.1"),
        }
        for what, path in expected.items():
            check(os.path.isfile(path), "%s not installed at %s" % (what,
                                                                      os.path.relpath(path, destdir)))
        if os.path.isfile(expected["executable"]):
            check(os.access(expected["executable"], os.X_OK), "green-avatar is not executable")

        # Nothing lands outside the prefix.
        for name in files:
            check(("/" + name).startswith(prefix.rstrip("/") + "/"),
                  "installed outside the prefix %s: %s" % (prefix, name))

        # Only SVG icons under scalable/ and symbolic/, and none named after another id.
        hicolor = os.path.join(share, "icons", "hicolor")
        for name in installed_files(hicolor) if os.path.isdir(hicolor) else []:
            parts = name.split(os.sep)
            if parts[0] in ("scalable", "symbolic"):
                check(name.endswith(".svg"), "not an SVG under hicolor: " + name)
                check(os.path.basename(name).startswith(args.app_id + ".")
                      or os.path.basename(name) == args.app_id + "-symbolic.svg",
                      "icon not named after %s: %s" % (args.app_id, name))

        # The installed files are the validated ones.
        if os.path.isfile(expected["desktop file"]):
            status, output = run([sys.executable, CHECK_DATA, "desktop", "--app-id", args.app_id,
                                  expected["desktop file"]])
            check(status == 0, "the installed desktop file does not pass:\n" + output)
        if all(os.path.isfile(expected[k]) for k in ("D-Bus service", "search provider",
                                                     "desktop file")):
            status, output = run([sys.executable, CHECK_DATA, "search-provider",
                                  "--app-id", args.app_id, "--source-root", SOURCE_ROOT,
                                  "--bindir", bindir if os.path.isabs(bindir)
                                  else os.path.join(prefix, bindir),
                                  expected["D-Bus service"], expected["search provider"],
                                  expected["desktop file"]])
            check(status == 0, "the installed search provider files do not pass:\n" + output)
        if os.path.isfile(expected["metainfo"]):
            status, output = run(["appstreamcli", "validate", "--no-net", "--strict",
                                  "--override=unknown-tag=pedantic", expected["metainfo"]])
            check(status == 0, "the installed metainfo does not validate:\n" + output)
        if os.path.isfile(expected["schema"]):
            # gnome.post_install skips glib-compile-schemas under DESTDIR; compile them here.
            status, output = run(["glib-compile-schemas", "--strict", "--dry-run",
                                  os.path.dirname(expected["schema"])])
            check(status == 0 and not output.strip(),
                  "the installed schemas do not compile:\n" + output)
    return 1 if failures else 0


def cmd_development_profile(args):
    base_id = args.base_id
    devel_id = base_id + ".Devel"
    with tempfile.TemporaryDirectory(prefix="ga-devel-") as tmp:
        build = os.path.join(tmp, "build")
        status, output = run(["meson", "setup", build, args.source_root,
                              "-Dprofile=development"])
        if not check(status == 0, "meson setup -Dprofile=development failed:\n" + output):
            return 1
        desktop = os.path.join(build, "data", devel_id + ".desktop")
        metainfo = os.path.join(build, "data", devel_id + ".metainfo.xml")
        # All of it, with exactly the options of flatpak/<id>.Devel.json: the configuration
        # that manifest builds is one CI builds too.
        status, output = run(["ninja", "-C", build])
        if not check(status == 0, "building the development profile failed:\n" + output):
            return 1
        check(os.path.exists(os.path.join(build, "src", "green-avatar")),
              "the development build made no green-avatar program")

        steps = [
            [sys.executable, CHECK_DATA, "desktop", "--app-id", devel_id, desktop],
            [sys.executable, CHECK_DATA, "metainfo-pedantic", metainfo],
            [sys.executable, CHECK_DATA, "search-provider", "--app-id", devel_id,
             "--source-root", args.source_root, "--bindir",
             os.path.join(build_option(build, "prefix"), build_option(build, "bindir")),
             os.path.join(build, "data", devel_id + ".service"),
             os.path.join(build, "data", devel_id + ".search-provider.ini"), desktop],
            ["appstreamcli", "validate", "--no-net", "--strict", "--override=unknown-tag=pedantic",
             metainfo],
            [sys.executable, CHECK_DATA, "app-id", "--base-id", base_id, "--app-id", devel_id,
             "--source-root", args.source_root, "--build-root", build],
        ]
        for argv in steps:
            status, output = run(argv)
            check(status == 0, "%s failed:\n%s" % (" ".join(argv[1:3]), output))

        root = ET.parse(metainfo).getroot()
        check(root.findtext("id") == devel_id, "development metainfo id is %r"
              % root.findtext("id"))

        # The code sees the development identity: the application id, and the flag that gives
        # the window its striped header bar (tests/test-window.c checks the class follows it).
        with open(os.path.join(build, "config.h"), encoding="utf-8") as f:
            config = f.read()
        check('#define APP_ID "%s"' % devel_id in config, "config.h has no .Devel APP_ID")
        check('#define BASE_ID "%s"' % base_id in config, "config.h changed BASE_ID")
        check("#define DEVELOPMENT_BUILD 1" in config, "config.h does not set DEVELOPMENT_BUILD")

        # What would be installed: the striped icon under the .Devel name, the schema unchanged.
        status, output = run(["meson", "introspect", "--installed", build])
        if check(status == 0, "meson introspect --installed failed:\n" + output):
            installed = {os.path.relpath(src, args.source_root) if src.startswith(
                args.source_root) else src: dest for src, dest in json.loads(output).items()}
            dests = list(installed.values())

            def dest_of(suffix):
                return [d for d in dests if d.endswith(suffix)]

            icon_src = os.path.join("data", "icons", "hicolor", "scalable", "apps",
                                    devel_id + ".svg")
            check(installed.get(icon_src, "").endswith(
                "/icons/hicolor/scalable/apps/%s.svg" % devel_id),
                "the striped icon is not installed as %s.svg: %r" % (devel_id, installed))
            check(dest_of("/symbolic/apps/%s-symbolic.svg" % devel_id),
                  "no %s-symbolic.svg installed" % devel_id)
            check(not dest_of("/%s.svg" % base_id) and not dest_of("/%s-symbolic.svg" % base_id),
                  "the development build installs icons under the base id")
            check(dest_of("/applications/%s.desktop" % devel_id), "no .Devel desktop file")
            check(dest_of("/metainfo/%s.metainfo.xml" % devel_id), "no .Devel metainfo")
            check(dest_of("/dbus-1/services/%s.service" % devel_id), "no .Devel D-Bus service")
            check(dest_of("/gnome-shell/search-providers/%s.search-provider.ini" % devel_id),
                  "no .Devel search provider")
            check(dest_of("/glib-2.0/schemas/%s.gschema.xml" % base_id),
                  "the schema is not installed under the base id")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("install")
    s.add_argument("--build-root", required=True)
    s.add_argument("--app-id", required=True)
    s.add_argument("--base-id", required=True)
    s.set_defaults(func=cmd_install)
    s = sub.add_parser("development-profile")
    s.add_argument("--source-root", required=True)
    s.add_argument("--base-id", required=True)
    s.set_defaults(func=cmd_development_profile)
    args = parser.parse_args()
    status = args.func(args)
    print("FAILED: %d problem(s)" % len(failures) if status else "ok")
    return status


if __name__ == "__main__":
    sys.exit(main())
