// Debian's Chromium as every browser test starts it: headless as root with the flags this machine needs, and at a
// low CPU priority, because on two cores its drawing competes with the kernels whose timing the tests judge.
import { chromium as playwright, type Browser, type BrowserContext, type LaunchOptions } from "playwright-core";
import { chromium } from "./jupyter.ts";
import { cmdline, descendants, lowerPriority } from "./processes.mjs";

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

type ProfileOptions = NonNullable<Parameters<typeof playwright.launchPersistentContext>[1]>;

/**
 * Chromium's processes under this test process (/usr/bin/chromium is a script that starts /usr/lib/chromium's),
 * all in one autogroup of their own (playwright starts the browser in a new session); renderers started later
 * inherit the zygote's.
 */
function deprioritizeChromium(): void {
  lowerPriority(descendants(process.pid).filter((pid) => cmdline(pid).includes("chromium")));
}

/** A browser with a fresh profile per context (playwright's default). */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const browser = await playwright.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS, ...options });
  deprioritizeChromium();
  return browser;
}

/** A browser context on a profile folder of the caller's (for pages opened from file://). */
export async function launchChromiumProfile(profile: string, options: ProfileOptions = {}): Promise<BrowserContext> {
  const context = await playwright.launchPersistentContext(profile, { executablePath: chromium, headless: true, args: CHROMIUM_ARGS, ...options });
  deprioritizeChromium();
  return context;
}
