import type { INestApplicationContext } from '@nestjs/common';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeUscc } from '../../libs/codes';
import type { AppConfig } from '../config/app-config';
import { ADMIN_ACTOR, Actor } from '../modules/auth/actor';
import { BatchesService } from '../modules/batches/batches.service';
import { CertificatesService } from '../modules/certificates/certificates.service';
import { ConsoleAuthService } from '../modules/console/console-auth.service';
import { FarmInputsService, InputApplicationsService } from '../modules/farm-inputs';
import { GiImportService } from '../modules/gi/gi-import.service';
import { GiService } from '../modules/gi/gi.service';
import { LabelsService } from '../modules/labels/labels.service';
import { OrganizationsService } from '../modules/organizations/organizations.service';
import { ProductsService } from '../modules/products/products.service';
import { SamplesService } from '../modules/sampling/samples.service';
import { SupplyChainService } from '../modules/events/supply-chain.service';
import { SitesService } from '../modules/sites/sites.service';
import { TestRecordsService } from '../modules/test-records/test-records.service';

export interface DemoInfo {
  organizationId: string;
  orgAdminToken: string;
  regulatorToken: string;
  batchIds: string[];
  printRunId: string;
  scanPath: string;
  digitalLinkPath: string | null;
  labelSheetPath: string;
  /** Public page of the tea batch's 承诺达标合格证 (absent in demo data from before certificates). */
  certificatePath?: string;
  /** One-time link (72 h) where the demo cooperative's org_admin sets a console password. */
  consoleInvitePath?: string;
  /** The same for a 成都市 regulator, who lands on the indicator dashboard. */
  regulatorInvitePath?: string;
  /** Scan page of the lot a 成都 wholesale market received from the kiwi batch: the chain in 流转记录. */
  marketScanPath?: string;
}

const DEMO_FILE = 'demo.json';
/**
 * DOMAIN.md §4's Sichuan GIs, as the CSV a regulator would import. AGI02738 涪城芦笋 (spec
 * AGI2019-03-2738) is a published number; the other registration references, holders and USCCs are
 * illustrative placeholders (marked 示例) until the registry's figures are loaded (check).
 */
const GI_DEMO_FILE = join(__dirname, 'gi-sichuan.csv');
const FARM_INPUTS_DEMO_FILE = join(__dirname, 'farm-inputs-demo.csv');

/**
 * A Sichuan kiwifruit and tea cooperative in 蒲江县 with products, sites, batches and a print run,
 * plus a 成都市 regulator. Created through the same services the API uses, once per data directory.
 */
export async function seedDemo(app: INestApplicationContext, config: AppConfig): Promise<DemoInfo> {
  const file = join(config.dataDir, DEMO_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
  // Fail before creating anything if the summary cannot be written afterwards.
  mkdirSync(config.dataDir, { recursive: true });
  accessSync(config.dataDir, constants.W_OK);

  const orgs = app.get(OrganizationsService);
  const coop = await orgs.create(ADMIN_ACTOR, {
    name: '蒲江县绿源猕猴桃专业合作社',
    kind: 'cooperative',
    uscc: completeUscc('93510131MA6CQ8L'.padEnd(16, '3')),
    regionCode: '510131',
    address: '四川省成都市蒲江县西来镇铁牛村',
    contact: { name: '王建国', phone: '028-88551234' },
  });
  const regulator = await orgs.create(ADMIN_ACTOR, {
    name: '成都市农业农村局',
    kind: 'regulator',
    uscc: completeUscc('11510100MB1C4R2'.padEnd(16, '5')),
    regionCode: '510100',
  });
  const orgAdminKey = await orgs.createApiKey(ADMIN_ACTOR, coop.id, 'org_admin', 'demo');
  const regulatorKey = await orgs.createApiKey(ADMIN_ACTOR, regulator.id, 'regulator', 'demo');
  const actor: Actor = { role: 'org_admin', organizationId: coop.id, regionCode: null, apiKeyId: null };

  const products = app.get(ProductsService);
  const kiwi = await products.create(actor, {
    name: '蒲江猕猴桃（红阳）',
    category: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃',
    gtin: '6901234567892',
    spec: '2.5kg/箱',
    standard: 'NY/T 1794',
  });
  const tea = await products.create(actor, { name: '蒲江雀舌（明前）', category: '饮料类>茶叶', spec: '250g/罐' });

  const sites = app.get(SitesService);
  const orchard = await sites.create(actor, { name: '西来镇猕猴桃基地', regionCode: '510131', address: '蒲江县西来镇铁牛村3组', location: { lat: 30.2358, lng: 103.4661 } });
  const garden = await sites.create(actor, { name: '成佳镇茶园', regionCode: '510131', address: '蒲江县成佳镇同心村' });

  // The Sichuan GIs; the cooperative is an authorised user of 蒲江猕猴桃 and its kiwi batch claims it.
  await app.get(GiImportService).importRecords(ADMIN_ACTOR, readFileSync(GI_DEMO_FILE, 'utf8'), false);
  const gis = app.get(GiService);
  const [kiwiGi] = (await gis.list({ registrationNumber: '示例PGI蒲江猕猴桃', limit: 1 })).items;
  await gis.authorise(ADMIN_ACTOR, kiwiGi.id, { organizationId: coop.id, validFrom: '2026-01-01', validTo: '2028-12-31', yearlyQuota: { value: '500', unit: 't' } });

  await seedFarmRecords(app, actor, { orchard: orchard.id, garden: garden.id, kiwi: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃' });

  const batches = app.get(BatchesService);
  const kiwiBatch = (await batches.create(actor, { productId: kiwi.id, siteId: orchard.id, quantity: { value: '1200', unit: 'kg' }, producedOn: '2026-10-08', harvestedOn: '2026-10-06', giId: kiwiGi.id })).view;
  const teaBatch = (await batches.create(actor, { productId: tea.id, siteId: garden.id, quantity: { value: '85.5', unit: 'kg' }, producedOn: '2026-03-20' })).view;
  const heldBatch = (await batches.create(actor, { productId: kiwi.id, siteId: orchard.id, quantity: { value: '300', unit: 'kg' }, producedOn: '2026-09-28' })).view;
  await batches.changeStatus(actor, heldBatch.id, { status: 'on_hold', reason: '例行监测复检中' });

  const run = (await app.get(LabelsService).createPrintRun(actor, kiwiBatch.id, 40)).view;

  // The tea batch has a laboratory report and a certificate resting on it (shown on its scan page).
  const labReport = await app.get(TestRecordsService).create(actor, teaBatch.id, {
    stream: 'entrusted_test', testedOn: '2026-03-25', testerName: '四川省农产品质量安全检测中心', reportNo: 'SCNJ-2026-0325-017',
    method: 'GB 23200.113-2018',
    results: [
      { analyte: '吡虫啉', detected: true, value: '0.05', unit: 'mg/kg', lod: '0.01', verdict: 'pass' },
      { analyte: '联苯菊酯', detected: false, lod: '0.01', unit: 'mg/kg', verdict: 'pass' },
      { analyte: '铅', detected: true, value: '0.8', unit: 'mg/kg', verdict: 'pass' },
    ],
  });
  const certificate = (await app.get(CertificatesService).issue(actor, {
    batchId: teaBatch.id, basis: ['quality_control', 'entrusted_test'], signedBy: '王建国',
    evidence: { testRecordIds: [labReport.id], inputsUsed: ['吡虫啉'], qualityControl: '按《蒲江雀舌生产技术规程》管理茶园，落实农药安全间隔期，田间档案齐全' },
  })).view;

  // Part of the kiwi batch went to a 成都 wholesale market: its lot's scan page shows the chain, and
  // the regulator's batch page shows where the kiwi went.
  const market = await orgs.create(ADMIN_ACTOR, {
    name: '成都农产品中心批发市场', kind: 'market', uscc: completeUscc('91510106MA61XK2'.padEnd(16, '8')), regionCode: '510106',
    address: '四川省成都市金牛区',
  });
  const marketActor: Actor = { role: 'org_admin', organizationId: market.id, regionCode: null, apiKeyId: null };
  const wholesaleKiwi = await products.create(marketActor, { name: '蒲江红阳猕猴桃（批发）', category: kiwi.category });
  const coldStore = await sites.create(marketActor, { name: '成都农产品中心批发市场冷库', regionCode: '510106' });
  const supplyChain = app.get(SupplyChainService);
  const shipment = (await supplyChain.ship(actor, {
    batchId: kiwiBatch.id, toOrganizationId: market.id, quantity: { value: '200', unit: 'kg' }, referenceDocument: 'PJLY-2026-1014', shippedAt: '2026-10-14T06:00:00+08:00',
  })).view;
  const marketLot = (await supplyChain.receive(marketActor, shipment.id, { productId: wholesaleKiwi.id, siteId: coldStore.id, receivedAt: '2026-10-14T11:30:00+08:00' })).view.receivedBatch;

  const lab = await orgs.create(ADMIN_ACTOR, {
    name: '四川省农产品质量安全检测中心', kind: 'lab', uscc: completeUscc('12510000MB0P2T7'.padEnd(16, '7')), regionCode: '510107',
  });
  await seedDemoSamples(app, regulator.id, lab.id, { kiwi: kiwiBatch.id, held: heldBatch.id, tea: teaBatch.id });

  const consoleInvite = await app.get(ConsoleAuthService).invite(ADMIN_ACTOR, coop.id, { loginName: 'demo', displayName: '王建国', role: 'org_admin' });
  const regulatorInvite = await app.get(ConsoleAuthService).invite(ADMIN_ACTOR, regulator.id, { loginName: 'regulator', displayName: '李敏', role: 'regulator' });

  const info: DemoInfo = {
    organizationId: coop.id,
    orgAdminToken: orgAdminKey.token,
    regulatorToken: regulatorKey.token,
    batchIds: [kiwiBatch.id, teaBatch.id, heldBatch.id],
    printRunId: run.id,
    scanPath: `/t/${teaBatch.traceCode}`,
    digitalLinkPath: kiwiBatch.qrContent.startsWith(config.publicBaseUrl) ? kiwiBatch.qrContent.slice(config.publicBaseUrl.length) : null,
    labelSheetPath: `/api/v1/print-runs/${run.id}/labels.pdf?layout=a4-40`,
    certificatePath: new URL(certificate.verifyUrl).pathname,
    consoleInvitePath: `/app/invite/${consoleInvite.token}`,
    regulatorInvitePath: `/app/invite/${regulatorInvite.token}`,
    marketScanPath: marketLot.traceCode ? `/t/${marketLot.traceCode}` : undefined,
  };
  writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return info;
}

/**
 * Official samples, so the regulator's dashboard has pass rates to show: routine monitoring of both
 * kiwi batches (the held one fails on 溴氰菊酯, which is why it is held) and supervisory sampling of
 * the tea. Judging and the failure's consequences run as jobs after the seed returns.
 */
/**
 * The input catalogue's demo rows (src/demo/farm-inputs-demo.csv, every one marked 示例: placeholder
 * intervals and doses, not checked against a label) and a season of farm records on both sites,
 * all before the batches' harvests: the gate lets them pass, the scan pages show 农事记录, and the
 * held kiwi batch's failed 溴氰菊酯 sample matches what was sprayed.
 */
async function seedFarmRecords(app: INestApplicationContext, actor: Actor, at: { orchard: string; garden: string; kiwi: string }): Promise<void> {
  const catalogue = app.get(FarmInputsService);
  await catalogue.importCsv(ADMIN_ACTOR, readFileSync(FARM_INPUTS_DEMO_FILE, 'utf8'));
  const byName = async (q: string) => (await catalogue.list({ q, limit: 1 })).items[0].id;
  const records = app.get(InputApplicationsService);
  const record = (siteId: string, crop: string, inputId: string, appliedAt: string, dose: [string, string], area: string, target: string) =>
    records.create(actor, {
      siteId, inputId, crop, appliedAt, dose: { value: dose[0], unit: dose[1] }, area: { value: area, unit: '亩' }, target, operator: '王建国',
    }, { seasonOnRecord: true });
  const [manure, imidacloprid, deltamethrin] = await Promise.all([byName('商品有机肥'), byName('吡虫啉'), byName('溴氰菊酯')]);
  await record(at.orchard, at.kiwi, manure, '2026-02-20T09:00:00+08:00', ['1500', 'kg'], '5', '基肥');
  await record(at.orchard, at.kiwi, imidacloprid, '2026-06-18T07:30:00+08:00', ['18', 'g'], '5', '蚜虫');
  await record(at.orchard, at.kiwi, deltamethrin, '2026-09-05T07:30:00+08:00', ['180', 'mL'], '5', '小薪甲');
  await record(at.garden, '饮料类>茶叶', imidacloprid, '2026-03-05T08:00:00+08:00', ['10', 'g'], '3', '茶小绿叶蝉');
}

async function seedDemoSamples(app: INestApplicationContext, regulatorId: string, labId: string, batch: { kiwi: string; held: string; tea: string }): Promise<void> {
  const samples = app.get(SamplesService);
  const regulator: Actor = { role: 'regulator', organizationId: regulatorId, regionCode: '510100', apiKeyId: null };
  const lab: Actor = { role: 'lab', organizationId: labId, regionCode: null, apiKeyId: null };
  const method = 'GB 23200.113-2018';
  const plan = [
    { batchId: batch.kiwi, stream: 'routine_monitoring', collectedAt: '2026-10-12T10:00:00+08:00', place: '西来镇猕猴桃基地',
      results: [{ analyte: '溴氰菊酯', value: '0.008', unit: 'mg/kg', lod: '0.001', method }, { analyte: '毒死蜱', detected: false, unit: 'mg/kg', lod: '0.005', method }] },
    { batchId: batch.held, stream: 'routine_monitoring', collectedAt: '2026-10-03T09:30:00+08:00', place: '西来镇猕猴桃基地',
      results: [{ analyte: '溴氰菊酯', value: '0.12', unit: 'mg/kg', lod: '0.001', method }, { analyte: '毒死蜱', detected: false, unit: 'mg/kg', lod: '0.005', method }] },
    { batchId: batch.tea, stream: 'supervisory_sampling', collectedAt: '2026-03-28T14:00:00+08:00', place: '成佳镇茶园',
      results: [{ analyte: '吡虫啉', value: '0.04', unit: 'mg/kg', lod: '0.01', method }, { analyte: '铅', value: '0.6', unit: 'mg/kg', method: 'GB 5009.12-2017' }] },
  ];
  for (const s of plan) {
    const sample = await samples.create(regulator, { batchId: s.batchId, stream: s.stream, labOrganizationId: labId, analytes: s.results.map((r) => r.analyte) });
    await samples.collect(regulator, sample.id, { place: s.place, collectedAt: s.collectedAt, sampler: '李敏' });
    await samples.receive(lab, sample.id);
    await samples.submit(lab, sample.id, { results: s.results }, undefined);
  }
}
