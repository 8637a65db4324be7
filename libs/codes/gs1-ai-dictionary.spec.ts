import { aiTitle, dataAttributeProblem } from './gs1-ai-dictionary';

describe('GS1 AI dictionary (data attributes of a Digital Link query)', () => {
  it.each([
    ['17', '261231', null], ['11', '260229', 'date'], ['11', '240229', null], ['15', '261200', null],
    ['17', '261331', 'date'], ['17', '2612', 'format'], ['3103', '000250', null], ['3103', '25', 'format'],
    ['7007', '260901', null], ['7007', '260901260915', null], ['7007', '2609012609', 'date'], ['99', 'internal', null],
    ['10', 'L1', 'not_a_data_attribute'], ['21', 'S1', 'not_a_data_attribute'], ['01', '06901234567892', 'not_a_data_attribute'],
    ['9999', '1', 'unknown_ai'], ['23', '1', 'unknown_ai'],
  ])('%s=%s → %s', (ai, value, problem) => {
    expect(dataAttributeProblem(ai, value)).toBe(problem);
  });

  it('names AIs', () => {
    expect(aiTitle('17')).toMatch(/Expiration date/);
    expect(aiTitle('0')).toBeNull();
  });
});
