/** "Replay check" on a version of the list: shows that version and brings its replay check panel into view. */

import { useTranslation } from "react-i18next";
import { REPLAY_CHECK_ANCHOR } from "./api";

interface Props {
  version: string;
  /** Make this version the one the page shows (its panel then mounts). */
  onOpen: () => void;
}

export function OpenReplayCheckButton({ version, onOpen }: Props) {
  const { t } = useTranslation("replayCheck");
  const open = () => {
    onOpen();
    // The panel mounts (or changes version) on the next render: scroll once it is there.
    requestAnimationFrame(() =>
      document.getElementById(REPLAY_CHECK_ANCHOR)?.scrollIntoView({ behavior: "smooth", block: "start" }),
    );
  };
  return (
    <button type="button" className="button button--small" aria-label={t("openLabel", { version })} onClick={open}>
      {t("open")}
    </button>
  );
}
