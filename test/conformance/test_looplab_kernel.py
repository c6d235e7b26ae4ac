"""Jupyter's own conformance suite (Debian's python3-jupyter-kernel-test) pointed at the installed LoopLab kernel.

Every test jupyter_kernel_test.KernelTests has is switched on by giving it a sample; a test left without one
is skipped by the suite, and the vitest wrapper (kernel-test.test.ts) treats any other skip as a failure.
Run by hand: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 -m unittest -v test_looplab_kernel
"""

import unittest

import jupyter_kernel_test as jkt

# The rich-display convention the runtime uses (Deno's): an object with this method renders as its MIME bundle.
RICH = 'Symbol.for("Jupyter.display")'


class LoopLabKernelTests(jkt.KernelTests):
    kernel_name = "looplab"

    # test_kernel_info
    language_name = "typescript"
    file_extension = ".ts"

    # test_execute_stdout / test_execute_stderr
    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    # test_completion: each sample's matches are compared as a set with the reply's matches.
    completion_samples = [
        {"text": "Math.ma", "matches": ["max"]},
        {"text": "JSON.str", "matches": ["stringify"]},
        {"text": "consol", "matches": ["console"]},
        # No expectation: only the reply's shape is validated.
        {"text": "Promise.a"},
    ]

    # test_is_complete: what jupyter console asks before it runs or continues a multi-line input.
    complete_code_samples = [
        "1 + 1",
        "const x: number = 1;",
        "function add(a: number, b: number) { return a + b; }",
        "interface Point { x: number; y: number }",
        "await Promise.resolve(3)",
        "for (const i of [1, 2]) console.log(i);",
    ]
    incomplete_code_samples = [
        "function add(a: number, b: number) {",
        "const xs = [1, 2,",
        "if (true) {\n  console.log(1);",
        "const s = `unfinished template",
        "class A {\n  m() {\n    return 1;\n  }",
    ]
    invalid_code_samples = [
        "}",
        "const = 5;",
        "1 +* 2",
        "let let = 1;",
    ]

    # test_error: exactly one output message, the error.
    code_generate_error = 'throw new Error("boom")'

    # test_execute_result; test_history executes these again and again.
    code_execute_result = [
        {"code": "1 + 2 + 3", "result": "6"},
        {"code": "[1, 2, 3].map((n: number) => n * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": '"looplab".toUpperCase()', "result": "'LOOPLAB'"},
        {
            "code": "({ [" + RICH + ']() { return { "text/plain": "x", "text/html": "<b>x</b>" }; } })',
            "mime": "text/html",
            "result": "<b>x</b>",
        },
    ]

    # test_display_data
    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# Title")', "mime": "text/markdown"},
        {
            "code": 'display.svg(\'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\')',
            "mime": "image/svg+xml",
        },
        {"code": 'display.json({ answer: 42 })', "mime": "application/json"},
        {
            "code": "display({ [" + RICH + ']() { return { "text/plain": "t", "text/latex": "$x^2$" }; } })',
            "mime": "text/latex",
        },
    ]

    # test_history: must match exactly one distinct input among everything this suite runs.
    code_history_pattern = "1 + 2*"
    supported_history_operations = ("tail", "range", "search")

    # test_inspect
    code_inspect_sample = "Math.max"

    # test_clear_output
    code_clear_output = 'console.log("soon gone"); clearOutput()'

    # test_pager is the one test left without a sample: it needs IPython's `name?` help syntax answered with a
    # "page" payload, which LoopLab does not offer (inspect_request covers it). Setting
    # code_page_something = "Math.max?" switches it on; kernel-test.test.ts then expects it to pass too.


if __name__ == "__main__":
    unittest.main()
