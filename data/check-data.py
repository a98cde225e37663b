#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The checks of the 'data' test suite: desktop file, metainfo, icons, schema, app id, Flatpak
manifests and translation plumbing (see shared/docs/gnome-checklist.md).

Usage: check-data.py COMMAND ARGS...  (one command per meson test; see data/meson.build)
Prints one line per problem and exits 1 if there is any.
"""

import argparse
import datetime
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"
FINISH_ARGS = ["--share=network", "--share=ipc", "--socket=fallback-x11", "--socket=wayland",
               "--device=dri"]
# GNOME 50: a runtime gets about a year of support, and 49 is near its end.
RUNTIME_VERSION = "50"
COMMAND = "green-avatar"
GETTEXT_PACKAGE = "green-avatar"
LICENSE = "GPL-3.0-or-later"
DEVELOPER_ID = "io.github.greenavatar"
DEVELOPER_NAME = "Green Avatar developers"
HOMEPAGE = "https://github.com/greenavatar/green-avatar"
BUGTRACKER = "https://github.com/greenavatar/green-avatar/issues"
GIT_URL = "https://github.com/greenavatar/green-avatar.git"
RAW_URL = "https://raw.githubusercontent.com/greenavatar/green-avatar/main/"
# Every file the translators' template has to read: sources and data files with marked strings.
I18N_PATTERNS = [
    re.compile(r"(?<![A-Za-z0-9_])(?:N_|C_|NC_|_|ngettext|g_dngettext|g_dpgettext2)\s*\("),
    re.compile(r'translatable\s*=\s*"(?:yes|true)"'),
]


class Problems:
    def __init__(self):
        self.items = []

    def __call__(self, message):
        self.items.append(message)

    def check(self, condition, message):
        if not condition:
            self.items.append(message)
        return condition

    def finish(self, what):
        for item in self.items:
            print("FAIL: %s" % item)
        if self.items:
            print("%d problem(s) in %s" % (len(self.items), what))
            return 1
        print("ok: %s" % what)
        return 0


def run(argv, **kwargs):
    """Runs a program and returns (exit status, stdout + stderr as text)."""
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          **kwargs)
    return proc.returncode, proc.stdout


def read_desktop(path):
    """The [Desktop Entry] group of a desktop file, untranslated keys only."""
    entries = {}
    group = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("[") and line.endswith("]"):
                group = line[1:-1]
            elif group == "Desktop Entry" and "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                entries[key.strip()] = value.strip()
    return entries


# desktop FILE: desktop-file-validate is silent and the entry is what the checklist asks for.
def cmd_desktop(args):
    p = Problems()
    status, output = run(["desktop-file-validate", args.file])
    p.check(status == 0, "desktop-file-validate exited with %d" % status)
    p.check(output.strip() == "", "desktop-file-validate printed:\n%s" % output.rstrip())
    entry = read_desktop(args.file)
    p.check(entry.get("Type") == "Application", "Type is not Application")
    p.check(entry.get("Name") == "Green Avatar", "Name is %r" % entry.get("Name"))
    p.check(entry.get("Comment"), "no Comment")
    exec_line = entry.get("Exec", "")
    p.check(exec_line.split(" ")[0] == COMMAND, "Exec does not start the bare %s: %r"
            % (COMMAND, exec_line))
    p.check("flatpak" not in exec_line, "Exec mentions flatpak")
    icon = entry.get("Icon", "")
    p.check(icon == args.app_id, "Icon is %r, not the app id %s" % (icon, args.app_id))
    categories = [c for c in entry.get("Categories", "").split(";") if c]
    p.check(categories and categories[0] in ("Network", "Utility"),
            "the first category is not a real main category: %r" % categories)
    p.check("NoDisplay" not in entry, "NoDisplay is set")
    p.check(entry.get("Keywords", "").endswith(";") and "WhatsApp" in entry.get("Keywords", ""),
            "Keywords missing or not ;-terminated")
    p.check(entry.get("StartupNotify") == "true", "StartupNotify is not true")
    p.check(os.path.basename(args.file) == args.app_id + ".desktop",
            "the file is not named after the app id: %s" % os.path.basename(args.file))
    return p.finish(args.file)


def read_group(path, group):
    """The keys of one [group] of a key file."""
    entries, current = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                current = line
            elif current == "[%s]" % group and "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                entries[key.strip()] = value.strip()
    return entries


def search_provider_path(source_root):
    """The object path that src/ga-search-provider.h exports."""
    header = os.path.join(source_root, "src", "ga-search-provider.h")
    with open(header, encoding="utf-8") as f:
        m = re.search(r'#define\s+GA_SEARCH_PROVIDER_PATH\s+"([^"]+)"', f.read())
    return m.group(1) if m else None


# search-provider SERVICE INI DESKTOP: the D-Bus service file, GNOME Shell's .ini and the
# desktop file agree with each other, with the app id and with the code.
def cmd_search_provider(args):
    p = Problems()
    app_id = args.app_id
    p.check(os.path.basename(args.service) == app_id + ".service",
            "the service file is not named %s.service" % app_id)
    p.check(os.path.basename(args.ini) == app_id + ".search-provider.ini",
            "the .ini is not named %s.search-provider.ini" % app_id)

    service = read_group(args.service, "D-BUS Service")
    p.check(service.get("Name") == app_id, "service Name is %r" % service.get("Name"))
    exec_line = service.get("Exec", "").split()
    p.check(exec_line[:1] == [os.path.join(args.bindir, COMMAND)],
            "service Exec does not run %s/%s: %r" % (args.bindir, COMMAND, exec_line))
    p.check(exec_line[1:] == ["--gapplication-service"],
            "service Exec does not pass --gapplication-service: %r" % exec_line)

    ini = read_group(args.ini, "Shell Search Provider")
    p.check(ini.get("DesktopId") == app_id + ".desktop", "DesktopId is %r" % ini.get("DesktopId"))
    p.check(ini.get("BusName") == app_id, "BusName is %r" % ini.get("BusName"))
    path = search_provider_path(args.source_root)
    p.check(path and ini.get("ObjectPath") == path,
            "ObjectPath is %r, the code exports %r" % (ini.get("ObjectPath"), path))
    p.check(ini.get("Version") == "2", "Version is %r" % ini.get("Version"))
    p.check(os.path.basename(args.desktop) == ini.get("DesktopId"),
            "DesktopId does not name the desktop file %s" % os.path.basename(args.desktop))

    entry = read_desktop(args.desktop)
    p.check(entry.get("DBusActivatable") == "true", "the desktop file is not DBusActivatable")
    return p.finish("search provider of %s" % app_id)


# metainfo-pedantic FILE: appstreamcli --pedantic prints no error or warning line.
def cmd_metainfo_pedantic(args):
    p = Problems()
    status, output = run(["appstreamcli", "validate", "--pedantic", "--no-net", args.file])
    sys.stdout.write(output)
    p.check(status == 0, "appstreamcli validate --pedantic exited with %d" % status)
    # 0.16.1 prints "E: cid:line: tag hint"; newer ones may indent or print "ERROR:"/"WARNING:".
    for line in output.splitlines():
        if re.match(r"^\s*(E|W|ERROR|WARNING)\s*:", line):
            p("appstreamcli reported: %s" % line.strip())
    if "Validation failed" in output:
        p("appstreamcli says the validation failed")
    return p.finish(args.file)


def text(element):
    return (element.text or "").strip() if element is not None else ""


def version_key(version):
    return [int(part) if part.isdigit() else part for part in re.split(r"[.\-~]", version)]


def check_screenshot_file(url, source_root, p):
    """A screenshot URL into this repository names a PNG that, once it is there, is a real one."""
    if not url.startswith(RAW_URL):
        p("screenshot %s is not in this repository (%s)" % (url, RAW_URL))
        return
    path = os.path.join(source_root, url[len(RAW_URL):])
    if not p.check(os.path.exists(path),
                   "screenshot %s is not in the repository" % os.path.relpath(path, source_root)):
        return
    with open(path, "rb") as f:
        header = f.read(24)
    if not p.check(header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR",
                   "%s is not a PNG" % path):
        return
    width, height = struct.unpack(">II", header[16:24])
    p.check(width >= 360 and height >= 360, "%s is only %dx%d" % (path, width, height))


# metainfo FILE: the content the checklist's Metainfo section asks for.
def cmd_metainfo(args):
    p = Problems()
    root = ET.parse(args.file).getroot()
    p.check(root.tag == "component" and root.get("type") == "desktop-application",
            "root is not <component type=\"desktop-application\">")
    p.check(text(root.find("id")) == args.app_id, "<id> is %r, not %s"
            % (text(root.find("id")), args.app_id))
    p.check(os.path.basename(args.file) == args.app_id + ".metainfo.xml",
            "the file is not named after the app id")
    p.check(text(root.find("metadata_license")) == "CC0-1.0", "metadata_license is not CC0-1.0")
    p.check(text(root.find("project_license")) == LICENSE, "project_license is not " + LICENSE)

    name = text(root.find("name"))
    p.check(name == "Green Avatar", "name is %r" % name)
    p.check(len(name) < 20, "name has 20 characters or more")
    summary = text(root.find("summary"))
    p.check(0 < len(summary) <= 35, "summary is not 1-35 characters: %r" % summary)
    p.check(not summary.endswith("."), "summary ends in a full stop")
    p.check(not re.match(r"(?i)^(a|an|the)\s", summary), "summary starts with an article")
    p.check(root.find("description/p") is not None and root.find("description/ul/li") is not None,
            "description has no paragraph or no feature list")

    developer = root.find("developer")
    if p.check(developer is not None, "no <developer>"):
        p.check(developer.get("id") == DEVELOPER_ID, "developer id is %r" % developer.get("id"))
        p.check(text(developer.find("name")) == DEVELOPER_NAME, "developer name is %r"
                % text(developer.find("name")))

    launchables = [(l.get("type"), text(l)) for l in root.findall("launchable")]
    p.check(("desktop-id", args.app_id + ".desktop") in launchables,
            "no launchable desktop-id %s.desktop: %r" % (args.app_id, launchables))

    urls = {u.get("type"): text(u) for u in root.findall("url")}
    p.check(urls.get("homepage") == HOMEPAGE, "homepage url is %r" % urls.get("homepage"))
    p.check(urls.get("bugtracker") == BUGTRACKER, "bugtracker url is %r" % urls.get("bugtracker"))
    p.check(urls.get("vcs-browser") == HOMEPAGE, "vcs-browser url is %r" % urls.get("vcs-browser"))

    rating = root.find("content_rating")
    p.check(rating is not None and rating.get("type") == "oars-1.1", "no oars-1.1 content_rating")

    releases = root.findall("releases/release")
    if p.check(releases, "no releases"):
        p.check(releases[0].get("version") == args.version,
                "the newest release is %r, not the project version %s"
                % (releases[0].get("version"), args.version))
        today = datetime.date.today()
        dates = []
        for release in releases:
            try:
                date = datetime.date.fromisoformat(release.get("date", ""))
            except ValueError:
                p("release %s has no valid date" % release.get("version"))
                continue
            p.check(date <= today, "release %s is dated in the future (%s)"
                    % (release.get("version"), date))
            dates.append(date)
            p.check(release.find("description/p") is not None,
                    "release %s has no description" % release.get("version"))
        p.check(dates == sorted(dates, reverse=True), "releases are not newest first")
        versions = [version_key(r.get("version", "")) for r in releases]
        p.check(versions == sorted(versions, reverse=True), "release versions are not newest first")

    shots = root.findall("screenshots/screenshot")
    defaults = [s for s in shots if s.get("type") == "default"]
    if p.check(len(defaults) == 1, "not exactly one default screenshot"):
        p.check(text(defaults[0].find("caption")), "the default screenshot has no caption")
        image = text(defaults[0].find("image"))
        p.check(image.startswith("https://") and image.endswith(".png"),
                "the screenshot image is not an https PNG URL: %r" % image)
        for shot in shots:
            check_screenshot_file(text(shot.find("image")), args.source_root, p)

    colors = {(c.get("type"), c.get("scheme_preference")): text(c)
              for c in root.findall("branding/color")}
    for scheme in ("light", "dark"):
        p.check(re.match(r"^#[0-9a-fA-F]{6}$", colors.get(("primary", scheme), "")),
                "no primary %s branding colour" % scheme)

    display = root.find("requires/display_length")
    p.check(display is not None and display.get("compare") == "ge" and text(display) == "360",
            "no <requires><display_length compare=\"ge\">360")
    p.check(text(root.find("requires/internet")) == "always", "no <requires><internet>always")
    controls = {text(c) for c in root.findall("supports/control")}
    p.check({"keyboard", "pointing", "touch"} <= controls, "supports controls are %r" % controls)

    translation = root.find("translation")
    p.check(translation is not None and translation.get("type") == "gettext"
            and text(translation) == GETTEXT_PACKAGE,
            "no <translation type=\"gettext\">%s" % GETTEXT_PACKAGE)
    p.check(COMMAND in [text(b) for b in root.findall("provides/binary")],
            "provides no binary %s" % COMMAND)
    return p.finish(args.file)


# schema-no-token SCHEMA...: no GSettings key could hold the API token.
def cmd_schema_no_token(args):
    p = Problems()
    for path in args.files:
        root = ET.parse(path).getroot()
        keys = root.findall("schema/key")
        p.check(keys, "%s has no keys" % path)
        for key in keys:
            name = key.get("name", "")
            p.check(not re.search(r"token|secret|password|api-?key", name, re.I),
                    "%s: key %r looks like it stores a secret" % (path, name))
            summary = text(key.find("summary"))
            p.check(not re.search(r"token|secret|password", summary, re.I),
                    "%s: the summary of %r suggests it stores a secret: %r" % (path, name, summary))
    return p.finish(" ".join(args.files))


# icons DIR: every icon parses as SVG, only SVG under scalable/, names follow the app id.
def cmd_icons(args):
    p = Problems()
    found = []
    for top, _dirs, files in os.walk(args.dir):
        for name in files:
            path = os.path.join(top, name)
            rel = os.path.relpath(path, args.dir)
            found.append(rel)
            if "scalable" in rel.split(os.sep) or "symbolic" in rel.split(os.sep):
                if not p.check(name.endswith(".svg"), "not an SVG under scalable/symbolic: " + rel):
                    continue
            if not name.endswith(".svg"):
                continue
            try:
                root = ET.parse(path).getroot()
            except ET.ParseError as e:
                p("%s is not well-formed XML: %s" % (rel, e))
                continue
            p.check(root.tag == SVG_NS + "svg", "%s: the root is not an SVG <svg>" % rel)
            p.check(root.get("viewBox"), "%s has no viewBox" % rel)
            if "symbolic" in rel.split(os.sep):
                p.check(root.get("width") == "16" and root.get("height") == "16",
                        "%s is not 16x16" % rel)
                p.check(name.endswith("-symbolic.svg"), "%s is not named *-symbolic.svg" % rel)
            else:
                p.check(root.get("width") == "128" and root.get("height") == "128",
                        "%s is not 128x128" % rel)
            for element in root.iter():
                href = element.get("{http://www.w3.org/1999/xlink}href") or element.get("href")
                p.check(not href or href.startswith("#"),
                        "%s refers to an outside resource: %s" % (rel, href))
    expected = [
        os.path.join("hicolor", "scalable", "apps", args.base_id + ".svg"),
        os.path.join("hicolor", "scalable", "apps", args.base_id + ".Devel.svg"),
        os.path.join("hicolor", "symbolic", "apps", args.base_id + "-symbolic.svg"),
    ]
    for rel in expected:
        p.check(rel in found, "missing icon " + rel)
    return p.finish(args.dir)


def gsettings_path(app_id):
    return "/" + app_id.replace(".", "/") + "/"


def read_config_h(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'#define\s+(\w+)\s+"(.*)"\s*$', line)
            if m:
                values[m.group(1)] = m.group(2)
    return values


# app-id: one app id in every file that names it.
def cmd_app_id(args):
    p = Problems()
    src, build = args.source_root, args.build_root
    base_id, app_id = args.base_id, args.app_id
    p.check(app_id in (base_id, base_id + ".Devel"), "app id %s is not %s(.Devel)"
            % (app_id, base_id))

    config = read_config_h(os.path.join(build, "config.h"))
    p.check(config.get("APP_ID") == app_id, "config.h APP_ID is %r" % config.get("APP_ID"))
    p.check(config.get("BASE_ID") == base_id, "config.h BASE_ID is %r" % config.get("BASE_ID"))
    prefix = config.get("RESOURCE_PREFIX")
    p.check(prefix == gsettings_path(base_id).rstrip("/"), "config.h RESOURCE_PREFIX is %r" % prefix)

    desktop = os.path.join(build, "data", app_id + ".desktop")
    if p.check(os.path.exists(desktop), "no generated %s" % desktop):
        p.check(read_desktop(desktop).get("Icon") == app_id, "desktop file Icon is not " + app_id)

    metainfo = os.path.join(build, "data", app_id + ".metainfo.xml")
    if p.check(os.path.exists(metainfo), "no generated %s" % metainfo):
        root = ET.parse(metainfo).getroot()
        p.check(text(root.find("id")) == app_id, "metainfo <id> is %r" % text(root.find("id")))
        p.check(text(root.find("launchable")) == app_id + ".desktop",
                "metainfo launchable is %r" % text(root.find("launchable")))

    schema_file = os.path.join(src, "data", base_id + ".gschema.xml")
    if p.check(os.path.exists(schema_file), "no schema " + schema_file):
        schemas = ET.parse(schema_file).getroot().findall("schema")
        ids = [s.get("id") for s in schemas]
        p.check(base_id in ids, "schema ids %r do not include %s" % (ids, base_id))
        for s in schemas:
            p.check(s.get("id", "").startswith(base_id), "schema id %r" % s.get("id"))
            expected = gsettings_path(s.get("id", ""))
            p.check(s.get("path") == expected, "schema %s path is %r, not %s"
                    % (s.get("id"), s.get("path"), expected))

    for icon in (os.path.join("scalable", "apps", base_id + ".svg"),
                 os.path.join("scalable", "apps", base_id + ".Devel.svg"),
                 os.path.join("symbolic", "apps", base_id + "-symbolic.svg")):
        p.check(os.path.exists(os.path.join(src, "data", "icons", "hicolor", icon)),
                "no icon data/icons/hicolor/" + icon)

    for manifest_id in (base_id, base_id + ".Devel"):
        path = os.path.join(src, "flatpak", manifest_id + ".json")
        if p.check(os.path.exists(path), "no manifest flatpak/%s.json" % manifest_id):
            with open(path, encoding="utf-8") as f:
                manifest = json.load(f)
            p.check(manifest.get("id") == manifest_id, "%s: id is %r" % (path, manifest.get("id")))

    gresource = os.path.join(src, "src", "green-avatar.gresource.xml")
    if os.path.exists(gresource):
        for resource in ET.parse(gresource).getroot().findall("gresource"):
            p.check(resource.get("prefix", "").startswith(prefix or "?"),
                    "gresource prefix %r is not under %s" % (resource.get("prefix"), prefix))
    return p.finish("app id %s" % app_id)


def own_manifest_rules(path, manifest, p):
    """The rules of shared/tools/check-flatpak-manifest, without its JSON schema."""
    p.check(manifest.get("id") or manifest.get("app-id"), "%s: no id" % path)
    p.check(manifest.get("runtime") == "org.gnome.Platform"
            and manifest.get("sdk") == "org.gnome.Sdk",
            "%s: runtime/sdk are not org.gnome.Platform / org.gnome.Sdk" % path)
    command = manifest.get("command", "")
    p.check(command and "/" not in command, "%s: command is not a bare name" % path)
    p.check("branch" not in manifest, "%s: has a top-level branch" % path)
    p.check(isinstance(manifest.get("modules"), list) and manifest["modules"],
            "%s: no modules" % path)


def tag_commit(source_root, tag):
    """The commit TAG points to in the git checkout at SOURCE_ROOT; None when it cannot tell (no
    git, not a checkout, or no such tag here: tags are made at release time)."""
    try:
        proc = subprocess.run(["git", "-C", source_root, "rev-parse", "--verify", "--quiet",
                               tag + "^{commit}"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


# flatpak SOURCE_ROOT: both manifests pass the team's checker (or its rules) and our own rules,
# and flatpak-builder parses them.
def cmd_flatpak(args):
    p = Problems()
    src = args.source_root
    base_id = args.base_id
    release = os.path.join(src, "flatpak", base_id + ".json")
    devel = os.path.join(src, "flatpak", base_id + ".Devel.json")
    manifests = [release, devel]
    for path in manifests:
        p.check(os.path.exists(path), "missing " + path)
    if p.items:
        return p.finish("flatpak manifests")

    checker = os.path.normpath(os.path.join(src, "..", "shared", "tools",
                                            "check-flatpak-manifest"))
    parsed = {}
    for path in manifests:
        with open(path, encoding="utf-8") as f:
            parsed[path] = json.load(f)
    if os.path.exists(checker):
        status, output = run([sys.executable, checker] + manifests)
        sys.stdout.write(output)
        p.check(status == 0, "%s exited with %d" % (checker, status))
    else:
        print("note: %s is not there; checking its rules without the JSON schema" % checker)
        for path in manifests:
            own_manifest_rules(path, parsed[path], p)

    for path, manifest in parsed.items():
        is_devel = path == devel
        p.check(manifest.get("id") == base_id + (".Devel" if is_devel else ""),
                "%s: id is %r" % (path, manifest.get("id")))
        p.check(manifest.get("runtime") == "org.gnome.Platform"
                and manifest.get("sdk") == "org.gnome.Sdk", "%s: not the GNOME runtime" % path)
        p.check(manifest.get("runtime-version") == RUNTIME_VERSION,
                "%s: runtime-version is %r, not %s" % (path, manifest.get("runtime-version"),
                                                        RUNTIME_VERSION))
        p.check(manifest.get("command") == COMMAND, "%s: command is %r" % (path,
                                                                        manifest.get("command")))
        p.check("branch" not in manifest, "%s: has a top-level branch" % path)
        p.check(manifest.get("finish-args") == FINISH_ARGS,
                "%s: finish-args are %r, not exactly %r" % (path, manifest.get("finish-args"),
                                                           FINISH_ARGS))
        modules = manifest.get("modules") or [{}]
        app = modules[-1] if isinstance(modules[-1], dict) else {}
        p.check(app.get("name") == "green-avatar" and app.get("buildsystem") == "meson",
                "%s: the last module is not green-avatar built with meson" % path)
        opts = app.get("config-opts", [])
        p.check(not any("werror" in o for o in opts), "%s: config-opts use werror" % path)
        sources = app.get("sources", [])
        if is_devel:
            p.check(opts == ["-Dprofile=development"],
                    "%s: config-opts are %r, not [-Dprofile=development]" % (path, opts))
            p.check(any(s.get("type") == "dir" and s.get("path") == ".." for s in sources),
                    "%s: no dir source '..'" % path)
        else:
            # CI builds the default configuration; the release manifest must build the same.
            p.check(opts == [], "%s: config-opts are %r; CI builds the default profile only"
                    % (path, opts))
            p.check(any(s.get("type") == "git" and s.get("url") == GIT_URL
                        and s.get("tag") == "v" + args.version for s in sources),
                    "%s: no git source %s at tag v%s" % (path, GIT_URL, args.version))
            # Flathub wants the tag pinned by its commit too.
            for s in sources:
                if s.get("type") != "git":
                    continue
                commit = s.get("commit", "")
                if not p.check(re.fullmatch(r"[0-9a-f]{40}", commit),
                               "%s: git source without a full commit hash (%r) beside its tag"
                               % (path, commit)):
                    continue
                tagged = tag_commit(src, s.get("tag", ""))
                p.check(tagged in (None, commit),
                        "%s: commit %s is not what tag %s of this repository points to (%s)"
                        % (path, commit, s.get("tag"), tagged))

        # flatpak-builder leaves a .flatpak-builder state directory in its working directory.
        with tempfile.TemporaryDirectory(prefix="ga-flatpak-") as cwd:
            status, output = run(["flatpak-builder", "--show-manifest", os.path.abspath(path)],
                                 cwd=cwd)
        if p.check(status == 0, "flatpak-builder --show-manifest %s exited with %d:\n%s"
                   % (path, status, output.rstrip())):
            try:
                shown = json.loads(output)
                p.check(shown.get("id") == manifest.get("id"),
                        "flatpak-builder reads id %r from %s" % (shown.get("id"), path))
            except ValueError:
                p("flatpak-builder --show-manifest %s printed no JSON:\n%s" % (path, output))
    return p.finish("flatpak manifests")


# msgfmt PO_DIR: every translation in LINGUAS exists and passes msgfmt --check.
def cmd_msgfmt(args):
    p = Problems()
    with open(os.path.join(args.po_dir, "LINGUAS"), encoding="utf-8") as f:
        linguas = [w for line in f for w in line.split("#")[0].split()]
    p.check(linguas, "po/LINGUAS lists no language")
    p.check(linguas == sorted(linguas), "po/LINGUAS is not sorted")
    po_files = sorted(n[:-3] for n in os.listdir(args.po_dir) if n.endswith(".po"))
    p.check(po_files == sorted(linguas), "po files %r do not match LINGUAS %r"
            % (po_files, linguas))
    for lang in po_files:
        path = os.path.join(args.po_dir, lang + ".po")
        status, output = run(["msgfmt", "--check", "--output-file=" + os.devnull, path])
        p.check(status == 0, "msgfmt --check %s failed:\n%s" % (path, output.rstrip()))
    return p.finish(args.po_dir)


# potfiles SOURCE_ROOT: po/POTFILES.in is sorted, names existing files, and names every file with
# strings marked for translation.
def cmd_potfiles(args):
    p = Problems()
    src = args.source_root
    with open(os.path.join(src, "po", "POTFILES.in"), encoding="utf-8") as f:
        listed = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    p.check(listed == sorted(listed), "po/POTFILES.in is not sorted")
    p.check(len(listed) == len(set(listed)), "po/POTFILES.in lists a file twice")
    for name in listed:
        p.check(os.path.isfile(os.path.join(src, name)), "po/POTFILES.in lists missing " + name)

    needed = set()
    for top in ("src", "data"):
        for dirpath, _dirs, files in os.walk(os.path.join(src, top)):
            for name in files:
                if not name.endswith((".c", ".ui", ".desktop.in.in", ".metainfo.xml.in.in",
                                      ".gschema.xml")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, src)
                if name.endswith((".desktop.in.in", ".metainfo.xml.in.in", ".gschema.xml")):
                    needed.add(rel)
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    content = f.read()
                if any(pattern.search(content) for pattern in I18N_PATTERNS):
                    needed.add(rel)
    for rel in sorted(needed - set(listed)):
        p("%s has translatable strings but is not in po/POTFILES.in" % rel)
    return p.finish("po/POTFILES.in")


# pot SOURCE_ROOT: xgettext (with the options of meson's glib preset) reads every file of
# po/POTFILES.in, the template holds the desktop file's and the metainfo's strings, and every
# translation of po/LINGUAS translates every message of it.
def cmd_pot(args):
    p = Problems()
    src = args.source_root
    with tempfile.TemporaryDirectory(prefix="ga-pot-") as tmp:
        pot = os.path.join(tmp, "green-avatar.pot")
        status, output = run([
            "xgettext", "--package-name=green-avatar", "--directory=" + src,
            "--files-from=" + os.path.join(src, "po", "POTFILES.in"), "--output=" + pot,
            "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
            "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
            "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
            "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format",
            "--flag=NC_:2:pass-c-format", "--flag=g_dngettext:2:pass-c-format",
            "--flag=g_strdup_printf:1:c-format", "--flag=g_string_printf:2:c-format",
            "--flag=g_string_append_printf:2:c-format", "--flag=g_error_new:3:c-format",
            "--flag=g_set_error:4:c-format", "--flag=g_markup_printf_escaped:1:c-format",
        ])
        if not p.check(status == 0, "xgettext failed:\n" + output.rstrip()):
            return p.finish("po/POTFILES.in")
        with open(pot, encoding="utf-8") as f:
            template = f.read()
        # Every translation is complete against the sources as they are now: nothing new left
        # untranslated, nothing fuzzy.
        with open(os.path.join(src, "po", "LINGUAS"), encoding="utf-8") as f:
            linguas = [w for line in f for w in line.split("#")[0].split()]
        for lang in linguas:
            merged = os.path.join(tmp, lang + ".po")
            status, output = run(["msgmerge", "--quiet", "--no-fuzzy-matching",
                                  "--output-file=" + merged,
                                  os.path.join(src, "po", lang + ".po"), pot])
            if not p.check(status == 0, "msgmerge of %s.po failed:\n%s" % (lang, output.rstrip())):
                continue
            status, output = run(["msgfmt", "--statistics", "--output-file=" + os.devnull,
                                  merged])
            p.check(status == 0 and "untranslated" not in output and "fuzzy" not in output,
                    "po/%s.po is not complete: %s" % (lang, output.strip()))
    for msgid in ("See WhatsApp profile pictures",
                  "WhatsApp;avatar;profile picture;GREEN-API;chat;",
                  "The first release of Green Avatar.",
                  "A profile picture, looked up in demo mode"):
        p.check('msgid "%s"' % msgid in template, "the template lacks %r" % msgid)
    p.check('msgid "%s"' % DEVELOPER_NAME not in template,
            "the developer name is offered for translation")
    return p.finish("the translation template")


# The shortcuts a person is told about, in the shortcuts window (Ctrl+?).
REQUIRED_SHORTCUTS = ["Return", "Escape", "F5", "<Primary>l", "<Alt>Down", "<Primary>s",
                      "<Primary>c", "<Primary>comma", "<Primary>question", "<Primary>w",
                      "<Primary>q"]


# ui SOURCE_ROOT: every icon-only button in src/*.ui has an accessible name (and a tooltip),
# every image is either described or presentation, and the shortcuts window lists every
# shortcut the app has.
def cmd_ui(args):
    p = Problems()
    src = os.path.join(args.source_root, "src")
    ui_files = []
    for dirpath, _dirs, files in os.walk(src):
        ui_files += [os.path.join(dirpath, n) for n in files if n.endswith(".ui")]
    p.check(ui_files, "no .ui files under src/")
    for path in sorted(ui_files):
        rel = os.path.relpath(path, args.source_root)
        root = ET.parse(path).getroot()
        for obj in root.iter("object"):
            cls = obj.get("class")
            props = {q.get("name"): q for q in obj.findall("property")}
            label = props.get("label")
            a11y = obj.find("accessibility")
            a11y_label = a11y.find("property[@name='label']") if a11y is not None else None
            where = "%s: %s %s" % (rel, cls, obj.get("id") or "")
            if cls in ("GtkButton", "GtkMenuButton", "GtkToggleButton") and \
                    "icon-name" in props and (label is None or not (label.text or "").strip()):
                p.check(a11y_label is not None and (a11y_label.text or "").strip(),
                        "%s shows only an icon but has no accessible label" % where)
                p.check(a11y_label is None or a11y_label.get("translatable") == "yes",
                        "%s: its accessible label is not translatable" % where)
                p.check("tooltip-text" in props or obj.get("id") in ("",),
                        "%s shows only an icon but has no tooltip" % where)
            if cls == "GtkImage":
                role = props.get("accessible-role")
                p.check((role is not None and role.text == "presentation") or a11y_label is not None,
                        "%s is neither presentation nor described" % where)

    overlay = os.path.join(src, "gtk", "help-overlay.ui")
    if p.check(os.path.exists(overlay), "src/gtk/help-overlay.ui is missing"):
        root = ET.parse(overlay).getroot()
        listed = set()
        for obj in root.iter("object"):
            if obj.get("class") == "GtkShortcutsShortcut":
                accel = obj.find("property[@name='accelerator']")
                title = obj.find("property[@name='title']")
                p.check(title is not None and title.get("translatable") == "yes",
                        "a shortcut in the shortcuts window has no translatable title")
                if accel is not None:
                    listed.update(accel.text.split())
        for accel in REQUIRED_SHORTCUTS:
            p.check(accel in listed, "the shortcuts window does not list %s" % accel)
    return p.finish("the user interface files")


def cmd_man(args):
    """The manual page exists, and names every option and every --json error code."""
    p = Problems()
    src = os.path.join(args.source_root, "src")
    page_path = os.path.join(args.source_root, "data", "green-avatar.1")
    if not p.check(os.path.isfile(page_path), "data/green-avatar.1 is missing"):
        return p.finish("the manual page")
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    p.check(page.startswith(".\\\"") or page.startswith(".TH"), "green-avatar.1 is not troff")
    p.check(re.search(r"^\.TH GREEN-AVATAR 1 ", page, re.M) is not None,
            "green-avatar.1 has no .TH GREEN-AVATAR 1 line")
    # troff writes a hyphen as \-; compare with the escapes taken out.
    text = page.replace("\\-", "-").replace("\\e", "\\")

    options = set()
    for name in ("ga-application.c", "ga-cli.c"):
        with open(os.path.join(src, name), encoding="utf-8") as f:
            options.update(re.findall(r'^\s*\{ "([a-z][a-z-]*)", 0,', f.read(), re.M))
    p.check(len(options) >= 8, "found only %d options in the sources" % len(options))
    for option in sorted(options):
        p.check("--" + option in text, "the manual page does not mention --" + option)

    with open(os.path.join(src, "ga-cli.c"), encoding="utf-8") as f:
        cli = f.read()
    codes = set(re.findall(r'\[GA_ERROR_[A-Z_]+\] = "([a-z-]+)"', cli))
    codes.update(re.findall(r'return "([a-z]+-[a-z-]+)";', cli))
    p.check(len(codes) >= 20, "found only %d error codes in ga-cli.c" % len(codes))
    for code in sorted(codes):
        p.check(re.search(r"^\.B %s$" % re.escape(code), text, re.M) is not None,
                "the manual page does not list the error code " + code)
    for word in ("GREEN_API_URL", "GREEN_API_ID_INSTANCE", "GREEN_API_TOKEN", "EXIT STATUS"):
        p.check(word in text, "the manual page does not mention " + word)
    return p.finish("the manual page")


# Icon names in .ui files (any property or menu attribute about an icon) and in C (string
# literals of symbolic icons, and literals passed to a *icon_name* function).
UI_ICON = re.compile(r'<(?:property|attribute)\s+name="([a-z_-]*icon[a-z_-]*)"[^>]*>'
                     r'\s*([^<\s]+)\s*<')
C_SYMBOLIC = re.compile(r'"([a-z0-9][a-z0-9._-]*-symbolic)"')
C_ICON_CALL = re.compile(r'icon_name\s*\((?:[^;()]|\([^;()]*\))*?"([a-z0-9][a-z0-9._-]*)"')
ICON_FILE = re.compile(r"/icons/(?:[^/]+/)+([^/]+?)(?:\.symbolic\.png|\.svg|\.png)$")


def icons_used(src_dir):
    used = {}
    for name in sorted(os.listdir(src_dir)):
        path = os.path.join(src_dir, name)
        if name.endswith(".ui") or name.endswith(".c"):
            pass
        elif os.path.isdir(path) and name == "gtk":
            for sub in sorted(os.listdir(path)):
                if sub.endswith(".ui"):
                    with open(os.path.join(path, sub), encoding="utf-8") as f:
                        for m in UI_ICON.finditer(f.read()):
                            used.setdefault(m.group(2), []).append("src/gtk/" + sub)
            continue
        else:
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        found = set()
        if name.endswith(".ui"):
            found.update(m.group(2) for m in UI_ICON.finditer(text))
        else:
            found.update(C_SYMBOLIC.findall(text))
            found.update(C_ICON_CALL.findall(text))
        for icon in found:
            used.setdefault(icon, []).append("src/" + name)
    return used


def resource_icons(paths):
    """Icon names under */icons/ in the GResource section of each library or bundle."""
    names = set()
    for path in paths:
        status, output = run(["gresource", "list", path])
        if status != 0:
            raise RuntimeError("gresource list %s exited with %d:\n%s" % (path, status, output))
        for line in output.splitlines():
            m = ICON_FILE.search(line.strip())
            if m:
                names.add(m.group(1))
    return names


def app_resource_icons(gresource_xml):
    names = set()
    root = ET.parse(gresource_xml).getroot()
    for res in root.iter("gresource"):
        prefix = res.get("prefix", "")
        for f in res.iter("file"):
            m = ICON_FILE.search(prefix + "/" + (f.get("alias") or f.text or ""))
            if m:
                names.add(m.group(1))
    return names


def theme_icons(theme_dir):
    names = set()
    for _, _, files in os.walk(theme_dir):
        for f in files:
            for ext in (".symbolic.png", ".svg", ".png"):
                if f.endswith(ext):
                    names.add(f[:-len(ext)])
                    break
    return names


def find_library(libdir, soname):
    path = os.path.join(libdir, soname)
    if os.path.exists(path):
        return path
    raise RuntimeError("no %s in %s" % (soname, libdir))


# icon-names: every icon name the UI uses resolves in the stack this runs on: GTK's or
# libadwaita's own GResource icons, the Adwaita icon theme, or the app's own GResource (the
# app's id, its own icon, is installed by data/meson.build).
def cmd_icon_names(args):
    p = Problems()
    used = icons_used(os.path.join(args.source_root, "src"))
    p.check(used, "found no icon name in src/: is the pattern out of date?")
    try:
        sources = [
            ("GTK", resource_icons([find_library(args.gtk_libdir, "libgtk-4.so.1")])),
            ("libadwaita", resource_icons([find_library(args.adw_libdir, "libadwaita-1.so.0")])),
            ("Adwaita theme", theme_icons(args.theme_dir)),
            ("app resource", app_resource_icons(args.gresource_xml)),
        ]
    except RuntimeError as e:
        p(str(e))
        return p.finish("icon names")
    p.check(sources[2][1], "the Adwaita icon theme at %s is empty or missing" % args.theme_dir)
    own = {args.base_id, args.base_id + "-symbolic", args.app_id, args.app_id + "-symbolic"}
    for icon in sorted(used):
        where = [label for label, names in sources if icon in names]
        if icon in own:
            where.append("the app's own icon")
        if p.check(where, "icon %s (%s) is in neither GTK, libadwaita, the Adwaita icon theme "
                   "(%s) nor the app's resources" % (icon, ", ".join(sorted(set(used[icon]))),
                                                     args.theme_dir)):
            print("%-40s %s" % (icon, ", ".join(where)))
    return p.finish("icon names (%d)" % len(used))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    s = sub.add_parser("desktop")
    s.add_argument("--app-id", required=True)
    s.add_argument("file")
    s.set_defaults(func=cmd_desktop)

    s = sub.add_parser("search-provider")
    s.add_argument("--app-id", required=True)
    s.add_argument("--source-root", required=True)
    s.add_argument("--bindir", required=True)
    s.add_argument("service")
    s.add_argument("ini")
    s.add_argument("desktop")
    s.set_defaults(func=cmd_search_provider)

    s = sub.add_parser("metainfo-pedantic")
    s.add_argument("file")
    s.set_defaults(func=cmd_metainfo_pedantic)

    s = sub.add_parser("metainfo")
    s.add_argument("--app-id", required=True)
    s.add_argument("--version", required=True)
    s.add_argument("--source-root", required=True)
    s.add_argument("file")
    s.set_defaults(func=cmd_metainfo)

    s = sub.add_parser("schema-no-token")
    s.add_argument("files", nargs="+")
    s.set_defaults(func=cmd_schema_no_token)

    s = sub.add_parser("icons")
    s.add_argument("--base-id", required=True)
    s.add_argument("dir")
    s.set_defaults(func=cmd_icons)

    s = sub.add_parser("icon-names")
    s.add_argument("--source-root", required=True)
    s.add_argument("--base-id", required=True)
    s.add_argument("--app-id", required=True)
    s.add_argument("--gtk-libdir", required=True)
    s.add_argument("--adw-libdir", required=True)
    s.add_argument("--theme-dir", required=True)
    s.add_argument("--gresource-xml", required=True)
    s.set_defaults(func=cmd_icon_names)

    s = sub.add_parser("app-id")
    s.add_argument("--base-id", required=True)
    s.add_argument("--app-id", required=True)
    s.add_argument("--source-root", required=True)
    s.add_argument("--build-root", required=True)
    s.set_defaults(func=cmd_app_id)

    s = sub.add_parser("flatpak")
    s.add_argument("--base-id", required=True)
    s.add_argument("--version", required=True)
    s.add_argument("source_root")
    s.set_defaults(func=cmd_flatpak)

    s = sub.add_parser("msgfmt")
    s.add_argument("po_dir")
    s.set_defaults(func=cmd_msgfmt)

    s = sub.add_parser("pot")
    s.add_argument("source_root")
    s.set_defaults(func=cmd_pot)

    s = sub.add_parser("ui")
    s.add_argument("source_root")
    s.set_defaults(func=cmd_ui)

    s = sub.add_parser("man")
    s.add_argument("source_root")
    s.set_defaults(func=cmd_man)

    s = sub.add_parser("potfiles")
    s.add_argument("source_root")
    s.set_defaults(func=cmd_potfiles)

    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
