/**
 * A count over a time as a rate per second, to 3 decimals (what the summary keeps), and 0 over
 * no time: the one rule the run, the merge of segments and custom measurements share, so a
 * merged summary's rates are those a single run of the whole would have.
 */
export const perSecond = (n: number, sec: number): number =>
  sec > 0 ? Math.round((n / sec) * 1000) / 1000 : 0;
