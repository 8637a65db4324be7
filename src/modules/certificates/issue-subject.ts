import type { EntityManager } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { findRegion } from '../regions/domain';
import { preparedSql } from '../../common/prepared-statements';

/** What issuing a certificate needs of its batch, issuer, product and production site. */
export interface IssueSubject {
  batch: {
    id: string; organizationId: string; productId: string; siteId: string; regionCode: string; status: string;
    quantityValue: string; quantityUnit: string; producedOn: string; harvestedOn: string | null;
  };
  issuer: { name: string; kind: string; phone: string | null };
  product: { name: string; category: string };
  /** The site's region and address (or name), as printed on the certificate. */
  origin: string;
}

/** Prepared (preparedSql): planning it cost PostgreSQL more than running it. */
const SUBJECT_SQL = preparedSql(
  `SELECT b.id, b.organization_id AS "organizationId", b.product_id AS "productId", b.site_id AS "siteId", b.region_code AS "regionCode",
     b.status, b.quantity_value::text AS "quantityValue", b.quantity_unit AS "quantityUnit", b.produced_on::text AS "producedOn",
     b.harvested_on::text AS "harvestedOn", o.name AS "issuerName", o.kind AS "issuerKind", o.contact->>'phone' AS "issuerPhone",
     p.name AS "productName", p.category_path AS "productCategory", s.region_code AS "siteRegionCode", s.name AS "siteName", s.address AS "siteAddress"
   FROM batches b JOIN organizations o ON o.id = b.organization_id JOIN products p ON p.id = b.product_id JOIN sites s ON s.id = b.site_id
   WHERE b.id = $1 AND b.organization_id = $2
   FOR UPDATE OF b`);

interface Row {
  id: string; organizationId: string; productId: string; siteId: string; regionCode: string; status: string;
  quantityValue: string; quantityUnit: string; producedOn: string; harvestedOn: string | null;
  issuerName: string; issuerKind: string; issuerPhone: string | null; productName: string; productCategory: string;
  siteRegionCode: string; siteName: string; siteAddress: string | null;
}

/**
 * Reads the subject of a certificate in one statement that also locks the batch's row, in the
 * issuing transaction: concurrent issues of one batch take turns, and the issued-quantity check
 * sees every earlier certificate. Five queries before (issue 21: on the certificate path each round
 * trip cost the API and PostgreSQL about as much CPU as its statement). Only a batch of the issuing
 * organisation is read and locked: anyone else's is "not found", and never locked by this caller.
 */
export async function lockIssueSubject(manager: EntityManager, batchId: string, organizationId: string): Promise<IssueSubject> {
  const [row] = isUuid(batchId) ? await manager.query(SUBJECT_SQL, [batchId, organizationId]) as Row[] : [];
  if (!row) throw new DomainError('NOT_FOUND', 'Batch not found');
  const siteRegion = findRegion(row.siteRegionCode)?.fullName ?? row.siteRegionCode;
  return {
    batch: {
      id: row.id, organizationId: row.organizationId, productId: row.productId, siteId: row.siteId, regionCode: row.regionCode, status: row.status,
      quantityValue: row.quantityValue, quantityUnit: row.quantityUnit, producedOn: row.producedOn, harvestedOn: row.harvestedOn,
    },
    issuer: { name: row.issuerName, kind: row.issuerKind, phone: row.issuerPhone },
    product: { name: row.productName, category: row.productCategory },
    origin: [siteRegion, row.siteAddress ?? row.siteName].filter(Boolean).join(' '),
  };
}
