import { randomInt } from 'node:crypto';
import { completeUscc } from '../../libs/codes';
import { ADMIN_TOKEN, TestApp } from './test-app';

const ORG_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid, unique USCC (GB 32100 check characters computed) with a given prefix and region. */
export function uniqueUscc(prefix = '93', region = '510131'): string {
  let body = '';
  for (let i = 0; i < 8; i++) body += ORG_CODE_CHARS[randomInt(ORG_CODE_CHARS.length)];
  return completeUscc(`${prefix}${region}${body}`);
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface OrgWithKey {
  id: string;
  token: string;
  regionCode: string;
}

export async function createOrg(t: TestApp, fields: Record<string, unknown> = {}, role = 'org_admin'): Promise<OrgWithKey> {
  const regionCode = (fields.regionCode as string) ?? '510131';
  const body = { name: '测试合作社', kind: 'cooperative', uscc: uniqueUscc('93', regionCode), regionCode, ...fields };
  const org = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN)).send(body).expect(201);
  const key = await t.http().post(`/api/v1/organizations/${org.body.id}/api-keys`).set(auth(ADMIN_TOKEN)).send({ role }).expect(201);
  return { id: org.body.id, token: key.body.token, regionCode };
}

export async function createRegulator(t: TestApp, regionCode: string): Promise<OrgWithKey> {
  return createOrg(t, { name: '农业农村局', kind: 'regulator', uscc: uniqueUscc('11', regionCode), regionCode }, 'regulator');
}

export async function createProduct(t: TestApp, token: string, fields: Record<string, unknown> = {}) {
  const res = await t.http().post('/api/v1/products').set(auth(token))
    .send({ name: '蒲江猕猴桃', category: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', ...fields }).expect(201);
  return res.body as { id: string; gtin: string | null; name: string };
}

export async function createSite(t: TestApp, token: string, fields: Record<string, unknown> = {}) {
  const res = await t.http().post('/api/v1/sites').set(auth(token)).send({ name: '西来镇基地', regionCode: '510131', ...fields }).expect(201);
  return res.body as { id: string; regionCode: string };
}

export async function createBatch(t: TestApp, token: string, fields: Record<string, unknown> = {}) {
  const productId = (fields.productId as string) ?? (await createProduct(t, token)).id;
  const siteId = (fields.siteId as string) ?? (await createSite(t, token)).id;
  const res = await t.http().post('/api/v1/batches').set(auth(token))
    .send({ productId, siteId, quantity: { value: '1200.5', unit: 'kg' }, producedOn: '2026-10-08', ...fields }).expect(201);
  return res.body as { id: string; traceCode: string; traceUrl: string; qrContent: string; lotCode: string; status: string; product: { id: string; name: string } };
}

/** A valid GTIN-13 with the GS1 China prefix 690 and a random item reference. */
export function uniqueGtin13(): string {
  const data = `690${String(randomInt(1e9)).padStart(9, '0')}`;
  let sum = 0;
  [...data].reverse().forEach((d, i) => { sum += Number(d) * (i % 2 === 0 ? 3 : 1); });
  return data + String((10 - (sum % 10)) % 10);
}
