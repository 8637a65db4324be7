import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { normalizeGtin } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { isUniqueViolation } from '../../common/db-errors';
import { Actor, canRead, canWriteAs, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { CategoriesService } from '../categories';
import { OrganizationsService } from '../organizations';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductFormerGtin } from './product-former-gtin.entity';
import { Product } from './product.entity';
import { repositoryIn } from '../../common/read-replica';

export interface ProductView {
  id: string;
  organizationId: string;
  name: string;
  category: string;
  gtin: string | null;
  spec: string | null;
  standard: string | null;
  createdAt: string;
}

@Injectable()
export class ProductsService {
  constructor(
    @InjectRepository(Product) private readonly products: Repository<Product>,
    @InjectRepository(ProductFormerGtin) private readonly formerGtins: Repository<ProductFormerGtin>,
    private readonly categories: CategoriesService,
    private readonly organizations: OrganizationsService,
  ) {}

  /** Each organisation's main product category (the category of most of its products; ties by path), for these organisations. */
  async mainCategories(organizationIds: string[]): Promise<Map<string, string>> {
    if (organizationIds.length === 0) return new Map();
    const rows = await this.products.manager.query(
      `SELECT DISTINCT ON (organization_id) organization_id AS "organizationId", category_path AS category
       FROM (SELECT organization_id, category_path, count(*) AS n FROM products WHERE organization_id = ANY($1::uuid[]) GROUP BY 1, 2) x
       ORDER BY organization_id, n DESC, category_path`,
      [organizationIds],
    ) as { organizationId: string; category: string }[];
    return new Map(rows.map((r) => [r.organizationId, r.category]));
  }

  async create(actor: Actor, dto: CreateProductDto): Promise<ProductView> {
    const organizationId = requireOwnOrganization(actor);
    const category = await this.categories.requireCategory(dto.category);
    const gtin = dto.gtin ? normalizeGtin(dto.gtin) : null;
    try {
      const saved = await this.products.save(this.products.create({
        organizationId,
        name: dto.name.trim(),
        categoryPath: category.path,
        gtin,
        spec: dto.spec ?? null,
        standard: dto.standard ?? null,
      }));
      return toView(saved);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_products_org_gtin')) {
        throw new DomainError('DUPLICATE_GTIN', 'This organisation already has a product with this GTIN', { field: 'gtin', rule: 'unique' });
      }
      throw error;
    }
  }

  /** Edits a product of the caller's own organisation; the same rules as create. */
  async update(actor: Actor, id: string, dto: CreateProductDto): Promise<ProductView> {
    const organizationId = requireOwnOrganization(actor);
    const product = isUuid(id) ? await this.products.findOneBy({ id, organizationId }) : null;
    if (!product) throw new DomainError('NOT_FOUND', 'Product not found');
    const category = await this.categories.requireCategory(dto.category);
    const changes = {
      name: dto.name.trim(), categoryPath: category.path, gtin: dto.gtin ? normalizeGtin(dto.gtin) : null,
      spec: dto.spec ?? null, standard: dto.standard ?? null,
    };
    try {
      await this.products.manager.transaction(async (m) => {
        await m.save(Product, { ...product, ...changes }); // save, not update by criteria: the audit entry names the product
        // Labels printed with the old GTIN are on packages: the resolver keeps accepting it.
        if (product.gtin && product.gtin !== changes.gtin) await m.save(m.create(ProductFormerGtin, { productId: product.id, organizationId, gtin: product.gtin }));
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_products_org_gtin')) {
        throw new DomainError('DUPLICATE_GTIN', 'This organisation already has a product with this GTIN', { field: 'gtin', rule: 'unique' });
      }
      throw error;
    }
    return toView({ ...product, ...changes });
  }

  async get(actor: Actor, id: string): Promise<ProductView> {
    return toView(await this.findReadable(actor, id));
  }

  /** For other features: the product if the actor may read it, else 404. */
  async findReadable(actor: Actor, id: string): Promise<Product> {
    const product = isUuid(id) ? await this.products.findOneBy({ id }) : null;
    if (product && (canWriteAs(actor, product.organizationId) || canRead(actor, product.organizationId, []))) return product;
    if (product && regulatorPrefix(actor)) {
      const owner = await this.organizations.summary(product.organizationId);
      if (owner && canRead(actor, owner.id, [owner.regionCode])) return product;
    }
    throw new DomainError('NOT_FOUND', 'Product not found', { field: 'productId' });
  }

  /** Internal lookup for public views (scan pages); no access check. */
  async byId(id: string, reader?: EntityManager): Promise<ProductView | null> {
    const product = isUuid(id) ? await repositoryIn(this.products, reader).findOneBy({ id }) : null;
    return product ? toView(product) : null;
  }

  /** Internal lookup of several products at once, by id. */
  async byIds(ids: string[], reader?: EntityManager): Promise<Map<string, ProductView>> {
    const unique = [...new Set(ids)].filter(isUuid);
    const rows = unique.length ? await repositoryIn(this.products, reader).findBy({ id: In(unique) }) : [];
    return new Map(rows.map((p) => [p.id, toView(p)]));
  }

  /** Products with this GTIN-14, oldest first (the brand owner usually registered it first). */
  async idsByGtin(gtin: string, reader?: EntityManager): Promise<string[]> {
    const rows = await repositoryIn(this.products, reader).find({ where: { gtin }, select: { id: true }, order: { createdAt: 'ASC' } });
    return rows.map((r) => r.id);
  }

  /** Products that had this GTIN-14 before it was changed, most recent change first. */
  async idsByFormerGtin(gtin: string, reader?: EntityManager): Promise<string[]> {
    const rows = await repositoryIn(this.formerGtins, reader).find({ where: { gtin }, select: { productId: true }, order: { replacedAt: 'DESC' } });
    return [...new Set(rows.map((r) => r.productId))];
  }

  /** Whether this product has, or ever had, this GTIN-14 (printed Digital Links carry the GTIN of their day). */
  async hasOrHadGtin(productId: string, gtin: string): Promise<boolean> {
    if (!isUuid(productId)) return false;
    return await this.products.existsBy({ id: productId, gtin }) || await this.formerGtins.existsBy({ productId, gtin });
  }

  async list(actor: Actor, limit = 50, cursor?: string): Promise<Page<ProductView>> {
    const qb = this.products.createQueryBuilder('p');
    const prefix = regulatorPrefix(actor);
    if (prefix) {
      qb.innerJoin('organizations', 'o', 'o.id = p.organization_id').andWhere('o.region_code LIKE :prefix', { prefix: `${prefix}%` });
    } else if (!isAdmin(actor)) {
      qb.andWhere('p.organization_id = :org', { org: actor.organizationId });
    }
    return listPage(qb, 'p', limit, cursor, toView);
  }
}

function toView(p: Product): ProductView {
  return {
    id: p.id,
    organizationId: p.organizationId,
    name: p.name,
    category: p.categoryPath,
    gtin: p.gtin,
    spec: p.spec,
    standard: p.standard,
    createdAt: p.createdAt.toISOString(),
  };
}
