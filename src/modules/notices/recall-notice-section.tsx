import { Injectable, OnModuleInit } from '@nestjs/common';
import { RecallsService } from '../recalls';
import { ScanSections } from '../scan-sections';

export interface RecallNoticeLink {
  text: string;
  href: string;
}

/** On a recalled lot's scan page: a link to the recall's public notice. */
@Injectable()
export class RecallNoticeSection implements OnModuleInit {
  constructor(private readonly sections: ScanSections, private readonly recalls: RecallsService) {}

  onModuleInit(): void {
    this.sections.register<RecallNoticeLink>({
      key: 'recallNotice',
      order: 1,
      load: (batchId) => this.load(batchId),
      render: (link) => <section class="card" id="recall-notice"><h2>召回公告</h2><p><a href={link.href}>{link.text}</a></p></section>,
    });
  }

  private async load(batchId: string): Promise<RecallNoticeLink | null> {
    const recall = await this.recalls.latestReaching(batchId);
    if (!recall) return null;
    const month = new Date(recall.createdAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    return { text: '查看召回公告', href: `/notices/${recall.regionCode}?period=${month}#recall-${recall.id}` };
  }
}
