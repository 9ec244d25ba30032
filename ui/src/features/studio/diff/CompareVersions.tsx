/** "Compare versions" on an agent's page: two versions (the previous one and the latest first) → the diff page. */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { VersionSummary } from "../api";
import { studioHref } from "../paths";
import { versionPair, type VersionPair } from "./pair";
import { VersionPicker } from "./VersionPicker";
import "./versionDiff.css";

interface Props {
  agentId: string;
  /** The agent's versions, newest first. */
  versions: readonly VersionSummary[];
}

export function CompareVersions({ agentId, versions }: Props) {
  const { t } = useTranslation("diff");
  const navigate = useNavigate();
  const [chosen, setChosen] = useState<VersionPair | null>(null);
  const pair = versionPair(versions, chosen?.from ?? null, chosen?.to ?? null);
  if (!pair) return null;
  return (
    <form
      className="compare-versions"
      aria-label={t("studio.compareLabel")}
      onSubmit={(event) => {
        event.preventDefault();
        void navigate(studioHref.diff(agentId, pair));
      }}
    >
      <VersionPicker versions={versions} value={pair} onChange={setChosen} />
      <button type="submit" className="button button--small" disabled={pair.from === pair.to}>
        {t("studio.compare")}
      </button>
    </form>
  );
}
