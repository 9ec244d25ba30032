/** "Try again in 1 min 30 s": a countdown under a 429 (or 503) problem that said how long to wait. */

import { useEffect, useState } from "react";
import { retrySentence } from "../text/retry";

export function RetryAfterNote({ seconds }: { seconds: number }) {
  // The deadline is fixed when the problem is first shown; the text counts down to it.
  const [deadline] = useState(() => Date.now() + seconds * 1000);
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));
  const done = left <= 0;
  useEffect(() => {
    if (done) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [done]);
  return <p className="problem-retry">{retrySentence(left, deadline)}</p>;
}
