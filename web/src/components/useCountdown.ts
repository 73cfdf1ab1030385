import { useEffect, useState } from 'preact/hooks';

/** Whole seconds left until `deadline` (ms since the epoch), ticking once a second; 0 when passed. */
export function useCountdown(deadline: number | null): number {
  const remaining = () => (deadline === null ? 0 : Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
  const [seconds, setSeconds] = useState(remaining);
  useEffect(() => {
    setSeconds(remaining());
    if (deadline === null) return;
    const timer = window.setInterval(() => {
      const left = remaining();
      setSeconds(left);
      if (left === 0) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
    // `remaining` reads only `deadline`.
  }, [deadline]);
  return seconds;
}
