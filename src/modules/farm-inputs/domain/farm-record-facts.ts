/** The consumer page's 农事记录: what was used on the batch's crop, when last, whether the interval was kept. No people. */
export interface FarmRecordFacts {
  inputs: { name: string; kind: string; applications: number; lastAppliedOn: string; lowRisk: boolean; organic: boolean }[];
  lastAppliedOn: string;
  harvestedOn: string;
  /** `satisfied`: every interval had run out at harvest; `overridden`: a regulator let one pass (with a recorded reason). */
  interval: 'satisfied' | 'overridden';
}
