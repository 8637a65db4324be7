/** Small view parts shared by the public pages. */

/** One `<dt>`/`<dd>` pair of a definition list; nothing when there is no value. */
export function Row({ label, value }: { label: string; value: string | number | null | undefined }) {
  return value === null || value === undefined || value === '' ? null : <><dt>{label}</dt><dd>{value}</dd></>;
}
