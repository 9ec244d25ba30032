/**
 * Personal settings: language, theme, which notifications also come by e-mail, and default model
 * parameters (used where an agent allows them, within its bounds). Language, theme and e-mail
 * choices are saved as soon as they change; the model parameters with their own button.
 */

import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";
import { FormFooter } from "../../components/FormFooter";
import { LANGUAGES, toSupportedLanguage, type Language } from "../../lib/i18n";
import { THEMES, themeStore, useThemeChoice, type Theme } from "../../lib/theme";
import {
  EMAIL_KINDS,
  defaultsFromForm,
  formFromDefaults,
  serverErrorsFor,
  usePreferences,
  useSavePreferences,
  type EmailKind,
  type ModelDefaultsForm,
} from "./settings";

const LANGUAGE_NAMES: Record<Language, string> = { "zh-CN": "中文", en: "English" };
const FOLLOW_BROWSER = "";

export function SettingsSection() {
  const { t, i18n } = useTranslation("settings");
  const preferences = usePreferences();
  const save = useSavePreferences();
  const theme = useThemeChoice();
  const data = preferences.data;
  const chosenKinds = data?.email_kinds ?? [];

  const chooseLanguage = (value: string) => {
    const language = value === FOLLOW_BROWSER ? null : (value as Language);
    if (language === null && typeof navigator !== "undefined") {
      void i18n.changeLanguage(toSupportedLanguage(navigator.language));
    }
    save.mutate({ language });
  };
  const chooseTheme = (next: Theme) => {
    themeStore.choose(next); // at once; the saved preference follows
    save.mutate({ theme: next });
  };
  const toggleKind = (kind: EmailKind, on: boolean) =>
    save.mutate({ email_kinds: on ? [...chosenKinds, kind] : chosenKinds.filter((k) => k !== kind) });

  return (
    <section aria-labelledby="settings-title" className="settings">
      <h2 id="settings-title">{t("title")}</h2>
      <ProblemMessage error={preferences.error} context={t("loadFailed")} />
      <fieldset className="settings-group" disabled={!data}>
        <div className="field field--inline">
          <label className="field-label" htmlFor="settings-language">
            {t("language.label")}
          </label>
          <select
            id="settings-language"
            value={data?.language ?? FOLLOW_BROWSER}
            onChange={(event) => chooseLanguage(event.target.value)}
          >
            <option value={FOLLOW_BROWSER}>{t("language.browser")}</option>
            {LANGUAGES.map((lang) => (
              <option key={lang} value={lang} lang={lang}>
                {LANGUAGE_NAMES[lang]}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <fieldset className="settings-group settings-theme" disabled={!data}>
        <legend>{t("theme.label")}</legend>
        {THEMES.map((option) => (
          <label key={option} className="settings-choice">
            <input
              type="radio"
              name="settings-theme"
              value={option}
              checked={theme === option}
              onChange={() => chooseTheme(option)}
            />
            {t(`theme.${option}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="settings-group" disabled={!data}>
        <legend>{t("email.label")}</legend>
        <p className="muted">{t("email.intro")}</p>
        {EMAIL_KINDS.map((kind) => (
          <label key={kind} className="settings-choice">
            <input
              type="checkbox"
              checked={chosenKinds.includes(kind)}
              onChange={(event) => toggleKind(kind, event.target.checked)}
            />
            {t(`notifications:kinds.${kind}.title`)}
          </label>
        ))}
      </fieldset>
      <ProblemMessage error={save.error} context={t("saveFailed")} />
      {data ? <ModelDefaultsFormView initial={formFromDefaults(data.model_defaults)} /> : null}
    </section>
  );
}

function ModelDefaultsFormView({ initial }: { initial: ModelDefaultsForm }) {
  const { t } = useTranslation("settings");
  const save = useSavePreferences();
  const [form, setForm] = useState(initial);
  const [checked, setChecked] = useState(false);
  const { value, errors } = defaultsFromForm(form);
  const set = (key: keyof ModelDefaultsForm) => (text: string) => {
    if (save.isSuccess) save.reset();
    setForm((f) => ({ ...f, [key]: text }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(errors).length > 0 || save.isPending) return;
    save.mutate({ model_defaults: value });
  };
  const problem = (field: "temperature" | "max_tokens", key: keyof ModelDefaultsForm) =>
    [...(checked && errors[key] ? [t(`model.errors.${key}`)] : []), ...serverErrorsFor(save.error, field)].join(" ") ||
    undefined;
  return (
    <form className="settings-model new-key-form" onSubmit={submit} aria-labelledby="settings-model-title" noValidate>
      <h3 id="settings-model-title">{t("model.title")}</h3>
      <p className="muted">{t("model.intro")}</p>
      <TextField
        label={t("model.temperature")}
        type="number"
        inputMode="decimal"
        min={0}
        max={2}
        step={0.1}
        value={form.temperature}
        onChange={set("temperature")}
        hint={t("model.temperatureHint")}
        error={problem("temperature", "temperature")}
        optional
        inline
      />
      <TextField
        label={t("model.maxTokens")}
        type="number"
        inputMode="numeric"
        min={1}
        max={1_000_000}
        step={1}
        value={form.maxTokens}
        onChange={set("maxTokens")}
        hint={t("model.maxTokensHint")}
        error={problem("max_tokens", "maxTokens")}
        optional
        inline
      />
      <FormFooter
        mutation={save}
        errorContext={t("saveFailed")}
        done={save.isSuccess ? t("model.done") : null}
        submitLabel={t("model.submit")}
        pendingLabel={t("model.pending")}
      />
    </form>
  );
}
