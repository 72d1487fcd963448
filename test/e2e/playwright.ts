// playwright-core lives in test/e2e/.editor/ (scripts/e2e-setup.mjs), not in the
// project's dependencies, so it is loaded at run time and typed here by the few
// members the tests use: the typecheck passes without the e2e install.
import { createRequire } from "node:module";
import { join } from "node:path";
import { EDITOR_DIR, requireFile } from "./e2ePaths";

/** The part of a DOM element that code run in the page (evaluateAll) uses. */
export interface DomElement {
  querySelector(selector: string): DomElement | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number };
  textContent: string | null;
}

export interface Locator {
  evaluateAll<R>(f: (elements: DomElement[]) => R): Promise<R>;
  click(o?: { timeout?: number; button?: "left" | "right" }): Promise<void>;
  count(): Promise<number>;
  first(): Locator;
  nth(i: number): Locator;
  filter(o: { hasText?: string | RegExp }): Locator;
  locator(selector: string): Locator;
  allInnerTexts(): Promise<string[]>;
  innerText(o?: { timeout?: number }): Promise<string>;
  getAttribute(name: string, o?: { timeout?: number }): Promise<string | null>;
  isVisible(): Promise<boolean>;
  fill(value: string, o?: { timeout?: number }): Promise<void>;
  press(key: string, o?: { timeout?: number }): Promise<void>;
  waitFor(o?: { state?: "attached" | "detached" | "visible" | "hidden"; timeout?: number }): Promise<void>;
}

export interface Page {
  goto(url: string, o?: { timeout?: number; waitUntil?: "load" | "domcontentloaded" }): Promise<unknown>;
  locator(selector: string): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void>; insertText(text: string): Promise<void> };
  mouse: { move(x: number, y: number, o?: { steps?: number }): Promise<void>; down(): Promise<void>; up(): Promise<void> };
  screenshot(o: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: "console" | "pageerror", f: (m: { text?: () => string; message?: string }) => void): void;
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface PlaywrightCore {
  chromium: {
    launchPersistentContext(
      userDataDir: string,
      o: { executablePath: string; headless: boolean; args: string[]; viewport: { width: number; height: number } },
    ): Promise<BrowserContext>;
  };
}

export const CHROMIUM = process.env.FLASH_E2E_CHROMIUM ?? "/usr/bin/chromium";

/** Debian's Chromium with a fresh profile (the recipe's flags: no sandbox as root, offline). */
export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  const manifest = join(EDITOR_DIR, "package.json");
  requireFile(join(EDITOR_DIR, "node_modules", "playwright-core", "package.json"), "run `node scripts/e2e-setup.mjs`");
  requireFile(CHROMIUM, "run `node scripts/e2e-setup.mjs`");
  const playwright = createRequire(manifest)("playwright-core") as PlaywrightCore;
  return playwright.chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}
