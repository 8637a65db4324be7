import { Injectable } from '@nestjs/common';
import type { ComponentChildren } from 'preact';
import { renderHtml } from '../../common/html';

/**
 * A part of the consumer page contributed by another feature (certificates, test results, GI,
 * supply chain). The scan module knows none of them: each feature registers its section at start
 * (ScanSections.register in onModuleInit) and the scan page shows whatever is registered.
 *
 * `load` runs once per batch and is cached with the batch's other public facts (5 s across
 * processes; dropped at once in this process when the feature emits BATCH_CHANGED for the batch).
 * It must return public facts only: no ids, no personal data, no lab internals.
 */
export interface ScanSection<T = unknown> {
  /** Key of the section's facts in the JSON view (`GET /api/v1/scan/{code}`). */
  key: string;
  /** Position on the page among the contributed sections (lower first). */
  order: number;
  /** The section's public facts for a batch; null when it has nothing to show. */
  load(batchId: string): Promise<T | null>;
  /** The section as a view (JSX: text and attributes are escaped when rendered). Only called with non-null facts. */
  render(facts: T): ComponentChildren;
}

export interface LoadedSections {
  /** Facts by section key, for the JSON view (null when a section has nothing). */
  facts: Record<string, unknown>;
  /** The sections' HTML in page order, rendered by renderHtml (the scan page inserts it as it is). */
  html: string;
}

@Injectable()
export class ScanSections {
  private sections: ScanSection[] = [];

  register<T>(section: ScanSection<T>): void {
    if (this.sections.some((s) => s.key === section.key)) throw new Error(`Scan section "${section.key}" is registered twice`);
    this.sections = [...this.sections, section as ScanSection].sort((a, b) => a.order - b.order);
  }

  async load(batchId: string): Promise<LoadedSections> {
    const loaded = await Promise.all(this.sections.map(async (s) => [s, await s.load(batchId)] as const));
    const facts: Record<string, unknown> = {};
    const views: ComponentChildren[] = [];
    for (const [section, value] of loaded) {
      facts[section.key] = value;
      if (value !== null) views.push(section.render(value));
    }
    return { facts, html: renderHtml(views) };
  }
}
