import { DomainError } from '../../../../libs/errors';

/** 畜禽标识 species digit (DOMAIN.md §8). */
export const EAR_TAG_SPECIES = { '1': 'pig', '2': 'cattle', '3': 'sheep' } as const;
export type EarTagSpecies = (typeof EAR_TAG_SPECIES)[keyof typeof EAR_TAG_SPECIES];

export interface EarTag {
  tag: string;
  species: EarTagSpecies;
  countyCode: string;
  serial: string;
}

/**
 * A livestock ear tag: 15 digits = species (1 pig, 2 cattle, 3 sheep) + 6-digit GB/T 2260 county
 * code + 8-digit serial. `isCounty` says whether a code is a current county code (the caller owns
 * the region table). Throws INVALID_EAR_TAG naming the field and the rule.
 */
export function parseEarTag(input: unknown, isCounty: (code: string) => boolean, field = 'earTags'): EarTag {
  const fail = (rule: string, message: string) => new DomainError('INVALID_EAR_TAG', `${field}: ${message}`, { field, rule });
  const tag = typeof input === 'string' ? input.replace(/[\s-]/g, '') : '';
  if (!/^\d{15}$/.test(tag)) throw fail('format', 'an ear tag (畜禽标识) is 15 digits');
  const species = EAR_TAG_SPECIES[tag[0] as keyof typeof EAR_TAG_SPECIES];
  if (!species) throw fail('species', 'the first digit (species) must be 1 pig, 2 cattle or 3 sheep');
  const countyCode = tag.slice(1, 7);
  if (!isCounty(countyCode)) throw fail('county_code', `digits 2–7 (${countyCode}) are not a GB/T 2260 county code`);
  return { tag, species, countyCode, serial: tag.slice(7) };
}
