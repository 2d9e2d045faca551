"""Save a document as a password-protected ODT through LibreOffice (UNO).

Usage: make_password_odt.py SRC DST PASSWORD, with the system python that has python3-uno (Debian).
"""

from __future__ import annotations

import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

ACCEPT = "socket,host=localhost,port=2002;urp;"


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> None:
    src, dst, password = sys.argv[1:4]
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", f"--accept={ACCEPT}"])
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            ctx = resolver.resolve(f"uno:{ACCEPT}StarOffice.ComponentContext")
            break
        except NoConnectException:
            time.sleep(0.5)
    else:
        raise SystemExit("LibreOffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "writer8"), prop("Password", password)))
    doc.close(True)
    desktop.terminate()
    office.wait(timeout=30)


if __name__ == "__main__":
    main()
