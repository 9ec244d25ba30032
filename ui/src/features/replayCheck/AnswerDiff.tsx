/** The recorded answer against this version's, as the unified diff's lines: removed (−) and added (+) marked. */

import { useTranslation } from "react-i18next";
import { diffLines } from "./answerDiff";

export function AnswerDiff({ diff }: { diff: string }) {
  const { t } = useTranslation("replayCheck");
  const lines = diffLines(diff).filter((line) => line.kind !== "file");
  if (lines.length === 0) return <p className="muted">{t("diff.same")}</p>;
  return (
    <>
      <p className="muted replay-diff-legend">{t("diff.legend")}</p>
      <pre className="replay-diff" aria-label={t("diff.title")}>
        {lines.map((line, index) => (
          <span key={index} className={`replay-diff-line replay-diff-line--${line.kind}`} data-line={line.kind}>
            <span className="replay-diff-sign" aria-hidden="true">
              {line.kind === "added" ? "+" : line.kind === "removed" ? "−" : " "}
            </span>
            {line.kind === "added" || line.kind === "removed" ? (
              <span className="visually-hidden">{t(line.kind === "added" ? "diff.added" : "diff.removed")}: </span>
            ) : null}
            {line.text || "\u00a0"}
            {"\n"}
          </span>
        ))}
      </pre>
    </>
  );
}
