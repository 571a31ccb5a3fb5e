import { strict as assert } from 'node:assert';
import { describeFilter, filterChoices } from '../../../extension/views/sampleFilterChoices';

describe('extension/views/sampleFilterChoices', () => {
  const pick = (label: string, current: Parameters<typeof filterChoices>[0], criteria = ['consistency', 'fluency']) =>
    filterChoices(current, criteria).find((c) => c.label === label)?.filter;

  it('a verdict or overrides keep the sort, a sort keeps the filter, "all" clears both', () => {
    assert.deepEqual(pick('Rejected only', undefined), { verdict: 'rejected' });
    assert.deepEqual(pick('Rejected only', { sortBy: 'fluency' }), { verdict: 'rejected', sortBy: 'fluency' });
    assert.deepEqual(pick('Your overrides only', { verdict: 'rejected', sortBy: 'fluency' }), { overridesOnly: true, sortBy: 'fluency' });
    assert.deepEqual(pick('Sort by consistency', { verdict: 'accepted' }), { verdict: 'accepted', sortBy: 'consistency' });
    assert.deepEqual(pick('Sort by line', { verdict: 'accepted', sortBy: 'consistency' }), { verdict: 'accepted' });
    assert.equal(pick('Sort by line', { sortBy: 'consistency' }), undefined, 'nothing left: no filter');
    assert.equal(pick('Sort by line', undefined), undefined, 'offered only while sorted');
    assert.equal(pick('All samples, in file order', { verdict: 'rejected', sortBy: 'fluency' }), undefined);
  });

  it('offers a sort for each criterion it was given', () => {
    assert.deepEqual(
      filterChoices(undefined, ['a', 'b']).map((c) => c.label).filter((l) => l.startsWith('Sort')),
      ['Sort by a', 'Sort by b'],
    );
  });

  it('describes what is shown', () => {
    assert.equal(describeFilter(undefined), undefined);
    assert.equal(describeFilter({ verdict: 'rejected', sortBy: 'consistency' }), 'rejected only · by consistency');
    assert.equal(describeFilter({ overridesOnly: true }), 'your overrides only');
    assert.equal(describeFilter({ overridesOnly: true, verdict: 'accepted' }), 'high-quality by you');
  });
});
