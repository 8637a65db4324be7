/** What an agricultural input (农业投入品) is. */
export const INPUT_KINDS = ['pesticide', 'fertiliser', 'veterinary_drug', 'seed', 'feed'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export const INPUT_KIND_NAMES: Record<InputKind, string> = {
  pesticide: '农药',
  fertiliser: '肥料',
  veterinary_drug: '兽药',
  seed: '种子',
  feed: '饲料',
};

/** Flags an input row carries (data, per row, with the row's `verified` and `source`). */
export const INPUT_FLAGS = ['banned', 'restricted', 'lowRisk', 'slowRelease', 'organic'] as const;
export type InputFlag = (typeof INPUT_FLAGS)[number];
export type InputFlags = Record<InputFlag, boolean>;

export function isInputKind(value: unknown): value is InputKind {
  return typeof value === 'string' && (INPUT_KINDS as readonly string[]).includes(value);
}
