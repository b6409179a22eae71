"""Run VBA macros of a workbook in LibreOffice, headless (run by the system python3, which has UNO).

Usage: python3 lo_macros.py BOOK MODULE.PROC[:ARG] ...  -> prints a JSON list of the results.
A macro that fails to compile or run returns nothing (LibreOffice swallows the error): callers
check a known-answer canary first.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(book, calls):
    profile = tempfile.mkdtemp(prefix="kgxl-lo-")
    pipe = f"kgxl{os.getpid()}"
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore",
                               f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(book)), "_blank", 0,
                                           (prop("Hidden", True), prop("MacroExecutionMode", 4)))
        provider = doc.getScriptProvider()
        out = []
        for call in calls:
            name, _, arg = call.partition(":")
            script = provider.getScript(f"vnd.sun.star.script:VBAProject.{name}?language=Basic&location=document")
            result = script.invoke((arg,) if arg else (), (), ())[0]
            out.append(result)
        doc.close(True)
        print(json.dumps(out))
    finally:
        office.terminate()
        office.wait(30)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
