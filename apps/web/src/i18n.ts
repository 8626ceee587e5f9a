import { createI18n } from 'vue-i18n';
import type { Locale } from './messages';
import { MESSAGES } from './messages';

const LOCALE_KEY = 'lbc.locale';

function storedLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

export const i18n = createI18n({ legacy: false, locale: storedLocale(), fallbackLocale: 'zh-CN', messages: MESSAGES });

/** Switches the language and remembers it for the next visit. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
}
