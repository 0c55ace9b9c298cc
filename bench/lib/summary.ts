/**
 * Summary rows for docs/BENCHMARKS.md: a bench prints `SUMMARY {json}` lines on stdout; bench/run.ts
 * takes them out of the bench's section and lists them in the summary table at the top.
 */

/** One headline figure. `met` undefined = no target. */
export interface SummaryRow {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  readonly met: boolean | undefined;
}

/** Prints one summary row for bench/run.ts. */
export function summary(row: SummaryRow): void {
  console.log(`SUMMARY ${JSON.stringify(row)}`);
}
