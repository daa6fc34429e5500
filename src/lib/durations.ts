// Durations in words, shared by the renderers and by messages the core composes (a reminder's
// "waiting 2 hr"): plain Intl, no terminal.

const relative = new Intl.RelativeTimeFormat("en", { numeric: "always", style: "short" });

/** A duration from now in words: "12 min ago", "in 47 min". */
export function relativeTime(date: Date, now: Date): string {
  const ms = date.getTime() - now.getTime();
  // One rounding rule for past and future: the magnitude is rounded, then the sign applied (Math.round
  // alone rounds -1.5 up to -1 but 1.5 up to 2, so "started 1 min ago" sat beside "waiting 2 min").
  const sign = ms < 0 ? -1 : 1;
  const abs = Math.round(Math.abs(ms) / 1000);
  const minutes = Math.round(abs / 60);
  const hours = Math.round(abs / 3600);
  let text: string;
  // The unit is chosen after rounding, so 59 min 50 s reads "1 hr", not "60 min".
  if (abs < 60) text = relative.format(sign * abs, "second");
  else if (minutes < 60) text = relative.format(sign * minutes, "minute");
  else if (hours < 24) text = relative.format(sign * hours, "hour");
  else text = relative.format(sign * Math.round(abs / 86400), "day");
  // "12 min. ago" reads better without the abbreviation dots.
  return text.replace(/\./g, "");
}

/** A duration in words without direction: "47 min", "2 hr". */
export function duration(ms: number): string {
  return relativeTime(new Date(Math.abs(ms)), new Date(0)).replace(/^in /, "");
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A duration as typed on the command line (`90s`, `30m`, `12h`, `7d`, `2w`) in milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  return match ? Number(match[1]) * (UNIT_MS[match[2] as string] ?? 0) : undefined;
}
