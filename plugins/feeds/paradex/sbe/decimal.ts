/** Exact decimal text of SBE fixed-point values (tests, tools; the hot path uses numbers). */

/** Formats a decimal mantissa exactly (`4200050000000n`, -8 → `"42000.50000000"`). */
export function formatDecimal(mantissa: bigint, exponent: number): string {
  if (exponent >= 0) return (mantissa * 10n ** BigInt(exponent)).toString();
  const digits = -exponent;
  const neg = mantissa < 0n;
  const abs = neg ? -mantissa : mantissa;
  const unit = 10n ** BigInt(digits);
  return `${neg ? "-" : ""}${abs / unit}.${(abs % unit).toString().padStart(digits, "0")}`;
}
