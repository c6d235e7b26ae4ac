"""Drives a real `jupyter console --kernel looplab` in a pseudo-terminal the way a person would type.

Session 1: a multi-line function (the kernel's is_complete keeps the prompt open), a call, Tab completion of
the function's name, and Up-arrow recall of the last input. Session 2, a new kernel: Up recalls the input of
session 1, which the console can only know from the kernel's persisted history (history_request tail).
Exits 0 when all of it happened; otherwise prints what the screen showed. Needs Debian's python3-pexpect.
"""

import os
import re
import sys
import time

import pexpect

KERNEL = sys.argv[1] if len(sys.argv) > 1 else "looplab"
STEP_TIMEOUT = 30
# prompt_toolkit paints with colours, cursor moves and bracketed-paste toggles; the tests read the text.
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>78]|[\r\x08]")
UP = "\x1b[A"


class Screen:
    """One console process and everything it has printed, searched as plain text from a moving mark."""

    def __init__(self, label):
        env = dict(os.environ)
        # The simple prompt (for IPython's own tests) has no multi-line input and no completion: use the real one.
        env.pop("JUPYTER_CONSOLE_TEST", None)
        # pexpect's terminal never answers cursor-position requests; without this prompt_toolkit waits and warns.
        env["PROMPT_TOOLKIT_NO_CPR"] = "1"
        env["TERM"] = "xterm-256color"
        self.label = label
        self.raw = ""
        self.mark = 0
        self.child = pexpect.spawn(
            "/usr/bin/jupyter",
            ["console", "--kernel", KERNEL],
            env=env,
            dimensions=(40, 120),
            encoding="utf-8",
            codec_errors="replace",
        )

    def text(self):
        return ANSI.sub("", self.raw)

    def expect(self, pattern, what, timeout=STEP_TIMEOUT):
        """Waits until pattern shows up after the mark, then moves the mark past it."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.text(), self.mark)
            if match:
                self.mark = match.end()
                print(f"[{self.label}] ok: {what}", flush=True)
                return match
            if time.monotonic() > deadline:
                tail = self.text()[-3000:]
                raise AssertionError(f"[{self.label}] {what}: /{pattern}/ did not appear. The screen ended with:\n{tail}")
            try:
                self.raw += self.child.read_nonblocking(65536, timeout=0.2)
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                raise AssertionError(f"[{self.label}] the console exited while waiting for {what}:\n{self.text()[-3000:]}")

    def settle(self, seconds=0.3):
        """Reads whatever arrives for a moment (prompt_toolkit redraws asynchronously)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.raw += self.child.read_nonblocking(65536, timeout=0.05)
            except pexpect.TIMEOUT:
                pass

    def send(self, keys):
        self.child.send(keys)

    def quit(self):
        # Ctrl-D on an empty line ends the console, after its "really exit?" question.
        self.child.sendcontrol("d")
        self.expect(r"exit \(\[y\]/n\)\?", "the console asks before exiting")
        self.child.send("y\r")
        self.child.expect(pexpect.EOF, timeout=STEP_TIMEOUT)
        self.child.close()
        print(f"[{self.label}] ok: exited with {self.child.exitstatus}", flush=True)


def first_session():
    s = Screen("session 1")
    s.expect(r"In \[1\]: ", "first prompt after the kernel started")

    # Enter after an open brace: is_complete says incomplete, so the console asks for more lines.
    s.send("function twice(n: number): number {\r")
    s.expect(r"\.\.\.: ", "a continuation prompt after an unfinished function")
    s.send("return n * 2;\r")
    s.expect(r"\.\.\.: ", "still continuing inside the function body")
    s.send("}\r")
    s.expect(r"In \[2\]: ", "the finished function ran and a new prompt came")

    s.send("twice(21)\r")
    s.expect(r"Out\[2\]: 42\b", "the call's result")
    s.expect(r"In \[3\]: ", "prompt 3")

    # Tab completes the notebook's own declaration from its prefix.
    s.send("twi\t")
    s.settle()
    # prompt_toolkit redraws the whole input when it is accepted: only then does the line read as one word.
    s.send("(4)\r")
    s.expect(r"In \[3\]: twice\(4\)", "Tab completed twi -> twice")
    s.expect(r"Out\[3\]: 8\b", "the completed call's result")
    s.expect(r"In \[4\]: ", "prompt 4")

    # Up recalls the previous input.
    s.send(UP)
    s.expect(r"twice\(4\)", "Up recalled twice(4) into prompt 4")
    s.send("\r")
    s.expect(r"Out\[4\]: 8\b", "the recalled input ran")
    s.expect(r"In \[5\]: ", "prompt 5")
    s.quit()


def second_session():
    s = Screen("session 2")
    s.expect(r"In \[1\]: ", "first prompt of a new kernel")
    s.send(UP)
    s.expect(r"twice\(4\)", "Up recalled session 1's input from the kernel's history")
    # Ctrl-C clears the line instead of running it (twice is not defined in this new kernel).
    s.child.sendcontrol("c")
    s.settle()
    s.send("[1, 2, 3].length\r")
    s.expect(r"Out\[1\]: 3\b", "a fresh cell still runs")
    # Ctrl-D only asks to exit at a prompt; sent while the console is still between prompts, it is lost.
    s.expect(r"In \[2\]: ", "prompt 2")
    s.quit()


if __name__ == "__main__":
    started = time.monotonic()
    try:
        first_session()
        second_session()
    except AssertionError as failure:
        print(f"FAILED: {failure}", flush=True)
        sys.exit(1)
    print(f"console session passed in {time.monotonic() - started:.1f} s", flush=True)
