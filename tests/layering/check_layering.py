#!/usr/bin/env python3
"""Checks that each layer includes only what docs/architecture.md allows it to.

Every library exports the source root as an include directory, so linking alone cannot stop a header
include: this test does. Run as `check_layering.py SOURCE_ROOT`; `--self-test` first proves on a
temporary tree that each rule catches what it forbids (and lets through what it allows).
"""

import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.MULTILINE)
NETWORK_AUTH = re.compile(r'^(QOAuth|QAbstractOAuth|QtNetworkAuth/)')
GUI = re.compile(r'^(QtGui/|QtWidgets/|QWidget|QDialog|QMainWindow|QApplication|QGuiApplication|QDesktopServices|QAction)')
WORKAROUNDS = ("auth/QtCompat.h", "auth/SmartLaunch.h", "auth/LoopbackReplyHandler.h")
LAYERS = ("core", "auth", "fhir", "services", "ui", "app", "sandbox")
# What ondevice-cli drives through services/ rather than by hand.
CLI_FILES = ("app/Cli.cpp", "app/Cli.h")


def violation(layer, kind, header, file=""):
    """Why `layer` (its file `file`, relative to the root) may not include `header` (kind '"' or '<'), or None."""
    project = header.split("/", 1)[0] if kind == '"' and "/" in header else None
    if layer == "core":
        if project in LAYERS and project != "core":
            return "core/ is the foundation: it includes no other layer"
        if kind == "<" and NETWORK_AUTH.match(header):
            return "core/ does not use Qt NetworkAuth"
    if layer == "fhir":
        if project == "auth" and header != "auth/AccessTokenProvider.h":
            return "fhir/ sees auth/ only through auth/AccessTokenProvider.h"
        if project in ("services", "ui", "app", "sandbox"):
            return "fhir/ includes no layer above it"
    if layer == "auth" and project in ("fhir", "services", "ui", "app", "sandbox"):
        return "auth/ includes no layer above it"
    if layer == "services":
        if kind == "<" and (NETWORK_AUTH.match(header) or GUI.match(header)):
            return "services/ uses neither Qt NetworkAuth nor Qt GUI: the window and ondevice-cli share it"
        if header in WORKAROUNDS:
            return "services/ does not use the Qt NetworkAuth workarounds"
        if project in ("ui", "app", "sandbox"):
            return "services/ includes no layer above it, nor the sandbox"
    if layer == "ui":
        if kind == "<" and NETWORK_AUTH.match(header):
            return "ui/ does not use Qt NetworkAuth"
        if header in WORKAROUNDS:
            return "ui/ does not use the Qt NetworkAuth workarounds"
        if project in ("app", "sandbox"):
            return "ui/ includes no layer above it, nor the sandbox"
    if file in CLI_FILES and (header == "fhir/SyncEngine.h" or header.startswith("fhir/store/")):
        return "ondevice-cli syncs and reads records through services/ConnectionRecords.h"
    if layer == "sandbox" and project in ("auth", "fhir", "services", "ui", "app"):
        return "sandbox/ stands apart: it shares no code with the product"
    return None


def check(root):
    problems = []
    for layer in LAYERS:
        top = os.path.join(root, layer)
        for folder, _, files in os.walk(top):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for match in INCLUDE.finditer(text):
                    why = violation(layer, match.group(1), match.group(2), os.path.relpath(path, root).replace(os.sep, "/"))
                    if why:
                        line = text.count("\n", 0, match.start()) + 1
                        problems.append(f"{os.path.relpath(path, root)}:{line}: includes {match.group(2)}: {why}")
    return problems


def self_test():
    cases = {
        "core/Bad.h": ('#include "auth/Session.h"\n', True),
        "core/BadAuth.h": ("#include <QOAuth2AuthorizationCodeFlow>\n", True),
        "core/Good.h": ("#include <QString>\n#include \"core/Expected.h\"\n", False),
        "fhir/Bad.cpp": ('#include "auth/Session.h"\n', True),
        "fhir/Good.cpp": ('#include "auth/AccessTokenProvider.h"\n#include "core/Continuations.h"\n', False),
        "ui/Bad.cpp": ("#include <QOAuth2AuthorizationCodeFlow>\n", True),
        "ui/BadCompat.cpp": ('#include "auth/QtCompat.h"\n', True),
        "ui/Good.cpp": ('#include "auth/Session.h"\n#include "services/RecordsHub.h"\n', False),
        "auth/Bad.cpp": ('#include "fhir/SyncEngine.h"\n', True),
        "auth/BadServices.cpp": ('#include "services/Workspace.h"\n', True),
        "fhir/BadServices.cpp": ('#include "services/ConnectionRecords.h"\n', True),
        "services/BadUi.cpp": ('#include "ui/MainWindow.h"\n', True),
        "services/BadGui.cpp": ("#include <QDesktopServices>\n", True),
        "services/BadCompat.cpp": ('#include "auth/SmartLaunch.h"\n', True),
        "services/Good.cpp": ('#include "auth/Session.h"\n#include "fhir/SyncEngine.h"\n#include "fhir/store/ResourceStore.h"\n', False),
        "app/Cli.cpp": ('#include "fhir/store/ResourceStore.h"\n', True),
        "app/Cli.h": ('#include "fhir/SyncEngine.h"\n', True),
        "app/main.cpp": ('#include "services/RecordsHub.h"\n#include "fhir/FhirClient.h"\n', False),
        "sandbox/Bad.cpp": ('#include "auth/Jwt.h"\n', True),
    }
    with tempfile.TemporaryDirectory() as root:
        for name, (text, _) in cases.items():
            os.makedirs(os.path.join(root, os.path.dirname(name)), exist_ok=True)
            with open(os.path.join(root, name), "w", encoding="utf-8") as f:
                f.write(text)
        found = {p.split(":", 1)[0] for p in check(root)}
    expected = {name for name, (_, bad) in cases.items() if bad}
    if found != expected:
        print(f"self-test: expected violations in {sorted(expected)}, found {sorted(found)}")
        return False
    print(f"self-test: each of {len(expected)} forbidden includes caught, {len(cases) - len(expected)} allowed ones let through")
    return True


def main():
    args = sys.argv[1:]
    if args and args[0] == "--self-test":
        if not self_test():
            return 1
        args = args[1:]
    if len(args) != 1:
        print("usage: check_layering.py [--self-test] SOURCE_ROOT")
        return 2
    problems = check(args[0])
    for p in problems:
        print(p)
    print(f"{len(problems)} layering violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
