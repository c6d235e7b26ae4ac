// ANSI escape sequences in saved outputs (IPython-style tracebacks): removed where colour cannot be shown.

/** Text without colour codes, cursor moves or OSC hyperlinks. */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, "").replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "");
}
