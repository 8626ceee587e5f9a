import type { Browser, BrowserContext, Page } from 'playwright-core';
import { watchProblems } from './browser-harness';

/** The phone the school workspace is made for first (issue 12). */
export const PHONE = { width: 375, height: 812 } as const;

/** A fresh page on that phone, in Chinese and the county's time zone, its problems watched. */
export async function phonePage(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  return { context, page, problems: watchProblems(page) };
}
