// The i18n layer: every string a user reads goes through a translator made here. Each feature
// owns its catalogue (features never import each other), English is complete and the fallback;
// another language is one more object beside `en` with the same keys, checked by the compiler.

export type Locale = "en";
type Vars = Record<string, string | number>;
type Catalogue = Record<string, string>;

export const locale: Locale = "en";

function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** `const t = createTranslator({ en: { hello: "Hello {name}" } }); t("hello", { name })`. */
export function createTranslator<const M extends Catalogue>(catalogues: { en: M } & Partial<Record<Locale, Partial<M>>>) {
  const chosen: Partial<Record<Locale, Partial<M>>> = catalogues;
  const active: Partial<M> = chosen[locale] ?? catalogues.en;
  return (key: keyof M & string, vars?: Vars): string =>
    interpolate(active[key] ?? catalogues.en[key], vars);
}
