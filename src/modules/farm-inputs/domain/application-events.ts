/**
 * Farm records in EPCIS 2.0: each application is an ObjectEvent (action OBSERVE) on the crop of a
 * site (`https://{host}/site/{siteId}/crop/{category}`) or the animals' ear tags
 * (`https://{host}/animal/{tag}`), at the site as read point and business location. CBV 2.0 has no
 * business step for applying an input, so the step is ours (`tianfu:input_application`); the input
 * (name, kind, registration number, active ingredients), dose, area, target, label code and a seed
 * bag's unit code travel as
 * extension fields in our namespace (ILMD belongs to commissioning events, which these are not).
 * A voided record carries an errorDeclaration with the reason. Operators' names are not exported.
 */
export const APPLICATION_BIZ_STEP = 'tianfu:input_application';

export interface ApplicationEventFacts {
  id: string;
  siteId: string;
  crop: string;
  earTags: string[];
  appliedAt: Date;
  input: { name: string; kind: string; registrationNumber: string | null; activeIngredients: string[] };
  dose: { value: string; unit: string };
  area: { value: string; unit: string };
  target: string;
  labelCode: string | null;
  seedUnitCode: string | null;
  voided: { at: Date; reason: string } | null;
}

/** An instant as EPCIS writes it here: China time with its offset. */
function chinaInstant(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 23)}+08:00`;
}

export function applicationEvent(baseUrl: string, f: ApplicationEventFacts): Record<string, unknown> {
  const site = `${baseUrl}/site/${f.siteId}`;
  const objects = f.earTags.length
    ? f.earTags.map((tag) => `${baseUrl}/animal/${tag}`)
    : [`${site}/crop/${encodeURIComponent(f.crop)}`];
  return {
    type: 'ObjectEvent',
    eventID: `${baseUrl}/input-applications/${f.id}`,
    eventTime: chinaInstant(f.appliedAt),
    eventTimeZoneOffset: '+08:00',
    epcList: objects,
    action: 'OBSERVE',
    bizStep: APPLICATION_BIZ_STEP,
    readPoint: { id: site },
    bizLocation: { id: site },
    ...(f.voided ? {
      errorDeclaration: { declarationTime: chinaInstant(f.voided.at), reason: 'incorrect_data', 'tianfu:reason': f.voided.reason },
    } : {}),
    'tianfu:crop': f.crop,
    'tianfu:input': {
      'tianfu:name': f.input.name, 'tianfu:kind': f.input.kind,
      ...(f.input.registrationNumber ? { 'tianfu:registrationNumber': f.input.registrationNumber } : {}),
      'tianfu:activeIngredients': f.input.activeIngredients,
    },
    'tianfu:dose': { 'tianfu:value': f.dose.value, 'tianfu:unit': f.dose.unit },
    'tianfu:area': { 'tianfu:value': f.area.value, 'tianfu:unit': f.area.unit },
    'tianfu:target': f.target,
    ...(f.labelCode ? { 'tianfu:labelCode': f.labelCode } : {}),
    ...(f.seedUnitCode ? { 'tianfu:seedUnitCode': f.seedUnitCode } : {}),
  };
}
