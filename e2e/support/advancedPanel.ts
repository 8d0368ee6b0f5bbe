import type { Page } from 'playwright-core';

/**
 * Opens the Train page's Advanced panel and waits for its expansion to end. While the panel grows,
 * Playwright's scroll-into-view scrolls the clipped panel itself, so its fields slide down frame by
 * frame; a select clicked then can move between mousedown and mouseup, and MUI closes a menu whose
 * opening mouseup lands outside both the select and the menu.
 */
export async function openAdvancedPanel(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Advanced', exact: true }).click();
  await page.locator('.MuiAccordion-root .MuiCollapse-entered').waitFor();
}
