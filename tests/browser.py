"""Headless Chromium driven over the DevTools protocol, for the tests of HTML pages.

Chromium runs with ``--remote-debugging-pipe``: it reads protocol commands on
file descriptor 3 and writes replies and events on 4, each message JSON
ended by a NUL byte. No extra package, no port, no network: the browser is
also told that every host resolves nowhere and that its proxy is a closed
port, and the page's requests are watched and blocked beyond ``file:`` and
``data:``.

    with Browser.launch() as browser:
        page = browser.open(path)           # loads, collects console and requests
        page.evaluate("document.title")
        page.screenshot(tmp_path / "page.png")
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def find_chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


CHROMIUM = find_chromium()

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    # nothing can leave the machine: no name resolves, every proxy connection fails
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--remote-debugging-pipe",
)


class ProtocolError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


class Browser:
    """One headless Chromium process and its DevTools pipe."""

    def __init__(self, proc: subprocess.Popen[bytes], write_fd: int, read_fd: int) -> None:
        self.proc = proc
        self._write = write_fd
        self._read = read_fd
        self._buffer = b""
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []

    @classmethod
    @contextlib.contextmanager
    def launch(cls, profile: Path, *, width: int = 1400, height: int = 900) -> Iterator[Browser]:
        """Start Chromium with a fresh profile; close it on exit."""
        assert CHROMIUM is not None, "Chromium is not installed"
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()

        def pipes() -> None:  # in the child: the protocol wants fds 3 and 4
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        proc = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=pipes,
            pass_fds=(3, 4),
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        browser = cls(proc, to_browser_w, from_browser_r)
        try:
            yield browser
        finally:
            with contextlib.suppress(Exception):
                browser.send("Browser.close", timeout=10)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)
            os.close(to_browser_w)
            os.close(from_browser_r)

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._read], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise ProtocolError("the browser closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = 60,
    ) -> dict[str, Any]:
        """Send one command and wait for its reply; events that arrive meanwhile are kept."""
        self._next_id += 1
        ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError(f"no reply to {method} within {timeout} s")
            self._dispatch(self._receive(left))
        reply = self._replies.pop(ident)
        if "error" in reply:
            raise ProtocolError(f"{method}: {reply['error']}")
        return dict(reply.get("result", {}))

    def _dispatch(self, message: dict[str, Any] | None) -> None:
        if message is None:
            return
        if "id" in message:
            self._replies[message["id"]] = message
            return
        self.events.append(message)
        if message.get("method") == "Target.attachedToTarget":
            child = message["params"]["sessionId"]
            for domain in ("Runtime", "Log", "Network"):
                self.send(f"{domain}.enable", session=child)
            self.send("Runtime.runIfWaitingForDebugger", session=child)
        if message.get("method") == "Page.javascriptDialogOpening":
            # a dialog stops the page until answered; the test reads the event
            self.send(
                "Page.handleJavaScriptDialog", {"accept": True}, session=message.get("sessionId")
            )

    def pump(self, seconds: float) -> None:
        """Collect events for `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._dispatch(self._receive(left))

    def open(
        self, path: Path, *, ready: str | None = None, timeout: float = 90, scripts: bool = True
    ) -> Page:
        """Load `path` in a new tab with console, errors and requests recorded.

        `ready` is a JavaScript expression waited on until true (e.g. the map
        has drawn); by default the load event is enough. ``scripts=False``
        loads the page as a reader with JavaScript switched off would see it.
        """
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session, path.resolve().as_uri())
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable", session=session)
        # out-of-process iframes (sandboxed ones) become sessions of their own, paused
        # until their console and requests are watched too (see _dispatch)
        self.send(
            "Target.setAutoAttach",
            {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True},
            session=session,
        )
        self.send(
            "Network.setBlockedURLs",
            {"urls": ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]},
            session=session,
        )
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        if not scripts:
            self.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
        self.send("Page.navigate", {"url": page.url}, session=session)
        page.wait(ready or "document.readyState === 'complete'", timeout=timeout)
        self.pump(0.3)  # late console messages
        return page


class Page:
    """One tab: evaluate JavaScript, take screenshots, read what the page logged and asked for."""

    def __init__(self, browser: Browser, session: str, url: str) -> None:
        self.browser = browser
        self.session = session
        self.url = url

    def evaluate(self, expression: str, *, timeout: float = 60, context: int | None = None) -> Any:
        """The value of a JavaScript expression (promises awaited), as JSON.

        `context` is an execution context from `frame_context`; by default the page's.
        """
        params: dict[str, Any] = {
            "expression": expression,
            "returnByValue": True,
            "awaitPromise": True,
        }
        if context is not None:
            params["contextId"] = context
        result = self.browser.send(
            "Runtime.evaluate", params, session=self.session, timeout=timeout
        )
        if "exceptionDetails" in result:
            raise ProtocolError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def frames(self) -> list[Page]:
        """The page's iframes that run in processes of their own (sandboxed ones do)."""
        return [
            Page(self.browser, p["sessionId"], p["targetInfo"].get("url", ""))
            for p in self._mine("Target.attachedToTarget")
        ]

    def wait(self, expression: str, *, timeout: float = 60) -> None:
        """Wait until `expression` is true in the page."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(ProtocolError):
                if self.evaluate(f"Boolean({expression})", timeout=max(1.0, timeout / 4)):
                    return
            self.browser.pump(0.2)
        raise ProtocolError(f"{expression!r} still false after {timeout} s")

    def media(self, media: str) -> None:
        """Emulate a CSS media type: ``"print"``, or ``""`` for the screen again."""
        self.browser.send("Emulation.setEmulatedMedia", {"media": media}, session=self.session)

    def screenshot(self, path: Path) -> bytes:
        """A PNG of the viewport, written to `path`."""
        data = base64.b64decode(
            self.browser.send("Page.captureScreenshot", {"format": "png"}, session=self.session)[
                "data"
            ]
        )
        path.write_bytes(data)
        return data

    def _sessions(self) -> set[str]:
        """This page's session and those of its out-of-process frames, at any depth."""
        found = {self.session}
        grew = True
        while grew:
            children = {
                e["params"]["sessionId"]
                for e in self.browser.events
                if e.get("method") == "Target.attachedToTarget" and e.get("sessionId") in found
            }
            grew = not children <= found
            found |= children
        return found

    def _mine(self, method: str) -> list[dict[str, Any]]:
        # frames are this page's direct children; everything else counts them all
        sessions = {self.session} if method == "Target.attachedToTarget" else self._sessions()
        return [
            e.get("params", {})
            for e in self.browser.events
            if e.get("method") == method and e.get("sessionId") in sessions
        ]

    def console_errors(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and browser log errors."""
        out = [
            " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            for p in self._mine("Runtime.consoleAPICalled")
            if p.get("type") in ("error", "warning", "assert")
        ]
        out += [
            json.dumps(p.get("exceptionDetails", {}))[:500]
            for p in self._mine("Runtime.exceptionThrown")
        ]
        out += [
            f"{p['entry'].get('source')}: {p['entry'].get('text')}"
            for p in self._mine("Log.entryAdded")
            if p["entry"].get("level") in ("error", "warning")
        ]
        return out

    def requests(self) -> list[str]:
        """The URL of every request the page and its frames made, the page itself included."""
        return [p["request"]["url"] for p in self._mine("Network.requestWillBeSent")]

    def failed_requests(self) -> list[str]:
        """Requests that failed or were blocked, with the reason."""
        by_id = {
            p["requestId"]: p["request"]["url"] for p in self._mine("Network.requestWillBeSent")
        }
        return [
            f"{by_id.get(p['requestId'], '?')}: {p.get('errorText')} {p.get('blockedReason', '')}"
            for p in self._mine("Network.loadingFailed")
        ]

    def dialogs(self) -> list[str]:
        """Messages of alert/confirm/prompt dialogs the page opened."""
        return [p.get("message", "") for p in self._mine("Page.javascriptDialogOpening")]
