import { cellsToRow, chinaDateAndTime, describePlace, FSMA_COLUMNS, FSMA_INDEX, FsmaRow, sortCells } from './columns';

describe('FSMA 204 sortable spreadsheet rules', () => {
  it('names every key data element of the rule once, plus EU 931/2011 names and addresses', () => {
    expect(new Set(FSMA_COLUMNS).size).toBe(FSMA_COLUMNS.length);
    for (const kde of ['Traceability Lot Code', 'Traceability Lot Code Source', 'Reference Document Type', 'Reference Document Number',
      'Harvest Date', 'Variety', 'Field or Growing Area', 'Cooling Location', 'Harvester Business Name', 'Harvester Phone',
      'Immediate Previous Source', 'Immediate Subsequent Recipient', 'Dispatcher Address (EU 931/2011)', 'Consignee Address (EU 931/2011)']) {
      expect(FSMA_COLUMNS).toContain(kde);
    }
  });

  it('prints China dates and times (a receipt at 23:30 UTC is the next day in China)', () => {
    expect(chinaDateAndTime(new Date('2026-10-08T23:30:00Z'))).toEqual({ date: '2026-10-09', time: '07:30:00+08:00' });
  });

  it('describes a place by business and address, else region', () => {
    expect(describePlace({ business: '蒲江县合作社', address: '鹤山街道 1 号', region: '四川省成都市蒲江县', gln: null })).toBe('蒲江县合作社, 鹤山街道 1 号');
    expect(describePlace({ business: '蒲江县合作社', address: null, region: '四川省成都市蒲江县', gln: null })).toBe('蒲江县合作社, 四川省成都市蒲江县');
    expect(describePlace(null)).toBe('');
  });

  it('a row\'s cells are its columns in order; the JSON form keeps the columns it has, empty ones too', () => {
    expect(FSMA_INDEX['Event Date']).toBe(FSMA_COLUMNS.indexOf('Event Date'));
    const cells = new Array<string | undefined>(FSMA_COLUMNS.length);
    cells[FSMA_INDEX.GTIN] = '06901234567892';
    cells[FSMA_INDEX.Variety] = '';
    expect(cellsToRow(cells)).toEqual({ GTIN: '06901234567892', Variety: '' });
  });

  it('sorts by date and time, then lot, then harvest before packing before shipping', () => {
    const cells = (r: FsmaRow) => FSMA_COLUMNS.map((c) => r[c]);
    const rows = sortCells([
      { 'Critical Tracking Event': 'Shipping', 'Event Date': '2026-10-08', 'Event Time': '', 'Traceability Lot Code': 'A' },
      { 'Critical Tracking Event': 'Initial Packing', 'Event Date': '2026-10-08', 'Event Time': '', 'Traceability Lot Code': 'A' },
      { 'Critical Tracking Event': 'Harvesting', 'Event Date': '2026-10-08', 'Event Time': '', 'Traceability Lot Code': 'A' },
      { 'Critical Tracking Event': 'Harvesting', 'Event Date': '2026-10-07', 'Event Time': '', 'Traceability Lot Code': 'B' },
    ].map(cells)).map(cellsToRow);
    expect(rows.map((r) => `${r['Traceability Lot Code']}:${r['Critical Tracking Event']}`)).toEqual(['B:Harvesting', 'A:Harvesting', 'A:Initial Packing', 'A:Shipping']);
  });
});
