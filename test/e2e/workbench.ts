// The few things a user does in VS Code's workbench, driven through the DOM of
// code-server 1.100.3 (selectors from ../shared/recipes/vscode-e2e.md). Every step
// polls for its result; every step can leave a screenshot.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "./playwright";
import { waitFor } from "./poll";

const QUICK_INPUT = ".quick-input-widget";
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/** One row of the Problems view, as its parts are shown: message, source(code), [Ln, Col]. */
export interface Problem {
  message: string;
  source: string;
  code: string;
  position: string;
}

export class Workbench {
  private shotCount = 0;
  readonly screenshots: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly shotsDir: string,
    private readonly shotPrefix: string,
  ) {}

  /** Opens the workbench at `url` and waits until it is interactive. */
  static async open(context: BrowserContext, url: string, shotsDir: string, shotPrefix: string): Promise<Workbench> {
    mkdirSync(shotsDir, { recursive: true });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url, { waitUntil: "domcontentloaded", timeout: 30_000 });
    await page.locator(".monaco-workbench .part.activitybar").first().waitFor({ state: "visible", timeout: 60_000 });
    return new Workbench(page, shotsDir, shotPrefix);
  }

  /**
   * Moves the mouse into the editor area, away from what it just clicked: a quick-pick
   * row sits over the editor tabs once the picker closes, and their hover would stay
   * in the screenshots.
   */
  private async parkMouse(): Promise<void> {
    await this.page.mouse.move(1000, 480);
  }

  /** Saves `<prefix>-NN-<name>.png` and returns its path. */
  async shot(name: string): Promise<string> {
    this.shotCount += 1;
    const path = join(this.shotsDir, `${this.shotPrefix}-${String(this.shotCount).padStart(2, "0")}-${name}.png`);
    await this.parkMouse();
    await this.page.screenshot({ path });
    this.screenshots.push(path);
    return path;
  }

  /** The activity-bar entry of a view container, by its title. */
  activityItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
  }

  /** Drags the side bar's edge so it is `width` pixels wide: long descriptions stay readable in screenshots. */
  async widenSideBar(width: number): Promise<void> {
    const [bar] = await this.page.locator(".part.sidebar").evaluateAll((e) => e.map((x) => x.getBoundingClientRect()));
    const sashes = await this.page.locator(".monaco-sash.vertical").evaluateAll((e) => e.map((x) => x.getBoundingClientRect()));
    if (!bar) return;
    const sash = sashes
      .map((r) => ({ x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, distance: Math.abs((r.left + r.right) / 2 - bar.right) }))
      .filter((r) => r.distance < 10)
      .sort((a, b) => a.distance - b.distance)[0];
    if (!sash) return;
    await this.page.mouse.move(sash.x, sash.y);
    await this.page.mouse.down();
    await this.page.mouse.move(bar.left + width, sash.y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Opens a fresh quick input with `text` typed in it (a leading `>` means commands). */
  async quickInput(text: string): Promise<void> {
    const widget = this.page.locator(QUICK_INPUT).first();
    if (await widget.isVisible()) {
      await this.page.keyboard.press("Escape");
      await widget.waitFor({ state: "hidden", timeout: 10_000 });
    }
    await this.page.keyboard.press("F1");
    const box = this.page.locator(QUICK_INPUT_BOX).first();
    await box.waitFor({ state: "visible", timeout: 10_000 });
    await box.fill(text);
  }

  /** Runs a command from the palette by its full label, e.g. "Flash: Build manifest". */
  async runCommand(label: string): Promise<void> {
    await this.quickInput(`>${label}`);
    const row = await waitFor(`command palette entry "${label}"`, async () => {
      const rows = this.page.locator(QUICK_INPUT_ROWS);
      const n = await rows.count();
      for (let i = 0; i < n; i++) {
        const text = await rows.nth(i).locator(".label-name").first().innerText({ timeout: 1_000 }).catch(() => "");
        if (text.replace(/\s+/g, " ").trim() === label) return rows.nth(i);
      }
      return undefined;
    }, { timeoutMs: 15_000 });
    await row.click();
    await this.parkMouse();
    await this.page.locator(QUICK_INPUT).first().waitFor({ state: "hidden", timeout: 10_000 });
  }

  /** Quick Open: finds a workspace file by name and opens it in an editor. */
  async openFile(name: string): Promise<void> {
    await this.quickInput(name);
    const row = await waitFor(`quick open entry "${name}"`, async () => {
      const rows = this.page.locator(QUICK_INPUT_ROWS).filter({ hasText: name });
      return (await rows.count()) > 0 ? rows.first() : undefined;
    }, { timeoutMs: 15_000 });
    await row.click();
    await this.parkMouse();
    await this.page.locator(QUICK_INPUT).first().waitFor({ state: "hidden", timeout: 10_000 });
    await this.page.locator(`.tabs-container .tab[aria-label^="${name}"]`).first().waitFor({ state: "visible", timeout: 10_000 });
  }

  /** Moves the cursor of the active editor to the end of line `line` (1-based). */
  async cursorToEndOfLine(line: number): Promise<void> {
    await this.quickInput(`:${line}`);
    await this.page.keyboard.press("Enter");
    await this.page.locator(QUICK_INPUT).first().waitFor({ state: "hidden", timeout: 10_000 });
    await this.page.keyboard.press("End");
  }

  /** Rows of the trees in the side bar, as "label description" (description when there is one). */
  async sideBarRows(): Promise<string[]> {
    return this.page.locator(".part.sidebar .monaco-list-row").evaluateAll((rows) =>
      rows.map((row) => {
        const label = row.querySelector(".label-name")?.textContent?.trim() ?? "";
        const description = row.querySelector(".label-description")?.textContent?.trim() ?? "";
        return description ? `${label} ${description}` : label;
      }),
    );
  }

  /**
   * Expands the collapsed rows of the side bar's trees, once each, by their twisties
   * (which open nothing). Children that load later are expanded by the next call, so
   * call it inside a poll. Bottom-up, so earlier rows keep their places.
   */
  async expandSideBarTrees(): Promise<void> {
    const collapsed = this.page.locator(".part.sidebar .monaco-list-row[aria-expanded='false'] .monaco-tl-twistie.collapsible");
    for (let i = (await collapsed.count()) - 1; i >= 0; i--) await collapsed.nth(i).click({ timeout: 2_000 }).catch(() => undefined);
  }

  /** The problems listed in the Problems view (it must be open); file rows are left out. */
  async problems(): Promise<Problem[]> {
    // An empty list from a hidden panel would prove nothing.
    if (!(await this.page.locator(".markers-panel").first().isVisible())) throw new Error("the Problems view is not open");
    return this.page.locator(".markers-panel .monaco-list-row").evaluateAll((rows) =>
      rows
        .filter((row) => row.querySelector(".marker-message") !== null)
        .map((row) => ({
          message: row.querySelector(".marker-message")?.textContent?.trim() ?? "",
          source: row.querySelector(".marker-source")?.textContent?.trim() ?? "",
          code: row.querySelector(".marker-code")?.textContent?.trim() ?? "",
          position: row.querySelector(".marker-line")?.textContent?.trim() ?? "",
        })),
    );
  }

  /** Visible text of the side bar (welcome views included). */
  async sideBarText(): Promise<string> {
    return this.page.locator(".part.sidebar").first().innerText({ timeout: 5_000 });
  }

  /**
   * Texts of the notification toasts, once they have finished sliding in and none
   * shows a running progress bar (a finished progress toast lingers a moment).
   */
  async settledNotifications(timeoutMs = 10_000): Promise<string[]> {
    const toasts = this.page.locator(".notifications-toasts .notification-list-item");
    let previous = "";
    return waitFor("notification toasts to settle", async () => {
      const now = await toasts.evaluateAll((items) =>
        items.map((i) => ({
          text: i.textContent ?? "",
          bottom: i.getBoundingClientRect().bottom,
          busy: i.querySelector(".monaco-progress-container.active") !== null,
        })),
      );
      const key = JSON.stringify(now);
      const settled = now.length > 0 && key === previous && !now.some((n) => n.busy);
      previous = key;
      return settled && now.map((n) => n.text.replace(/\s+/g, " ").trim());
    }, { timeoutMs, intervalMs: 250 });
  }
}
