"""Interrupts LoopLab through jupyter_client, as JupyterLab's server does: prints one JSON line per case.

Usage: interrupt_session.py KERNEL_NAME. The kernelspec's interrupt_mode decides how KernelManager.interrupt_kernel()
reaches the kernel: "signal" sends SIGINT to its process group, "message" sends interrupt_request on control.
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager


def run(kc, code, timeout=20):
    msg_id = kc.execute(code)
    return msg_id, wait_reply(kc, msg_id, timeout)


def wait_reply(kc, msg_id, timeout=20):
    deadline = time.time() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def result_text(kc, code):
    msg_id = kc.execute(code)
    text = None
    while True:
        msg = kc.get_iopub_msg(timeout=20)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            text = msg["content"]["data"]["text/plain"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            wait_reply(kc, msg_id)
            return text


def interrupted(km, kc, code, after):
    msg_id = kc.execute(code)
    time.sleep(after)
    sent = time.time()
    km.interrupt_kernel()
    reply = wait_reply(kc, msg_id)
    return {"status": reply["status"], "ename": reply.get("ename"), "ms": round((time.time() - sent) * 1000)}


def main():
    km = KernelManager(kernel_name=sys.argv[1])
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        print(json.dumps({"interrupt_mode": km.kernel_spec.interrupt_mode}), flush=True)
        run(kc, "let spins = 0; const kept = 'kept';")
        cases = {
            "loop": ("while (true) { spins++; }", 0.5),
            "loop after await": ("await new Promise((r) => setTimeout(r, 50));\nfor (;;) { spins++; }", 0.5),
            "pending await": ("await new Promise(() => {})", 0.5),
        }
        for name, (code, after) in cases.items():
            outcome = interrupted(km, kc, code, after)
            outcome["case"] = name
            print(json.dumps(outcome), flush=True)
        print(json.dumps({"kept": result_text(kc, "kept"), "spun": result_text(kc, "spins > 0")}), flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


main()
